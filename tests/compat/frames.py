#!/usr/bin/env python3
"""tests/compat/frames.py: the frames the DPDK example tests send and what they check at the far end.

  frames.py make FILE N                 write N Ethernet frames of different lengths to a pcap file
  frames.py count FILE                  print how many frames a pcap file holds (0 if none yet)
  frames.py same IN OUT                 OUT holds IN's frames, byte for byte, in order
  frames.py l2fwd IN OUT PORT SRCMAC    OUT holds IN's frames as DPDK's l2fwd rewrites them for
                                        destination port PORT: dst 02:00:00:00:00:PORT, src SRCMAC
"""
import struct
import sys


def read_pcap(path):
    try:
        data = open(path, "rb").read()
    except FileNotFoundError:
        return []
    if len(data) < 24:
        return []
    magic = struct.unpack("<I", data[:4])[0]
    if magic not in (0xA1B2C3D4, 0xA1B23C4D):
        raise SystemExit("FAIL: %s: not a little-endian pcap file (magic %#x)" % (path, magic))
    frames, off = [], 24
    while off + 16 <= len(data):
        _, _, caplen, _ = struct.unpack("<IIII", data[off:off + 16])
        if off + 16 + caplen > len(data):
            break  # a record still being written
        frames.append(data[off + 16:off + 16 + caplen])
        off += 16 + caplen
    return frames


def make(path, n):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i in range(n):
            dst = bytes([0x02, 0, 0, 0, 0xAA, 0xBB])
            src = bytes([0x02, 0, 0, 0, 0xCC, i & 0xFF])
            payload = bytes((i + j) & 0xFF for j in range(46 + (i * 13) % 1400))
            fr = dst + src + b"\x88\xb5" + payload  # local experimental EtherType
            f.write(struct.pack("<IIII", 1000 + i, 0, len(fr), len(fr)))
            f.write(fr)


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def compare(inp, out, rewrite):
    a, b = read_pcap(inp), read_pcap(out)
    if len(a) != len(b):
        fail("%s has %d frames, %s %d" % (inp, len(a), out, len(b)))
    for i, (x, y) in enumerate(zip(a, b)):
        want = rewrite(x)
        if want != y:
            fail("frame %d differs:\n  want %s\n  got  %s" % (i, want[:32].hex(), y[:32].hex()))
    print("ok: %d frames checked at the far end" % len(b))


def main():
    cmd = sys.argv[1]
    if cmd == "make":
        make(sys.argv[2], int(sys.argv[3]))
    elif cmd == "count":
        print(len(read_pcap(sys.argv[2])))
    elif cmd == "same":
        compare(sys.argv[2], sys.argv[3], lambda x: x)
    elif cmd == "l2fwd":
        port = int(sys.argv[4])
        src = bytes.fromhex(sys.argv[5].replace(":", ""))
        dst = bytes([0x02, 0, 0, 0, 0, port])
        compare(sys.argv[2], sys.argv[3], lambda x: dst + src + x[12:])
    else:
        raise SystemExit(__doc__)


main()
