#!/bin/sh
# Builds the Debian package with cpack into a scratch directory, installs it into a
# scratch root with `dpkg --root -i` (maintainer scripts run chrootless with DPKG_ROOT
# set, so they act on the scratch root only), checks where every file lands, the
# conffile marking, the control fields and what postinst created, then purges it. The
# same for the second package the same cpack makes, motcua-central (the province's service).
# usage: check_package.sh BUILD_DIR VERSION UNIT_DIR "PROGRAMS" HAS_CONFIG(0|1) \
#            [HAS_CENTRAL_CONFIG(0|1) "CENTRAL_PROGRAMS"]
set -eu

build=$1
version=$2
unit_dir=$3
programs=$4
has_config=$5
has_central_config=${6:-0}
central_programs=${7:-}

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
failures=0
fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# --- build ------------------------------------------------------------------------------
cpack --config "$build/CPackConfig.cmake" -G DEB -B "$scratch/out" >"$scratch/cpack.log" 2>&1 || {
    cat "$scratch/cpack.log" >&2
    exit 1
}
arch=$(dpkg --print-architecture)
deb="$scratch/out/motcua_${version}_${arch}.deb" # DEB-DEFAULT file name
if [ ! -f "$deb" ]; then
    echo "expected $deb; cpack made:" >&2
    ls -l "$scratch/out" >&2
    exit 1
fi
echo "built $(basename "$deb") ($(stat -c %s "$deb") bytes)"
central_deb="$scratch/out/motcua-central_${version}_${arch}.deb"
if [ ! -f "$central_deb" ]; then
    echo "expected $central_deb; cpack made:" >&2
    ls -l "$scratch/out" >&2
    exit 1
fi
echo "built $(basename "$central_deb") ($(stat -c %s "$central_deb") bytes)"

# --- install into a scratch root --------------------------------------------------------
root="$scratch/root"
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates"
touch "$root/var/lib/dpkg/status" "$root/var/lib/dpkg/available"
dpkg_root() {
    dpkg --root="$root" --log=/dev/null --force-not-root --force-depends --force-bad-path \
        --force-script-chrootless "$@" >>"$scratch/dpkg.log" 2>&1 || {
        cat "$scratch/dpkg.log" >&2
        exit 1
    }
}
dpkg_root --install "$deb"

must_file() { [ -f "$root$1" ] || fail "missing $1"; }
must_exec() { [ -f "$root$1" ] && [ -x "$root$1" ] || fail "missing or not executable $1"; }

for program in $programs; do
    must_exec "/usr/bin/$program"
done
must_file "$unit_dir/motcuad.service"
must_file /usr/lib/udev/rules.d/60-motcua.rules
must_file /usr/lib/sysusers.d/motcua.conf
must_file /usr/lib/tmpfiles.d/motcua.conf
must_file /usr/share/doc/motcua/examples/network-printer.conf
must_file /usr/share/doc/motcua/examples/web.conf
must_file /usr/share/motcua/web/board.html
must_file /usr/share/motcua/web/board.js
must_file /usr/share/motcua/web/board.css
for f in index.html index.js console.js console.css; do
    must_file "/usr/share/motcua/web/console/$f"
done
[ -n "$(ls "$root"/usr/share/motcua/calendar/*.toml 2>/dev/null)" ] ||
    fail "no calendars in /usr/share/motcua/calendar"
[ -n "$(ls "$root"/usr/share/motcua/devices/*.toml 2>/dev/null)" ] ||
    fail "no device profiles in /usr/share/motcua/devices"
for doc in installing.md operations.md architecture.md; do
    must_file "/usr/share/doc/motcua/$doc"
done

# The unit starts what the package installs.
exec_start=$(sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' "$root$unit_dir/motcuad.service")
case " $programs " in
*" motcuad "*) must_exec "$exec_start" ;;
esac

# The GNUInstallDirs pitfall and stray prefixes.
for wrong in /usr/etc /usr/local /etc/etc; do
    [ ! -e "$root$wrong" ] || fail "files under $wrong"
done

# Everything belongs to root in the archive.
if dpkg-deb -c "$deb" | awk '$2 != "root/root" { bad = 1; print } END { exit bad }' >&2; then
    :
else
    fail "files not owned by root/root"
fi

# --- conffile and control fields --------------------------------------------------------
status=$(dpkg --root="$root" --status motcua)
echo "$status" | grep -q "^Version: $version\$" || fail "installed version is not $version"
if [ "$has_config" = 1 ]; then
    must_file /etc/motcua/motcua.toml
    echo "$status" | grep -q '^ /etc/motcua/motcua.toml [0-9a-f]\{32\}' ||
        fail "/etc/motcua/motcua.toml is not a conffile"
fi
control=$(dpkg-deb --field "$deb")
echo "$control" | grep -q '^Depends:.*libc6' || fail "no shlibs dependencies (SHLIBDEPS)"
echo "$control" | grep -q '^Depends:.*fonts-dejavu-core' || fail "no fonts-dejavu-core dependency"
echo "$control" | grep -q '^Package: motcua$' || fail "the box's package is not named motcua"
echo "$control" | grep -q '^Description: Queue tickets, counter displays and the dossier register for one-stop offices$' ||
    fail "the box's package lost its synopsis line"
# The two packages share no file: the central's are not in the box's package.
if dpkg-deb -c "$deb" | grep -q 'motcua-central'; then
    fail "the motcua package holds motcua-central files"
fi
dpkg-deb -e "$deb" "$scratch/control"
for script in postinst prerm postrm; do
    [ -x "$scratch/control/$script" ] || fail "no executable $script"
    sh -n "$scratch/control/$script" || fail "$script is not valid sh"
done
grep -q systemd-sysusers "$scratch/control/postinst" || fail "postinst does not run systemd-sysusers"

# What postinst made in the scratch root (systemd-sysusers / systemd-tmpfiles --root).
grep -q '^motcua:' "$root/etc/passwd" 2>/dev/null || fail "postinst did not create the user motcua"
grep -q '^motcua-dev:.*:motcua$' "$root/etc/group" 2>/dev/null ||
    fail "postinst did not create the group motcua-dev with member motcua"
[ -d "$root/var/lib/motcua" ] || fail "postinst did not create /var/lib/motcua"

echo "installed files:"
(cd "$root" && find . -path ./var/lib/dpkg -prune -o -type f -print | sort)
# Purge: dpkg removes the conffile; the register directory stays.
mkdir -p "$root/var/lib/motcua" && touch "$root/var/lib/motcua/motcua.db"
dpkg_root --purge motcua
[ ! -e "$root/etc/motcua/motcua.toml" ] || fail "purge left /etc/motcua/motcua.toml"
[ ! -e "$root/usr/bin/motcuad" ] || fail "purge left /usr/bin/motcuad"
[ -f "$root/var/lib/motcua/motcua.db" ] || fail "purge removed the register"

# --- the second package: motcua-central -------------------------------------------------
dpkg_root --install "$central_deb"
for program in $central_programs; do
    must_exec "/usr/bin/$program"
done
must_file "$unit_dir/motcua-central.service"
must_file /usr/lib/sysusers.d/motcua-central.conf
must_file /usr/lib/tmpfiles.d/motcua-central.conf
must_file /usr/share/doc/motcua-central/central.md
grep -q '^ExecStart=/usr/bin/motcua-central serve --config /etc/motcua/central.toml$' \
    "$root$unit_dir/motcua-central.service" || fail "motcua-central.service does not start /usr/bin/motcua-central serve"
if [ "$has_central_config" = 1 ]; then
    must_file /etc/motcua/central.toml
    dpkg --root="$root" --status motcua-central | grep -q '^ /etc/motcua/central.toml [0-9a-f]\{32\}' ||
        fail "/etc/motcua/central.toml is not a conffile"
fi
if dpkg-deb -c "$central_deb" | grep -q -e 'motcuad' -e 'motcua-sim' -e 'bin/motcuactl'; then
    fail "the motcua-central package holds the box's files"
fi
if dpkg-deb -c "$central_deb" | awk '$2 != "root/root" { bad = 1; print } END { exit bad }' >&2; then
    :
else
    fail "motcua-central files not owned by root/root"
fi
central_control=$(dpkg-deb --field "$central_deb")
echo "$central_control" | grep -q '^Package: motcua-central$' || fail "the central's package is not named motcua-central"
echo "$central_control" | grep -q "^Version: $version\$" || fail "motcua-central's version is not $version"
echo "$central_control" | grep -q '^Depends:.*systemd' || fail "motcua-central does not depend on systemd"
if [ -n "$central_programs" ]; then
    echo "$central_control" | grep -q '^Depends:.*libc6' || fail "motcua-central has no shlibs dependencies"
fi
echo "$central_control" | grep -q "^Description: The province's central service" ||
    fail "motcua-central has not its own synopsis line"
dpkg-deb -e "$central_deb" "$scratch/central-control"
for script in postinst prerm postrm; do
    [ -x "$scratch/central-control/$script" ] || fail "motcua-central: no executable $script"
    sh -n "$scratch/central-control/$script" || fail "motcua-central: $script is not valid sh"
done
grep -q '^motcua-central:' "$root/etc/passwd" 2>/dev/null || fail "postinst did not create the user motcua-central"
[ -d "$root/var/lib/motcua-central" ] || fail "postinst did not create /var/lib/motcua-central"
echo "motcua-central files:"
dpkg-deb -c "$central_deb" | awk '{ print $6 }' | grep -v '/$' | sort
# Purge: the province's CA stays (every box's certificate depends on it).
mkdir -p "$root/var/lib/motcua-central/ca" && touch "$root/var/lib/motcua-central/ca/ca.key"
dpkg_root --purge motcua-central
[ ! -e "$root$unit_dir/motcua-central.service" ] || fail "purge left motcua-central.service"
[ -f "$root/var/lib/motcua-central/ca/ca.key" ] || fail "purge removed the province's CA"

if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed" >&2
    exit 1
fi
echo "ok"
