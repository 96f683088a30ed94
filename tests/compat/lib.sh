# shellcheck shell=bash
# Helpers of the tests that build DPDK's own examples against Pollux (examples.sh on the host,
# lab_example.sh in the lab).
#
#   compat_copy_untouched EX DIR  copy dpdk-doc's /usr/share/dpdk/examples/EX to DIR/EX and prove
#                                 it untouched (every file listed in the package's md5sums, with
#                                 the package's sum); exit 77 without dpdk-doc, 1 when it differs

compat_copy_untouched() {
    local ex=$1 dir=$2
    local src=/usr/share/dpdk/examples/$ex sums=/var/lib/dpkg/info/dpdk-doc.md5sums
    [ -f "$src/Makefile" ] && [ -f "$sums" ] ||
        { echo "SKIP: $src is missing: apt-get install dpdk-doc (tools/lib.sh installs it)"; exit 77; }
    cp -r "$src" "$dir/$ex"
    sed -n "s|^\([0-9a-f]*\)  usr/share/dpdk/examples/\($ex/.*\)|\1  \2|p" "$sums" >"$dir/$ex.md5"
    (cd "$dir" && md5sum --check --quiet "$ex.md5") ||
        { echo "FAIL: $ex differs from dpdk-doc's files"; exit 1; }
    [ "$(cd "$dir" && find "$ex" -type f | wc -l)" = "$(wc -l <"$dir/$ex.md5")" ] ||
        { echo "FAIL: $ex has files dpdk-doc does not list"; exit 1; }
    echo "ok: $ex copied untouched ($(wc -l <"$dir/$ex.md5") files match dpdk-doc's md5sums)"
}
