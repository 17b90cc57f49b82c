#!/bin/sh
# Measures a unit with `systemd-analyze security --offline=true` and fails when its
# overall exposure exceeds a limit (on systemd's 0.0-10.0 scale; --threshold would take
# the same limit times 10). With a drop-in, measures unit + drop-in together and checks
# that the drop-in was applied (the exposure must differ from the unit alone).
# With --expect-reject, succeeds only if the exposure was measured and is above MAX
# (to show the gate can fail).
# usage: check_security.sh [--expect-reject] UNIT_FILE MAX [DROPIN_FILE]
set -eu

expect=accept
if [ "$1" = "--expect-reject" ]; then
    expect=reject
    shift
fi

unit=$1
max=$2
dropin=${3:-}
name=$(basename "$unit")

# The unit is measured inside a scratch root (--root), so drop-ins installed on this
# machine (/etc/systemd/system/motcuad.service.d/) cannot change the result.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
units="$scratch/root/etc/systemd/system"
mkdir -p "$units"
cp "$unit" "$units/$name"

exposure() {
    # "→ Overall exposure level for motcuad.service: 0.6 SAFE 😀"
    systemd-analyze security --no-pager --offline=true --root="$scratch/root" "$name" 2>&1 |
        tee "$scratch/report.txt" |
        sed -n 's/.*Overall exposure level for [^:]*: \([0-9][0-9.]*\).*/\1/p'
}

base=$(exposure)
if [ -z "$base" ]; then
    echo "no 'Overall exposure level' line from systemd-analyze:" >&2
    cat "$scratch/report.txt" >&2
    exit 1
fi
measured=$base
echo "exposure $name: $base"

if [ -n "$dropin" ]; then
    mkdir "$units/$name.d"
    cp "$dropin" "$units/$name.d/"
    measured=$(exposure)
    echo "exposure $name + $(basename "$dropin"): $measured"
    if [ "$measured" = "$base" ]; then
        echo "the drop-in did not change the exposure: was it applied?" >&2
        exit 1
    fi
fi

# Show what costs exposure, for whoever reads the test log.
grep '✗' "$scratch/report.txt" || true

# systemd's own gate agrees: --threshold is on a 0-100 scale and fails above it.
threshold=$(awk -v x="$max" 'BEGIN { printf "%d", x * 10 + 0.5 }')
if [ -z "$dropin" ]; then
    if systemd-analyze security --no-pager --offline=true --root="$scratch/root" \
            --threshold="$threshold" "$name" >/dev/null 2>&1; then
        threshold_ok=yes
    else
        threshold_ok=no
    fi
    echo "systemd-analyze --threshold=$threshold accepts it: $threshold_ok"
fi

if awk -v m="$measured" -v x="$max" 'BEGIN { exit !(m + 0 <= x + 0) }'; then
    verdict=accept
    echo "$measured <= $max: accepted"
else
    verdict=reject
    echo "exposure $measured is above the limit $max: rejected"
fi
if [ "$verdict" != "$expect" ]; then
    echo "expected the gate to $expect this unit" >&2
    exit 1
fi
echo ok
