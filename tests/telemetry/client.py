#!/usr/bin/env python3
"""tests/telemetry/client.py SOCKET: what dpdk-telemetry.py does not try. Bad requests to a
running process's telemetry socket, each of which must get an error answer (or, for a client
that goes away, nothing) while the server keeps answering the next client."""
import json, socket, sys

path = sys.argv[1]


def connect():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.settimeout(5)
    s.connect(path)
    hello = json.loads(s.recv(1024))
    assert hello["max_output_len"] == 16384 and hello["pid"] > 0, hello
    return s


def ask(s, req):
    s.send(req if isinstance(req, bytes) else req.encode())
    return json.loads(s.recv(16384))


def expect(req, want, s=None):
    s = s or connect()
    got = ask(s, req)
    ok = want(got)
    print("ok:" if ok else "FAIL:", repr(req)[:60], "->", json.dumps(got)[:120])
    if not ok:
        sys.exit(1)
    return s


s = connect()
expect("/nonexistent", lambda a: a == {"/nonexistent": None}, s)          # unknown: null, as DPDK
expect("ethdev/list", lambda a: "error" in a, s)                          # no leading /
expect("/ethdev/list;rm", lambda a: "error" in a, s)                      # bad characters
expect("/" + "a" * 60, lambda a: "error" in a, s)                         # command too long
expect("/ethdev/stats," + "9" * 2000, lambda a: "error" in a, s)          # request > 1024 bytes
expect(b"/ethdev/list\0junk", lambda a: "error" in a, s)                  # a NUL inside
expect("/ethdev/stats,x", lambda a: a == {"/ethdev/stats": None}, s)      # bad parameter
expect("/ethdev/stats,99", lambda a: a == {"/ethdev/stats": None}, s)     # no such port
expect("/mempool/info,nopool", lambda a: a == {"/mempool/info": None}, s)
expect("/help,/nonexistent", lambda a: a == {"/help": None}, s)
expect("/ethdev/capture,0,sideways,64", lambda a: a == {"/ethdev/capture": None}, s)
expect("/ethdev/list", lambda a: a["/ethdev/list"] == [0, 1], s)         # still answering

# Clients that go away: one mid-reply (many requests, nothing read, then closed), one right
# after connecting, one that never reads its greeting.
for _ in range(3):
    g = connect()
    for _ in range(200):
        try:
            g.send(b"/ethdev/xstats,0")
        except OSError:
            break
    g.close()
socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET).connect(path)
expect("/ethdev/list", lambda a: a["/ethdev/list"] == [0, 1])
# Many clients at once: the server takes 16 and refuses the rest, then serves again.
many = []
for _ in range(20):
    try:
        many.append(connect())
    except (OSError, ValueError, socket.timeout):
        pass
print("ok: %d of 20 simultaneous clients served" % len(many))
for m in many:
    m.close()
expect("/ethdev/stats,0", lambda a: a["/ethdev/stats"]["ipackets"] > 0)
