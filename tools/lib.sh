# Shared by tools/*.sh: messages and installing Debian packages only when missing.
# shellcheck shell=bash

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

PX_APT_UPDATED=${PX_APT_UPDATED:-0}

# px_need_pkgs PKG...: install the packages that are not installed yet.
px_need_pkgs() {
    local missing=() p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        die "missing packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})"
    fi
    say "installing ${missing[*]}"
    if [ "$PX_APT_UPDATED" = 0 ]; then
        # One index (often a foreign architecture's) may fail to download: warn, then see whether
        # what we need is installable anyway.
        apt-get update -qq || warn "apt-get update reported errors; trying to install anyway"
        PX_APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
        >/dev/null || die "could not install ${missing[*]}"
}

# px_reserve_hugepages N: make sure at least N free 2 MiB hugepages exist (root only).
px_reserve_hugepages() {
    local want=$1 nr free f=/sys/kernel/mm/hugepages/hugepages-2048kB
    if [ ! -d $f ]; then
        warn "this kernel has no 2 MiB hugepages; hugepage tests will be skipped"
        return 0
    fi
    free=$(cat $f/free_hugepages)
    if [ "$free" -ge "$want" ]; then
        say "hugepages: $free free 2 MiB pages (need $want)"
        return 0
    fi
    if [ "$(id -u)" -ne 0 ]; then
        warn "only $free free 2 MiB hugepages and not root: hugepage tests will be skipped (as root: echo $want > /proc/sys/vm/nr_hugepages)"
        return 0
    fi
    nr=$(cat $f/nr_hugepages)
    echo $((nr + want - free)) > $f/nr_hugepages
    say "hugepages: reserved $(cat $f/free_hugepages) free 2 MiB pages (echo N > /proc/sys/vm/nr_hugepages)"
}

PX_BASE_PKGS=(cmake ninja-build gcc libc6-dev pkg-config libnuma-dev python3 clang valgrind
              libpcap-dev tcpdump # net_pcap, and its test reading back what it wrote
              libxdp-dev libbpf-dev # net_af_xdp
              dpdk-dev # DPDK 22.11 as a peer and twin: dpdk-testpmd, libdpdk-dev
              libedit-dev # px-fwd -i: line editing and history
              tshark wireshark-common # px-dumpcap's tests read its pcapng files (tshark -r, capinfos)
              dpdk-doc) # DPDK's example sources, built unchanged against compat/dpdk
