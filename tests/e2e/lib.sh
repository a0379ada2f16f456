# Shared helpers for e2e tests (sourced).
FAILS=0
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; FAILS=$((FAILS + 1)); }
check() { # check DESCRIPTION COMMAND...
	local d=$1; shift
	if "$@"; then ok "$d"; else notok "$d"; fi
}
# expect_exit CODE DESCRIPTION -- bosun args...; stderr saved in $TMP/stderr
expect_exit() {
	local want=$1 d=$2; shift 3
	"$BOSUN" "$@" >"$TMP/stdout" 2>"$TMP/stderr"
	local got=$?
	if [ "$got" = "$want" ]; then ok "$d (exit $got)"; else
		notok "$d: exit $got, want $want; stderr: $(head -c 400 "$TMP/stderr")"; fi
}
stderr_has() { grep -q -- "$1" "$TMP/stderr"; }
need_image() { [ -e "$BOSUN_IMAGES/$1" ] || { echo "missing test image $BOSUN_IMAGES/$1 (run ../shared/images/build.sh)"; exit 1; }; }
finish() { [ "$FAILS" = 0 ] || { echo "$FAILS failures"; exit 1; }; }
PY=/usr/bin/python3
