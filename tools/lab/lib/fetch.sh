# shellcheck shell=bash
# Fetching for the lab: host packages (apt, only when missing), and, once per
# architecture, Debian's kernel, its modules and a static busybox, unpacked
# into the cache ($LAB_CACHE). Nothing here is installed on the host except
# the host packages; kernels are only downloaded and unpacked.
# Failures that mean "the lab cannot be set up here" exit 77 (skipped).

LAB_APT_UPDATED=

lab_skip() {
    echo "lab: cannot set up the lab: $*" >&2
    echo "lab: skipping (exit 77)" >&2
    exit 77
}

lab_pkg_installed() {
    dpkg-query -W -f='${Status}\n' "$1" 2>/dev/null | grep -q '^install ok installed$'
}

# apt-get update, at most once per run. One failing foreign index makes it
# exit non-zero; that is not fatal, the caller checks what it needs instead.
lab_apt_update_once() {
    [ -z "$LAB_APT_UPDATED" ] || return 0
    LAB_APT_UPDATED=1
    echo "lab: apt-get update (once; something the lab needs is missing)" >&2
    if ! apt-get update -qq >&2; then
        echo "lab: warning: apt-get update reported errors; checking what is still installable" >&2
    fi
}

lab_pkg_installable() {
    local cand
    cand=$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ { print $2 }')
    [ -n "$cand" ] && [ "$cand" != "(none)" ]
}

# Install the host packages this architecture needs, if any are missing.
lab_ensure_host_packages() {
    local pkgs="$LAB_QEMU_PKG $LAB_CC_PKGS cpio gzip xz-utils binutils util-linux cmake ninja-build"
    local p missing=() unavailable=()
    for p in $pkgs; do
        lab_pkg_installed "$p" || missing+=("$p")
    done
    [ ${#missing[@]} -gt 0 ] || return 0
    [ "$(id -u)" -eq 0 ] || lab_skip "missing host packages (${missing[*]}); run as root or: apt-get install ${missing[*]}"
    command -v apt-get >/dev/null || lab_skip "no apt-get to install ${missing[*]}"
    for p in "${missing[@]}"; do
        lab_pkg_installable "$p" || { lab_apt_update_once; break; }
    done
    for p in "${missing[@]}"; do
        lab_pkg_installable "$p" || unavailable+=("$p")
    done
    [ ${#unavailable[@]} -eq 0 ] || lab_skip "host packages not installable: ${unavailable[*]}"
    echo "lab: installing host packages: ${missing[*]}" >&2
    local out
    if ! out=$(DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        "${missing[@]}" 2>&1); then
        printf '%s\n' "$out" | tail -n 20 >&2
        lab_skip "apt-get install ${missing[*]} failed"
    fi
}

# dpkg must know a foreign architecture before apt can download its packages.
# Its indices come with the next (single) apt-get update of this run: call
# this before anything else may update.
LAB_APT_STALE=
lab_ensure_foreign_arch() {
    local a=$1
    [ "$a" = "$(dpkg --print-architecture)" ] && return 0
    dpkg --print-foreign-architectures | grep -qx "$a" && return 0
    [ "$(id -u)" -eq 0 ] || lab_skip "dpkg does not know architecture $a; run once as root or: dpkg --add-architecture $a"
    echo "lab: dpkg --add-architecture $a" >&2
    dpkg --add-architecture "$a"
    LAB_APT_STALE=1
}

# Print "URI KEYRING" of the system's own Debian entry for suite $1, from
# /etc/apt/sources.list (one-line format) or sources.list.d/*.sources (deb822).
# The mirror is never named in the repository: it is always copied from here.
lab_system_debian_uri() {
    local suite=$1 f
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -r "$f" ] || continue
        awk -v s="$suite" '
            $1 == "deb" {
                key = ""; i = 2
                if ($2 ~ /^\[/) {
                    for (; i <= NF; i++) {
                        if ($i ~ /signed-by=/) { key = $i; sub(/.*signed-by=/, "", key); sub(/\]$/, "", key) }
                        if ($i ~ /\]$/) { i++; break }
                    }
                }
                if ($(i + 1) == s) { print $i, (key == "" ? "-" : key); exit }
            }' "$f"
    done | head -n1 | grep . && return 0
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -r "$f" ] || continue
        awk -v s="$suite" '
            function flush() {
                if (deb && hit && uri != "") print uri, (key == "" ? "-" : key)
                deb = 0; hit = 0; uri = ""; key = ""
            }
            /^[ \t]*$/ { flush(); next }
            /^Types:/ { for (i = 2; i <= NF; i++) if ($i == "deb") deb = 1 }
            /^URIs:/ { uri = $2 }
            /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == s) hit = 1 }
            /^Signed-By:/ { key = $2 }
            END { flush() }' "$f"
    done | head -n1 | grep .
}

# Run apt-get/apt-cache against only the backports suite of the system's
# Debian mirror, with private lists and caches under $LAB_BP_DIR, so the
# system's apt state is untouched. Sets LAB_BP_OPTS.
lab_backports_setup() {
    local codename uri key
    codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
    [ -n "$codename" ] || lab_skip "cannot tell the Debian release (no VERSION_CODENAME in /etc/os-release)"
    read -r uri key < <(lab_system_debian_uri "$codename") ||
        lab_skip "no Debian '$codename' entry in the system's apt sources to copy for $codename-backports"
    LAB_BP_DIR=$(mktemp -d "${TMPDIR:-/tmp}/pollux-lab-apt.XXXXXX")
    mkdir -p "$LAB_BP_DIR/lists/partial" "$LAB_BP_DIR/cache/archives/partial"
    local opt="arch=$LAB_DEBARCH"
    [ "$key" = - ] || opt="$opt signed-by=$key"
    echo "deb [$opt] $uri $codename-backports main" >"$LAB_BP_DIR/sources.list"
    LAB_BP_OPTS=(-o "Dir::Etc::sourcelist=$LAB_BP_DIR/sources.list" -o Dir::Etc::sourceparts=-
        -o "Dir::State::Lists=$LAB_BP_DIR/lists" -o "Dir::Cache=$LAB_BP_DIR/cache"
        -o "APT::Architectures::=$LAB_DEBARCH" -o APT::Sandbox::User=root)
    echo "lab: apt-get update for $codename-backports ($LAB_DEBARCH) in a private state dir" >&2
    apt-get "${LAB_BP_OPTS[@]}" update -qq >&2 ||
        echo "lab: warning: apt-get update for $codename-backports reported errors" >&2
}

# Also called at exit (run.sh's trap), so a skipped fetch leaves nothing behind.
lab_backports_cleanup() {
    [ -z "${LAB_BP_DIR:-}" ] || rm -rf "$LAB_BP_DIR"
    LAB_BP_DIR=
    LAB_BP_OPTS=()
}

# Print the kernel package the meta package depends on ("linux-image-6.1.0-NN-arm64").
lab_kernel_package() {
    apt-cache "$@" depends "$LAB_KMETA:$LAB_DEBARCH" 2>/dev/null |
        awk '/Depends: linux-image-/ { sub(/:.*/, "", $2); print $2; exit }' || true
}

# Download package $2 (with apt options ${@:3}) into directory $1 and unpack it there.
lab_download_unpack() {
    local dir=$1 pkg=$2
    shift 2
    local tmp
    tmp=$(mktemp -d "$LAB_CACHE/.dl.XXXXXX")
    (cd "$tmp" && apt-get "$@" -o APT::Sandbox::User=root download -qq "$pkg" >&2) || {
        rm -rf "$tmp"
        lab_skip "apt-get download $pkg failed (no network to the package mirror?)"
    }
    mkdir -p "$dir"
    dpkg-deb -x "$tmp"/*.deb "$dir"
    rm -rf "$tmp"
}

# Fetch kernel + modules + busybox for $LAB_ARCH into $LAB_CACHE/$LAB_ARCH, once.
# Caller holds the cache lock.
lab_fetch_guest() {
    local dir="$LAB_CACHE/$LAB_ARCH"
    if [ -f "$dir/fetched" ]; then
        return 0
    fi
    command -v apt-get >/dev/null || lab_skip "no apt-get to fetch the $LAB_ARCH kernel"
    lab_ensure_foreign_arch "$LAB_DEBARCH"
    [ -z "$LAB_APT_STALE" ] || lab_apt_update_once
    rm -rf "$dir"
    mkdir -p "$dir"

    local kpkg
    if [ -n "$LAB_KSUITE" ]; then
        lab_backports_setup
        kpkg=$(lab_kernel_package "${LAB_BP_OPTS[@]}")
        [ -n "$kpkg" ] || lab_skip "no $LAB_KMETA:$LAB_DEBARCH in $LAB_KSUITE (no network to the package mirror?)"
        echo "lab: downloading $kpkg for $LAB_DEBARCH from backports (once, cached in $dir)" >&2
        lab_download_unpack "$dir/kernel" "$kpkg:$LAB_DEBARCH" "${LAB_BP_OPTS[@]}"
        lab_backports_cleanup
    else
        kpkg=$(lab_kernel_package)
        if [ -z "$kpkg" ]; then
            lab_apt_update_once
            kpkg=$(lab_kernel_package)
        fi
        [ -n "$kpkg" ] || lab_skip "apt knows no $LAB_KMETA:$LAB_DEBARCH"
        echo "lab: downloading $kpkg for $LAB_DEBARCH (once, cached in $dir)" >&2
        lab_download_unpack "$dir/kernel" "$kpkg:$LAB_DEBARCH"
    fi

    echo "lab: downloading busybox-static for $LAB_DEBARCH (once, cached in $dir)" >&2
    lab_pkg_installable "busybox-static:$LAB_DEBARCH" || lab_apt_update_once
    lab_download_unpack "$dir/busybox-deb" "busybox-static:$LAB_DEBARCH"
    cp "$dir/busybox-deb/bin/busybox" "$dir/busybox"
    rm -rf "$dir/busybox-deb"

    # Debian kernels put the image in /boot and the modules in (/usr)/lib/modules/VER.
    local kimg moddir
    kimg=$(find "$dir/kernel/boot" -maxdepth 1 -name "$LAB_KFILE-*" | head -n1)
    moddir=$(find "$dir/kernel" -mindepth 3 -maxdepth 4 -type d -path '*/lib/modules/*' | head -n1)
    if [ -z "$kimg" ] || [ -z "$moddir" ]; then
        lab_skip "unexpected layout of $kpkg (no $LAB_KFILE or modules)"
    fi
    {
        echo "LAB_KPKG=$kpkg"
        echo "LAB_KIMAGE=${kimg#"$dir/"}"
        echo "LAB_KMODDIR=${moddir#"$dir/"}"
        echo "LAB_KVER=${moddir##*/}"
    } >"$dir/fetched"
    echo "lab: $LAB_ARCH guest ready: $kpkg, ${moddir##*/}" >&2
}

# x86_64: boot the uncompressed vmlinux through its PVH entry point (QEMU's
# pvh.bin) instead of the bzImage through SeaBIOS: ~3 s less per boot under
# TCG, all of it firmware and decompression. Extracted once into the cache;
# without a PVH note (XEN_ELFNOTE_PHYS32_ENTRY, 0x12) the bzImage is used.
# Sets LAB_KBOOT to the image to pass to -kernel (relative to the arch dir).
lab_prepare_kernel() {
    local dir="$LAB_CACHE/$LAB_ARCH" off magic dec
    LAB_KBOOT=$LAB_KIMAGE
    [ "$LAB_ARCH" = x86_64 ] || return 0
    if [ ! -f "$dir/pvh.tried" ]; then
        echo "lab: extracting vmlinux from $LAB_KIMAGE for PVH boot (once)" >&2
        rm -f "$dir/vmlinux-pvh"
        for magic in '\xfd\x37\x7a\x58\x5a\x00:xz -dc' '\x28\xb5\x2f\xfd:zstd -dcq' \
            '\x1f\x8b\x08:gzip -dc'; do
            dec=${magic#*:}
            for off in $(LC_ALL=C grep -obUaP "${magic%%:*}" "$dir/$LAB_KIMAGE" | cut -d: -f1); do
                # Trailing data after the stream makes the decompressors complain.
                tail -c +$((off + 1)) "$dir/$LAB_KIMAGE" | $dec >"$dir/vmlinux.tmp" 2>/dev/null || true
                if readelf -n "$dir/vmlinux.tmp" 2>/dev/null | grep -q '(0x00000012)'; then
                    mv "$dir/vmlinux.tmp" "$dir/vmlinux-pvh"
                    break 2
                fi
            done
        done
        rm -f "$dir/vmlinux.tmp"
        [ -f "$dir/vmlinux-pvh" ] || echo "lab: note: no PVH entry in $LAB_KIMAGE; booting the bzImage" >&2
        touch "$dir/pvh.tried"
    fi
    # shellcheck disable=SC2034 # used by run.sh
    [ ! -f "$dir/vmlinux-pvh" ] || LAB_KBOOT=vmlinux-pvh
}
