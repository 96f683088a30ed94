#!/usr/bin/env python3
"""tests/fwd/prompt.py PX_FWD CASE: px-fwd -i driven through a pty as an operator would.

commands  every command of the prompt (docs/fwd.md) on a net_ring pair: its output, and that
          forwarding goes on (port counters grow) after each; quit while forwarding ends with
          exit 0, the JSON written and every mbuf back in the pool. With libedit: history
          (up arrow) and line editing (Ctrl-A).
errors    unknown and malformed commands get one line each and px-fwd keeps forwarding; end of
          input (Ctrl-D) quits; -i without a forwarding lcore is refused with exit 2.
topology  three ports chained: the streams start shows, and their counters.
"""
import json
import os
import pty
import re
import select
import subprocess
import sys
import tempfile
import time

FWD, CASE = sys.argv[1], sys.argv[2]
TMP = tempfile.mkdtemp()
JSON = os.path.join(TMP, "stats.json")
PROMPT = b"px-fwd> "


def fail(msg, out=""):
    print(out)
    print("FAIL:", msg)
    sys.exit(1)


class Prompt:
    def __init__(self, eal, opts=()):
        args = [FWD, "--no-huge", "-m", "256"] + eal + ["--", "-i", "--stats-json=" + JSON] + list(opts)
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execv(FWD, args)
        self.buf = b""
        self.start_out = self.expect(PROMPT)

    def expect(self, what, timeout=20):
        end = time.time() + timeout
        while what not in self.buf:
            if time.time() > end:
                fail("no %r within %d s" % (what, timeout), self.buf.decode(errors="replace"))
            r, _, _ = select.select([self.fd], [], [], 0.1)
            if r:
                try:
                    data = os.read(self.fd, 65536)
                except OSError:
                    data = b""
                if not data:
                    fail("px-fwd ended before %r" % what, self.buf.decode(errors="replace"))
                self.buf += data
        i = self.buf.index(what) + len(what)
        out, self.buf = self.buf[:i], self.buf[i:]
        return out.decode(errors="replace").replace("\r", "")

    def send(self, keys):
        os.write(self.fd, keys.encode() if isinstance(keys, str) else keys)

    def cmd(self, line, *want):
        """Run one command; its output must hold each regex in want."""
        self.send(line + "\n")
        out = self.expect(PROMPT)
        for w in want:
            if not re.search(w, out):
                fail("%r: no /%s/ in its output" % (line, w), out)
        print("ok: %-26s %s" % (line[:26], " | ".join(want)[:90]))
        return out

    def rx(self, port):
        out = self.cmd("show port stats %d" % port, r"NIC statistics for port %d" % port)
        return int(re.search(r"RX-packets: (\d+)", out).group(1))

    def growing(self, port, what):
        """Forwarding goes on: the port's RX counter grows."""
        a = self.rx(port)
        time.sleep(0.3)
        b = self.rx(port)
        if b <= a:
            fail("%s: port %d RX-packets %d then %d: not forwarding" % (what, port, a, b))
        print("ok: forwarding goes on %s (port %d RX %d -> %d)" % (what, port, a, b))

    def end(self, keys, *want):
        self.send(keys)
        out = self.expect(b"Bye...")
        for w in want:
            if not re.search(w, out):
                fail("at the end: no /%s/" % w, out)
        _, status = os.waitpid(self.pid, 0)
        if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
            fail("px-fwd exit status %d, want 0" % os.WEXITSTATUS(status), out)
        d = json.load(open(JSON))
        if not (d["mbufs_in_pool"] == d["mbufs_total"] > 0 and d["mbufs_leaked"] == 0 and
                d["mbufs_freed_twice"] == 0):
            fail("mbufs not all back: %s" % d)
        print("ok: ended with exit 0, every mbuf back in the pool once")
        return d


def has_libedit():
    try:
        return b"libedit" in subprocess.run(["ldd", FWD], capture_output=True).stdout
    except OSError:
        return False


RING_PAIR = ["--vdev", "net_ring0", "--vdev", "net_ring1,peer=net_ring0"]


def commands():
    p = Prompt(["-l", "0-1"] + RING_PAIR)
    p.cmd("help", r"start tx_first", r"show port xstats all\|N", r"set promisc", r"quit",
          r"Modes for set fwd: .*csum, 5tswap, flowgen")
    p.cmd("show port info 0", r"\*+ Infos for port 0 +\*+", r"MAC address: 02:", r"Driver name: net_ring",
          r"Link status: up", r"MTU: 1500", r"Promiscuous mode: enabled", r"Port state: started")
    p.cmd("start tx_first", r"io packet forwarding - ports=2 - cores=1 - streams=2",
          r"RX P=0/Q=0 \(socket \d+\) -> TX P=1/Q=0 \(socket \d+\) peer=02:00:00:00:00:01")
    p.cmd("show port stats all", r"NIC statistics for port 0", r"NIC statistics for port 1",
          r"RX-missed: \d+", r"TX-bytes:", r"Throughput \(since last show\)", r"Rx-pps: +\d+")
    p.growing(0, "after start tx_first")
    p.cmd("show port xstats 0", r"###### NIC extended statistics for port 0", r"rx_good_packets: [1-9]")
    before = p.rx(1)
    p.cmd("clear port stats all", r"NIC statistics for port 0 cleared", r"NIC statistics for port 1 cleared")
    after = p.rx(1)
    if after >= before:
        fail("clear port stats: port 1 RX-packets %d, %d before" % (after, before))
    p.growing(1, "after clear port stats")
    p.cmd("set fwd macswap", r"Please stop forwarding first")
    p.cmd("port stop 0", r"Please stop forwarding first")
    p.cmd("start", r"Packet forwarding already started")
    out = p.cmd("stop", r"Telling cores to stop", r"Forward statistics for port 0",
                r"Forward statistics for port 1", r"Accumulated forward statistics for all ports",
                r"RX-packets: [1-9]\d* +RX-dropped: \d+ +RX-total: \d+", r"TX-total", r"Done\.")
    p.cmd("stop", r"Packet forwarding not started")
    p.cmd("set fwd macswap", r"Set macswap packet forwarding mode")
    p.cmd("set promisc 0 off")
    p.cmd("show port info 0", r"Promiscuous mode: disabled")
    p.cmd("set promisc all on")
    p.cmd("show port info 0", r"Promiscuous mode: enabled")
    p.cmd("port stop 0", r"Stopping ports", r"Done")
    p.cmd("show port info 0", r"Port state: stopped")
    p.cmd("start", r"Port 0 is stopped")
    p.cmd("port start 0", r"Port 0: 02:", r"Done")
    p.cmd("start tx_first", r"macswap packet forwarding - ports=2")
    p.growing(0, "in macswap after port stop/start")
    p.cmd("stop", r"Done\.")
    p.cmd("port close 1", r"Please stop port 1 first")
    p.cmd("port stop 1", r"Done")
    p.cmd("port close 1", r"Closing ports", r"Port 1 is closed", r"Done")
    p.cmd("show port stats 1", r"Invalid port 1")
    p.cmd("start", r"macswap packet forwarding - ports=1 - cores=1 - streams=1",
          r"RX P=0/Q=0 .* -> TX P=0/Q=0")
    p.cmd("set fwd io", r"Please stop forwarding first")
    if has_libedit():
        # history: the up arrow brings back the last line; Ctrl-A goes to its start
        p.cmd("show port info 0", r"Driver name: net_ring")
        p.send(b"\x1b[A\n")
        out = p.expect(PROMPT)
        if "Infos for port 0" not in out:
            fail("up arrow did not repeat the last command", out)
        print("ok: history: the up arrow repeats 'show port info 0'")
        p.send(b"port xstats 0\x01show \n")
        out = p.expect(PROMPT)
        if "NIC extended statistics for port 0" not in out:
            fail("Ctrl-A then 'show ' did not make 'show port xstats 0'", out)
        print("ok: line editing: Ctrl-A to the start of the line")
    else:
        print("note: px-fwd reads plain lines (built without libedit): no history check")
    d = p.end("quit\n", r"Forward statistics for port 0", r"Bye\.\.\.")
    if d["mode"] != "macswap" or d["ports"][0]["rx_packets"] == 0:
        fail("JSON at quit: %s" % d)
    print("ok: the JSON has the last run's counters")


def errors():
    rc = subprocess.run([FWD, "--no-huge", "-m", "256", "-l", "0"] + RING_PAIR + ["--", "-i"],
                        capture_output=True, text=True)
    if rc.returncode != 2 or "needs a forwarding lcore" not in rc.stderr:
        fail("-i on one lcore: exit %d, %r" % (rc.returncode, rc.stderr))
    print("ok: -i without a forwarding lcore: exit 2, %s" % rc.stderr.strip())
    p = Prompt(["-l", "0-1"] + RING_PAIR)
    p.cmd("start tx_first", r"io packet forwarding")
    p.cmd("bogus", r"Command not found: 'bogus' \(help lists the commands\)")
    p.cmd("show port stats", r"Bad arguments: usage: show port stats all\|N")
    p.cmd("show port stats 9", r"Invalid port 9")
    p.cmd("show port stats x1", r"Invalid port x1")
    p.cmd("show port info 99999999999999999999", r"Invalid port")
    p.cmd("set fwd nope", r"Invalid nope packet forwarding mode")
    p.cmd("set promisc 0 maybe", r"Bad arguments: set promisc 0 maybe: expected on or off")
    p.cmd("port", r"Bad arguments: usage: port stop all\|N \| port start all\|N \| port close all\|N")
    p.cmd("start tx_first now", r"Bad arguments|Command not found")
    p.cmd("x " * 2000, r"Command not found: 'x'")
    p.cmd("")
    p.cmd("# a comment")
    p.growing(0, "after bad commands")
    p.cmd("stop", r"Done\.")
    # Ctrl-D at an empty line: end of input. Typed once libedit reads in raw mode: a ^D that
    # reaches the terminal in cooked mode, between two lines, is an empty read the switch drops
    time.sleep(0.3)
    p.end(b"\x04", r"Bye\.\.\.")
    # not a terminal (a script's pipe): plain lines, the same commands and answers
    rc = subprocess.run([FWD, "--no-huge", "-m", "256", "-l", "0-1"] + RING_PAIR + ["--", "-i"],
                        input="start tx_first\nbogus\nshow port stats 0\nstop\nquit\n",
                        capture_output=True, text=True, timeout=60)
    for w in ["Command not found: 'bogus'", "NIC statistics for port 0", "Forward statistics for port 1", "Bye..."]:
        if rc.returncode != 0 or w not in rc.stdout:
            fail("commands through a pipe: exit %d, no %r" % (rc.returncode, w), rc.stdout + rc.stderr)
    print("ok: commands through a pipe (plain lines): the same answers, exit 0")
    # Ctrl-C while forwarding: as quit, the forward statistics, then the end
    p = Prompt(["-l", "0-1"] + RING_PAIR)
    p.cmd("start tx_first", r"io packet forwarding")
    p.end(b"\x03", r"Forward statistics for port 0", r"Bye\.\.\.")


def auto_start():
    # -a (testpmd's --auto-start) with --tx-first: forwarding before the first prompt
    p = Prompt(["-l", "0-1"] + RING_PAIR, ["-a", "--tx-first"])
    if "Start automatic packet forwarding" not in p.start_out:
        fail("-a: no 'Start automatic packet forwarding'", p.start_out)
    p.growing(0, "after -a --tx-first")
    p.end("quit\n", r"Forward statistics for port 0", r"Bye\.\.\.")


def topology():
    nulls = sum((["--vdev", "net_null%d" % i] for i in range(3)), [])
    p = Prompt(["-l", "0-1"] + nulls, ["--port-topology=chained"])
    p.cmd("start", r"io packet forwarding - ports=3 - cores=1 - streams=3",
          r"RX P=0/Q=0 .* -> TX P=1/Q=0", r"RX P=1/Q=0 .* -> TX P=2/Q=0", r"RX P=2/Q=0 .* -> TX P=0/Q=0")
    p.growing(2, "on three chained net_null ports")
    p.cmd("stop", r"Forward statistics for port 2", r"Done\.")
    p.end("quit\n", r"Bye\.\.\.")


if CASE == "commands":
    commands()
elif CASE == "errors":
    errors()
elif CASE == "topology":
    topology()
elif CASE == "auto_start":
    auto_start()
else:
    fail("unknown case " + CASE)
