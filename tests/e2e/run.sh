#!/bin/bash
# Runs every tests/e2e/test_*.sh against the bosun binary in $BOSUN.
# Each test script prints "ok ..." / "not ok ..." lines and exits non-zero
# on failure. Images come from $BOSUN_IMAGES (built by ../shared/images/build.sh).
set -u
cd "$(dirname "$0")"
: "${BOSUN:?set BOSUN to the binary}"
export BOSUN
export BOSUN_IMAGES=${BOSUN_IMAGES:-/var/tmp/bosun-images}
export BOSUN_SHARED=${BOSUN_SHARED:-$(cd ../../.. && pwd)/shared}
fail=0
# E2E_ONLY="test_a.sh test_b.sh" runs only those.
for t in ${E2E_ONLY:-test_*.sh}; do
	echo "== e2e/$t"
	if ! bash "$t"; then
		echo "FAILED: e2e/$t"
		fail=1
	fi
done
exit $fail
