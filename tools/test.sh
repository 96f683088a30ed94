#!/usr/bin/env bash
# tools/test.sh — build Pollux and run every test.
#
# Installs what is missing (Debian packages), reserves hugepages when run as root, builds into
# build/ (and build/asan, build/tsan for the sanitizer runs), runs the libFuzzer smoke when clang
# has libFuzzer, then runs every test with ctest — the host tests and the lab (Debian kernels
# under QEMU with a virtual IOMMU) — and ends with ctest's summary; then runs the README's main job,
# tools/quickstart.sh (and --lab where the lab runs). Exit status: non-zero when a test or the
# quickstart failed.
#
# Environment: PX_LAB_SKIP=1 skips the lab tests; PX_SKIP_SANITIZERS=1 skips the ASan/TSan builds.
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/lib.sh

jobs=$(nproc)
px_need_pkgs "${PX_BASE_PKGS[@]}"
px_reserve_hugepages 256

configure() { # configure DIR ARGS...
    local dir=$1; shift
    cmake -S . -B "$dir" -G Ninja -DPX_WERROR=ON "$@" >"$dir.configure.log" 2>&1 ||
        { cat "$dir.configure.log"; die "cmake configure of $dir failed"; }
}

if [ "${PX_SKIP_SANITIZERS:-0}" != 1 ]; then
    say "ASan+UBSan build (build/asan): every host test but the lab"
    mkdir -p build
    configure build/asan -DPX_SANITIZE=address,undefined -DCMAKE_BUILD_TYPE=Debug -DPX_LAB=OFF
    cmake --build build/asan -j "$jobs"
    # ring_long_*: more than 2^32 objects each, minutes under ASan; they run in the main build.
    (cd build/asan && ASAN_OPTIONS=detect_leaks=1 ctest -j "$jobs" -LE 'lab|perf' -E '^ring_long_' --output-on-failure) ||
        die "tests failed under AddressSanitizer (build/asan)"
    say "ThreadSanitizer build (build/tsan): the multi-lcore stress tests, px-fwd on every software PMD and mode"
    configure build/tsan -DPX_SANITIZE=thread -DCMAKE_BUILD_TYPE=Debug -DPX_LAB=OFF
    cmake --build build/tsan -j "$jobs" --target px-test px-fwd
    (cd build/tsan && TSAN_OPTIONS=halt_on_error=1 ctest -j1 -R 'stress|counter_' --output-on-failure) ||
        die "stress tests failed under ThreadSanitizer (build/tsan)"
    tests/fwd/tsan.sh build/tsan/app/fwd/px-fwd ||
        die "px-fwd under ThreadSanitizer: a data race or a failed run (tests/fwd/tsan.sh, build/tsan)"
fi

if command -v clang >/dev/null && echo 'int LLVMFuzzerTestOneInput(const char*d,unsigned long n){return 0;}' |
        clang -x c -fsanitize=fuzzer -o /dev/null - 2>/dev/null; then
    say "libFuzzer smoke (build/libfuzzer): 20 s per target"
    configure build/libfuzzer -DCMAKE_C_COMPILER=clang -DPX_FUZZ=ON -DPX_LAB=OFF -DCMAKE_BUILD_TYPE=Debug
    for dir in tests/fuzz/corpus/*/; do
        target=$(basename "$dir")
        cmake --build build/libfuzzer -j "$jobs" --target "fuzz-$target" >build/libfuzzer.build.log 2>&1 ||
            { grep -B2 -A8 -m3 -E 'error|FAILED' build/libfuzzer.build.log
              die "the clang build of fuzz-$target failed (build/libfuzzer.build.log)"; }
        corpus=$(mktemp -d)
        cp "$dir"* "$corpus/"
        echo "fuzzing $target for 20 s"
        build/libfuzzer/tests/fuzz/fuzz-"$target" -max_total_time=20 -print_final_stats=0 "$corpus" 2>&1 | tail -n 1 ||
            die "the fuzzer found a crash in $target (its reproducer is in the current directory)"
        rm -rf "$corpus"
    done
else
    warn "clang with libFuzzer not available: fuzz targets only replayed (apt-get install clang)"
fi

say "build (build/): -Wall -Wextra -Werror"
configure build
cmake --build build -j "$jobs"
say "running every test (ctest; the lab boots Debian kernels under QEMU)"
status=0
(cd build && ctest -j "$jobs" --output-on-failure) || status=$?

# The README's main job, run as a new user runs it: tools/quickstart.sh (and --lab) must exit 0
# and print rates. A step here, after ctest, not a ctest test: quickstart.sh configures and
# builds build/ itself, which must not happen while tests run from build/; here build/ is up to
# date (configured above with the same cache), so it only runs px-fwd.
quickstart() { # quickstart [--lab]; 0 ok, 77 lab not available here, 1 failed
    local log="build/quickstart${1:-}.log" rc=0 runs=2
    [ "${1:-}" = --lab ] && runs=1
    say "the README's main job: tools/quickstart.sh $* 2 (log: $log)"
    tools/quickstart.sh "$@" 2 >"$log" 2>&1 || rc=$?
    if [ $rc -eq 77 ]; then
        warn "tools/quickstart.sh $*: the lab cannot run here: $(grep -m1 'cannot set up' "$log" || tail -n 1 "$log")"
        return 77
    fi
    # per-second lines with a non-zero rate, and a summary with one per px-fwd run
    if [ $rc -ne 0 ] || ! grep -Eq '^port [0-9]+: rx +[0-9.]*[1-9][0-9.]* Mpps' "$log" ||
        [ "$(grep -Ec '^total: rx [1-9][0-9]* .*\| [0-9.]*[1-9][0-9.]* Mpps rx' "$log")" -lt $runs ]; then
        tail -n 40 "$log"
        warn "tools/quickstart.sh $* failed: exit status $rc, or no rates printed (log: $log)"
        return 1
    fi
    # as root, the kernel's ping between two namespaces through px-fwd (or the reason it could not)
    if [ -z "${1:-}" ] && ! grep -Eq '^ping: every reply came back through Pollux|showing in-memory ports only' "$log"; then
        tail -n 40 "$log"
        warn "tools/quickstart.sh: no ping through Pollux, and no reason given (log: $log)"
        return 1
    fi
    grep -E '^(total|mbufs|ping):' "$log"
}
quickstart || status=1
if [ "${PX_LAB_SKIP:-}" = 1 ]; then
    say "tools/quickstart.sh --lab: skipped (PX_LAB_SKIP=1)"
else
    rc=0
    quickstart --lab || rc=$?
    [ $rc -eq 0 ] || [ $rc -eq 77 ] || status=1
fi
exit $status
