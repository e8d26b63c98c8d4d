#!/usr/bin/env python3
"""Redis-side cost of one uncontended lock cycle (acquire.lua + release.lua of the queued lock, barging
policy, free lock), against the bench's floor (two EVALSHA of `return 1`), against the same two
scripts loaded as a Redis 7 function library (FCALL: helpers defined once, at load), and against a
flat script pair that runs the same Redis commands with none of the helper code.

Starts its own redis-server on a free loopback port. Pipelined (500 cycles per write), so the
numbers are Redis's work per cycle, without round trips. Per variant: the scripts' `usec` in
INFO commandstats, and the server's CPU (INFO cpu, user + sys), per cycle; median of 5 runs.

    python3 bench/experiments/uncontended/script_cost.py
"""
import os, socket, statistics, subprocess, sys, tempfile, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from resp import R, compose

def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]

port = free_port()
workdir = tempfile.mkdtemp()
server = subprocess.Popen(['redis-server', '--port', str(port), '--bind', '127.0.0.1', '--save', '',
                           '--appendonly', 'no', '--dir', workdir], stdout=subprocess.DEVNULL)
try:
    for _ in range(100):
        try:
            r = R(port)
            break
        except OSError:
            time.sleep(0.05)
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

    def cpu():
        fields = dict(l.split(':', 1) for l in r.cmd('INFO', 'cpu').split('\r\n') if ':' in l)
        return float(fields['used_cpu_sys']) + float(fields['used_cpu_user'])

    def run(cycle, cycles=40000):
        r.cmd('CONFIG', 'RESETSTAT')
        before = cpu()
        for _ in range(cycles // 500):
            for reply in r.pipe(cycle * 500):
                if isinstance(reply, Exception):
                    raise reply
        used = cpu() - before
        usec = 0
        for line in r.cmd('INFO', 'commandstats').split('\r\n'):
            if line.startswith(('cmdstat_evalsha:', 'cmdstat_fcall:')):
                usec += int(dict(kv.split('=') for kv in line.split(':', 1)[1].split(','))['usec'])
        return usec / cycles, used * 1e6 / cycles

    results = {name: [] for name in variants}
    for _ in range(5):
        for name, cycle in variants.items():
            results[name].append(run(cycle))
    print('| variant | script µs per cycle (commandstats) | server CPU µs per cycle |')
    print('| --- | --- | --- |')
    for name, runs in results.items():
        print('| %s | %.1f (%.1f–%.1f) | %.1f (%.1f–%.1f) |' % (
            name, statistics.median(u for u, _ in runs), min(u for u, _ in runs), max(u for u, _ in runs),
            statistics.median(c for _, c in runs), min(c for _, c in runs), max(c for _, c in runs)))
finally:
    server.terminate()
    server.wait()
