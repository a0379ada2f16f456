#!/bin/bash
# bosun watch, for real: a watcher in the background, files dropped into
# nested directories created after it started, findings expected on stdout
# (and at a webhook) within a second; clean exit on SIGTERM; the inotify
# watch-limit message; usage errors.
. ./lib.sh
DATA=$(cd ../data/malware && pwd)
EICAR='X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*'
MINER='{"url": "stratum+tcp://pool.example.com:3333", "user": "4AdUndXHHZ6cfufTMvppY6JwXNouMBzSkbLYfpAV5Usx", "pass": "x"}'
WPID=
cleanup_watch() { [ -n "$WPID" ] && kill -KILL "$WPID" 2>/dev/null; WPID=; }
trap 'cleanup_watch; rm -rf "$TMP"' EXIT

now_ms() { date +%s%3N; }

# wait_for FILE PATTERN MS: polls FILE for a fixed-string PATTERN until the deadline.
wait_for() {
	local file=$1 pat=$2 deadline=$(($(now_ms) + $3))
	while [ "$(now_ms)" -lt "$deadline" ]; do
		grep -qF -- "$pat" "$file" 2>/dev/null && return 0
		sleep 0.01
	done
	grep -qF -- "$pat" "$file" 2>/dev/null
}

# start_watch NAME ARGS...: runs bosun watch in the background with output
# in $TMP/NAME.out/.err and waits for its "ready" event (no sleeps).
start_watch() {
	local name=$1; shift
	"$BOSUN" watch "$@" >"$TMP/$name.out" 2>"$TMP/$name.err" &
	WPID=$!
	if ! wait_for "$TMP/$name.out" '"event":"ready"' 5000; then
		notok "$name: no ready event within 5 s; stderr: $(head -c 300 "$TMP/$name.err")"
		cleanup_watch
		return 1
	fi
}

# stop_watch NAME: SIGTERM, expects exit 0 and a "stopped" event.
stop_watch() {
	local name=$1
	kill -TERM "$WPID"
	wait "$WPID"
	local rc=$?
	WPID=
	check "$name: exit 0 on SIGTERM (got $rc)" [ "$rc" = 0 ]
	check "$name: stopped event (reason SIGTERM)" grep -q '"event":"stopped","reason":"SIGTERM"' "$TMP/$name.out"
	check "$name: every stdout line is JSON" $PY -c '
import json, sys
for line in open(sys.argv[1]):
    json.loads(line)' "$TMP/$name.out"
}

# finding_within NAME PATH RULE MS: a finding for RULE at PATH within MS.
finding_within() {
	local name=$1 path=$2 rule=$3 ms=$4
	local t0=$(now_ms)
	if wait_for "$TMP/$name.out" "\"rule\":\"$rule\",\"path\":\"$path\"" "$ms"; then
		ok "$name: $rule on ${path#$TMP/} after $(($(now_ms) - t0)) ms"
	else
		notok "$name: no $rule finding for $path within $ms ms; output: $(tail -c 400 "$TMP/$name.out")"
	fi
}

run_backend() {
	local b=$1
	local root=$TMP/root-$b
	mkdir -p "$root/existing"
	start_watch "$b" --backend "$b" --yara-rules "$DATA/rules" --malware-signatures "$DATA/sigs" \
		--exclude '*.skip' "$root" || return
	check "$b: ready event names the backend" grep -q "\"backend\":\"$b\"" "$TMP/$b.out"

	# nested directories created after start, a file right away in the deepest
	mkdir -p "$root/a/b/c" && printf '%s' "$EICAR" >"$root/a/b/c/eicar.com"
	finding_within "$b" "$root/a/b/c/eicar.com" "yara:EICAR_Test_File" 1000
	finding_within "$b" "$root/a/b/c/eicar.com" "clamav:Eicar-Test-Signature" 1000

	mkdir -p "$root/x/y/z" && printf '%s\n' "$MINER" >"$root/x/y/z/config.json"
	finding_within "$b" "$root/x/y/z/config.json" "yara:Bosun_Test_Miner_Config" 1000
	check "$b: custom rule severity HIGH from its meta" \
		grep -q '"rule":"yara:Bosun_Test_Miner_Config".*"severity":"HIGH"' "$TMP/$b.out"

	cp "$DATA/sample.txt" "$root/existing/sample.bin"
	finding_within "$b" "$root/existing/sample.bin" "clamav:Bosun.Test.Sample-MD5" 1000
	finding_within "$b" "$root/existing/sample.bin" "clamav:Bosun.Test.Sample-SHA256-AnySize" 1000

	# the race: twenty trees made and filled in one go each
	for i in $(seq 1 20); do
		mkdir -p "$root/race/$i/d1/d2" && printf '%s' "$EICAR" >"$root/race/$i/d1/d2/e.com"
	done
	local t0=$(now_ms) all=1
	for i in $(seq 1 20); do
		wait_for "$TMP/$b.out" "\"rule\":\"yara:EICAR_Test_File\",\"path\":\"$root/race/$i/d1/d2/e.com\"" 1000 || all=0
	done
	check "$b: all 20 files in freshly made trees reported ($(($(now_ms) - t0)) ms)" [ "$all" = 1 ]

	# excluded by name; then a sentinel so that we know the excluded one was processed
	printf '%s' "$EICAR" >"$root/a/b/c/x.skip"
	printf '%s' "$EICAR" >"$root/a/b/c/sentinel.com"
	finding_within "$b" "$root/a/b/c/sentinel.com" "yara:EICAR_Test_File" 1000
	check "$b: --exclude '*.skip' is not reported" bash -c "! grep -q 'x.skip' '$TMP/$b.out'"

	# rewritten many times quickly: debounced into few scans, still reported
	for i in $(seq 1 10); do printf '%s' "$EICAR" >"$root/a/rewritten.com"; done
	finding_within "$b" "$root/a/rewritten.com" "yara:EICAR_Test_File" 1500
	# a clean file produces nothing; a symlink to EICAR is not followed
	echo "hello" >"$root/a/clean.txt"
	ln -s "$root/a/b/c/eicar.com" "$root/a/link.com"
	printf '%s' "$EICAR" >"$root/a/sentinel2.com"
	finding_within "$b" "$root/a/sentinel2.com" "yara:EICAR_Test_File" 1000
	printf '%s' "$EICAR" >"$root/a/bad"$'\xff'"name.com"
	finding_within "$b" "$root/a/bad\\\\xffname.com" "yara:EICAR_Test_File" 1000
	check "$b: no finding for a clean file or a symlink" bash -c "! grep -qE 'clean.txt|link.com' '$TMP/$b.out'"
	local n=$(grep -c "\"path\":\"$root/a/rewritten.com\"" "$TMP/$b.out")
	check "$b: 10 quick rewrites debounced (reported $n times, want < 10 x 2)" [ "$n" -lt 20 ]

	stop_watch "$b"
	check "$b: findings are JSON with the documented fields" $PY -c '
import json, sys
want = {"time", "event", "kind", "rule", "path", "severity", "title", "message", "match", "engine"}
n = 0
for line in open(sys.argv[1]):
    o = json.loads(line)
    if o["event"] != "finding":
        continue
    n += 1
    assert want <= set(o), set(o)
    assert o["kind"] == "malware" and o["path"].startswith("/")
    assert o["engine"] in ("yara", "hash")
    assert o["time"].endswith("Z") and "T" in o["time"]
assert n >= 40, n' "$TMP/$b.out"
}

# ---- --scan-existing: what is there before start --------------------------
# pre_tree ROOT: nested files made BEFORE the watcher starts; 3 regular files
# are scannable (eicar, miner, clean), the rest must be skipped.
pre_tree() {
	local r=$1
	mkdir -p "$r/pre/a/b/c" "$r/pre/x/y" "$r/pre/cache/deep"
	printf '%s' "$EICAR" >"$r/pre/a/b/c/old-eicar.com"
	printf '%s\n' "$MINER" >"$r/pre/x/y/old-config.json"
	echo hello >"$r/pre/a/clean.txt"
	printf '%s' "$EICAR" >"$r/pre/a/old.skip"          # excluded by name
	printf '%s' "$EICAR" >"$r/pre/cache/deep/e.com"    # in an excluded directory
	ln -s "$r/pre/a/b/c/old-eicar.com" "$r/pre/a/old-link.com"
	ln -s "$r/pre/a" "$r/pre/dirlink"                  # a symlinked directory is not entered
	mkfifo "$r/pre/a/fifo"                             # must not block the walk
}

run_scan_existing() {
	local b=$1
	local r=$TMP/pre-$b
	pre_tree "$r"

	# without --scan-existing: nothing that was there before is reported
	start_watch "noscan-$b" --backend "$b" --yara-rules "$DATA/rules" --exclude '*.skip' --exclude cache "$r" || return
	printf '%s' "$EICAR" >"$r/sentinel0.com"
	finding_within "noscan-$b" "$r/sentinel0.com" "yara:EICAR_Test_File" 1000
	stop_watch "noscan-$b"
	rm -f "$r/sentinel0.com"
	check "$b: without --scan-existing, old files are not reported" bash -c "! grep -q '/pre/' '$TMP/noscan-$b.out'"
	check "$b: without --scan-existing, no initial-scan-done event" bash -c "! grep -q 'initial' '$TMP/noscan-$b.out'"

	local n=scan-$b
	start_watch "$n" --backend "$b" --scan-existing --yara-rules "$DATA/rules" --exclude '*.skip' --exclude cache "$r" || return
	check "$n: ready says scan_existing" grep -q '"event":"ready".*"scan_existing":true' "$TMP/$n.out"
	if wait_for "$TMP/$n.out" '"event":"initial-scan-done"' 3000; then ok "$n: initial-scan-done event"; else
		notok "$n: no initial-scan-done within 3 s: $(tail -c 400 "$TMP/$n.out")"; fi
	check "$n: old EICAR in a nested dir reported as initial" \
		grep -q "\"rule\":\"yara:EICAR_Test_File\",\"path\":\"$r/pre/a/b/c/old-eicar.com\".*\"initial\":true" "$TMP/$n.out"
	check "$n: old custom-YARA match reported as initial" \
		grep -q "\"rule\":\"yara:Bosun_Test_Miner_Config\",\"path\":\"$r/pre/x/y/old-config.json\".*\"initial\":true" "$TMP/$n.out"
	check "$n: done event counts the 3 scannable files and their 3 findings" \
		grep -q '"event":"initial-scan-done","files_scanned":3,"findings":3,' "$TMP/$n.out"
	# after the walk: a file written now is reported live (no "initial")
	mkdir -p "$r/later/d" && printf '%s' "$EICAR" >"$r/later/d/new.com"
	finding_within "$n" "$r/later/d/new.com" "yara:EICAR_Test_File" 1000
	stop_watch "$n"
	check "$n: excluded, symlinked, fifo and clean files not reported" \
		bash -c "! grep -qE 'old.skip|cache/deep|old-link|dirlink|fifo|clean.txt' '$TMP/$n.out'"
	check "$n: each old file reported once, initial findings before the done event, live ones without the flag" $PY -c '
import json, sys
done_at, seen = None, {}
for i, line in enumerate(open(sys.argv[1])):
    o = json.loads(line)
    if o["event"] == "initial-scan-done":
        done_at = i
    if o["event"] != "finding":
        continue
    key = (o["path"], o["rule"])
    seen[key] = seen.get(key, 0) + 1
    if "/pre/" in o["path"]:
        assert o.get("initial") is True and done_at is None, (i, o)
    else:
        assert "initial" not in o, o
assert done_at is not None
assert all(v == 1 for v in seen.values()), seen
assert len(seen) == 5, seen  # 3 old findings, 2 for new.com' "$TMP/$n.out"
	check "$n: stopped event says the walk was done" grep -q '"event":"stopped".*"initial_scan":"done"' "$TMP/$n.out"
}

# big_tree_sweep BACKEND: 20,000 small files; SIGTERM during the walk stops
# it between two files; a full walk counts them all.
big_tree_sweep() {
	local b=$1 big=$TMP/big
	[ -d "$big" ] || $PY -c '
import os, sys
blob = ("x" * 63 + "\n") * 64
for d in range(100):
    p = os.path.join(sys.argv[1], "d%02d" % d, "sub")
    os.makedirs(p)
    for f in range(200):
        with open(os.path.join(p, "f%03d.txt" % f), "w") as fh:
            fh.write(blob)' "$big"
	local n=big-$b
	start_watch "$n" --backend "$b" --scan-existing --yara-rules "$DATA/rules" --malware-signatures "$DATA/sigs" "$big" || return
	local t0=$(now_ms)
	kill -TERM "$WPID"
	wait "$WPID"
	local rc=$? dt=$(($(now_ms) - t0))
	WPID=
	check "$n: SIGTERM during the walk: exit 0 (got $rc)" [ "$rc" = 0 ]
	check "$n: ... within 2 s ($dt ms)" [ "$dt" -lt 2000 ]
	check "$n: stopped says the walk was interrupted, no done event" bash -c \
		"grep -q '\"event\":\"stopped\".*\"initial_scan\":\"interrupted\"' '$TMP/$n.out' && ! grep -q initial-scan-done '$TMP/$n.out'"
	check "$n: fewer than 20000 files scanned before stopping" $PY -c '
import json, sys
last = json.loads(open(sys.argv[1]).read().splitlines()[-1])
assert last["event"] == "stopped" and last["files_scanned"] < 20000, last' "$TMP/$n.out"

	# a full walk, with a file written while it runs
	n=bigfull-$b
	start_watch "$n" --backend "$b" --scan-existing --debounce 1 --yara-rules "$DATA/rules" "$big" || return
	printf '%s' "$EICAR" >"$big/d50/during.com"
	finding_within "$n" "$big/d50/during.com" "yara:EICAR_Test_File" 2000
	if wait_for "$TMP/$n.out" '"event":"initial-scan-done"' 20000; then ok "$n: walk of 20000 files done"; else
		notok "$n: no initial-scan-done within 20 s"; fi
	# during.com: counted when the walk reached d50 after it was written
	check "$n: done event counts the 20000 files (+1 written during the walk)" \
		grep -qE '"event":"initial-scan-done","files_scanned":2000[01],' "$TMP/$n.out"
	local k=$(grep -c "\"rule\":\"yara:EICAR_Test_File\",\"path\":\"$big/d50/during.com\"" "$TMP/$n.out")
	check "$n: a file written during the walk is reported at most twice ($k yara lines)" [ "$k" -ge 1 -a "$k" -le 2 ]
	stop_watch "$n"
}

run_backend inotify
run_scan_existing inotify
big_tree_sweep inotify
# fanotify needs CAP_SYS_ADMIN and kernel support: test it where it works.
if "$BOSUN" watch --backend fanotify /nonexistent-dir-for-probe 2>&1 | grep -q 'No such file'; then
	probe=$TMP/probe; mkdir -p "$probe"
	"$BOSUN" watch --backend fanotify "$probe" >"$TMP/probe.out" 2>"$TMP/probe.err" &
	ppid=$!
	if wait_for "$TMP/probe.out" '"event":"ready"' 3000; then
		kill -TERM $ppid; wait $ppid
		run_backend fanotify
		run_scan_existing fanotify
		big_tree_sweep fanotify
	else
		wait $ppid
		echo "# skip: fanotify not permitted here: $(head -c 200 "$TMP/probe.err")"
	fi
fi

# ---- webhook: a loopback receiver gets each finding as JSON ----------------
cat >"$TMP/receiver.py" <<'EOF'
import http.server, sys, threading
port_file, log = sys.argv[1], sys.argv[2]
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with open(log, "ab") as f:
            f.write(self.headers.get("Content-Type", "").encode() + b" " + body + b"\n")
        self.send_response(204); self.end_headers()
    def log_message(self, *a): pass
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
open(port_file, "w").write(str(s.server_address[1]))
s.serve_forever()
EOF
$PY "$TMP/receiver.py" "$TMP/port" "$TMP/hook.log" &
RPID=$!
for i in $(seq 100); do [ -s "$TMP/port" ] && break; sleep 0.02; done
mkdir -p "$TMP/hookroot"
if start_watch hook --backend inotify --webhook "http://127.0.0.1:$(cat "$TMP/port")/bosun" "$TMP/hookroot"; then
	mkdir -p "$TMP/hookroot/n1/n2" && printf '%s' "$EICAR" >"$TMP/hookroot/n1/n2/e.com"
	finding_within hook "$TMP/hookroot/n1/n2/e.com" "yara:EICAR_Test_File" 1000
	if wait_for "$TMP/hook.log" '"rule":"yara:EICAR_Test_File"' 2000; then ok "webhook: finding POSTed"; else notok "webhook: nothing received"; fi
	check "webhook: JSON body with Content-Type application/json" $PY -c '
import json, sys
rules = set()
for line in open(sys.argv[1]):
    ctype, body = line.split(" ", 1)
    assert ctype == "application/json", ctype
    o = json.loads(body)
    assert o["event"] == "finding" and o["path"].endswith("/n1/n2/e.com")
    rules.add(o["rule"])
assert rules == {"yara:EICAR_Test_File", "clamav:Eicar-Test-Signature"}, rules' "$TMP/hook.log"
	stop_watch hook
	check "webhook: stopped event counts 2 sent" grep -q '"webhook_sent":2,"webhook_failed":0,"webhook_dropped":0' "$TMP/hook.out"
fi
kill $RPID 2>/dev/null; wait $RPID 2>/dev/null

# a webhook nobody answers must not hold up findings or the exit
dead_port=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$TMP/deadroot"
if start_watch dead --backend inotify --webhook "http://127.0.0.1:$dead_port/x" "$TMP/deadroot"; then
	printf '%s' "$EICAR" >"$TMP/deadroot/e.com"
	finding_within dead "$TMP/deadroot/e.com" "yara:EICAR_Test_File" 1000
	t0=$(now_ms)
	stop_watch dead
	check "dead webhook: exit within 5 s ($(($(now_ms) - t0)) ms)" [ $(($(now_ms) - t0)) -lt 5000 ]
	check "dead webhook: failures counted" grep -q '"webhook_sent":0' "$TMP/dead.out"
fi

# ---- secrets: --scanners malware,secret --------------------------------------
mkdir -p "$TMP/secroot"
# only the AWS rules (via --secret-config): the test is about watch, and a
# small rule set compiles fast
printf 'enable-builtin-rules:\n  - aws-access-key-id\n  - aws-secret-access-key\n' >"$TMP/secret.yaml"
"$BOSUN" watch --backend inotify --scanners malware,secret --secret-config "$TMP/secret.yaml" "$TMP/secroot" \
	>"$TMP/sec.out" 2>"$TMP/sec.err" &
WPID=$!
if wait_for "$TMP/sec.out" '"event":"ready"' ${SECRET_READY_MS:-30000}; then
	check "secret: ready event lists both engines" grep -q '"engines":\["malware","secret"\]' "$TMP/sec.out"
	mkdir -p "$TMP/secroot/app/conf"
	printf '[default]\naws_access_key_id = AKIAZ4EXAMPLE7QWERTY\naws_secret_access_key = Wt4nFEMI/K7MDENG/bPxRfiCYzb3xampleKeyQ1\n' \
		>"$TMP/secroot/app/conf/credentials"
	t0=$(now_ms)
	if wait_for "$TMP/sec.out" "\"kind\":\"secret\"" 1000 &&
		grep -q "\"kind\":\"secret\".*\"path\":\"$TMP/secroot/app/conf/credentials\"" "$TMP/sec.out"; then
		ok "secret: AWS key in a new nested file reported after $(($(now_ms) - t0)) ms"
	else
		notok "secret: no secret finding within 1 s: $(tail -c 300 "$TMP/sec.out")"
	fi
	check "secret: the secret itself is not printed" bash -c "! grep -q 'Wt4nFEMI/K7MDENG/bPxRfiCYzb3xampleKeyQ1' '$TMP/sec.out'"
	printf '%s' "$EICAR" >"$TMP/secroot/app/e.com"
	finding_within sec "$TMP/secroot/app/e.com" "yara:EICAR_Test_File" 1000
	stop_watch sec
else
	notok "secret: bosun watch --scanners malware,secret not ready within $((${SECRET_READY_MS:-30000} / 1000)) s: $(head -c 300 "$TMP/sec.err")"
	cleanup_watch
fi

# ---- inotify watch limit ---------------------------------------------------
KNOB=/proc/sys/fs/inotify/max_user_watches
if [ -w "$KNOB" ] && old=$(cat "$KNOB") && echo "$old" >"$KNOB" 2>/dev/null; then
	mkdir -p "$TMP/limit/d1/d2/d3" "$TMP/limit2"
	# watches root holds now (every process of this user counts)
	used=$(cat /proc/[0-9]*/fdinfo/* 2>/dev/null | grep -c '^inotify wd:')
	# at startup: room for one directory, the tree has four -> exit 4
	trap 'echo "$old" >"$KNOB"; cleanup_watch; rm -rf "$TMP"' EXIT
	echo $((used + 1)) >"$KNOB"
	"$BOSUN" watch --backend inotify "$TMP/limit" >"$TMP/limit.out" 2>"$TMP/limit.err"
	rc=$?
	echo "$old" >"$KNOB"
	check "watch limit at startup: exit 4 (got $rc)" [ "$rc" = 4 ]
	check "watch limit: message names $KNOB" grep -q "max_user_watches" "$TMP/limit.err"
	check "watch limit: message says how to raise it" grep -q "sysctl fs.inotify.max_user_watches" "$TMP/limit.err"
	check "watch limit: no ready event" bash -c "! grep -q ready '$TMP/limit.out'"
	# later: a warning, and the watch goes on
	if start_watch limit2 --backend inotify "$TMP/limit2"; then
		used=$(cat /proc/[0-9]*/fdinfo/* 2>/dev/null | grep -c '^inotify wd:')
		echo "$used" >"$KNOB"
		mkdir -p "$TMP/limit2/new"
		wait_for "$TMP/limit2.err" "max_user_watches" 1000
		echo "$old" >"$KNOB"
		check "watch limit later: a warning naming the knob" grep -q "warning: watch: inotify watch limit reached.*max_user_watches" "$TMP/limit2.err"
		printf '%s' "$EICAR" >"$TMP/limit2/e.com"
		finding_within limit2 "$TMP/limit2/e.com" "yara:EICAR_Test_File" 1000
		stop_watch limit2
	fi
	echo "$old" >"$KNOB"
	check "watch limit: $KNOB restored" [ "$(cat "$KNOB")" = "$old" ]
else
	echo "# skip: $KNOB not writable here (needs root outside a user namespace)"
fi

# ---- usage and input errors -------------------------------------------------
expect_exit 2 "no directory" -- watch
expect_exit 2 "unknown backend" -- watch --backend kqueue "$TMP"
expect_exit 2 "unknown scanner" -- watch --scanners virus "$TMP"
expect_exit 3 "missing directory" -- watch /nonexistent/dir
check "missing directory: message names it" stderr_has "/nonexistent/dir"
echo 'rule Broken { condition: ) }' >"$TMP/broken.yar"
expect_exit 3 "bad YARA rule" -- watch --yara-rules "$TMP/broken.yar" "$TMP"
check "bad YARA rule: file:line and YARA's message" stderr_has "broken.yar:1: syntax error"
printf 'nothex:68:X\n' >"$TMP/bad.hdb"
expect_exit 3 "bad hash signature" -- watch --malware-signatures "$TMP/bad.hdb" "$TMP"
check "bad hash signature: file:line" stderr_has "bad.hdb:1: hash has 6 characters"

finish
