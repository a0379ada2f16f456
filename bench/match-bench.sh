#!/bin/bash
# match-bench.sh [BOSUN]: matching speed against the full database built
# from ../shared/vulndata. Prints figures; asserts nothing (timings depend
# on the machine).
#
# Scenarios (package lists made from the data itself, so they name packages
# the feeds know):
#   alma9-old     1000 AlmaLinux 9 binary rpms named in the AlmaLinux OSV data,
#                 each at version 0-0: every advisory for the package applies
#                 (the worst case: every row is evaluated and reported)
#   alma9-patched the same 1000 at 99:999-999: every row is evaluated, none applies
#   debian12-big  the 248 dpkg packages of the `big` test image, as installed
#                 (skipped when /var/tmp/bosun-images is absent)
# plus the whole `bosun image` run on the big image, for scale.
set -eu
cd "$(dirname "$0")/.."
BOSUN=${1:-build/bosun}
SHARED=${BOSUN_SHARED:-$(cd .. && pwd)/shared}
IMAGES=${BOSUN_IMAGES:-/var/tmp/bosun-images}
DRIVER=build/match-bench

make -s build/libbosun.a "$BOSUN"
PKG="libisal libzstd sqlite3 jansson libcrypto yaml-0.1"
# shellcheck disable=SC2046
cc -std=c11 -D_GNU_SOURCE -O2 -Isrc $(pkg-config --cflags $PKG) -pthread -o "$DRIVER" bench/match_bench.c \
	build/libbosun.a $(pkg-config --libs $PKG) -lm

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

t0=$(date +%s.%N)
"$BOSUN" db build -q --from "$SHARED/vulndata" --db "$work/full.db"
t1=$(date +%s.%N)
printf 'database: built from %s in %.1f s, %s\n' "$SHARED/vulndata" "$(echo "$t1 - $t0" | bc)" \
	"$(du -h "$work/full.db" | cut -f1)"

# 1000 distinct package names from the AlmaLinux 9 advisories, in a stable order.
/usr/bin/python3 - "$SHARED/vulndata/almalinux-osv/advisories/almalinux9" "$work" <<'PY'
import glob, hashlib, json, os, sys
names = set()
for f in glob.glob(os.path.join(sys.argv[1], "*.json")):
    for a in json.load(open(f)).get("affected", []):
        names.add(a["package"]["name"])
pick = sorted(names, key=lambda n: hashlib.sha1(n.encode()).hexdigest())[:1000]
for label, ver in (("old", "0-0"), ("patched", "99:999-999")):
    with open(os.path.join(sys.argv[2], "alma9-%s.tsv" % label), "w") as out:
        for n in pick:
            out.write("%s\t%s\n" % (n, ver))
PY

run() { # LABEL OS VERSION TYPE LIST
	local label=$1; shift
	"$DRIVER" "$work/full.db" "$@" 20 > "$work/$label.out"
	awk -v l="$label" '{v[$1]=$2} END {
		printf "%-14s %5d packages %6d findings  match: cold %7.2f ms, warm median %7.2f ms  lookups: %8.0f/s (%d rows seen)\n",
			l, v["packages"], v["findings"], v["cold_ms"], v["warm_median_ms"], v["lookups_per_second"], v["lookup_rows"] }' "$work/$label.out"
}
run alma9-old almalinux 9.4 rpm "$work/alma9-old.tsv"
run alma9-patched almalinux 9.4 rpm "$work/alma9-patched.tsv"
if [ -f "$IMAGES/truth/big/dpkg.tsv" ]; then
	awk -F'\t' '{print $1 "\t" $2 "\t" $4 "\t" $5}' "$IMAGES/truth/big/dpkg.tsv" > "$work/big.tsv"
	run debian12-big debian 12 deb "$work/big.tsv"
	t0=$(date +%s.%N)
	"$BOSUN" image -q --db "$work/full.db" -o /dev/null "$IMAGES/docker/big.tar"
	t1=$(date +%s.%N)
	printf 'bosun image big.tar (scan + match + report): %.2f s\n' "$(echo "$t1 - $t0" | bc)"
fi
