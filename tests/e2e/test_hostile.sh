#!/bin/bash
# Hostile inputs, built at test time by hostile/gen.py: each fixture is a
# valid image except for one defect. Every case asserts the exit code and a
# distinctive part of the message; best-effort cases also assert that the
# probe package (bosun-probe, from the fixture's dpkg status) is still
# reported. Every run is time-limited (a hang fails), must not die by a
# signal or leave a sanitizer report (`make asan-check` runs this suite
# with an ASan+UBSan build), and runs in an empty directory that must stay
# empty: nothing may be written outside the process.
. ./lib.sh
H=$TMP/hostile
if ! $PY hostile/gen.py "$H"; then
	notok "hostile/gen.py builds the fixtures"
	finish
fi

REAL_BOSUN=$BOSUN
CWD=$TMP/cwd
mkdir -p "$CWD"
cat >"$TMP/bosun-in-cwd" <<EOF
#!/bin/sh
cd "$CWD" || exit 99
exec timeout -k 5 120 "$REAL_BOSUN" "\$@"
EOF
chmod +x "$TMP/bosun-in-cwd"
BOSUN=$TMP/bosun-in-cwd

# No signal (exit >= 124: timeout or signal), no sanitizer report.
sane() {
	if grep -qE 'Sanitizer|runtime error:' "$TMP/stderr"; then
		notok "$1: sanitizer report: $(grep -m3 -E 'Sanitizer|runtime error:|#[0-9] ' "$TMP/stderr" | tr '\n' ' ')"
	fi
}
probe_count() { jq -r '[.packages[] | select(.name=="bosun-probe" and .version=="1.2.3-1")] | length' "$TMP/stdout" 2>/dev/null; }
has_probe() { [ "$(probe_count)" = 1 ]; }
os_id() { jq -r '.os.id // "none"' "$TMP/stdout" 2>/dev/null; }

# bad CODE FIXTURE PATTERN [OPTIONS...]: exit CODE and PATTERN on stderr.
bad() {
	local code=$1 f=$2 pat=$3
	shift 3
	expect_exit "$code" "$f" -- sbom -f json "$@" "$H/$f"
	check "$f: error says '$pat'" stderr_has "$pat"
	sane "$f"
}
# good FIXTURE PATTERN [OPTIONS...]: exit 0, the probe package found, and
# the warning PATTERN on stderr (none expected when PATTERN is "").
good() {
	local f=$1 pat=$2
	shift 2
	expect_exit 0 "$f" -- sbom -f json "$@" "$H/$f"
	check "$f: probe package still reported" has_probe
	if [ -n "$pat" ]; then check "$f: warns '$pat'" stderr_has "$pat"; fi
	sane "$f"
}

echo "# the fixtures are valid apart from their defect"
for f in ok-docker.tar ok-docker-gzip.tar ok-docker-legacy-symlink.tar ok-oci ok-oci.tar ok-oci-zstd \
	ok-oci-2layers ok-oci-nested-index; do
	good "$f" ""
	check "$f: OS is debian" test "$(os_id)" = debian
done
expect_exit 0 "oci-archive: prefix" -- sbom -f json "oci-archive:$H/ok-oci.tar"
expect_exit 0 "docker-archive: prefix" -- sbom -f json "docker-archive:$H/ok-docker.tar"

echo "# names inside layers: '..' is dropped with a warning, '/' is taken from the image root"
good dotdot.tar "has a '..' component: ignored"
good dotdot-gnu.tar "has a '..' component: ignored"
good absolute.tar "has an absolute name: taken relative to the image root"
check "no layer entry was written outside" test ! -e "$TMP/bosun-hostile-escape" -a ! -e /tmp/bosun-hostile-escape \
	-a ! -e /tmp/bosun-hostile-absolute -a ! -e "$CWD/tmp"

echo "# symlinks resolve inside the image, never on the host; loops end"
good symlink-escape.tar ""
check "symlink-escape.tar: os-release read through the clamped link, from the image" test "$(os_id)" = bosuntestos
good symlink-absolute.tar ""
check "symlink-absolute.tar: absolute targets and '..' above the root stay in the image" test "$(os_id)" = bosuntestos
good symlink-host.tar "operating system could not be identified"
check "symlink-host.tar: the host's os-release is not read" test "$(os_id)" = none
good symlink-loop.tar ""
check "symlink-loop.tar: OS from etc/os-release despite looping alternatives" test "$(os_id)" = debian

echo "# hard links"
good hardlink.tar "hard link to missing target usr/bin/not-in-this-layer"
check "hardlink.tar: link out of the image refused" stderr_has "hard link to invalid name '../../../../etc/passwd' ignored"
good hardlink-lower.tar "hard link to missing target"
expect_exit 0 "hardlink-uncaptured.tar" -- sbom -f json "$H/hardlink-uncaptured.tar"
check "hardlink-uncaptured.tar: warns that the linked status was not captured" stderr_has "hard link target var/lib/dpkg/status-old was not captured"
sane hardlink-uncaptured.tar

echo "# damaged layer tars"
bad 3 truncated-layer.tar "tar: truncated"
bad 3 truncated-header.tar "tar: truncated header after entry 1"
bad 3 bad-checksum.tar "tar: bad header checksum at entry 1"
bad 3 huge-size-field.tar "tar: truncated archive"
check "huge-size-field.tar: error names the layer" stderr_has "layer 0 ("
good no-end-blocks.tar ""

echo "# compression"
bad 3 oci-truncated-gzip "gzip stream is truncated"
bad 3 oci-garbage-gzip "gzip: invalid"
bad 3 oci-gzip-trailing "garbage after gzip stream"
bad 3 oci-truncated-zstd "zstd stream is truncated"
bad 3 oci-garbage-zstd "zstd: "
bad 3 oci-xz "xz-compressed layers are not supported"
bad 3 xz-layer.tar "xz-compressed layers are not supported"
bad 3 docker-save.tar.gz "is a gzip-compressed file; decompress it first"

echo "# not an image at all"
bad 3 empty.tar "is an empty file"
bad 3 garbage.bin "not a readable tar archive: tar: bad header checksum"
bad 3 short.bin "not a readable tar archive: tar: truncated header"
bad 3 plain-rootfs.tar "neither manifest.json (docker save) nor index.json (OCI layout)"
bad 3 no-manifest-json-but-repos.tar "neither manifest.json"
bad 3 archive-truncated.tar "extends past the end of the file"
mkfifo "$TMP/fifo"
expect_exit 2 "a FIFO as the target is refused, not opened" -- sbom -f json "$TMP/fifo"
check "FIFO target: error says so" stderr_has "is not a regular file or a directory"

echo "# digests: OCI blobs against their descriptors, layers against diff_ids"
bad 3 oci-layer-digest "blob content has digest"
check "oci-layer-digest: error names the layer" stderr_has "layer 0 (sha256:"
bad 3 oci-layer-size "blob has 465 bytes, descriptor says 466"
bad 3 oci-config-digest "image config: content has digest"
bad 3 oci-config-size "image config sha256:[0-9a-f]*: blob has [0-9]* bytes, descriptor says"
bad 3 oci-manifest-digest "image manifest sha256:[0-9a-f]*: content has digest"
bad 3 oci-manifest-size "image manifest sha256:[0-9a-f]*: has [0-9]* bytes, descriptor says"
bad 3 oci-digest-traversal "unsupported or malformed digest 'sha256:../"
bad 3 oci-digest-md5 "unsupported or malformed digest 'md5:"
# Layer 1 is wrong and small, layer 0 big: layer 1 fails while layer 0 is
# still being read, and its error (not layer 0's "cancelled") must be shown.
for i in 1 2 3; do
	bad 3 wrong-diffid.tar "layer 1 (.*): uncompressed content has digest .* but the config's diff_id is" -j 2
	bad 3 oci-wrong-diffid "layer 1 (sha256:.*): uncompressed content has digest .* but the config's diff_id is" -j 2
done
bad 3 oci-wrong-diffid "layer 1 (sha256:.*diff_id" -j 1
bad 3 diffid-count.tar "image config lists 2 diff_ids but the manifest has 1 layers"
bad 3 diffid-bad.tar "diff_id 0 is not a sha256 digest"

echo "# limits: decompression bombs, file sizes, JSON nesting"
bad 4 oci-gzip-bomb "image exceeds 16777216 uncompressed bytes (decompression bomb? raise --max-image-size)" --max-image-size 16M
bad 4 gzip-bomb.tar "image exceeds 16777216 uncompressed bytes" --max-image-size 16M
good oci-gzip-bomb ""
good gzip-bomb.tar ""
bad 4 oci-zstd-ratio-bomb "layer 1 (sha256:.*): layer expands more than 1000:1 (decompression bomb)"
good bigfile.tar "usr/share/bigfile: 2097152 bytes exceeds --max-file-size, content skipped" --max-file-size 1M
good bigfile.tar ""
expect_exit 0 "bigstatus.tar above --max-file-size" -- sbom -f json --max-file-size 1M "$H/bigstatus.tar"
check "bigstatus.tar: says the package database was skipped" stderr_has "var/lib/dpkg/status is above the capture limit, its packages are not listed"
good bigstatus.tar ""
bad 4 ok-docker.tar "archive has more than 3 members" --max-entries 3
bad 4 ok-oci "image has more than 3 files" --max-entries 3
bad 4 json-bomb-manifest.tar "manifest.json: JSON nested deeper than 64 levels"
bad 4 json-bomb-config.tar "image config: JSON nested deeper than 64 levels"
bad 4 oci-json-bomb-index "index.json: JSON nested deeper than 64 levels"
bad 4 oci-json-bomb-manifest "image manifest: JSON nested deeper than 64 levels"
bad 4 oci-json-bomb-config "image config: JSON nested deeper than 64 levels"
bad 4 oci-json-huge-index "index.json: document of 9437194 bytes exceeds the 8388608-byte limit"
expect_exit 2 "--max-image-size 0 is refused" -- sbom -f json --max-image-size 0 "$H/ok-oci"
expect_exit 2 "--max-file-size junk is refused" -- sbom -f json --max-file-size 12Q "$H/ok-oci"

echo "# manifest.json: missing, malformed or escaping entries"
bad 3 missing-layer.tar "manifest.json names layer 0: 0000000000000000000000000000000000000000000000000000000000000000.tar is not in the archive"
bad 3 missing-layer2.tar "manifest.json names layer 1: b.tar is not in the archive"
bad 3 manifest-not-array.tar "manifest.json is not a non-empty array"
bad 3 manifest-no-config.tar "manifest.json entry 0 lacks Config or Layers"
bad 3 manifest-layer-number.tar "manifest.json: layer 0 is not a string"
bad 3 manifest-invalid-json.tar "manifest.json: invalid JSON"
bad 3 manifest-duplicate-keys.tar "duplicate object key"
bad 3 layer-dotdot.tar "archive reference ../x.tar escapes the archive"
bad 3 layer-dotdot-deep.tar "escapes the archive"
bad 3 layer-absolute.tar "archive reference /etc/passwd is absolute"
bad 3 layer-symlink-out.tar "a.tar is a symlink out of the archive (../../../../../etc/passwd)"
bad 3 layer-symlink-abs.tar "a.tar is a symlink out of the archive (/etc/passwd)"
bad 3 layer-symlink-loop.tar "too many levels of links in the archive (loop?)"
bad 3 layer-hardlink-missing.tar "abc/layer.tar is not in the archive"
bad 3 config-escape.tar "archive reference ../../../../etc/passwd escapes the archive"

echo "# OCI layouts: structure, links out, index cycles and nesting"
bad 3 oci-missing-layer "is missing from the layout"
bad 3 oci-missing-manifest "image manifest sha256:.*is missing from the layout"
bad 3 oci-no-index "index.json is missing from the layout"
bad 3 oci-index-garbage "index.json: invalid JSON"
bad 3 oci-index-empty "image index has no manifests"
bad 3 oci-blob-symlink "is a symlink; links in an OCI layout are not followed"
bad 3 oci-blobs-dir-symlink "blobs is a symlink or not a directory; links in an OCI layout are not followed"
bad 3 oci-index-symlink "index.json is a symlink"
bad 3 oci-blob-fifo "is not a regular file"
bad 3 oci-archive-symlink-out.tar "is a symlink out of the archive"
# A real cycle cannot be content-addressed; the nested index's digest check
# stops it (see gen.py).
bad 3 oci-index-cycle "image index sha256:[0-9a-f]*: content has digest"
bad 4 oci-index-deep "image indexes nested deeper than 4 levels"
bad 3 oci-index-wide "no manifest for platform linux/amd64 (available: plan9/mips0, plan9/mips1" --platform linux/amd64
bad 4 oci-index-fanout "more than 64 nested image indexes to read"

check "the working directory stayed empty" test -z "$(ls -A "$CWD")"
finish
