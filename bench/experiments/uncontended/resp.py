"""A minimal RESP client (one connection, pipelining) and the loader's --@include resolution (see
io.holdfast.spi.Script), for the experiments next to it."""
import io, os, re, socket, subprocess, sys, tarfile, tempfile
HERE=os.path.dirname(os.path.abspath(__file__)); TOP=os.path.abspath(os.path.join(HERE, "..", "..", ".."))
ROOTS=[TOP + "/core/src/main/resources", TOP + "/reentrant/src/main/resources"]
def find(path):
    for r in ROOTS:
        p=r+path
        if os.path.exists(p): return p
    raise Exception(path)
def compose(path, included):
    included.add(path)
    out=[]
    d=os.path.dirname(path)
    for line in open(find(path)):
        m=re.match(r'--@include\s+(\S+)\s*$', line)
        if m:
            f=m.group(1)
            f=f if f.startswith('/') else d+'/'+f
            if f in included: continue
            out.append(compose(f, included))
        else: out.append(line)
    return ''.join(out)
class R:
    def __init__(s, port):
        s.s=socket.create_connection(('127.0.0.1',port)); s.f=s.s.makefile('rb')
    def enc(s,*a):
        b=b'*%d\r\n'%len(a)
        for x in a:
            x=x if isinstance(x,bytes) else str(x).encode()
            b+=b'$%d\r\n%s\r\n'%(len(x),x)
        return b
    def read(s):
        l=s.f.readline()
        t=l[:1]; r=l[1:-2]
        if t==b'+': return r.decode()
        if t==b'-': return Exception(r.decode())
        if t==b':': return int(r)
        if t==b'$':
            n=int(r)
            if n<0: return None
            d=s.f.read(n+2); return d[:-2].decode()
        if t==b'*':
            n=int(r)
            if n<0: return None
            return [s.read() for _ in range(n)]
        raise Exception(l)
    def cmd(s,*a):
        s.s.sendall(s.enc(*a)); return s.read()
    def pipe(s, cmds):
        s.s.sendall(b''.join(s.enc(*c) for c in cmds)); return [s.read() for _ in cmds]

def compose_at(revision, path):
    """compose() on the resources as they were at git `revision`."""
    old = tempfile.mkdtemp()
    archive = subprocess.run(['git', '-C', TOP, 'archive', revision, 'core/src/main/resources',
                              'reentrant/src/main/resources'], check=True, capture_output=True).stdout
    tarfile.open(fileobj=io.BytesIO(archive)).extractall(old)
    global ROOTS
    roots = ROOTS
    ROOTS = [old + '/core/src/main/resources', old + '/reentrant/src/main/resources']
    try:
        return compose(path, set())
    finally:
        ROOTS = roots

# --- what the cost experiments share: their own redis-server, the measurement, the table ---
import contextlib, statistics, time

@contextlib.contextmanager
def own_server():
    """A throwaway redis-server on a free loopback port (no persistence); yields a connection to it."""
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(['redis-server', '--port', str(port), '--bind', '127.0.0.1', '--save', '',
                               '--appendonly', 'no', '--dir', tempfile.mkdtemp()], stdout=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                r = R(port)
                break
            except OSError:
                time.sleep(0.05)
        yield r
    finally:
        server.terminate()
        server.wait()

def cost(r, batch, batches=40000, per=1, per_write=500):
    """Runs `batch` (a list of commands) `batches` times, pipelined `per_write` batches a write; returns the
    scripts' time (EVALSHA and FCALL `usec` in INFO commandstats) and the server's CPU (INFO cpu,
    user + sys), in µs per batch / `per`."""
    def cpu():
        fields = dict(l.split(':', 1) for l in r.cmd('INFO', 'cpu').split('\r\n') if ':' in l)
        return float(fields['used_cpu_sys']) + float(fields['used_cpu_user'])
    r.cmd('CONFIG', 'RESETSTAT')
    before = cpu()
    for _ in range(batches // per_write):
        for reply in r.pipe(batch * per_write):
            if isinstance(reply, Exception):
                raise reply
    used = cpu() - before
    usec = 0
    for line in r.cmd('INFO', 'commandstats').split('\r\n'):
        if line.startswith(('cmdstat_evalsha:', 'cmdstat_fcall:')):
            usec += int(dict(kv.split('=') for kv in line.split(':', 1)[1].split(','))['usec'])
    return usec / batches / per, used * 1e6 / batches / per

def report(r, variants, unit, per=1, digits=1, runs=5, **how):
    """`runs` interleaved rounds of cost() over `variants` (name -> batch; `per` a number, or a
    dict name -> number), the rest of cost()'s arguments in `how`; prints a Markdown table of the
    medians, with the range in brackets."""
    results = {name: [] for name in variants}
    for _ in range(runs):
        for name, batch in variants.items():
            results[name].append(cost(r, batch, per=per[name] if isinstance(per, dict) else per, **how))
    f = '%.' + str(digits) + 'f'
    print('| variant | script µs per %s (commandstats) | server CPU µs per %s |' % (unit, unit))
    print('| --- | --- | --- |')
    for name, got in results.items():
        cells = []
        for values in ([u for u, _ in got], [c for _, c in got]):
            cells.append((f + ' (' + f + '–' + f + ')') % (statistics.median(values), min(values), max(values)))
        print('| %s | %s | %s |' % (name, cells[0], cells[1]))
