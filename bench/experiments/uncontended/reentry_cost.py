#!/usr/bin/env python3
"""Redis-side cost of a nested level of the queued lock (one re-entry + one release that keeps a
level), as shipped at a git revision before the lean re-entry scripts (default 494cc9c: acquire.lua in
mode "reenter-kept" and release.lua with levels left, 5 keys each) against the working tree's
reenter.lua + count-down.lua (the lock key alone), against the bench's floor (two EVALSHA of
`return 1`).

Starts its own redis-server on a free loopback port. Pipelined (500 pairs per write), so the numbers
are Redis's work, without round trips. Per variant: the scripts' `usec` in INFO commandstats, and
the server's CPU (INFO cpu, user + sys), per pair of levels; median of 5 runs.

    python3 bench/experiments/uncontended/reentry_cost.py [git revision]
"""
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from resp import compose, compose_at, own_server, report

revision = sys.argv[1] if len(sys.argv) > 1 else '494cc9c'
with own_server() as r:
    sha = {
        'old_acquire': r.cmd('SCRIPT', 'LOAD', compose_at(revision, '/io/holdfast/reentrant/acquire.lua')),
        'old_release': r.cmd('SCRIPT', 'LOAD', compose_at(revision, '/io/holdfast/reentrant/release.lua')),
        'reenter': r.cmd('SCRIPT', 'LOAD', compose('/io/holdfast/reentrant/reenter.lua', set())),
        'count_down': r.cmd('SCRIPT', 'LOAD', compose('/io/holdfast/reentrant/count-down.lua', set())),
        'floor': r.cmd('SCRIPT', 'LOAD', 'return 1'),
    }
    keys = ['holdfast:{x}', 'holdfast:{x}:queue', 'holdfast:{x}:waiters', 'holdfast:{x}:channel', 'holdfast:{x}:token']
    holder = 'c1:1'
    variants = {
        'floor (2 x EVALSHA return 1)': [('EVALSHA', sha['floor'], 0)] * 2,
        'acquire.lua + release.lua at %s (5 keys)' % revision: [
            ('EVALSHA', sha['old_acquire'], 5, *keys, holder, 30000, 'reenter-kept', 15000, '2', 'barge'),
            ('EVALSHA', sha['old_release'], 5, *keys, holder, '1')],
        'reenter.lua + count-down.lua (1 key)': [
            ('EVALSHA', sha['reenter'], 1, keys[0], holder, 30000, 'reenter-kept', '2'),
            ('EVALSHA', sha['count_down'], 1, keys[0], holder, '1')],
    }
    r.cmd('HSET', keys[0], holder, 1)
    r.cmd('PEXPIRE', keys[0], 3600000)
    for name, pair in variants.items():  # each pair must leave the hold at one level, as it found it
        replies = r.pipe(pair)
        if any(isinstance(x, Exception) for x in replies) or (not name.startswith('floor') and replies[0] != [2, 2]):
            raise SystemExit('%s: %s' % (name, replies))
        if r.cmd('HGET', keys[0], holder) != '1':
            raise SystemExit(name + ' left another count')

    report(r, variants, 'level', per=2, digits=2)
