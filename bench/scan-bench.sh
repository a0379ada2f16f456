#!/bin/bash
# Benchmark of the content scanners on the `big` test image (see
# ../shared/images): what secret and malware scanning add to the walk that
# `bosun sbom` already does, measured in the same run:
#   sbom                    the inventory alone (the floor for this bench)
#   --scanners secret       inventory + secrets in every file of every layer
#   --scanners malware      inventory + YARA (built-in EICAR) + hash signatures
#   --scanners secret,malware,config   everything but vulnerability matching
# and, when installed by ../shared/peers/peers.sh, the peers doing the same
# job: Trivy's secret scanner on the same archive, and `yara -r` and
# `clamscan -r` with an EICAR-only rule on the flattened root filesystem.
# Prints wall time, peak RSS and ratios; the issue's target is that secret
# scanning adds at most 30% to `bosun sbom`.
#
# usage: bench/scan-bench.sh BOSUN_BINARY      (env: BOSUN_IMAGES, PEERS_DIR, RUNS)
set -euo pipefail
BOSUN=${1:?usage: scan-bench.sh BOSUN_BINARY}
IM=${BOSUN_IMAGES:-/var/tmp/bosun-images}
PEERS=${PEERS_DIR:-/var/tmp/bosun-peers}
RUNS=${RUNS:-3}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
[ -d "$IM/oci/big" ] || { echo "need $IM/oci/big: run ../shared/images/build.sh $IM" >&2; exit 1; }

# best-of-RUNS wall seconds and the peak RSS (KB) of that run; a non-zero
# exit is fine (scanners may find things), a crash is not.
measure() {
	local best="" rss="" i w m rc
	for ((i = 0; i < RUNS; i++)); do
		[ -z "${PRE:-}" ] || eval "$PRE"
		rc=0
		/usr/bin/time -f "%e %M" -o "$TMP/t" "$@" >/dev/null 2>"$TMP/err" || rc=$?
		if [ $rc -ge 2 ] && [ "${ALLOW_RC:-1}" -lt $rc ]; then cat "$TMP/err" >&2; return 1; fi
		read -r w m < <(tail -1 "$TMP/t")
		if [ -z "$best" ] || awk "BEGIN{exit !($w < $best)}"; then best=$w; rss=$m; fi
	done
	echo "$best $rss"
}

row() { # name wall rss base
	printf '%-52s %8.2f %10.1f %8.2fx\n' "$1" "$2" "$(echo "$3/1024" | bc -l)" "$(echo "$2/$4" | bc -l)"
}

printf '%-52s %8s %10s %9s\n' "big image" wall_s peak_MB vs_sbom
for form in oci docker; do
	if [ $form = oci ]; then target="$IM/oci/big"; else target="$IM/docker/big.tar"; fi
	find "$target" -type f -exec cat {} + >/dev/null # warm the page cache for everyone alike
	read -r sw sm < <(measure "$BOSUN" sbom -q -f json -o "$TMP/sbom.json" "$target")
	row "$form: bosun sbom" "$sw" "$sm" "$sw"
	for sc in secret malware secret,malware,config; do
		read -r w m < <(measure "$BOSUN" image -q --scanners $sc -f json -o "$TMP/out.json" "$target")
		row "$form: bosun image --scanners $sc" "$w" "$m" "$sw"
	done
	if [ -x "$PEERS/bin/trivy" ]; then
		read -r w m < <(PRE='rm -rf "$TMP/tc"; mkdir -p "$TMP/tc"' measure "$PEERS/bin/trivy" image --input "$target" \
			--scanners secret --skip-db-update --offline-scan --no-progress --quiet --cache-dir "$TMP/tc" -f json)
		row "$form: trivy image --scanners secret" "$w" "$m" "$sw"
	fi
done
if [ -f "$PEERS/eicar.yar" ] && command -v yara >/dev/null; then
	read -r w m < <(ALLOW_RC=255 measure yara -r -N -w "$PEERS/eicar.yar" "$IM/rootfs/big")
	row "rootfs: yara -r (EICAR rule, no decompression)" "$w" "$m" "$sw"
fi
if [ -f "$PEERS/eicar.ndb" ] && command -v clamscan >/dev/null; then
	read -r w m < <(ALLOW_RC=255 measure clamscan -r -i --no-summary -d "$PEERS/eicar.ndb" "$IM/rootfs/big")
	row "rootfs: clamscan -r (EICAR sig, no decompression)" "$w" "$m" "$sw"
fi
[ -x "$PEERS/bin/trivy" ] || echo "(peers not installed: run ../shared/peers/peers.sh to compare)"
