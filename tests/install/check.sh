#!/usr/bin/env bash
# check.sh MODE BUILD_DIR SRC_DIR: install the build into a temporary prefix and build a program
# outside the tree against it, with find_package(Pollux) (MODE=cmake), pkg-config (MODE=pkg-config),
# or check that the shared library exports only the px_ API of its installed headers
# (MODE=symbols).
set -euo pipefail
mode=$1 build=$2 src=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
libdir=$(ls -d "$tmp"/prefix/lib*/ | head -n1)
case $mode in
cmake)
    cmake -S "$src" -B "$tmp/b" -G Ninja -DCMAKE_PREFIX_PATH="$tmp/prefix" >/dev/null
    cmake --build "$tmp/b" >/dev/null
    LD_LIBRARY_PATH=$libdir "$tmp/b/hello" -l 0 --no-huge
    "$tmp/b/hello_static" -l 0 --no-huge
    # the dynamic one really uses the installed shared library
    deps=$(LD_LIBRARY_PATH=$libdir ldd "$tmp/b/hello")
    grep -q "libpollux.so.* => $libdir" <<<"$deps"
    ;;
pkg-config)
    export PKG_CONFIG_PATH=$libdir/pkgconfig
    cc -o "$tmp/hello" "$src/hello.c" $(pkg-config --cflags --libs pollux)
    LD_LIBRARY_PATH=$libdir "$tmp/hello" -l 0 --no-huge
    if pkg-config --static --libs pollux | grep -qw -- -lpcap; then
        # net_pcap is built: Debian's libpcap.a needs libdbus-1.a, which needs libsystemd,
        # shipped shared only, so no program with libpcap links fully static there. Link
        # libpollux.a with the system's libraries shared: Libs.private must still list them all.
        echo "note: -lpcap in Libs.private: libpollux.a linked, the system's libraries shared"
        cc -o "$tmp/hello_static" "$src/hello.c" $(pkg-config --cflags pollux) "$libdir/libpollux.a" \
            $(pkg-config --static --libs pollux | sed 's/-lpollux\b//')
        ldd "$tmp/hello_static" >"$tmp/ldd"
        if grep -q libpollux "$tmp/ldd"; then echo "hello_static uses libpollux.so"; exit 1; fi
    else
        cc -static -o "$tmp/hello_static" "$src/hello.c" $(pkg-config --static --cflags --libs pollux)
    fi
    "$tmp/hello_static" -l 0 --no-huge
    ;;
symbols)
    # Every exported symbol is px_ API declared in an installed header; nothing else leaks
    # (symbols are hidden by default, lib/pollux.map exports the px_ ones).
    so=$(ls "$libdir"/libpollux.so.* | head -n1)
    syms=$(nm -D --defined-only "$so" | awk '{sub(/@.*/, "", $3); print $3}' | grep -v '^POLLUX_' | sort -u)
    declared=$(grep -ohw 'px_[A-Za-z0-9_]*' "$tmp"/prefix/include/pollux/*.h | sort -u)
    bad=$(comm -23 <(echo "$syms") <(echo "$declared"))
    if [ -n "$bad" ]; then
        echo "libpollux exports symbols that no installed header declares:"; echo "$bad"; exit 1
    fi
    grep -qx px_eal_init <<<"$syms"
    echo "libpollux exports $(wc -l <<<"$syms") symbols, each declared in an installed header:"
    echo "$syms" | paste -sd " " | fold -s -w 100
    ;;
esac
