#!/usr/bin/env python3
"""tests/layers/check.py BUILD_DIR: the layers of libpollux are physical.

Each component (lib/<name>, drivers/net/<name> as net_<name>) is its own object library that
sees only its own folder and the header views of the components it depends on
(cmake/PxLib.cmake). This check reads the compile commands of the build and, for every
component:
  - lists the views it sees, and fails if one belongs to a component above it (the order of
    docs/architecture.md: telemetry, eal, vfio, pci, vdev, ring, mempool, mbuf, net, ethdev, then the drivers);
  - compiles `#include <h>` for a public header h of every other component with the
    component's own flags: it must build exactly when h's component is below it, so an upward
    include fails to build (and a downward one still works);
  - compiles an include of another component's internal header (one in its folder but not in
    its view): it must fail.
"""
import json, os, re, shlex, subprocess, sys, tempfile

ORDER = ["telemetry", "eal", "timer", "vfio", "pci", "vdev", "ring", "mempool", "mbuf", "net", "ethdev",
         "ethutil"]


def rank(c):
    return ORDER.index(c) if c in ORDER else len(ORDER)  # drivers sit on top


def main():
    build = os.path.abspath(sys.argv[1])
    cmds = json.load(open(os.path.join(build, "compile_commands.json")))
    views = os.path.join(build, "px-include")
    flags, srcdir = {}, {}
    for c in cmds:
        m = re.search(r"CMakeFiles/px_(\w+)\.dir/", c.get("output", "") + c["command"])
        if not m or m.group(1) in flags:
            continue
        comp = m.group(1)
        args = shlex.split(c["command"])
        keep, i = [], 0
        while i < len(args):
            a = args[i]
            if a in ("-o", "-c", "-MF", "-MT"):
                i += 2
                continue
            if a.startswith(("-I", "-D", "-std", "-isystem", "-include", "-m")) or a == "-fPIC":
                keep.append(a)
                if a in ("-isystem", "-include"):
                    keep.append(args[i + 1])
                    i += 1
            i += 1
        flags[comp] = (args[0], keep)
        srcdir[comp] = os.path.dirname(c["file"])
    if "eal" not in flags or "ethdev" not in flags:
        print("FAIL: no compile commands for the components (CMAKE_EXPORT_COMPILE_COMMANDS?)")
        return 1
    public = {c: sorted(os.listdir(os.path.join(views, c))) for c in flags
              if os.path.isdir(os.path.join(views, c))}
    errors, checked = [], 0
    with tempfile.TemporaryDirectory() as tmp:
        def compiles(comp, header):
            src = os.path.join(tmp, "t.c")
            with open(src, "w") as f:
                f.write("#include <%s>\nint layers_check_dummy;\n" % header)
            cc, fl = flags[comp]
            r = subprocess.run([cc, *fl, "-fsyntax-only", src], capture_output=True, text=True)
            return r.returncode == 0, r.stderr

        for comp in sorted(flags, key=rank):
            seen = sorted(os.path.basename(a[2:]) for a in flags[comp][1]
                          if a.startswith("-I" + views + "/"))
            above = [v for v in seen if v != comp and rank(v) >= rank(comp) and v in ORDER]
            if above:
                errors.append("%s sees the headers of %s, above it" % (comp, ", ".join(above)))
            print("%-12s sees %s" % (comp, " ".join(v for v in seen if v != comp) or "-"))
            for other in sorted(public):
                if other == comp or not public[other]:
                    continue
                h = public[other][0]
                ok, err = compiles(comp, h)
                checked += 1
                if ok != (other in seen):
                    errors.append("%s: #include <%s> (%s) %s" % (
                        comp, h, other, "builds, but the component is not below it" if ok else
                        "fails, but %s is a dependency: %s" % (other, err.strip()[:200])))
            # Internal headers of the components below: in their folder, not in their view.
            for other in seen:
                if other == comp or other not in srcdir:
                    continue
                internal = [h for h in os.listdir(srcdir[other])
                            if h.endswith(".h") and h not in public.get(other, [])]
                for h in internal[:1]:
                    ok, _ = compiles(comp, h)
                    checked += 1
                    if ok:
                        errors.append("%s reaches %s's internal header %s" % (comp, other, h))
    for e in errors:
        print("FAIL:", e)
    print("%d components, %d includes tried: %s" % (len(flags), checked,
                                                    "ok" if not errors else "FAILED"))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
