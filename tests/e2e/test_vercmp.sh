#!/bin/bash
# bosun vercmp: the single form, --satisfies, the stdin batch form with
# "invalid" lines, exit codes; then whole shared tables through the batch form.
set -u
cd "$(dirname "$0")"
. ./lib.sh

# out_is WANT DESCRIPTION -- bosun args...: exit 0 and stdout exactly WANT.
out_is() {
	local want=$1 d=$2; shift 3
	local got
	got=$("$BOSUN" "$@" 2>"$TMP/stderr")
	local rc=$?
	if [ "$rc" = 0 ] && [ "$got" = "$want" ]; then ok "$d"; else
		notok "$d: exit $rc, stdout '$got', want '$want'; stderr: $(head -c 300 "$TMP/stderr")"; fi
}

# Single form.
out_is '<' 'deb: ~ sorts before the release' -- vercmp deb 1.0~rc1 1.0
out_is '>' 'deb: epoch wins' -- vercmp deb 1:0.1 2.0
out_is '=' 'deb: leading zeros' -- vercmp debian 1.09 1.9
out_is '>' 'rpm: missing epoch is 0, as rpm does' -- vercmp rpm 1:0 1
out_is '<' 'rpm: caret and tilde' -- vercmp rpm 1.0~rc1 1.0^git1
out_is '<' 'apk: _rc before release' -- vercmp apk 1.0_rc1 1.0-r0
out_is '=' 'golang: +incompatible is build metadata' -- vercmp golang v3.2.0+incompatible v3.2.0
out_is '<' 'golang: toolchain version against an OSV-style version' -- vercmp go go1.22.3 1.22.4
out_is '<' 'a version starting with "-" after --' -- vercmp rpm -- -1 1

# --satisfies.
out_is true 'deb range' -- vercmp deb --satisfies 2.3.1-1ubuntu0.14.04.1 '< 2.3.2'
out_is false 'deb range, OR of ANDs' -- vercmp deb -s 0.6.0 '> 0.1.0, < 0.5.0 || > 1.0.0, < 2.0.0'
out_is true 'deb <<' -- vercmp deb -s 1.0 '<< 1.1'
out_is true 'apk fuzzy ~' -- vercmp apk --satisfies 3.6.9 '~3.6'
out_is false 'apk fuzzy ~, other minor' -- vercmp apk --satisfies 3.6.0 '~3.8'
out_is true 'rpm blank constraint' -- vercmp rpm --satisfies 1.0-1 ''
out_is true 'golang comparator list' -- vercmp golang -s v1.2.3 '>= 1.2.0, < 1.2.4'

# Cases that cannot be parsed: "invalid", exit 2, the culprit on stderr.
expect_exit 2 'deb: embedded space' -- vercmp deb '1.0 1' 1.0
check 'deb: stdout says invalid' grep -qx invalid "$TMP/stdout"
check 'deb: stderr names the version' stderr_has "cannot parse version '1.0 1'"
expect_exit 2 'apk: invalid suffix' -- vercmp apk 1.0_foo 1.0
expect_exit 2 'golang: not semver' -- vercmp golang '(devel)' v1.0.0
expect_exit 2 'bad constraint' -- vercmp deb --satisfies 1.0 '=> 1.0'
check 'stderr names the constraint' stderr_has "cannot parse constraint '=> 1.0'"
expect_exit 2 'apk ~ is not deb syntax' -- vercmp deb -s 3.6 '~3.6'

# Usage errors.
expect_exit 2 'unknown scheme' -- vercmp nosuch 1 2
check 'unknown scheme is named' stderr_has "unknown version scheme 'nosuch'"
expect_exit 2 'too few arguments' -- vercmp deb 1.0
expect_exit 2 'too many arguments' -- vercmp deb 1.0 2.0 3.0
expect_exit 2 'no scheme' -- vercmp
expect_exit 2 '--loose without --satisfies' -- vercmp deb --loose 1 2
expect_exit 0 'help' -- vercmp --help
check 'help shows usage' grep -q 'usage: bosun vercmp' "$TMP/stdout"
expect_exit 0 'list' -- vercmp --list
for s in deb rpm apk npm pypi maven golang gem cargo nuget; do
	check "list has $s" grep -q "^$s" "$TMP/stdout"
done
expect_exit 0 'listed in bosun --help' -- --help
check 'vercmp in command list' grep -q 'vercmp' "$TMP/stdout"

# Batch form: one answer per line, "invalid" for what cannot be parsed, exit 0.
printf '1.0\t2.0\n2.0\t1.0\n1.0\t1.0\r\n\n1 0\t1\nno-tab\n1.0~rc1\t1.0\n' >"$TMP/in"
"$BOSUN" vercmp deb - - <"$TMP/in" >"$TMP/out" 2>"$TMP/stderr"
rc=$?
printf '<\n>\n=\ninvalid\ninvalid\ninvalid\n<\n' >"$TMP/want"
if [ "$rc" = 0 ] && cmp -s "$TMP/out" "$TMP/want"; then ok 'batch compare'; else
	notok "batch compare: exit $rc, got $(tr '\n' ' ' <"$TMP/out")"; fi

printf '1.5\t> 1.0, < 2.0\n2.5\t> 1.0, < 2.0\n1.0\t=> 1\n3.6.1\t~3.6\n3.6.1\t~3.6\tbogusflag\n' >"$TMP/in"
"$BOSUN" vercmp apk --satisfies - - <"$TMP/in" >"$TMP/out" 2>"$TMP/stderr"
rc=$?
printf 'true\nfalse\ninvalid\ntrue\ninvalid\n' >"$TMP/want"
if [ "$rc" = 0 ] && cmp -s "$TMP/out" "$TMP/want"; then ok 'batch satisfies'; else
	notok "batch satisfies: exit $rc, got $(tr '\n' ' ' <"$TMP/out")"; fi

: | "$BOSUN" vercmp rpm - - >"$TMP/out"
check 'batch on empty stdin: no output, exit 0' test $? = 0 -a ! -s "$TMP/out"

# Whole shared tables through the batch form (rows using the README's
# backslash escapes are left to the unit tests: the batch form is verbatim).
V=$BOSUN_SHARED/testdata/versions
table() { # table FILE SCHEME compare|satisfies
	local f=$V/$1 scheme=$2 mode=$3
	[ -r "$f" ] || { notok "missing $f"; return; }
	grep -v '^#' "$f" | grep -v '\\' >"$TMP/rows"
	if [ "$mode" = compare ]; then
		awk -F'\t' -v OFS='\t' '{ print $1, $3 }' "$TMP/rows" | "$BOSUN" vercmp "$scheme" - - >"$TMP/got"
		cut -f2 "$TMP/rows" >"$TMP/want"
	else
		cut -f1,2 "$TMP/rows" | "$BOSUN" vercmp "$scheme" --satisfies - - >"$TMP/got"
		cut -f3 "$TMP/rows" >"$TMP/want"
	fi
	local bad
	bad=$(paste "$TMP/rows" "$TMP/got" | awk -F'\t' -v m="$mode" '
		m == "compare" && $2 != $4 { n++ }
		m == "satisfies" && $3 != $4 { n++ }
		END { print n + 0 }')
	if [ "$bad" = 0 ] && [ "$(wc -l <"$TMP/got")" = "$(wc -l <"$TMP/rows")" ]; then
		ok "$1 via batch ($(wc -l <"$TMP/rows") rows)"
	else
		notok "$1 via batch: $bad rows differ"
	fi
}
table dpkg.tsv deb compare
table knqyf263-rpm-evr.tsv rpm compare
table rpm.tsv rpm compare
table grype-deb-constraint.tsv deb satisfies
table grype-apk-constraint.tsv apk satisfies
table apk-fuzzy.tsv apk satisfies
table grype-golang.tsv golang compare
table grype-golang-constraint.tsv golang satisfies

finish
