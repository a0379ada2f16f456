#!/bin/bash
# bosun sbom FILE: SBOMs read back and matched like `bosun image` does.
#  - bosun's own CycloneDX and SPDX of the real debian-layers image give the
#    same findings (package, id, status, fix, layer) as scanning the image;
#  - hand-written Trivy-style and Syft-style CycloneDX documents and a
#    Trivy-style SPDX document (modelled on what those tools emit: Trivy's
#    aquasecurity:trivy:* properties and "Key: value" annotations, Syft's
#    upstream= qualifier and syft:* properties) for a small Debian 12 set and
#    a few npm, Maven, PyPI and Go packages; expectations derived by hand from
#    ../shared/vulndata (sources next to each line);
#  - report formats, gating and option errors;
#  - malformed SBOMs: a clear message and exit 3 (malformed) or 4 (limit).
. ./lib.sh
SHARED=${BOSUN_SHARED:-$(cd ../../.. && pwd)/shared}
V=$SHARED/vulndata
IM=${BOSUN_IMAGES:-/var/tmp/bosun-images}
DB=$TMP/vulns.db

"$BOSUN" db build -q --from "$V/debian" --from "$V/ghsa-sample" --from "$V/pypa-advisory-db" \
	--from "$V/go-vulndb" --from "$V/cisa-kev" --db "$DB" 2>"$TMP/build.err" ||
	{ notok "db build: $(head -c 400 "$TMP/build.err")"; finish; }
ok "db build from debian, ghsa-sample, pypa-advisory-db, go-vulndb, cisa-kev"

# findings JSON -> "package id status fixed" per reported finding, sorted
findings() { jq -r '.vulnerabilities[] | [.package.name, .id, .status, (.fixedVersion // "-")] | join(" ")' "$1" | sort; }

# expect_findings DESCRIPTION JSON < expected lines ('#' comments)
expect_findings() {
	grep -v '^[[:space:]]*#' | sed -e 's/[[:space:]]\+/ /g' -e 's/^ //' -e 's/ $//' -e '/^$/d' | sort > "$TMP/want"
	findings "$2" > "$TMP/got"
	if diff -u "$TMP/want" "$TMP/got" > "$TMP/diff"; then ok "$1 ($(wc -l < "$TMP/want") findings)"
	else notok "$1: $(cat "$TMP/diff")"; fi
}

rematch() { # rematch OUT.json SBOM [options...]
	local out=$1 sbom=$2; shift 2
	"$BOSUN" sbom -q --db "$DB" -f json -o "$out" "$@" "$sbom" 2>"$TMP/rematch.err" ||
		notok "sbom $sbom: $(head -c 300 "$TMP/rematch.err")"
}

# ---- bosun's own SBOMs of a real image ------------------------------------------------
IMG=$IM/oci/debian-layers
if [ -d "$IMG" ]; then
	"$BOSUN" sbom -q -f cyclonedx -o "$TMP/bom.cdx.json" "$IMG" || notok "sbom -f cyclonedx"
	"$BOSUN" sbom -q -f spdx-json -o "$TMP/bom.spdx.json" "$IMG" || notok "sbom -f spdx-json"
	"$BOSUN" image -q --scanners vuln --db "$DB" -f json -o "$TMP/image.json" "$IMG" || notok "image"
	rematch "$TMP/cdx.json" "$TMP/bom.cdx.json"
	rematch "$TMP/spdx.json" "$TMP/bom.spdx.json"
	# package, id, status, fix and the layer that introduced the package
	row() { jq -r '.vulnerabilities[] | [.package.name, .package.version, .id, .status, (.fixedVersion // "-"),
		(.package.layer.diffID // "-")] | join(" ")' "$1" | sort; }
	row "$TMP/image.json" > "$TMP/image.rows"
	check "image: the real image has findings to compare" test -s "$TMP/image.rows"
	check "CycloneDX read back: the same findings as bosun image ($(wc -l < "$TMP/image.rows"))" \
		diff -u "$TMP/image.rows" <(row "$TMP/cdx.json")
	check "SPDX read back: the same findings as bosun image" diff -u "$TMP/image.rows" <(row "$TMP/spdx.json")
	same() { jq -c "$1" "$TMP/image.json" > "$TMP/a"; jq -c "$1" "$2" > "$TMP/b"; cmp -s "$TMP/a" "$TMP/b"; }
	check "CycloneDX read back: same packages, sources, layers and purls" \
		same '[.packages[] | [.name, .version, .sourceName, .sourceVersion, .purl, .layer.diffID]]' "$TMP/cdx.json"
	check "SPDX read back: same packages, sources, layers and purls" \
		same '[.packages[] | [.name, .version, .sourceName, .sourceVersion, .purl, .layer.diffID]]' "$TMP/spdx.json"
	check "CycloneDX read back: same OS and summary" same '[.os.id, .os.versionID, .os.codename, .summary]' "$TMP/cdx.json"
	check "the report names the SBOM as its input, kind cyclonedx" \
		test "$(jq -r '.target.input + " " + .target.kind + " " + .target.name' "$TMP/cdx.json")" = \
		"$TMP/bom.cdx.json cyclonedx debian-layers:latest"
	check "JSON report of an SBOM validates" $PY ../tools/validate-schema.py vulns "$TMP/cdx.json"
	"$BOSUN" sbom -q --db "$DB" -f sarif -o "$TMP/cdx.sarif" "$TMP/bom.cdx.json" || notok "sarif"
	check "SARIF report of an SBOM validates" $PY ../tools/validate-schema.py sarif "$TMP/cdx.sarif"
	"$BOSUN" sbom -q --db "$DB" -f cyclonedx -o "$TMP/cdx.cdx" "$TMP/bom.spdx.json" || notok "cyclonedx"
	check "CycloneDX report of an SPDX SBOM validates" $PY ../tools/validate-schema.py cyclonedx "$TMP/cdx.cdx"
	"$BOSUN" sbom -q --db "$DB" -o "$TMP/table.txt" "$TMP/bom.cdx.json" || notok "table"
	check "table report by default" grep -q '^Target: *debian-layers:latest (cyclonedx)' "$TMP/table.txt"
	expect_exit 0 "a docker-archive is still scanned, not read as an SBOM" -- sbom -q -f json -o "$TMP/d.json" \
		"$IM/docker/debian-layers.tar"
	check "  ... and gives bosun JSON of the image" test "$(jq -r '.target.kind' "$TMP/d.json")" = docker-archive
	expect_exit 0 "cyclonedx: prefix" -- sbom -q --db "$DB" -f json -o /dev/null "cyclonedx:$TMP/bom.cdx.json"
	expect_exit 3 "spdx: prefix on a CycloneDX document" -- sbom -q --db "$DB" -o /dev/null "spdx:$TMP/bom.cdx.json"
	check "  ... says what it expected" stderr_has "not an SPDX document"
else
	echo "skipping real-image checks: $IMG missing (run ../shared/images/build.sh)"
fi

# ---- Trivy ------------------------------------------------------------------------------
# As `trivy image --format cyclonedx` writes a Debian 12 image: the OS component named by
# family with the point release, deb epochs in the version and in epoch=, source packages as
# SrcName/SrcVersion/SrcRelease/SrcEpoch, layers by diff ID, language packages under an
# application component (nested here, as older Trivy and others do).
cat > "$TMP/trivy.cdx.json" <<'EOF'
{
  "$schema": "http://cyclonedx.org/schema/bom-1.5.schema.json",
  "bomFormat": "CycloneDX",
  "specVersion": "1.5",
  "serialNumber": "urn:uuid:3b1e0c2a-7a55-4b5c-9d51-5f0c3ab1e6f0",
  "version": 1,
  "metadata": {
    "timestamp": "2024-03-01T10:00:00+00:00",
    "tools": { "components": [ { "type": "application", "group": "aquasecurity", "name": "trivy", "version": "0.50.1" } ] },
    "component": {
      "bom-ref": "pkg:oci/trivy-demo@sha256%3A1111?arch=amd64&repository_url=index.docker.io%2Flibrary%2Ftrivy-demo",
      "type": "container",
      "name": "trivy-demo:1",
      "purl": "pkg:oci/trivy-demo@sha256%3A1111?arch=amd64&repository_url=index.docker.io%2Flibrary%2Ftrivy-demo",
      "properties": [
        { "name": "aquasecurity:trivy:DiffID", "value": "sha256:d000000000000000000000000000000000000000000000000000000000000000" },
        { "name": "aquasecurity:trivy:DiffID", "value": "sha256:d111111111111111111111111111111111111111111111111111111111111111" },
        { "name": "aquasecurity:trivy:ImageID", "value": "sha256:a000000000000000000000000000000000000000000000000000000000000000" },
        { "name": "aquasecurity:trivy:RepoTag", "value": "trivy-demo:1" },
        { "name": "aquasecurity:trivy:SchemaVersion", "value": "2" }
      ]
    }
  },
  "components": [
    {
      "bom-ref": "pkg:deb/debian/coreutils@9.1-1?arch=amd64&distro=debian-12.4",
      "type": "library", "name": "coreutils", "version": "9.1-1",
      "purl": "pkg:deb/debian/coreutils@9.1-1?arch=amd64&distro=debian-12.4",
      "properties": [
        { "name": "aquasecurity:trivy:LayerDiffID", "value": "sha256:d000000000000000000000000000000000000000000000000000000000000000" },
        { "name": "aquasecurity:trivy:PkgID", "value": "coreutils@9.1-1" },
        { "name": "aquasecurity:trivy:PkgType", "value": "debian" },
        { "name": "aquasecurity:trivy:SrcName", "value": "coreutils" },
        { "name": "aquasecurity:trivy:SrcRelease", "value": "1" },
        { "name": "aquasecurity:trivy:SrcVersion", "value": "9.1" }
      ]
    },
    {
      "bom-ref": "pkg:deb/debian/libc-bin@2.36-9%2Bdeb12u1?arch=amd64&distro=debian-12.4",
      "type": "library", "name": "libc-bin", "version": "2.36-9+deb12u1",
      "supplier": { "name": "GNU Libc Maintainers <debian-glibc@lists.debian.org>" },
      "licenses": [ { "license": { "name": "LGPL-2.1" } } ],
      "purl": "pkg:deb/debian/libc-bin@2.36-9%2Bdeb12u1?arch=amd64&distro=debian-12.4",
      "properties": [
        { "name": "aquasecurity:trivy:LayerDiffID", "value": "sha256:d000000000000000000000000000000000000000000000000000000000000000" },
        { "name": "aquasecurity:trivy:PkgType", "value": "debian" },
        { "name": "aquasecurity:trivy:SrcName", "value": "glibc" },
        { "name": "aquasecurity:trivy:SrcRelease", "value": "9+deb12u1" },
        { "name": "aquasecurity:trivy:SrcVersion", "value": "2.36" }
      ]
    },
    {
      "bom-ref": "pkg:deb/debian/libc6@2.36-9%2Bdeb12u1?arch=amd64&distro=debian-12.4",
      "type": "library", "name": "libc6", "version": "2.36-9+deb12u1",
      "purl": "pkg:deb/debian/libc6@2.36-9%2Bdeb12u1?arch=amd64&distro=debian-12.4",
      "properties": [
        { "name": "aquasecurity:trivy:LayerDiffID", "value": "sha256:d000000000000000000000000000000000000000000000000000000000000000" },
        { "name": "aquasecurity:trivy:SrcName", "value": "glibc" },
        { "name": "aquasecurity:trivy:SrcRelease", "value": "9+deb12u1" },
        { "name": "aquasecurity:trivy:SrcVersion", "value": "2.36" }
      ]
    },
    {
      "bom-ref": "pkg:deb/debian/libssl3@3.0.11-1~deb12u1?arch=amd64&distro=debian-12.4",
      "type": "library", "name": "libssl3", "version": "3.0.11-1~deb12u1",
      "purl": "pkg:deb/debian/libssl3@3.0.11-1~deb12u1?arch=amd64&distro=debian-12.4",
      "properties": [
        { "name": "aquasecurity:trivy:LayerDiffID", "value": "sha256:d111111111111111111111111111111111111111111111111111111111111111" },
        { "name": "aquasecurity:trivy:SrcName", "value": "openssl" },
        { "name": "aquasecurity:trivy:SrcRelease", "value": "1~deb12u1" },
        { "name": "aquasecurity:trivy:SrcVersion", "value": "3.0.11" }
      ]
    },
    {
      "bom-ref": "pkg:deb/debian/libwebp7@1.2.4-0.2%2Bb1?arch=amd64&distro=debian-12.4",
      "type": "library", "name": "libwebp7", "version": "1.2.4-0.2+b1",
      "purl": "pkg:deb/debian/libwebp7@1.2.4-0.2%2Bb1?arch=amd64&distro=debian-12.4",
      "properties": [
        { "name": "aquasecurity:trivy:LayerDiffID", "value": "sha256:d111111111111111111111111111111111111111111111111111111111111111" },
        { "name": "aquasecurity:trivy:SrcName", "value": "libwebp" },
        { "name": "aquasecurity:trivy:SrcRelease", "value": "0.2" },
        { "name": "aquasecurity:trivy:SrcVersion", "value": "1.2.4" }
      ]
    },
    {
      "bom-ref": "pkg:deb/debian/openssh-client@9.2p1-2%2Bdeb12u3?arch=amd64&distro=debian-12.4&epoch=1",
      "type": "library", "name": "openssh-client", "version": "1:9.2p1-2+deb12u3",
      "purl": "pkg:deb/debian/openssh-client@9.2p1-2%2Bdeb12u3?arch=amd64&distro=debian-12.4&epoch=1",
      "properties": [
        { "name": "aquasecurity:trivy:LayerDiffID", "value": "sha256:d111111111111111111111111111111111111111111111111111111111111111" },
        { "name": "aquasecurity:trivy:SrcEpoch", "value": "1" },
        { "name": "aquasecurity:trivy:SrcName", "value": "openssh" },
        { "name": "aquasecurity:trivy:SrcRelease", "value": "2+deb12u3" },
        { "name": "aquasecurity:trivy:SrcVersion", "value": "9.2p1" }
      ]
    },
    {
      "bom-ref": "pkg:deb/debian/tar@1.34%2Bdfsg-1.2%2Bdeb12u1?arch=amd64&distro=debian-12.4",
      "type": "library", "name": "tar", "version": "1.34+dfsg-1.2+deb12u1",
      "purl": "pkg:deb/debian/tar@1.34%2Bdfsg-1.2%2Bdeb12u1?arch=amd64&distro=debian-12.4",
      "properties": [
        { "name": "aquasecurity:trivy:SrcName", "value": "tar" },
        { "name": "aquasecurity:trivy:SrcRelease", "value": "1.2+deb12u1" },
        { "name": "aquasecurity:trivy:SrcVersion", "value": "1.34+dfsg" }
      ]
    },
    {
      "bom-ref": "7f3f2f4e-6a55-4e1c-9c1c-2b8d1f1f0a01",
      "type": "operating-system", "name": "debian", "version": "12.4",
      "properties": [
        { "name": "aquasecurity:trivy:Class", "value": "os-pkgs" },
        { "name": "aquasecurity:trivy:Type", "value": "debian" }
      ]
    },
    {
      "bom-ref": "0c6a1d6e-1c55-4a0a-8f55-0a2b9e1b7c02",
      "type": "application", "name": "app/package-lock.json",
      "properties": [
        { "name": "aquasecurity:trivy:Class", "value": "lang-pkgs" },
        { "name": "aquasecurity:trivy:Type", "value": "npm" }
      ],
      "components": [
        {
          "bom-ref": "pkg:npm/semver@7.5.1",
          "type": "library", "name": "semver", "version": "7.5.1",
          "purl": "pkg:npm/semver@7.5.1",
          "properties": [
            { "name": "aquasecurity:trivy:FilePath", "value": "app/package-lock.json" },
            { "name": "aquasecurity:trivy:LayerDiffID", "value": "sha256:d111111111111111111111111111111111111111111111111111111111111111" }
          ]
        },
        {
          "bom-ref": "pkg:npm/%40babel/core@7.23.0",
          "type": "library", "group": "@babel", "name": "core", "version": "7.23.0",
          "purl": "pkg:npm/%40babel/core@7.23.0"
        }
      ]
    },
    {
      "bom-ref": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?file_path=app%2Flib%2Flog4j-core-2.14.1.jar",
      "type": "library", "group": "org.apache.logging.log4j", "name": "log4j-core", "version": "2.14.1",
      "purl": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
      "properties": [
        { "name": "aquasecurity:trivy:FilePath", "value": "app/lib/log4j-core-2.14.1.jar" },
        { "name": "aquasecurity:trivy:Type", "value": "jar" }
      ]
    }
  ],
  "dependencies": [
    { "ref": "7f3f2f4e-6a55-4e1c-9c1c-2b8d1f1f0a01", "dependsOn": [ "pkg:deb/debian/libc6@2.36-9%2Bdeb12u1?arch=amd64&distro=debian-12.4" ] }
  ],
  "vulnerabilities": []
}
EOF
rematch "$TMP/trivy.json" "$TMP/trivy.cdx.json"
expect_findings "Trivy CycloneDX (Debian 12, npm, Maven)" "$TMP/trivy.json" <<'EOF'
# debian/tracker-entries-sample/DSA-list.sample: DSA-5514-1 [bookworm] glibc 2.36-9+deb12u3 (CVE-2023-4911),
# DSA-5673-1 [bookworm] glibc 2.36-9+deb12u6 (CVE-2024-2961); libc6 and libc-bin are looked up as
# source glibc at 2.36-9+deb12u1 (SrcVersion 2.36 + SrcRelease 9+deb12u1)
libc6     CVE-2023-4911 fixed 2.36-9+deb12u3
libc6     CVE-2024-2961 fixed 2.36-9+deb12u6
libc-bin  CVE-2023-4911 fixed 2.36-9+deb12u3
libc-bin  CVE-2024-2961 fixed 2.36-9+deb12u6
# DSA-5532-1 [bookworm] openssl 3.0.11-1~deb12u2: "~deb12u1" sorts below it
libssl3   CVE-2023-5363 fixed 3.0.11-1~deb12u2
# binNMU 1.2.4-0.2+b1, source libwebp 1.2.4-0.2 (SrcVersion + SrcRelease): CVE-2023-5129 [bookworm]
# 1.2.4-0.2+deb12u1; CVE-2023-4863 has no bookworm line, so unstable's 1.2.4-0.3
libwebp7  CVE-2023-5129 fixed 1.2.4-0.2+deb12u1
libwebp7  CVE-2023-4863 fixed 1.2.4-0.3
# CVE-2016-2781: [bookworm] - coreutils <ignored>
coreutils CVE-2016-2781 will_not_fix -
# openssh-client is at DSA-5724-1's 1:9.2p1-2+deb12u3: only because SrcEpoch 1 is read (without it,
# 9.2p1-2+deb12u3 would sort below the fix); tar is at CVE-2022-48303's 1.34+dfsg-1.2+deb12u1: nothing
# ghsa-sample GHSA-c2qf-rxjj-qqgw (CVE-2022-25883): npm semver [7.0.0, 7.5.2); @babel/core has no advisory
semver    CVE-2022-25883 fixed 7.5.2
# ghsa-sample GHSA-jfh8-c2jp-5v3q (CVE-2021-44228): Maven org.apache.logging.log4j:log4j-core [2.13.0, 2.15.0)
org.apache.logging.log4j:log4j-core CVE-2021-44228 fixed 2.15.0
EOF
J=$TMP/trivy.json
check "Trivy: OS debian 12.4 from the operating-system component, matched as debian:12" \
	test "$(jq -r '.os.id + " " + .os.versionID + " " + ([.vulnerabilities[] | select(.package.name=="libc6") | .ecosystem] | unique | join(","))' "$J")" = "debian 12.4 debian:12"
check "Trivy: layers from LayerDiffID (libssl3 in the second layer)" \
	test "$(jq -r '[.vulnerabilities[] | select(.package.name=="libssl3") | .package.layer.diffID] | unique | join(",")' "$J")" = \
	sha256:d111111111111111111111111111111111111111111111111111111111111111
check "Trivy: openssh-client read as 1:9.2p1-2+deb12u3, source openssh 1:9.2p1-2+deb12u3" \
	test "$(jq -r '.packages[] | select(.name=="openssh-client") | [.version, .epoch, .sourceName, .sourceVersion] | join(" ")' "$J")" = \
	"1:9.2p1-2+deb12u3 1 openssh 1:9.2p1-2+deb12u3"
check "Trivy: the scoped npm package keeps its scope, Maven its group" \
	test "$(jq -r '[.packages[] | select(.type=="npm" or .type=="maven") | .name] | sort | join(",")' "$J")" = \
	"@babel/core,org.apache.logging.log4j:log4j-core,semver"
check "Trivy: image ID, layers and tag from the target's properties" \
	test "$(jq -r '[.image.id, (.image.layers | length), (.image.repoTags | join(","))] | join(" ")' "$J")" = \
	"sha256:a000000000000000000000000000000000000000000000000000000000000000 2 trivy-demo:1"
check "Trivy: KEV flag on CVE-2021-44228" \
	test "$(jq -r '.vulnerabilities[] | select(.id=="CVE-2021-44228") | .kev != null' "$J")" = true
check "Trivy: JSON report validates" $PY ../tools/validate-schema.py vulns "$J"
"$BOSUN" sbom -q --db "$DB" -f cyclonedx -o "$TMP/trivy.report.cdx" "$TMP/trivy.cdx.json" || notok "cyclonedx report"
check "Trivy: CycloneDX report (deb, npm and Maven components) validates" \
	$PY ../tools/validate-schema.py cyclonedx "$TMP/trivy.report.cdx"
check "Trivy: CVE-2021-44228 affects the Maven component pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1" \
	test "$(jq -r '.vulnerabilities[] | select(.id=="CVE-2021-44228") | .affects[].ref' "$TMP/trivy.report.cdx")" = \
	pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1

# ---- Syft ---------------------------------------------------------------------------------
# As `syft -o cyclonedx-json` writes a Debian 12 image: no epoch= (Syft keeps the epoch in the
# version), literal '+', the source package in upstream= ("glibc", "libwebp@1.2.4-0.2"), layers as
# syft:location:0:layerID, file components, the OS component after the packages with
# syft:distro:* properties, the image by its ID in metadata.component.version.
cat > "$TMP/syft.cdx.json" <<'EOF'
{
  "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
  "bomFormat": "CycloneDX",
  "specVersion": "1.6",
  "serialNumber": "urn:uuid:9a0f2f5e-3c1d-4f4e-8d8a-1c2b3d4e5f60",
  "version": 1,
  "metadata": {
    "timestamp": "2024-03-01T11:00:00+01:00",
    "tools": { "components": [ { "type": "application", "author": "anchore", "name": "syft", "version": "1.4.1" } ] },
    "component": { "bom-ref": "4a1b2c3d4e5f6071", "type": "container", "name": "syft-demo",
                   "version": "sha256:b000000000000000000000000000000000000000000000000000000000000000" }
  },
  "components": [
    {
      "bom-ref": "pkg:deb/debian/libc6@2.36-9+deb12u1?arch=amd64&upstream=glibc&distro=debian-12&package-id=1a2b",
      "type": "library", "publisher": "GNU Libc Maintainers <debian-glibc@lists.debian.org>",
      "name": "libc6", "version": "2.36-9+deb12u1",
      "licenses": [ { "license": { "name": "LGPL-2.1" } } ],
      "cpe": "cpe:2.3:a:libc6:libc6:2.36-9\\+deb12u1:*:*:*:*:*:*:*",
      "purl": "pkg:deb/debian/libc6@2.36-9+deb12u1?arch=amd64&upstream=glibc&distro=debian-12",
      "properties": [
        { "name": "syft:package:foundBy", "value": "dpkg-db-cataloger" },
        { "name": "syft:package:type", "value": "deb" },
        { "name": "syft:package:metadataType", "value": "dpkg-db-entry" },
        { "name": "syft:location:0:layerID", "value": "sha256:c000000000000000000000000000000000000000000000000000000000000000" },
        { "name": "syft:location:0:path", "value": "/var/lib/dpkg/status" },
        { "name": "syft:metadata:installedSize", "value": "12987" }
      ]
    },
    {
      "bom-ref": "pkg:deb/debian/libssl3@3.0.11-1~deb12u1?arch=amd64&upstream=openssl&distro=debian-12&package-id=2b3c",
      "type": "library", "name": "libssl3", "version": "3.0.11-1~deb12u1",
      "purl": "pkg:deb/debian/libssl3@3.0.11-1~deb12u1?arch=amd64&upstream=openssl&distro=debian-12",
      "properties": [ { "name": "syft:location:0:layerID", "value": "sha256:c111111111111111111111111111111111111111111111111111111111111111" } ]
    },
    {
      "bom-ref": "pkg:deb/debian/libwebp7@1.2.4-0.2+b1?arch=amd64&upstream=libwebp%401.2.4-0.2&distro=debian-12&package-id=3c4d",
      "type": "library", "name": "libwebp7", "version": "1.2.4-0.2+b1",
      "purl": "pkg:deb/debian/libwebp7@1.2.4-0.2+b1?arch=amd64&upstream=libwebp%401.2.4-0.2&distro=debian-12"
    },
    {
      "bom-ref": "pkg:deb/debian/openssh-client@1:9.2p1-2+deb12u2?arch=amd64&upstream=openssh&distro=debian-12&package-id=4d5e",
      "type": "library", "name": "openssh-client", "version": "1:9.2p1-2+deb12u2",
      "purl": "pkg:deb/debian/openssh-client@1:9.2p1-2+deb12u2?arch=amd64&upstream=openssh&distro=debian-12"
    },
    {
      "bom-ref": "pkg:deb/debian/openssh-server@1:9.2p1-2+deb12u3?arch=amd64&upstream=openssh&distro=debian-12&package-id=5e6f",
      "type": "library", "name": "openssh-server", "version": "1:9.2p1-2+deb12u3",
      "purl": "pkg:deb/debian/openssh-server@1:9.2p1-2+deb12u3?arch=amd64&upstream=openssh&distro=debian-12"
    },
    {
      "bom-ref": "pkg:pypi/PyYAML@5.3.1?package-id=6f70",
      "type": "library", "name": "PyYAML", "version": "5.3.1",
      "purl": "pkg:pypi/PyYAML@5.3.1",
      "properties": [
        { "name": "syft:package:language", "value": "python" },
        { "name": "syft:location:0:path", "value": "/usr/lib/python3/dist-packages/PyYAML-5.3.1.egg-info" }
      ]
    },
    {
      "bom-ref": "pkg:golang/golang.org/x/text@v0.3.7?package-id=7081",
      "type": "library", "name": "golang.org/x/text", "version": "v0.3.7",
      "purl": "pkg:golang/golang.org/x/text@v0.3.7",
      "properties": [ { "name": "syft:package:language", "value": "go" } ]
    },
    { "bom-ref": "8192", "type": "file", "name": "/var/lib/dpkg/status" },
    {
      "bom-ref": "os:debian@12",
      "type": "operating-system", "name": "debian", "version": "12",
      "description": "Debian GNU/Linux 12 (bookworm)",
      "swid": { "tagId": "debian", "name": "debian", "version": "12" },
      "properties": [
        { "name": "syft:distro:id", "value": "debian" },
        { "name": "syft:distro:prettyName", "value": "Debian GNU/Linux 12 (bookworm)" },
        { "name": "syft:distro:versionCodename", "value": "bookworm" },
        { "name": "syft:distro:versionID", "value": "12" }
      ]
    }
  ]
}
EOF
rematch "$TMP/syft.json" "$TMP/syft.cdx.json"
expect_findings "Syft CycloneDX (Debian 12, PyPI, Go)" "$TMP/syft.json" <<'EOF'
# libc6 by upstream=glibc (no version in the qualifier: the binary's 2.36-9+deb12u1): DSA-5514-1, DSA-5673-1
libc6     CVE-2023-4911 fixed 2.36-9+deb12u3
libc6     CVE-2024-2961 fixed 2.36-9+deb12u6
# libssl3 by upstream=openssl: DSA-5532-1
libssl3   CVE-2023-5363 fixed 3.0.11-1~deb12u2
# libwebp7 by upstream=libwebp@1.2.4-0.2 (the binNMU's source version)
libwebp7  CVE-2023-5129 fixed 1.2.4-0.2+deb12u1
libwebp7  CVE-2023-4863 fixed 1.2.4-0.3
# DSA-5724-1 [bookworm] openssh 1:9.2p1-2+deb12u3: the client's deb12u2 is below, the server is at it
openssh-client CVE-2024-6387 fixed 1:9.2p1-2+deb12u3
# pypa-advisory-db/vulns/pyyaml: PYSEC-2021-142 [0, 5.4) affects 5.3.1; PYSEC-2020-96 [5.1, 5.3.1) fixed
# at 5.3.1; PYSEC-2018-49 (< 5.1) and PYSEC-2020-176 [5.1, 5.2b1) do not reach it
PyYAML    CVE-2020-14343 fixed 5.4
# go-vulndb: GO-2022-1059 golang.org/x/text < 0.3.8, GO-2026-5970 < 0.39.0; GO-2021-0113 is fixed at
# 0.3.7 and GO-2020-0015 at 0.3.3
golang.org/x/text CVE-2022-32149 fixed 0.3.8
golang.org/x/text CVE-2026-56852 fixed 0.39.0
EOF
J=$TMP/syft.json
check "Syft: the OS from its operating-system component (debian 12 bookworm)" \
	test "$(jq -r '[.os.id, .os.versionID, .os.codename] | join(" ")' "$J")" = "debian 12 bookworm"
check "Syft: source packages from upstream= (libwebp7 -> libwebp 1.2.4-0.2)" \
	test "$(jq -r '.packages[] | select(.name=="libwebp7") | .sourceName + " " + .sourceVersion' "$J")" = "libwebp 1.2.4-0.2"
check "Syft: layer IDs and paths kept (libc6 in layer sha256:c000..., var/lib/dpkg/status)" \
	test "$(jq -r '.packages[] | select(.name=="libc6") | .layer.diffID + " " + .foundIn' "$J")" = \
	"sha256:c000000000000000000000000000000000000000000000000000000000000000 var/lib/dpkg/status"

# Without the operating-system component, the OS comes from the purls' distro=debian-12.
jq 'del(.components[] | select(.type == "operating-system"))' "$TMP/syft.cdx.json" > "$TMP/syft-noos.cdx.json"
rematch "$TMP/syft-noos.json" "$TMP/syft-noos.cdx.json"
check "Syft without an OS component: distro=debian-12 gives the same findings" \
	diff <(findings "$TMP/syft.json") <(findings "$TMP/syft-noos.json")
# ... and the purl spec's codename form distro=bookworm too.
sed 's/distro=debian-12/distro=bookworm/g' "$TMP/syft-noos.cdx.json" > "$TMP/syft-codename.cdx.json"
rematch "$TMP/syft-codename.json" "$TMP/syft-codename.cdx.json"
check "distro=bookworm: the same findings, keyed debian:12" \
	diff <(findings "$TMP/syft.json") <(findings "$TMP/syft-codename.json")

# ---- SPDX ------------------------------------------------------------------------------------
# As `trivy image --format spdx-json` writes it: the OS by primaryPackagePurpose, the source
# package in sourceInfo, Trivy's "Key: value" annotations, the image described by the document.
cat > "$TMP/trivy.spdx.json" <<'EOF'
{
  "spdxVersion": "SPDX-2.3",
  "dataLicense": "CC0-1.0",
  "SPDXID": "SPDXRef-DOCUMENT",
  "name": "trivy-demo:1",
  "documentNamespace": "http://aquasecurity.github.io/trivy/container_image/trivy-demo:1-0b1f",
  "creationInfo": { "creators": [ "Organization: aquasecurity", "Tool: trivy-0.50.1" ], "created": "2024-03-01T10:00:00Z" },
  "packages": [
    {
      "name": "libc6", "SPDXID": "SPDXRef-Package-5f7c0e1d2a3b4c5d", "versionInfo": "2.36-9+deb12u1",
      "supplier": "Organization: GNU Libc Maintainers <debian-glibc@lists.debian.org>",
      "downloadLocation": "NONE", "filesAnalyzed": false,
      "sourceInfo": "built package from: glibc 2.36-9+deb12u1",
      "licenseConcluded": "LGPL-2.1-only", "licenseDeclared": "LGPL-2.1-only",
      "externalRefs": [ { "referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
        "referenceLocator": "pkg:deb/debian/libc6@2.36-9%2Bdeb12u1?arch=amd64&distro=debian-12.4" } ],
      "primaryPackagePurpose": "LIBRARY",
      "annotations": [
        { "annotator": "Tool: trivy-0.50.1", "annotationDate": "2024-03-01T10:00:00Z", "annotationType": "OTHER", "comment": "LayerDiffID: sha256:d000000000000000000000000000000000000000000000000000000000000000" },
        { "annotator": "Tool: trivy-0.50.1", "annotationDate": "2024-03-01T10:00:00Z", "annotationType": "OTHER", "comment": "PkgType: debian" }
      ]
    },
    {
      "name": "openssh-client", "SPDXID": "SPDXRef-Package-6a7b8c9d0e1f2a3b", "versionInfo": "1:9.2p1-2+deb12u2",
      "downloadLocation": "NONE", "filesAnalyzed": false,
      "sourceInfo": "built package from: openssh 1:9.2p1-2+deb12u2",
      "externalRefs": [ { "referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
        "referenceLocator": "pkg:deb/debian/openssh-client@9.2p1-2%2Bdeb12u2?arch=amd64&distro=debian-12.4&epoch=1" } ],
      "primaryPackagePurpose": "LIBRARY"
    },
    {
      "name": "debian", "SPDXID": "SPDXRef-OperatingSystem-0a1b2c3d4e5f6071", "versionInfo": "12.4",
      "downloadLocation": "NONE", "filesAnalyzed": false, "primaryPackagePurpose": "OPERATING-SYSTEM"
    },
    {
      "name": "trivy-demo:1", "SPDXID": "SPDXRef-ContainerImage-1a2b3c4d5e6f7081",
      "downloadLocation": "NONE", "filesAnalyzed": false, "primaryPackagePurpose": "CONTAINER",
      "annotations": [
        { "annotator": "Tool: trivy-0.50.1", "annotationDate": "2024-03-01T10:00:00Z", "annotationType": "OTHER", "comment": "DiffID: sha256:d000000000000000000000000000000000000000000000000000000000000000" },
        { "annotator": "Tool: trivy-0.50.1", "annotationDate": "2024-03-01T10:00:00Z", "annotationType": "OTHER", "comment": "ImageID: sha256:a000000000000000000000000000000000000000000000000000000000000000" }
      ]
    }
  ],
  "relationships": [
    { "spdxElementId": "SPDXRef-DOCUMENT", "relatedSpdxElement": "SPDXRef-ContainerImage-1a2b3c4d5e6f7081", "relationshipType": "DESCRIBES" },
    { "spdxElementId": "SPDXRef-ContainerImage-1a2b3c4d5e6f7081", "relatedSpdxElement": "SPDXRef-OperatingSystem-0a1b2c3d4e5f6071", "relationshipType": "CONTAINS" },
    { "spdxElementId": "SPDXRef-OperatingSystem-0a1b2c3d4e5f6071", "relatedSpdxElement": "SPDXRef-Package-5f7c0e1d2a3b4c5d", "relationshipType": "DEPENDS_ON" }
  ]
}
EOF
rematch "$TMP/trivy-spdx.json" "$TMP/trivy.spdx.json"
expect_findings "Trivy SPDX (Debian 12)" "$TMP/trivy-spdx.json" <<'EOF'
# sourceInfo "built package from: glibc 2.36-9+deb12u1": DSA-5514-1, DSA-5673-1
libc6 CVE-2023-4911 fixed 2.36-9+deb12u3
libc6 CVE-2024-2961 fixed 2.36-9+deb12u6
# sourceInfo openssh 1:9.2p1-2+deb12u2 (the epoch also in versionInfo and epoch=): DSA-5724-1
openssh-client CVE-2024-6387 fixed 1:9.2p1-2+deb12u3
EOF
check "Trivy SPDX: libc6 in layer sha256:d000... (annotation LayerDiffID)" \
	test "$(jq -r '.packages[] | select(.name=="libc6") | .layer.diffID' "$TMP/trivy-spdx.json")" = \
	sha256:d000000000000000000000000000000000000000000000000000000000000000

# ---- gating and options --------------------------------------------------------------------------
T=$TMP/trivy.cdx.json
expect_exit 0 "findings without --exit-code" -- sbom -q --db "$DB" -o /dev/null "$T"
expect_exit 1 "--exit-code 1 with findings" -- sbom -q --db "$DB" -o /dev/null --exit-code 1 "$T"
# severities: log4j-core CRITICAL and semver MEDIUM (GHSA), coreutils LOW (tracker), the rest UNKNOWN
expect_exit 5 "--severity CRITICAL --exit-code 5 (log4j-core)" -- sbom -q --db "$DB" -o /dev/null --exit-code 5 \
	--severity CRITICAL "$T"
expect_exit 0 "--severity HIGH leaves nothing" -- sbom -q --db "$DB" -o /dev/null --exit-code 1 --severity HIGH "$T"
printf 'CVE-2023-4911\nCVE-2024-2961\nCVE-2023-5363\nCVE-2023-5129\nCVE-2023-4863\nCVE-2022-25883\nCVE-2021-44228\n' > "$TMP/ignore"
expect_exit 0 "ignore file + --ignore-unfixed: nothing left" -- sbom -q --db "$DB" -o /dev/null --exit-code 1 \
	--ignore-unfixed --ignorefile "$TMP/ignore" "$T"
expect_exit 2 "-f spdx-json is no report format" -- sbom -q --db "$DB" -f spdx-json "$T"
check "  ... named in the message" stderr_has "unknown format 'spdx-json'"
expect_exit 2 "--image applies to images, not SBOMs" -- sbom -q --db "$DB" --image x:1 "$T"
if [ -d "$IMG" ]; then
	expect_exit 2 "--db applies to SBOMs, not to writing one" -- sbom -q --db "$DB" -o /dev/null "$IMG"
fi
expect_exit 3 "no database" -- sbom -q --db "$TMP/none.db" -o /dev/null "$T"
check "  ... says how to get one" stderr_has "bosun db build"

# ---- malformed SBOMs -------------------------------------------------------------------------------
bad() { # bad CODE DESCRIPTION MESSAGE-PART < document
	local code=$1 d=$2 msg=$3
	cat > "$TMP/bad.json"
	expect_exit "$code" "$d" -- sbom -q --db "$DB" -o /dev/null "$TMP/bad.json"
	check "  ... $msg" stderr_has "$msg"
}
printf '{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [' | bad 3 "truncated JSON" "invalid JSON"
echo '{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": {}}' |
	bad 3 "components not an array" "components: expected an array"
echo '{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{"type": "library", "purl": 5}]}' |
	bad 3 "purl not a string" "components\[0\].purl: expected a string"
echo '{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{"components": [{"purl": "pkg:deb/debian/x%zz@1"}]}]}' |
	bad 3 "bogus purl (bad escape)" "components\[0\].components\[0\]: invalid purl"
echo '{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{"purl": "deb/debian/x@1"}]}' |
	bad 3 "bogus purl (no scheme)" "no pkg: scheme"
echo '{"bomFormat": "CycloneDX", "specVersion": "3.0", "components": []}' | bad 3 "unknown specVersion" "not supported"
echo '{"spdxVersion": "SPDX-2.3", "packages": [{"SPDXID": 7}]}' | bad 3 "SPDXID not a string" "packages\[0\].SPDXID"
echo '{"spdxVersion": "SPDX-3.0", "packages": []}' | bad 3 "SPDX 3" "SPDX-3.0"
echo '{"name": "not an sbom"}' | bad 3 "JSON that is no SBOM" "not an SBOM"
{ printf '{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": '
  head -c 200000 /dev/zero | tr '\0' '['; head -c 200000 /dev/zero | tr '\0' ']'; printf '}'; } |
	bad 4 "nesting bomb" "nested deeper than"
{ printf '{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{"type": "library", "name": "'
  head -c 100000 /dev/zero | tr '\0' 'a'; printf '", "purl": "pkg:deb/debian/x@1"}]}'; } |
	bad 4 "huge name" "components\[0\].name: longer than 4096 bytes"
{ printf '{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{"purl": "pkg:npm/'
  head -c 100000 /dev/zero | tr '\0' 'a'; printf '@1"}]}'; } |
	bad 4 "huge purl" "longer than 4096 bytes"
expect_exit 3 "a missing SBOM given as cyclonedx:FILE" -- sbom -q --db "$DB" "cyclonedx:$TMP/none.json"
check "  ... names the file" stderr_has "cannot open SBOM $TMP/none.json"

finish
