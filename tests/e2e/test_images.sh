#!/bin/bash
# Real images from ../shared/images/build.sh, compared with their ground truth:
# every dpkg package found and nothing extra, removed packages absent, layer
# attribution, and the same inventory from every form of the same image.
. ./lib.sh
IM=${BOSUN_IMAGES:-/var/tmp/bosun-images}; BOSUN_IMAGES=$IM

# pkgs FILE -> "name<TAB>version<TAB>arch<TAB>source<TAB>srcver" lines of deb packages, sorted
pkgs() { jq -r '.packages[] | select(.type=="deb") | [.name, .version, (.arch // "-"), (.sourceName // .name), (.sourceVersion // .version)] | @tsv' "$1" | sort; }

for img in debian-min debian-layers node-app java-go; do
	need_image "docker/$img.tar"
	need_image "oci/$img"
	truth=$IM/truth/$img
	"$BOSUN" sbom -q -f json -o "$TMP/$img.docker.json" "$IM/docker/$img.tar" || notok "$img docker-archive scan"
	"$BOSUN" sbom -q -f json -o "$TMP/$img.oci.json" "$IM/oci/$img" || notok "$img oci scan"
	sort "$truth/dpkg.tsv" > "$TMP/want"
	pkgs "$TMP/$img.docker.json" > "$TMP/got"
	if diff -u "$TMP/want" "$TMP/got" > "$TMP/diff"; then ok "$img: dpkg packages match truth ($(wc -l < "$TMP/want"))"
	else notok "$img: dpkg packages differ from truth: $(head -20 "$TMP/diff")"; fi
	pkgs "$TMP/$img.oci.json" > "$TMP/got-oci"
	check "$img: OCI and docker-archive inventories are identical" cmp -s "$TMP/got" "$TMP/got-oci"
	check "$img: OS is debian 12" test "$(jq -r '.os.id + " " + .os.versionID' "$TMP/$img.oci.json")" = "debian 12"
	check "$img: image id equals config digest" test "$(jq -r .image.id "$TMP/$img.oci.json")" = "$(jq -r .image.id "$TMP/$img.docker.json")"
	nl=$(jq '.image.layers | length' "$TMP/$img.oci.json")
	check "$img: layer count matches truth" test "$nl" = "$(wc -l < "$truth/layers.tsv")"
	# diff_ids of the layers match the truth file (column 4)
	cut -f4 "$truth/layers.tsv" > "$TMP/want-diffids"
	jq -r '.image.layers[].diffID' "$TMP/$img.oci.json" > "$TMP/got-diffids"
	check "$img: layer diff_ids match truth" cmp -s "$TMP/want-diffids" "$TMP/got-diffids"
	# every package has a purl with distro and the layer that introduced it
	check "$img: every package has a deb purl with distro" test "$(jq '[.packages[] | select(.purl | test("^pkg:deb/debian/.*distro=debian-12"))] | length' "$TMP/$img.oci.json")" = "$(wc -l < "$truth/dpkg.tsv")"
	check "$img: every package has a layer" test "$(jq '[.packages[] | select(.layer == null)] | length' "$TMP/$img.oci.json")" = 0
done

# debian-layers specifics: rc and purged packages absent, layer attribution
J=$TMP/debian-layers.oci.json
check "debian-layers: procps (rc) not reported" test "$(jq '[.packages[] | select(.name=="procps")] | length' "$J")" = 0
check "debian-layers: less (purged) not reported" test "$(jq '[.packages[] | select(.name=="less")] | length' "$J")" = 0
base_diff=$(cut -f4 "$IM/truth/debian-layers/layers.tsv" | sed -n 1p)
l1_diff=$(cut -f4 "$IM/truth/debian-layers/layers.tsv" | sed -n 2p)
check "debian-layers: curl introduced by layer 1" test "$(jq -r '.packages[] | select(.name=="curl") | .layer.diffID' "$J")" = "$l1_diff"
check "debian-layers: libc6 introduced by layer 0" test "$(jq -r '.packages[] | select(.name=="libc6") | .layer.diffID' "$J")" = "$base_diff"
check "debian-layers: 109 status entries in truth, 108 installed" test "$(wc -l < "$IM/truth/debian-layers/dpkg.tsv")" = 108

# zstd OCI and Docker 25 archives give the same packages
"$BOSUN" sbom -q -f json -o "$TMP/zstd.json" "$IM/oci/debian-layers-zstd" || notok "zstd scan"
pkgs "$TMP/zstd.json" > "$TMP/got-zstd"
pkgs "$J" > "$TMP/got-layers"
check "debian-layers-zstd: same packages as gzip OCI" cmp -s "$TMP/got-zstd" "$TMP/got-layers"
check "debian-layers-zstd: layers are zstd" test "$(jq -r '.image.layers[0].mediaType' "$TMP/zstd.json")" = "application/vnd.oci.image.layer.v1.tar+zstd"
"$BOSUN" sbom -q -f json -o "$TMP/d25.json" "$IM/docker/debian-layers.docker25.tar" || notok "docker25 scan"
pkgs "$TMP/d25.json" > "$TMP/got-d25"
check "debian-layers.docker25.tar: same packages" cmp -s "$TMP/got-d25" "$TMP/got-layers"

# explicit prefixes, --image selection and the flattened rootfs
expect_exit 0 "oci-dir: prefix" -- sbom -q -f json "oci-dir:$IM/oci/debian-min"
expect_exit 0 "docker-archive: prefix with --image (short name)" -- sbom -q -f json --image bosun/debian-min:latest "docker-archive:$IM/docker/debian-min.tar"
expect_exit 3 "--image naming an absent image" -- sbom -q -f json --image nope:1 "$IM/docker/debian-min.tar"
check "absent image error lists what the archive has" stderr_has "docker.io/bosun/debian-min:latest"
expect_exit 3 "--platform with no matching manifest" -- sbom -q -f json --platform linux/s390x "$IM/oci/debian-min"
check "platform error lists available platforms" stderr_has "available"
"$BOSUN" sbom -q -f json -o "$TMP/rootfs.json" "rootfs:$IM/rootfs/debian-layers" || notok "rootfs scan"
pkgs "$TMP/rootfs.json" > "$TMP/got-rootfs"
check "rootfs: same packages as the image" cmp -s "$TMP/got-rootfs" "$TMP/got-layers"
"$BOSUN" sbom -q -f json -o "$TMP/rootfs2.json" "rootfs:$IM/rootfs/debian-min" || notok "bosun sbom rootfs:DIR"
check "bosun sbom rootfs:DIR finds the 88 packages" test "$(jq '[.packages[] | select(.type=="deb")] | length' "$TMP/rootfs2.json")" = 88

# SBOM formats on a real image validate against the official schemas
for f in cyclonedx spdx-json; do
	"$BOSUN" sbom -q -f $f -o "$TMP/out.$f" "$IM/oci/debian-layers" || notok "$f output"
done
check "CycloneDX output validates against the 1.6 schema" $PY ../tools/validate-schema.py cyclonedx "$TMP/out.cyclonedx"
check "SPDX output validates against the 2.3 schema" $PY ../tools/validate-schema.py spdx "$TMP/out.spdx-json"
check "bosun JSON validates against docs/bosun-sbom.schema.json" $PY ../tools/validate-schema.py bosun "$J"
check "CycloneDX has an operating-system component debian/12" test "$(jq -r '.components[] | select(.type=="operating-system") | .name + "/" + .version' "$TMP/out.cyclonedx")" = "debian/12"
check "CycloneDX has 108 library components with purls" test "$(jq '[.components[] | select(.type=="library" and (.purl|startswith("pkg:deb/")))] | length' "$TMP/out.cyclonedx")" = 108
finish
