"""A minimal RESP client (one connection, pipelining) and the loader's --@include resolution (see
io.holdfast.spi.Script), for the experiments next to it."""
import socket, re, os, sys
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
