#!/bin/bash
# bosun db build / db info on the real feeds in ../shared/vulndata: one feed,
# every feed (time and size reported; the target is under 60 s), the default
# path, and atomicity: a failed build leaves the previous database intact.
. ./lib.sh
VD=$BOSUN_SHARED/vulndata
[ -d "$VD" ] || { echo "missing $VD"; exit 1; }
DB=$TMP/db.sqlite

# one feed
expect_exit 0 "db build from go-vulndb" -- db build --from "$VD/go-vulndb" --db "$DB"
check "build summary names the database and counts" grep -q "built $DB: 1 sources, 4274 vulnerabilities, 6106 affected packages" "$TMP/stdout"
expect_exit 0 "db info" -- db info --db "$DB"
check "info: schema version" grep -q "^schema:   2$" "$TMP/stdout"
check "info: go source with counts and license" grep -Eq "^  osv:go-vulndb +[0-9]{4}-[0-9]{2}-[0-9]{2} +[0-9]+ days +4274 +6106  CC-BY-4.0  .*/vulndata/go-vulndb$" "$TMP/stdout"
check "info: how old the data is" grep -Eq "^newest data: [0-9]+ days old$" "$TMP/stdout"
check "info: file size" grep -Eq "^size:     [0-9.]+ MB$" "$TMP/stdout"
check "the database is an SQLite file" test "$(head -c 15 "$DB")" = "SQLite format 3"
# user_version (the schema version) is the big-endian word at offset 60 of the header
check "schema version 2 in the file header" test "$(od -An -tu1 -j60 -N4 "$DB" | tr -s ' ')" = " 0 0 0 2"

# verbose: per-feed counts and time
expect_exit 0 "db build -v from two feeds" -- db build -v --from "$VD/ghsa-sample" --from "$VD/cisa-kev" --db "$DB"
check "verbose: osv feed line" grep -Eq "^osv +.*/ghsa-sample: 2 files, 2 vulnerabilities, 6 affected, 0 skipped in [0-9.]+ s$" "$TMP/stderr"
check "verbose: kev line" grep -Eq "^kev +.*/cisa-kev: 1 files, 1404 vulnerabilities" "$TMP/stderr"
expect_exit 0 "db info after rebuild" -- db info --db "$DB"
check "rebuild replaced the database (no go source)" bash -c "! grep -q osv:go-vulndb '$TMP/stdout'"
check "kev source with its catalog date" grep -Eq "^  kev +2025-08-25 .* 1404 +0  CC0-1.0 " "$TMP/stdout"

# atomicity: a feed with a malformed advisory fails the build and leaves the database as it was
cp "$DB" "$TMP/before.sqlite"
mkdir -p "$TMP/badfeed"
cp "$VD/go-vulndb/data/osv/GO-2023-1840.json" "$TMP/badfeed/"
printf '{"id":"GO-0000-0001",\n"modified":"2024-01-01T00:00:00Z",\n"affected":[\n' > "$TMP/badfeed/GO-0000-0001.json"
expect_exit 3 "build with a malformed advisory fails" -- db build --from "$VD/go-vulndb" --from "$TMP/badfeed" --db "$DB"
check "error names the file and line" stderr_has "badfeed/GO-0000-0001.json: invalid JSON at line 4"
check "previous database untouched" cmp -s "$DB" "$TMP/before.sqlite"
check "no temporary file left behind" bash -c "! ls '$TMP'/db.sqlite.building.* 2>/dev/null | grep -q ."
printf 'id: X\nmodified: x\naffected:\n- package: {name: x\n' > "$TMP/badfeed/GO-0000-0001.yaml"
rm "$TMP/badfeed/GO-0000-0001.json"
expect_exit 3 "build with malformed YAML fails" -- db build --from "$TMP/badfeed" --db "$DB"
check "YAML error names the file and line" stderr_has "badfeed/GO-0000-0001.yaml: YAML line "

# usage and missing things
expect_exit 2 "db build without --from" -- db build --db "$DB"
expect_exit 2 "unknown db command" -- db frobnicate
expect_exit 3 "db build from a missing directory" -- db build --from "$TMP/nonexistent" --db "$DB"
mkdir -p "$TMP/nofeed/sub" && echo text > "$TMP/nofeed/sub/notes.txt"
expect_exit 3 "db build from a directory with no feed" -- db build --from "$TMP/nofeed" --db "$TMP/other.sqlite"
check "no feed: says so" stderr_has "no advisory feed found"
expect_exit 3 "db info on a missing database" -- db info --db "$TMP/missing.sqlite"
check "missing database: says how to build one" stderr_has "bosun db build"
echo "not a database" > "$TMP/junk.sqlite"
expect_exit 3 "db info on a non-database" -- db info --db "$TMP/junk.sqlite"
check "non-database: says so" stderr_has "not a bosun vulnerability database"

# the default location: $BOSUN_DB, else $XDG_CACHE_HOME/bosun, else ~/.cache/bosun
mkdir -p "$TMP/home"
HOME=$TMP/home XDG_CACHE_HOME= BOSUN_DB= "$BOSUN" db build -q --from "$VD/ghsa-sample" >/dev/null 2>&1
check "default path under HOME" test -s "$TMP/home/.cache/bosun/db.sqlite"
XDG_CACHE_HOME=$TMP/xdg BOSUN_DB= "$BOSUN" db build -q --from "$VD/ghsa-sample" >/dev/null 2>&1
check "default path under XDG_CACHE_HOME" test -s "$TMP/xdg/bosun/db.sqlite"
BOSUN_DB=$TMP/env.sqlite "$BOSUN" db build -q --from "$VD/ghsa-sample" >/dev/null 2>&1
check "BOSUN_DB wins" test -s "$TMP/env.sqlite"
BOSUN_DB=$TMP/env.sqlite "$BOSUN" db info > "$TMP/stdout" 2>&1
check "db info reads BOSUN_DB" grep -q "osv:ghsa-sample" "$TMP/stdout"

# everything in ../shared/vulndata, with whatever importers exist; the issue's budget is 60 s
start=$(date +%s.%N)
expect_exit 0 "db build from all of vulndata" -- db build -v --from "$VD" --db "$TMP/all.sqlite"
secs=$(echo "$(date +%s.%N) - $start" | bc)
size=$(stat -c %s "$TMP/all.sqlite" 2>/dev/null || echo 0)
echo "# all of vulndata: $(printf '%.1f' "$secs") s, $((size / 1000000)) MB: $(grep '^built' "$TMP/stdout")"
sed 's/^/#   /' "$TMP/stderr"
check "all of vulndata in under 60 s" test "$(echo "$secs < 60" | bc)" = 1
expect_exit 0 "db info on the full database" -- db info --db "$TMP/all.sqlite"
for s in osv:almalinux osv:go-vulndb osv:pypa-advisory-db osv:rustsec osv:ghsa-sample kev; do
	check "full database has $s" grep -q "^  $s " "$TMP/stdout"
done
finish
