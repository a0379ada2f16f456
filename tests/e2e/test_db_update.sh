#!/bin/bash
# bosun db update against real HTTP servers on loopback (tests/e2e/httpd.py)
# serving a mirror of ../shared/vulndata laid out like the upstream hosts:
# a first update builds the database; a second sends conditional requests
# and gets 304s; a dropped connection is retried and then fails with the
# old database intact; corrupt data, a wrong sha256 and a missing feed fail
# the same way; a crash mid-download leaves the database intact; a
# prebuilt database is accepted with the right sha256 only; and with no
# database at all, the embedded snapshot is built. No internet needed.
. ./lib.sh
VD=$BOSUN_SHARED/vulndata
[ -d "$VD" ] || { echo "missing $VD"; exit 1; }
SERVER_PIDS=()
trap 'for p in "${SERVER_PIDS[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$TMP"' EXIT
DB=$TMP/db/vulns.sqlite
mkdir -p "$TMP/db"
DSA=salsa.debian.org/security-tracker-team/security-tracker/-/raw/master/data
OSV=osv-vulnerabilities.storage.googleapis.com
KEV=www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json

# ---- the mirror: upstream host/path layout, real files -------------------------
M=$TMP/mirror
mkdir -p "$M/$DSA/CVE" "$M/$DSA/DSA" "$M/$DSA/DLA" "$M/secdb.alpinelinux.org/v3.11" "$M/$OSV/Go" \
	"$M/$OSV/crates.io" "$(dirname "$M/$KEV")"
cp "$VD/debian/tracker-entries-sample/CVE-list.sample" "$M/$DSA/CVE/list"
cp "$VD/debian/security-tracker-2023-04/data/DSA/list" "$M/$DSA/DSA/list"
cp "$VD/debian/security-tracker-2023-04/data/DLA/list" "$M/$DSA/DLA/list"
cp "$VD/debian/security-tracker-2023-04/data/config.json" "$M/$DSA/config.json"
cp "$VD/cisa-kev/known_exploited_vulnerabilities.json" "$M/$KEV"
cp "$VD/alpine-secdb/v3.11/main.yaml" "$M/secdb.alpinelinux.org/v3.11/main.yaml"
$PY - "$VD" "$M" "$OSV" <<'EOF' || { echo "cannot build the mirror"; exit 1; }
import os, sys, zipfile
vd, m, osv = sys.argv[1:]
# OSV's all.zip: every advisory of the ecosystem as ID.json
def pack(src, dst):
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for name in sorted(os.listdir(src)):
            if name.endswith(".json"):
                z.write(os.path.join(src, name), name)
pack(f"{vd}/go-vulndb/data/osv", f"{m}/{osv}/Go/all.zip")
pack(f"{vd}/rustsec/osv/crates", f"{m}/{osv}/crates.io/all.zip")
EOF
# Upstream dates as the files' times, so Last-Modified tells the truth.
touch -d 2020-06-08T00:00:00Z "$M/secdb.alpinelinux.org/v3.11/main.yaml"
touch -d 2023-04-02T00:00:00Z "$M/$DSA"/*/list "$M/$DSA/config.json"

# The feeds file: upstream URLs, which BOSUN_FEEDS_URL_BASE points at the mirror.
cat >"$TMP/feeds.yaml" <<EOF
# bosun db update feeds for the e2e test
feeds:
  - name: debian-cve
    url: https://$DSA/CVE/list
    path: debian/data/CVE/list
  - name: debian-dsa
    url: https://$DSA/DSA/list
    path: debian/data/DSA/list
  - name: debian-dla
    url: https://$DSA/DLA/list
    path: debian/data/DLA/list
  - name: alpine-v3.11-main
    url: https://secdb.alpinelinux.org/v3.11/main.yaml
    path: alpine/v3.11/main.yaml
  - name: kev
    url: https://$KEV
    path: kev/known_exploited_vulnerabilities.json
  - name: osv-go
    url: https://$OSV/Go/all.zip
  - name: osv-crates.io
    url: https://$OSV/crates.io/all.zip
EOF

# start_server NAME [httpd.py options]: sets URL_NAME and LOG_NAME
start_server() {
	local name=$1; shift
	rm -f "$TMP/$name.port"
	$PY "$(pwd)/httpd.py" --root "$M" --port-file "$TMP/$name.port" --log "$TMP/$name.log" "$@" \
		2>"$TMP/$name.err" &
	SERVER_PIDS+=($!)
	for _ in $(seq 100); do [ -s "$TMP/$name.port" ] && break; sleep 0.05; done
	[ -s "$TMP/$name.port" ] || { echo "server $name did not start: $(cat "$TMP/$name.err")"; exit 1; }
	printf -v "URL_$name" 'http://127.0.0.1:%s' "$(cat "$TMP/$name.port")"
	printf -v "LOG_$name" '%s' "$TMP/$name.log"
	touch "$TMP/$name.log"
}
update() { # update SERVER_URL bosun-args...
	local base=$1; shift
	BOSUN_FEEDS_URL_BASE=$base "$BOSUN" db update --db "$DB" --backoff 50 "$@"
}
expect_update() { # expect_update CODE DESCRIPTION SERVER_URL -- args...
	local want=$1 d=$2 base=$3; shift 4
	update "$base" "$@" >"$TMP/stdout" 2>"$TMP/stderr"
	local got=$?
	if [ "$got" = "$want" ]; then ok "$d (exit $got)"; else
		notok "$d: exit $got, want $want; stderr: $(head -c 600 "$TMP/stderr")"; fi
}
db_sum() { sha256sum "$DB" | cut -c1-64; }
no_scratch_left() { ! ls -A "$TMP/db" | grep -q '^\.vulns\.sqlite\.'; }
requests() { grep -c " $1 " "$2"; } # requests PATH LOG

start_server ok
start_server noetag --no-etag
start_server drop --drop "/$OSV/Go/all.zip"
start_server corrupt --corrupt "/$OSV/Go/all.zip" --corrupt "/$KEV"
start_server flaky --fail "/$KEV=2"
start_server down --fail "/$KEV=1000"
start_server slow --slow "/$OSV/Go/all.zip"

# ---- the feed list --------------------------------------------------------------
expect_exit 0 "list the default feeds" -- db update --list-feeds
check "defaults: Debian tracker from salsa" grep -q "^debian-dsa .* https://$DSA/DSA/list$" "$TMP/stdout"
check "defaults: Alpine secdb" grep -q "^alpine-v3.22-main .* https://secdb.alpinelinux.org/v3.22/main.json$" "$TMP/stdout"
check "defaults: OSV zips" grep -q "^osv-pypi .*zip .* https://$OSV/PyPI/all.zip$" "$TMP/stdout"
check "defaults: Ubuntu OSV" grep -q "^osv-ubuntu .* https://$OSV/Ubuntu/all.zip$" "$TMP/stdout"
check "defaults: CISA KEV" grep -q "^kev .* https://$KEV$" "$TMP/stdout"
BOSUN_FEEDS_URL_BASE=$URL_ok/ "$BOSUN" db update --list-feeds >"$TMP/stdout" 2>&1
check "BOSUN_FEEDS_URL_BASE points every feed at the mirror" grep -q " $URL_ok/$OSV/Go/all.zip$" "$TMP/stdout"
check "no feed left upstream under a mirror base" bash -c "! grep -q ' https://' '$TMP/stdout'"
printf '{"defaults": true, "feeds": [{"name": "osv-ubuntu", "enabled": false},\n {"name": "kev", "sha256": "%s"},\n {"name": "extra", "url": "https://example.org/feeds/extra.zip"}]}\n' \
	"$(sha256sum "$M/$KEV" | cut -c1-64)" >"$TMP/amend.json"
expect_exit 0 "a JSON feeds file amends the defaults" -- db update --list-feeds --feeds "$TMP/amend.json"
check "amended: a default dropped" bash -c "! grep -q '^osv-ubuntu ' '$TMP/stdout'"
check "amended: a default given a sha256" grep -q "^kev .* sha256:[0-9a-f]\{64\}$" "$TMP/stdout"
check "amended: a feed added, a zip from its URL" grep -q "^extra  *zip .* extra  *https://example.org/feeds/extra.zip$" "$TMP/stdout"
printf 'feeds:\n  - name: x\n    url: https://example.org/x.json\n    path: ../x.json\n' >"$TMP/bad.yaml"
expect_exit 3 "a feed path with .. is refused" -- db update --list-feeds --feeds "$TMP/bad.yaml"
check "  ...naming the feed" stderr_has "feed x: path '../x.json'"
printf 'feeds:\n  - name: x\n    ur1: https://example.org/x.json\n' >"$TMP/bad.yaml"
expect_exit 3 "a typo in a feeds file is refused" -- db update --list-feeds --feeds "$TMP/bad.yaml"
check "  ...naming the key" stderr_has "feeds\[0\]: unknown key 'ur1'"
expect_exit 2 "--from-url without --sha256 is a usage error" -- db update --from-url http://127.0.0.1:1/x --db "$DB"

# ---- first update: everything downloaded, a database built ------------------------
expect_update 0 "first update builds the database" "$URL_ok" -- --feeds "$TMP/feeds.yaml" -v
check "summary: 7 feeds downloaded" grep -Eq "^updated $DB: 7 feeds \(7 downloaded, 0 not modified, 0 skipped\), 5 sources, [0-9]+ vulnerabilities" "$TMP/stdout"
check "verbose: a line per feed" grep -Eq "^osv-go +downloaded +[0-9.]+ [kM]B  $URL_ok/$OSV/Go/all.zip$" "$TMP/stderr"
check "no scratch directory left" no_scratch_left
expect_exit 0 "db info on the updated database" -- db info --db "$DB"
for s in debian-tracker alpine-secdb kev osv:go osv:crates.io; do
	check "source $s present" grep -q "^  $s " "$TMP/stdout"
done
check "origin: the feed URL, not a scratch path" grep -Eq "^  osv:go .* $URL_ok/$OSV/Go/all.zip$" "$TMP/stdout"
check "origin: a group of feeds in one line" grep -q "^  debian-tracker .* $URL_ok/$DSA/{CVE/list,DSA/list,DLA/list}$" "$TMP/stdout"
check "kev snapshot from the catalog" grep -Eq "^  kev +2025-08-25 " "$TMP/stdout"
check "alpine snapshot from Last-Modified, not today" grep -Eq "^  alpine-secdb +2020-06-08 " "$TMP/stdout"
check "feed cache kept beside the database" test -s "$TMP/db/vulns.sqlite.feeds/state.json"
GOOD=$(db_sum)
cp "$DB" "$TMP/good.sqlite"

# ---- second update: conditional requests, 304s, nothing rebuilt ------------------------
: >"$LOG_ok"
expect_update 0 "second update" "$URL_ok" -- --feeds "$TMP/feeds.yaml"
check "every request was conditional (If-None-Match)" bash -c "! grep -q 'if-none-match=- ' '$LOG_ok'"
check "every feed answered 304" test "$(grep -c ' 304 ' "$LOG_ok")" = 7
check "database is up to date, not rebuilt" grep -q "^$DB is up to date: 7 feeds, none changed (7 not modified" "$TMP/stdout"
check "database file untouched" test "$(db_sum)" = "$GOOD"
expect_update 0 "--force rebuilds from the cached copies" "$URL_ok" -- --feeds "$TMP/feeds.yaml" --force
check "forced: 7 not modified, rebuilt" grep -q "^updated $DB: 7 feeds (0 downloaded, 7 not modified, 0 skipped), 5 sources" "$TMP/stdout"
$PY -c "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('PRAGMA user_version = 999'); c.commit()" "$DB"
expect_update 0 "a database of another schema version is rebuilt though no feed changed" "$URL_ok" -- --feeds "$TMP/feeds.yaml"
check "  ...from the cached copies" grep -q "^updated $DB: 7 feeds (0 downloaded, 7 not modified, 0 skipped), 5 sources" "$TMP/stdout"

# If-Modified-Since when the server gives no ETag
rm -rf "$TMP/db"/vulns.sqlite.feeds
expect_update 0 "update from a server without ETags" "$URL_noetag" -- --feeds "$TMP/feeds.yaml"
: >"$LOG_noetag"
expect_update 0 "again: If-Modified-Since" "$URL_noetag" -- --feeds "$TMP/feeds.yaml"
check "requests carried If-Modified-Since" test "$(grep -c 'if-modified-since=[A-Z][a-z][a-z], ' "$LOG_noetag")" = 7
check "and got 304" test "$(grep -c ' 304 ' "$LOG_noetag")" = 7
GOOD=$(db_sum)

# ---- a dropped connection: retried, then a clean failure --------------------------------
expect_update 5 "a connection dropped mid-body fails" "$URL_drop" -- --feeds "$TMP/feeds.yaml" --retries 2
check "  ...after 3 attempts" test "$(requests "/$OSV/Go/all.zip" "$LOG_drop")" = 3
check "  ...naming the feed" stderr_has "error: feed osv-go: $URL_drop/$OSV/Go/all.zip: .* (3 attempts)"
check "  ...warning on each retry" test "$(grep -c 'feed osv-go: attempt [12] of 3 failed' "$TMP/stderr")" = 2
check "  ...old database intact" test "$(db_sum)" = "$GOOD"
check "  ...no scratch directory left" no_scratch_left
expect_exit 0 "  ...and still usable" -- db info --db "$DB"

# ---- corrupt data: no retry (the transfer worked), a clean failure -----------------------
expect_update 3 "a corrupt zip fails" "$URL_corrupt" -- --feeds "$TMP/feeds.yaml"
check "  ...naming the feed and the damage" stderr_has "error: feed osv-go ($URL_corrupt/$OSV/Go/all.zip): zip: "
check "  ...old database intact" test "$(db_sum)" = "$GOOD"
grep -v "Go/all.zip\|name: osv-go" "$TMP/feeds.yaml" >"$TMP/feeds-nogo.yaml"
expect_update 3 "corrupt JSON fails at import" "$URL_corrupt" -- --feeds "$TMP/feeds-nogo.yaml"
check "  ...naming the feed and the file" stderr_has "error: feed kev: .*known_exploited_vulnerabilities.json: invalid JSON"
check "  ...without the scratch path" bash -c "! grep -q 'update\.' '$TMP/stderr'"
check "  ...old database intact" test "$(db_sum)" = "$GOOD"

# ---- integrity: sha256 in the feeds file ----------------------------------------------------
sed "s|    path: kev/known_exploited_vulnerabilities.json|&\n    sha256: \"$(printf '0%.0s' $(seq 64))\"|" "$TMP/feeds.yaml" >"$TMP/feeds-sha.yaml"
expect_update 3 "a wrong sha256 fails" "$URL_ok" -- --feeds "$TMP/feeds-sha.yaml"
check "  ...naming the feed and both digests" stderr_has "error: feed kev (.*): content has sha256:[0-9a-f]\{64\}, expected sha256:0\{64\}"
check "  ...old database intact" test "$(db_sum)" = "$GOOD"
sed "s|    path: kev/known_exploited_vulnerabilities.json|&\n    sha256: $(sha256sum "$M/$KEV" | cut -c1-64)|" "$TMP/feeds.yaml" >"$TMP/feeds-sha.yaml"
expect_update 0 "the right sha256 passes" "$URL_ok" -- --feeds "$TMP/feeds-sha.yaml"
GOOD=$(db_sum)

# ---- 5xx: retried with backoff until it works, or until the attempts run out ----------------
expect_update 5 "503 on every attempt fails" "$URL_down" -- --feeds "$TMP/feeds.yaml" --retries 1
check "  ...saying HTTP 503 and the attempts" stderr_has "error: feed kev: .*HTTP 503 (2 attempts)"
check "  ...old database intact" test "$(db_sum)" = "$GOOD"
expect_update 0 "503 twice, then served: retried until it works" "$URL_flaky" -- --feeds "$TMP/feeds.yaml" --retries 3
check "  ...the log shows 503, 503, then the answer" bash -c "grep ' /$KEV ' '$LOG_flaky' | awk '{print \$3}' | tr '\n' ' ' | grep -q '^503 503 \(200\|304\) $'"
check "  ...a warning per failed attempt" test "$(grep -c 'feed kev: attempt [12] of 4 failed: .*HTTP 503; retrying in' "$TMP/stderr")" = 2
GOOD=$(db_sum)

# ---- missing feeds: optional ones are skipped ---------------------------------------------
printf '  - name: alpine-v3.99-main\n    url: https://secdb.alpinelinux.org/v3.99/main.json\n    path: alpine/v3.99/main.json\n' >"$TMP/missing.yaml"
cat "$TMP/feeds.yaml" "$TMP/missing.yaml" >"$TMP/feeds-404.yaml"
expect_update 3 "a missing feed fails" "$URL_ok" -- --feeds "$TMP/feeds-404.yaml"
check "  ...naming it" stderr_has "error: feed alpine-v3.99-main: .*/v3.99/main.json: HTTP 404"
check "  ...old database intact" test "$(db_sum)" = "$GOOD"
printf '    optional: true\n' >>"$TMP/feeds-404.yaml"
expect_update 0 "a missing optional feed is skipped" "$URL_ok" -- --feeds "$TMP/feeds-404.yaml"
check "  ...with a warning" stderr_has "feed alpine-v3.99-main: .*HTTP 404 (not found); it is optional, skipped"
check "  ...counted as skipped" grep -q "^updated $DB: 8 feeds (.*, 1 skipped), 5 sources" "$TMP/stdout"
GOOD=$(db_sum)

# ---- a crash mid-download ------------------------------------------------------------------
rm -rf "$TMP/db"/vulns.sqlite.feeds # so the slow zip is downloaded, not answered 304
BOSUN_FEEDS_URL_BASE=$URL_slow "$BOSUN" db update --db "$DB" --feeds "$TMP/feeds.yaml" >/dev/null 2>&1 &
upd=$!
for _ in $(seq 200); do grep -q "/Go/all.zip 200" "$LOG_slow" 2>/dev/null && break; sleep 0.05; done
sleep 0.3
kill -9 $upd 2>/dev/null
wait $upd 2>/dev/null
check "killed mid-download: old database intact" test "$(db_sum)" = "$GOOD"
check "killed mid-download: the scratch directory is there" bash -c "ls -A '$TMP/db' | grep -q '^\.vulns\.sqlite\.update\.'"
expect_exit 0 "  ...and the database usable" -- db info --db "$DB"
expect_update 0 "the next update succeeds" "$URL_ok" -- --feeds "$TMP/feeds.yaml"
check "  ...and removes the crashed run's leftovers" no_scratch_left

# ---- a prebuilt database from a URL ---------------------------------------------------------
mkdir -p "$M/prebuilt"
cp "$TMP/good.sqlite" "$M/prebuilt/vulns.sqlite"
gzip -9 -c "$M/prebuilt/vulns.sqlite" >"$M/prebuilt/vulns.sqlite.gz"
echo "not a database" >"$M/prebuilt/junk.sqlite"
rm -f "$DB"
"$BOSUN" db build -q --from "$VD/ghsa-sample" --db "$DB"
GOOD=$(db_sum)
expect_exit 3 "--from-url with a wrong sha256 fails" -- db update --db "$DB" --from-url "$URL_ok/prebuilt/vulns.sqlite" --sha256 "$(printf 'a%.0s' $(seq 64))"
check "  ...saying so" stderr_has "expected sha256:a\{64\}"
check "  ...old database intact" test "$(db_sum)" = "$GOOD"
expect_exit 3 "--from-url of a file that is no database fails" -- db update --db "$DB" --from-url "$URL_ok/prebuilt/junk.sqlite" --sha256 "$(sha256sum "$M/prebuilt/junk.sqlite" | cut -c1-64)"
check "  ...saying so" stderr_has "junk.sqlite: .*\(not a sound SQLite database\|not a bosun vulnerability database\)"
check "  ...old database intact" test "$(db_sum)" = "$GOOD"
expect_exit 0 "--from-url with the right sha256 swaps it in" -- db update --db "$DB" --from-url "$URL_ok/prebuilt/vulns.sqlite" --sha256 "$(sha256sum "$M/prebuilt/vulns.sqlite" | cut -c1-64)"
check "  ...byte for byte" cmp -s "$DB" "$TMP/good.sqlite"
rm -f "$DB"
expect_exit 0 "--from-url of a gzip-compressed database" -- db update --db "$DB" --from-url "$URL_ok/prebuilt/vulns.sqlite.gz" --sha256 "sha256:$(sha256sum "$M/prebuilt/vulns.sqlite.gz" | cut -c1-64)"
check "  ...decompressed" cmp -s "$DB" "$TMP/good.sqlite"
check "  ...no scratch directory left" no_scratch_left

# ---- no database at all: the embedded snapshot ------------------------------------------------
SNAP=$(sed -n 's/.*(snapshot of \([0-9-]*\)).*/\1/p' ../../data/PROVENANCE.md)
mkdir -p "$TMP/fresh"
BOSUN_DB=$TMP/fresh/db.sqlite "$BOSUN" db info >"$TMP/stdout" 2>"$TMP/stderr"
rc=$?
check "db info without a database builds the embedded one (exit $rc)" test "$rc" = 0 -a -s "$TMP/fresh/db.sqlite"
check "  ...saying so" stderr_has "building it from the advisory snapshot embedded in bosun"
check "  ...and how old it is" stderr_has "advisory snapshot of $SNAP embedded in bosun ([0-9]* days old)"
check "  ...sources labelled with the snapshot and upstream" grep -Eq "^  osv:go-vulndb +2026-[0-9-]+ .* bosun embedded snapshot $SNAP: golang/vulndb@[0-9a-f]{12}$" "$TMP/stdout"
for s in debian-tracker alpine-secdb kev osv:almalinux osv:pypa-advisory-db osv:rustsec nodejs-security-wg osv:ghsa-sample; do
	check "  ...source $s" grep -q "^  $s " "$TMP/stdout"
done
check "  ...alpine dated by its upstream commit, not today" grep -Eq "^  alpine-secdb +2020-06-08 " "$TMP/stdout"
check "  ...the data's age" grep -Eq "^newest data: [0-9]+ days old$" "$TMP/stdout"
check "  ...no scratch directory left" bash -c "! ls -A '$TMP/fresh' | grep -q '^\.'"
BOSUN_DB=$TMP/fresh/db.sqlite "$BOSUN" db info >"$TMP/stdout2" 2>"$TMP/stderr"
check "a second db info uses it as it is" bash -c "! grep -q building '$TMP/stderr'"
expect_exit 3 "an explicit --db that is missing is still an error" -- db info --db "$TMP/fresh/missing.sqlite"
finish
