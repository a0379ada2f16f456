#!/bin/bash
# run.sh SECONDS: runs every build-fuzz/fuzz_* target (`make fuzz` builds
# them) for SECONDS each, on a scratch copy of its seed corpus
# tests/fuzz/corpus/<name without fuzz_> (new inputs never land in the
# repository). A crash, leak, timeout or out-of-memory fails the run; the
# input that caused it is kept in build-fuzz/artifacts/. Prints one summary
# line per target. Environment: FUZZ_JOBS (parallel targets, default 1),
# FUZZ_ONLY (space-separated target names to run).
set -u
cd "$(dirname "$0")/../.."
secs=${1:?usage: run.sh SECONDS}
art=build-fuzz/artifacts
mkdir -p "$art"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

targets=()
for bin in build-fuzz/fuzz_*; do
	[ -x "$bin" ] || continue
	name=$(basename "$bin")
	if [ -n "${FUZZ_ONLY:-}" ] && ! [[ " $FUZZ_ONLY " == *" $name "* ]]; then continue; fi
	targets+=("$name")
done
[ ${#targets[@]} -gt 0 ] || { echo "no fuzz targets in build-fuzz/ (run make fuzz)"; exit 1; }

run_one() {
	local name=$1 short=${1#fuzz_}
	local corpus=$work/$short log=$work/$name.log
	mkdir -p "$corpus"
	if [ -d "tests/fuzz/corpus/$short" ]; then cp -r "tests/fuzz/corpus/$short/." "$corpus/"; fi
	# -timeout: one input taking longer is a hang; -rss_limit_mb: memory
	# per input is bounded by design, so a blow-up is a bug too.
	"build-fuzz/$name" -max_total_time="$secs" -timeout=30 -rss_limit_mb=2560 -print_final_stats=1 \
		-artifact_prefix="$art/$name-" "$corpus" >"$log" 2>&1
	echo $? >"$work/$name.rc"
}

running=0
for name in "${targets[@]}"; do
	run_one "$name" &
	running=$((running + 1))
	if [ "$running" -ge "${FUZZ_JOBS:-1}" ]; then
		wait -n
		running=$((running - 1))
	fi
done
wait

fail=0
printf '%-24s %-6s %12s %8s %8s %s\n' target result execs secs corpus crash-input
for name in "${targets[@]}"; do
	log=$work/$name.log
	rc=$(cat "$work/$name.rc" 2>/dev/null || echo 99)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	t=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
	units=$(ls "$work/${name#fuzz_}" 2>/dev/null | wc -l)
	crash=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
	if [ "$rc" = 0 ]; then res=ok; else res=FAIL; fail=1; fi
	printf '%-24s %-6s %12s %8s %8s %s\n' "$name" "$res" "${execs:-?}" "${t:-?}" "$units" "${crash:--}"
	if [ "$rc" != 0 ]; then
		grep -m1 -E 'ERROR: |SUMMARY: |runtime error|==ERROR' "$log" | sed 's/^/    /'
		cp "$log" "$art/$name.log"
		echo "    full log: $art/$name.log"
	fi
done
exit $fail
