#!/usr/bin/env python3
"""Redis-side cost of one uncontended lock cycle (acquire.lua + release.lua of the queued lock, barging
policy, free lock), against the bench's floor (two EVALSHA of `return 1`), against the same two
scripts loaded as a Redis 7 function library (FCALL: helpers defined once, at load), and against a
flat script pair that runs the same Redis commands with none of the helper code.

Starts its own redis-server on a free loopback port. Pipelined (500 cycles per write), so the
numbers are Redis's work per cycle, without round trips. Per variant: the scripts' `usec` in
INFO commandstats, and the server's CPU (INFO cpu, user + sys), per cycle; median of 5 runs.

    python3 bench/experiments/uncontended/script_cost.py [git revision]

With a git revision, the two scripts as shipped there run beside the working tree's, as a variant of
their own.
"""
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from resp import compose, compose_at, own_server, report

with own_server() as r:
    acquire = compose('/io/holdfast/reentrant/acquire.lua', set())
    release = compose('/io/holdfast/reentrant/release.lua', set())

    # the library: every helper at its top level once; each script's body (its last lines, after the
    # helpers) a registered function; KEYS and ARGV are upvalues set per call
    body = 'local lock, q, channel, token_key = lock_keys()'
    lib = '#!lua name=hfexp\nlocal KEYS, ARGV\n' + acquire[:acquire.index(body)] + '\n'
    for name, src in (('hf_acquire', acquire), ('hf_release', release)):
        lib += "redis.register_function('%s', function(k, a) KEYS, ARGV = k, a\n%s\nend)\n" % (name, src[src.index(body):])
    lib += "redis.register_function('hf_floor', function() return 1 end)\n"
    r.cmd('FUNCTION', 'LOAD', 'REPLACE', lib)

    flat_acquire = """local p = redis.call('PTTL', KEYS[1])
if p == -2 then
  redis.call('HSET', KEYS[1], ARGV[1], 1)
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  local t = redis.call('TIME')
  local token = string.format('%d', tonumber(t[1]) * 1000000 + tonumber(t[2]))
  local last = tonumber(redis.call('SET', KEYS[5], token, 'GET'))
  return {1, tonumber(token)}
end
return {0, p}"""
    flat_release = """if redis.call('HDEL', KEYS[1], ARGV[1]) == 1 then redis.call('ZPOPMIN', KEYS[2]) end
return {0, ''}"""

    sha = {n: r.cmd('SCRIPT', 'LOAD', s) for n, s in (('acquire', acquire), ('release', release), ('floor', 'return 1'),
                                                      ('flat_acquire', flat_acquire), ('flat_release', flat_release))}
    keys = ['holdfast:{x}', 'holdfast:{x}:queue', 'holdfast:{x}:waiters', 'holdfast:{x}:channel', 'holdfast:{x}:token']
    acquire_args = ['c1:1', 30000, 'join', 15000, '30000:1', 'barge']
    release_args = ['c1:1', '0']
    variants = {
        'floor (2 x EVALSHA return 1)': [('EVALSHA', sha['floor'], 0)] * 2,
        'floor (2 x FCALL return 1)': [('FCALL', 'hf_floor', 0)] * 2,
        'Holdfast scripts, EVALSHA': [('EVALSHA', sha['acquire'], 5, *keys, *acquire_args),
                                      ('EVALSHA', sha['release'], 5, *keys, *release_args)],
        'Holdfast scripts, FCALL': [('FCALL', 'hf_acquire', 5, *keys, *acquire_args),
                                    ('FCALL', 'hf_release', 5, *keys, *release_args)],
        'flat scripts, same commands': [('EVALSHA', sha['flat_acquire'], 5, *keys, *acquire_args),
                                        ('EVALSHA', sha['flat_release'], 5, *keys, *release_args)],
    }
    for cycle in variants.values():  # each variant must leave the lock free, as it found it
        for reply in r.pipe(cycle):
            if isinstance(reply, Exception):
                raise reply
    if r.cmd('EXISTS', keys[0]) != 0:
        raise SystemExit('a cycle left the lock held')

    if len(sys.argv) > 1:
        old = [r.cmd('SCRIPT', 'LOAD', compose_at(sys.argv[1], '/io/holdfast/reentrant/%s.lua' % n)) for n in ('acquire', 'release')]
        variants['Holdfast scripts at %s, EVALSHA' % sys.argv[1]] = [('EVALSHA', old[0], 5, *keys, *acquire_args),
                                                                    ('EVALSHA', old[1], 5, *keys, *release_args)]
    report(r, variants, 'cycle')
