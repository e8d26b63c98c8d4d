#!/usr/bin/env python3
"""Redis-side cost of renewing one hold's lease: Holdfast's batched renewal (renew-hash-plain.lua,
256 holds per EVALSHA, as the watchdog sends it) as shipped at git revisions (default 5ab5923:
renew-each.lua's loop, PEXPIRE with the lease as a Lua number) and in the working tree, against
one EVALSHA per hold running HEXISTS + PEXPIRE (the shape of a per-lock renewal), and loops of one
command each, which tell where an item's time goes (bench/RESULTS-renewal.md).

Starts its own redis-server on a free loopback port; 10,000 lock hashes, each with one holder.
Pipelined, so the numbers are Redis's work without round trips. Per variant: the scripts' `usec` in
INFO commandstats and the server's CPU (INFO cpu, user + sys), per renewed hold; median of 5 runs.
Several revisions may be given; each runs as a variant of its own.

    python3 bench/experiments/watchdog/renewal_cost.py [git revision ...]
"""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'uncontended'))
from resp import compose, compose_at, own_server, report

BATCH = 256
LOCKS = 10000
LEASE = 30000

PER_HOLD = '''
if redis.call('HEXISTS', KEYS[1], ARGV[2]) == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  return 1
end
return 0
'''
# loops over the items of a batch, one command each (the reply: one integer per item)
LOOPS = {
    'loop of HEXISTS + PEXPIRE (ARGV[1]\'s string), no pcall':
        "out[i] = redis.call('HEXISTS', KEYS[i], ARGV[2 + i]); if out[i] == 1 then redis.call('PEXPIRE', KEYS[i], ARGV[1]) end",
    'loop of HEXISTS': "out[i] = redis.call('HEXISTS', KEYS[i], ARGV[2 + i])",
    'loop of PEXPIRE, the lease a Lua number': "out[i] = redis.call('PEXPIRE', KEYS[i], tonumber(ARGV[1]))",
    'loop of PEXPIRE, the lease ARGV[1]\'s string': "out[i] = redis.call('PEXPIRE', KEYS[i], ARGV[1])",
    'loop of PEXPIREAT, one deadline (string) per call': "out[i] = redis.call('PEXPIREAT', KEYS[i], deadline)",
    'loop without a command': "out[i] = #KEYS[i] + #ARGV[2 + i]",
}
LOOP = '''
local t = redis.call('TIME')
local deadline = string.format('%%d', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[1]))
local out = {}
for i = 1, #ARGV - 2 do
  %s
end
return out
'''

def key(i):
    return 'holdfast:{lock:%d}' % i

def holder(i):
    return '6f1c2d3e-%d:%d' % (i % 7, 40 + i % 5)

revisions = sys.argv[1:] or ['5ab5923']
with own_server() as r:
    for start in range(0, LOCKS, 1000):
        r.pipe([('HSET', key(i), holder(i), 1) for i in range(start, start + 1000)])
        r.pipe([('PEXPIRE', key(i), LEASE) for i in range(start, start + 1000)])

    def batches(sha):
        """Every lock once (but the last LOCKS % BATCH), in EVALSHAs of BATCH holds."""
        out = []
        for start in range(0, LOCKS - BATCH + 1, BATCH):
            items = range(start, start + BATCH)
            out.append(('EVALSHA', sha, BATCH, *[key(i) for i in items], LEASE, 1, *[holder(i) for i in items]))
        return out

    load = lambda text: r.cmd('SCRIPT', 'LOAD', text)
    per_hold = load(PER_HOLD)
    variants = {
        'one EVALSHA per hold (HEXISTS + PEXPIRE)': [('EVALSHA', per_hold, 1, key(i), LEASE, holder(i)) for i in range(LOCKS)],
    }
    for revision in revisions:
        variants['renew-hash-plain.lua at %s, %d per EVALSHA' % (revision, BATCH)] = batches(
            load(compose_at(revision, '/io/holdfast/spi/renew-hash-plain.lua')))
    variants['renew-hash-plain.lua (working tree), %d per EVALSHA' % BATCH] = batches(
        load(compose('/io/holdfast/spi/renew-hash-plain.lua', set())))
    for name, body in LOOPS.items():
        variants[name] = batches(load(LOOP % body))
    for name, calls in variants.items():  # every renewal must find its hold (the empty loop aside)
        for reply in r.pipe(calls[:2]):
            if isinstance(reply, Exception) or (name != 'loop without a command' and 0 in (reply if isinstance(reply, list) else [reply])):
                raise SystemExit('%s: %s' % (name, reply))
    # each list renews every lock once; cost() runs it 10 times, one list per pipelined write
    holds = {name: len(calls) * (1 if calls[0][2] == 1 else BATCH) for name, calls in variants.items()}
    report(r, variants, 'renewed hold', per=holds, digits=2, batches=10, per_write=1)
