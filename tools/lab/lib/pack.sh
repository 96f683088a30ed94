# shellcheck shell=bash
# Packing the guest: the module closures (prepared once per kernel into the
# cache) and the initramfs (packed per run, well under a second).

# Debian's kernel .deb ships no modules.dep: each module's dependencies are in
# its own .modinfo section as "depends=a,b". Read them with strings(1).
lab_mod_depends() {
    local f=$1
    case $f in
    *.ko.xz) xz -dc "$f" ;;
    *.ko.zst) zstd -dcq "$f" ;;
    *.ko.gz) gzip -dc "$f" ;;
    *) cat "$f" ;;
    esac | strings -a | sed -n 's/^depends=//p' | head -n1 | tr ',-' ' _'
}

# Append module $1 and, first, its dependencies to LAB_MOD_ORDER (post-order DFS).
lab_mod_closure() {
    local m=$1 d
    case " $LAB_MOD_ORDER " in *" $m "*) return 0 ;; esac
    if [ -z "${LAB_MOD_PATH[$m]:-}" ]; then
        if grep -q "/${m//_/[-_]}\.ko" "$LAB_MODDIR/modules.builtin" 2>/dev/null; then
            return 0 # built into the kernel
        fi
        echo "lab: note: $m is not in kernel $LAB_KVER (neither module nor built in); skipped" >&2
        return 0
    fi
    for d in $(lab_mod_depends "${LAB_MOD_PATH[$m]}"); do
        lab_mod_closure "$d"
    done
    LAB_MOD_ORDER="$LAB_MOD_ORDER $m"
}

# Copy (decompressing) the modules of LAB_MOD_ORDER into $1, and write the
# load order to $1/$2.order.
lab_mod_install() {
    local out=$1 name=$2 m f
    mkdir -p "$out"
    : >"$out/$name.order"
    for m in $LAB_MOD_ORDER; do
        f=${LAB_MOD_PATH[$m]}
        if [ ! -f "$out/$m.ko" ]; then
            case $f in
            *.ko.xz) xz -dc "$f" >"$out/$m.ko" ;;
            *.ko.zst) zstd -dcq "$f" >"$out/$m.ko" ;;
            *.ko.gz) gzip -dc "$f" >"$out/$m.ko" ;;
            *) cp "$f" "$out/$m.ko" ;;
            esac
        fi
        echo "$m" >>"$out/$name.order"
    done
}

# Prepare $LAB_CACHE/$LAB_ARCH/modroot/lib/modules-px once per kernel and
# module list: boot.order (vfio, loaded by /init) and <driver>.order for each
# kernel NIC driver (loaded by px-lab-kbind).
lab_prepare_modules() {
    local dir="$LAB_CACHE/$LAB_ARCH" key m
    # Redone when the kernel, the module lists or this script change.
    key="$LAB_KVER|$LAB_BOOT_MODULES|$LAB_NIC_MODULES|$(cksum <"$LAB_DIR/lib/pack.sh")"
    if [ -f "$dir/modroot.key" ] && [ "$(cat "$dir/modroot.key")" = "$key" ]; then
        return 0
    fi
    echo "lab: preparing $LAB_ARCH modules (once): $LAB_BOOT_MODULES; kernel NIC drivers: $LAB_NIC_MODULES" >&2
    LAB_MODDIR="$dir/$LAB_KMODDIR"
    declare -gA LAB_MOD_PATH=()
    local f n
    while IFS= read -r f; do
        n=${f##*/}
        n=${n%%.ko*}
        LAB_MOD_PATH[${n//-/_}]=$f
    done < <(find "$LAB_MODDIR/kernel" -name '*.ko' -o -name '*.ko.xz' -o -name '*.ko.zst' -o -name '*.ko.gz')

    rm -rf "$dir/modroot"
    local out="$dir/modroot/lib/modules-px"
    LAB_MOD_ORDER=
    for m in $LAB_BOOT_MODULES; do
        lab_mod_closure "$m"
    done
    lab_mod_install "$out" boot
    for m in $LAB_NIC_MODULES; do
        LAB_MOD_ORDER=
        lab_mod_closure "$m"
        # Built in: an empty order, so px-lab-kbind knows the driver is there.
        if [ -n "$LAB_MOD_ORDER" ] || grep -q "/${m//_/[-_]}\.ko" "$LAB_MODDIR/modules.builtin"; then
            lab_mod_install "$out" "$m"
        fi
    done
    echo "$key" >"$dir/modroot.key"
}

# Quote each argument for a POSIX shell (busybox sh has no $'...').
lab_sh_quote() {
    local a out=
    for a in "$@"; do
        out="$out '${a//\'/\'\\\'\'}'"
    done
    printf '%s\n' "${out# }"
}

# Pack the initramfs $1 for build dir $2 (may be empty) and guest command ${@:3}.
lab_pack_initramfs() {
    local initrd=$1 bdir=$2
    shift 2
    local dir="$LAB_CACHE/$LAB_ARCH" root b n
    root=$(mktemp -d "${TMPDIR:-/tmp}/pollux-lab-root.XXXXXX")
    mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,usr/local/bin,dev,proc,sys,tmp,run,etc,lib,px}
    cp "$dir/busybox" "$root/bin/busybox"
    cp "$dir/hello-vfio" "$dir/px-lab-udp" "$root/usr/bin/"
    [ "$LAB_ARCH" != ppc64le ] || cp "$dir/px-lab-drmgr" "$root/usr/bin/"
    ln -s busybox "$root/bin/sh"
    cp -r "$dir/modroot/lib/modules-px" "$root/lib/"
    cp "$LAB_DIR/guest/init" "$root/init"
    cp "$LAB_DIR/guest/px-lab-kbind" "$LAB_DIR/guest/px-lab-smoke" "$LAB_DIR/guest/px-lab-monitor" \
        "$root/usr/bin/"
    chmod 755 "$root/init" "$root/usr/bin/px-lab-kbind" "$root/usr/bin/px-lab-smoke" \
        "$root/usr/bin/px-lab-monitor"

    # Pollux binaries of the build dir, flat in /usr/local/bin (on PATH).
    if [ -n "$bdir" ]; then
        for b in tests/unit/px-test app/fwd/px-fwd app/devbind/px-devbind \
            app/hugepages/px-hugepages app/dumpcap/px-dumpcap; do
            [ -x "$bdir/$b" ] && cp "$bdir/$b" "$root/usr/local/bin/"
        done
        if [ -d "$bdir/examples" ]; then
            find "$bdir/examples" -maxdepth 2 -type f -perm -u+x ! -name '*.so*' \
                -exec cp {} "$root/usr/local/bin/" \;
        fi
    fi
    # run.sh --add FILE: programs built outside the build dir (DPDK's examples, for one).
    for b in "${LAB_ADD_FILES[@]}"; do
        cp "$b" "$root/usr/local/bin/" || return 1
    done
    {
        echo "PX_LAB_ARCH=$LAB_ARCH"
        echo "PX_LAB_KERNEL=$LAB_KVER"
        echo "PX_LAB_NICS=$LAB_NICS"
    } >"$root/px/env"
    # One argument is a shell script (like ssh HOST 'CMD'); several are an argv.
    if [ $# -eq 1 ]; then
        printf '%s\n' "$1" >"$root/px/cmd"
    else
        lab_sh_quote "$@" >"$root/px/cmd"
    fi

    (cd "$root" && find . -print0 | LC_ALL=C sort -z |
        cpio --null -o -H newc --owner=0:0 --quiet | gzip -1) >"$initrd"
    rm -rf "$root"
}
