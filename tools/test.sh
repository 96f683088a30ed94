#!/usr/bin/env bash
# tools/test.sh — build Pollux and run every test.
#
# Installs what is missing (Debian packages), reserves hugepages when run as root, builds into
# build/ (and build/asan, build/tsan for the sanitizer runs), runs the libFuzzer smoke when clang
# has libFuzzer, then runs every test with ctest — the host tests and the lab (Debian kernels
# under QEMU with a virtual IOMMU) — and ends with ctest's summary. Exit status: ctest's.
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
    (cd build/asan && ASAN_OPTIONS=detect_leaks=1 ctest -j "$jobs" -LE 'lab|perf' --output-on-failure) ||
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
    for dir in fuzz/corpus/*/; do
        target=$(basename "$dir")
        cmake --build build/libfuzzer -j "$jobs" --target "fuzz-$target" >/dev/null
        corpus=$(mktemp -d)
        cp "$dir"* "$corpus/"
        echo "fuzzing $target for 20 s"
        build/libfuzzer/fuzz/fuzz-"$target" -max_total_time=20 -print_final_stats=0 "$corpus" 2>&1 | tail -n 1 ||
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
cd build
ctest -j "$jobs" --output-on-failure
