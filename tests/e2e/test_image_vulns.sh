#!/bin/bash
# bosun image / fs: matching against a database built with `bosun db build`
# from the real feeds in ../shared/vulndata, on root filesystems made here
# (dpkg status of Debian 10/11/12, an Alpine 3.11 apk database, AlmaLinux 8
# and 9 rpm databases), then reports, schemas and CI gating.
#
# Every expected finding is derived by hand from the advisory text in
# vulndata and the reason is written next to it:
#   DSA   = debian/security-tracker-2023-04/data/DSA/list (and DLA/list)
#   CVE   = debian/tracker-entries-sample/CVE-list.sample (data/CVE/list form)
#   DSA*  = debian/tracker-entries-sample/DSA-list.sample (the 5 bookworm DSAs)
#   UCT   = ubuntu-cve-tracker-2020/{active,retired}/CVE-* (bionic_<src>: lines)
#   secdb = alpine-secdb/v3.11/main.yaml;  ALSA = almalinux-osv/advisories/almalinux{8,9}
#   GHSA  = ghsa-sample (GHSA-jfh8-c2jp-5v3q: log4j-core, alias CVE-2021-44228, CVSS 3.1 10.0)
#   KEV   = cisa-kev/known_exploited_vulnerabilities.json (dateAdded)
# Severities without a rating of the finding's own (Debian's DSA-only entries carry no urgency) come
# from other evidence for the same CVE (docs/matching.md#severity): the highest AlmaLinux erratum
# rating that lists the CVE in related[] ("Important:" -> HIGH, "Moderate:" -> MEDIUM), Ubuntu's
# Priority, or a GHSA's CVSS vector.
# A release without its own line in a CVE entry follows the unstable line
# (`- pkg VERSION`), as the tracker itself does; a DSA/DLA fix for a release
# wins over that. The samples are early states of some entries (e.g.
# CVE-2023-4911 still says `- glibc <unfixed>`); expectations follow the data.
. ./lib.sh
SHARED=${BOSUN_SHARED:-$(cd ../../.. && pwd)/shared}
V=$SHARED/vulndata
IM=${BOSUN_IMAGES:-/var/tmp/bosun-images}
TOOLS=$(cd ../tools && pwd)
DB=$TMP/vulns.db

"$BOSUN" db build -q --from "$V/debian" --from "$V/ubuntu-cve-tracker-2020" --from "$V/alpine-secdb" \
	--from "$V/almalinux-osv" --from "$V/cisa-kev" --from "$V/ghsa-sample" --db "$DB" 2>"$TMP/build.err" ||
	{ notok "db build: $(head -c 400 "$TMP/build.err")"; finish; }
ok "db build from debian, ubuntu-cve-tracker-2020, alpine-secdb, almalinux-osv, cisa-kev, ghsa-sample"

# ---- fixtures ------------------------------------------------------------------

# mkdeb DIR VERSION_ID CODENAME < "name|version|Source field|Status" lines
# (Status defaults to "install ok installed"; '#' lines are comments)
mkdeb() {
	local d=$1 vid=$2 code=$3 name version source state
	mkdir -p "$d/etc" "$d/var/lib/dpkg"
	printf 'PRETTY_NAME="Debian GNU/Linux %s (%s)"\nNAME="Debian GNU/Linux"\nVERSION_ID="%s"\nVERSION="%s (%s)"\nVERSION_CODENAME=%s\nID=debian\n' \
		"$vid" "$code" "$vid" "$vid" "$code" "$code" > "$d/etc/os-release"
	: > "$d/var/lib/dpkg/status"
	while IFS='|' read -r name version source state; do
		case $name in '' | '#'*) continue ;; esac
		{
			printf 'Package: %s\nStatus: %s\nPriority: optional\nArchitecture: amd64\n' "$name" "${state:-install ok installed}"
			[ -n "$source" ] && printf 'Source: %s\n' "$source"
			printf 'Version: %s\nDescription: test fixture\n\n' "$version"
		} >> "$d/var/lib/dpkg/status"
	done
}

# findings JSON -> "package id status fixed" per reported finding, sorted
findings() { jq -r '.vulnerabilities[] | [.package.name, .id, .status, (.fixedVersion // "-")] | join(" ")' "$1" | sort; }

# expect_findings DESCRIPTION JSON < expected lines ("package id status fixed"; '#' comments)
expect_findings() {
	grep -v '^[[:space:]]*#' | sed -e 's/[[:space:]]\+/ /g' -e 's/^ //' -e 's/ $//' -e '/^$/d' | sort > "$TMP/want"
	findings "$2" > "$TMP/got"
	if diff -u "$TMP/want" "$TMP/got" > "$TMP/diff"; then ok "$1 ($(wc -l < "$TMP/want") findings)"
	else notok "$1: $(cat "$TMP/diff")"; fi
}

scan() { # scan OUT.json TARGET [options...]
	local out=$1 target=$2; shift 2
	"$BOSUN" image -q --db "$DB" -f json -o "$out" "$@" "$target" 2>"$TMP/scan.err" ||
		notok "scan $target: $(head -c 300 "$TMP/scan.err")"
}

# Debian 12 (bookworm), versions below the fixes.
mkdeb "$TMP/deb12-below" 12 bookworm <<'EOF'
libc6|2.36-9+deb12u1|glibc|
libc-bin|2.36-9+deb12u1|glibc|
libssl3|3.0.11-1~deb12u1|openssl|
libcurl4|7.88.1-10+deb12u3|curl|
curl|7.88.1-10+deb12u3||deinstall ok config-files
openssh-client|1:9.2p1-2+deb12u2|openssh|
liblzma5|5.4.1-0.2|xz-utils|
libtinfo6|6.4-4|ncurses|
libexpat1|2.5.0-1|expat|
libxmltok1|1.2-4.1|libxmltok|
libwebp7|1.2.4-0.2+b1|libwebp (1.2.4-0.2)|
coreutils|9.1-1||
tar|1.34+dfsg-1.2||
nginx|1.22.1-9||
libnghttp2-14|1.52.0-1|nghttp2|
dnsdist|1.7.3-2||
liblog4j1.2-java|1.2.17-11|apache-log4j1.2|
base-files|12.4+deb12u5||
EOF
scan "$TMP/deb12-below.json" "rootfs:$TMP/deb12-below"
expect_findings "debian 12 below the fixes" "$TMP/deb12-below.json" <<'EOF'
# DSA*-5514-1 [bookworm] glibc 2.36-9+deb12u3 (CVE-2023-4911); DSA*-5673-1 2.36-9+deb12u6 (CVE-2024-2961);
# libc6 and libc-bin are binaries of source glibc: looked up as glibc, both reported.
libc6     CVE-2023-4911 fixed 2.36-9+deb12u3
libc6     CVE-2024-2961 fixed 2.36-9+deb12u6
libc-bin  CVE-2023-4911 fixed 2.36-9+deb12u3
libc-bin  CVE-2024-2961 fixed 2.36-9+deb12u6
# DSA*-5532-1 [bookworm] openssl 3.0.11-1~deb12u2; "~deb12u1" sorts below it
libssl3   CVE-2023-5363 fixed 3.0.11-1~deb12u2
# DSA*-5523-1 [bookworm] curl 7.88.1-10+deb12u4 for both CVEs (38546 has no CVE-list entry here);
# the `curl` binary is deinstalled (config-files only): not reported
libcurl4  CVE-2023-38545 fixed 7.88.1-10+deb12u4
libcurl4  CVE-2023-38546 fixed 7.88.1-10+deb12u4
# DSA*-5724-1 [bookworm] openssh 1:9.2p1-2+deb12u3 (epoch 1 on both sides)
openssh-client CVE-2024-6387 fixed 1:9.2p1-2+deb12u3
# CVE-2024-3094: [bookworm] - xz-utils <not-affected>: never reported (liblzma5 absent)
# CVE-2023-50495: [bookworm] - ncurses <no-dsa> (Minor issue): open, no fix
libtinfo6 CVE-2023-50495 no_dsa -
# CVE-2023-52425: [bookworm] - expat 2.5.0-1+deb12u2
libexpat1 CVE-2023-52425 fixed 2.5.0-1+deb12u2
# CVE-2023-52425: - libxmltok <removed> and [bookworm] - libxmltok <ignored>
libxmltok1 CVE-2023-52425 will_not_fix -
# binNMU 1.2.4-0.2+b1 of source libwebp 1.2.4-0.2: CVE-2023-5129 [bookworm] 1.2.4-0.2+deb12u1;
# CVE-2023-4863 has no bookworm line (its DSA-5496 is not in our data): follows unstable 1.2.4-0.3
libwebp7  CVE-2023-5129 fixed 1.2.4-0.2+deb12u1
libwebp7  CVE-2023-4863 fixed 1.2.4-0.3
# CVE-2016-2781: [bookworm] - coreutils <ignored> (Minor issue)
coreutils CVE-2016-2781 will_not_fix -
# CVE-2022-48303: [bookworm] - tar 1.34+dfsg-1.2+deb12u1
tar       CVE-2022-48303 fixed 1.34+dfsg-1.2+deb12u1
# CVE-2023-44487: nginx and nghttp2 have no bookworm line: unstable's 1.24.0-2 and 1.57.0-1
nginx     CVE-2023-44487 fixed 1.24.0-2
libnghttp2-14 CVE-2023-44487 fixed 1.57.0-1
# CVE-2023-44487: [bookworm] - dnsdist <no-dsa>, and security-support-ended.deb12 lists dnsdist: end-of-life
dnsdist   CVE-2023-44487 end_of_life -
# CVE-2021-44228: - apache-log4j1.2 <not-affected> (unstable line, bookworm follows): not reported
EOF
J=$TMP/deb12-below.json
check "binNMU: installedVersion is the source version 1.2.4-0.2" \
	test "$(jq -r '[.vulnerabilities[] | select(.package.name=="libwebp7") | .installedVersion] | unique | join(",")' "$J")" = "1.2.4-0.2"
check "renamed binary: libc6 looked up as source glibc in debian:12" \
	test "$(jq -r '[.vulnerabilities[] | select(.package.name=="libc6") | .ecosystem + "/" + .databasePackage] | unique | join(",")' "$J")" = "debian:12/glibc"
check "severity from the tracker's urgency: coreutils LOW (low), tar NEGLIGIBLE (unimportant)" \
	test "$(jq -r '[.vulnerabilities[] | select(.package.name=="coreutils" or .package.name=="tar") | .package.name + "=" + .severity + "/" + .severitySource] | sort | join(",")' "$J")" = "coreutils=LOW/debian,tar=NEGLIGIBLE/debian"
check "KEV flag: CVE-2023-4911 added 2023-11-21" \
	test "$(jq -r '[.vulnerabilities[] | select(.id=="CVE-2023-4911") | .kev.dateAdded] | unique | join(",")' "$J")" = "2023-11-21"
check "JSON report validates against docs/bosun-vulns.schema.json" $PY ../tools/validate-schema.py vulns "$J"
check "summary counts the 18 reported findings in 14 packages" \
	test "$(jq -r '[.summary.reported, .summary.vulnerablePackages] | join(" ")' "$J")" = "18 14"
# No urgency in Debian's data for these: the highest rating of the AlmaLinux errata whose related[]
# names the CVE: CVE-2023-4911 ALSA-2023:5453/5455 "Important: glibc"; CVE-2024-2961 ALSA-2024:2722,
# 3269, ... "Important: glibc"; CVE-2024-6387 ALSA-2024:4312 "Important: openssh"; CVE-2023-5363
# ALSA-2024:0310 "Moderate: openssl"; CVE-2023-44487 29 errata, "Moderate" (nginx:1.22) to
# "Important" (go-toolset); CVE-2023-50495 is in no other feed here.
check "severity from other distros: AlmaLinux errata ratings for Debian findings" \
	test "$(jq -r '[.vulnerabilities[] | select(.package.name=="libc6" or .package.name=="openssh-client" or .package.name=="libssl3" or .package.name=="dnsdist" or .package.name=="libtinfo6") | .id + "=" + .severity + "/" + (.severitySource // "-")] | sort | join(",")' "$J")" = "CVE-2023-44487=HIGH/almalinux,CVE-2023-4911=HIGH/almalinux,CVE-2023-50495=UNKNOWN/-,CVE-2023-5363=MEDIUM/almalinux,CVE-2024-2961=HIGH/almalinux,CVE-2024-6387=HIGH/almalinux"
# CVE-2023-4863: Debian's "unimportant" is chromium's (`- chromium 117.0.5938.62-1 (unimportant)`), not
# libwebp's: a row rating of another package is not evidence; ALSA-2023:5309 "Important: libwebp" is.
check "another package's urgency does not rate libwebp: CVE-2023-4863 HIGH from AlmaLinux" \
	test "$(jq -r '.vulnerabilities[] | select(.id=="CVE-2023-4863") | .severity + "/" + .severitySource' "$J")" = "HIGH/almalinux"

# At the fixed versions.
mkdeb "$TMP/deb12-at" 12 bookworm <<'EOF'
libc6|2.36-9+deb12u3|glibc|
libssl3|3.0.11-1~deb12u2|openssl|
libcurl4|7.88.1-10+deb12u4|curl|
openssh-client|1:9.2p1-2+deb12u3|openssh|
libexpat1|2.5.0-1+deb12u2|expat|
libwebp7|1.2.4-0.2+deb12u1+b1|libwebp (1.2.4-0.2+deb12u1)|
tar|1.34+dfsg-1.2+deb12u1||
nginx|1.24.0-2||
EOF
scan "$TMP/deb12-at.json" "rootfs:$TMP/deb12-at"
expect_findings "debian 12 at the fixed versions" "$TMP/deb12-at.json" <<'EOF'
# glibc 2.36-9+deb12u3 fixes CVE-2023-4911 but not CVE-2024-2961 (deb12u6)
libc6    CVE-2024-2961 fixed 2.36-9+deb12u6
# the binNMU of the fixed source 1.2.4-0.2+deb12u1 is fixed too; CVE-2023-4863 follows unstable 1.2.4-0.3
libwebp7 CVE-2023-4863 fixed 1.2.4-0.3
EOF

# Above the fixes; one epoch case: 9.9p1-1 has epoch 0, below 1:9.2p1-2+deb12u3.
mkdeb "$TMP/deb12-above" 12 bookworm <<'EOF'
libc6|2.36-9+deb12u7|glibc|
libssl3|3.0.13-1~deb12u1|openssl|
libcurl4|7.88.1-10+deb12u5|curl|
openssh-client|9.9p1-1|openssh|
libexpat1|2.6.0-1|expat|
libwebp7|1.2.4-0.3|libwebp|
tar|1.35+dfsg-3||
EOF
scan "$TMP/deb12-above.json" "rootfs:$TMP/deb12-above"
expect_findings "debian 12 above the fixes (epoch 0 still below epoch 1)" "$TMP/deb12-above.json" <<'EOF'
openssh-client CVE-2024-6387 fixed 1:9.2p1-2+deb12u3
EOF

# Debian 11 (bullseye).
mkdeb "$TMP/deb11" 11 bullseye <<'EOF'
libc6|2.31-13+deb11u5|glibc|
openssh-client|1:8.4p1-5+deb11u1|openssh|
libssl1.1|1.1.1n-0+deb11u3|openssl|
libcurl4|7.74.0-1.3+deb11u5|curl|
curl|7.74.0-1.3+deb11u1||deinstall ok config-files
zlib1g|1:1.2.11.dfsg-2+deb11u1|zlib|
libtinfo6|6.2+20201114-2+deb11u1|ncurses|
coreutils|8.32-4+b1|coreutils (8.32-4)|
tar|1.34+dfsg-1||
libwebp6|0.6.1-2.1|libwebp|
libexpat1|2.2.10-2+deb11u5|expat|
EOF
scan "$TMP/deb11.json" "rootfs:$TMP/deb11"
expect_findings "debian 11" "$TMP/deb11.json" <<'EOF'
# DSA*-5514-1 [bullseye] glibc 2.31-13+deb11u7; DSA*-5673-1 [bullseye] 2.31-13+deb11u9
libc6     CVE-2023-4911 fixed 2.31-13+deb11u7
libc6     CVE-2024-2961 fixed 2.31-13+deb11u9
# CVE-2024-6387: [bullseye] - openssh <not-affected> (Vulnerable code introduced later): nothing
# DSA-5343-1 [bullseye] openssl 1.1.1n-0+deb11u4 (five CVEs); DSA-5180 etc. at or below deb11u3;
# CVE-2023-5363: [bullseye] - openssl <not-affected>
libssl1.1 CVE-2022-2097 fixed 1.1.1n-0+deb11u4
libssl1.1 CVE-2022-4304 fixed 1.1.1n-0+deb11u4
libssl1.1 CVE-2022-4450 fixed 1.1.1n-0+deb11u4
libssl1.1 CVE-2023-0215 fixed 1.1.1n-0+deb11u4
libssl1.1 CVE-2023-0286 fixed 1.1.1n-0+deb11u4
# DSA-5365-1 [bullseye] curl 7.74.0-1.3+deb11u7; DSA*-5523-1 [bullseye] 7.74.0-1.3+deb11u10 (two CVEs);
# DSA-5330-1 (deb11u5) is the installed version: fixed
libcurl4  CVE-2023-23916 fixed 7.74.0-1.3+deb11u7
libcurl4  CVE-2023-38545 fixed 7.74.0-1.3+deb11u10
libcurl4  CVE-2023-38546 fixed 7.74.0-1.3+deb11u10
# DSA-5218-1 [bullseye] zlib 1:1.2.11.dfsg-2+deb11u2 (epoch 1); CVE-2023-45853 has no bullseye line:
# unstable's 1:1.3.dfsg-2
zlib1g    CVE-2022-37434 fixed 1:1.2.11.dfsg-2+deb11u2
zlib1g    CVE-2023-45853 fixed 1:1.3.dfsg-2
# CVE-2023-50495: [bullseye] - ncurses <no-dsa>
libtinfo6 CVE-2023-50495 no_dsa -
# CVE-2016-2781: [bullseye] - coreutils <ignored> (a binNMU, looked up as coreutils 8.32-4)
coreutils CVE-2016-2781 will_not_fix -
# CVE-2022-48303: [bullseye] - tar 1.34+dfsg-1+deb11u1
tar       CVE-2022-48303 fixed 1.34+dfsg-1+deb11u1
# CVE-2023-5129: [bullseye] - libwebp 0.6.1-2.1+deb11u2; CVE-2023-4863 follows unstable 1.2.4-0.3
libwebp6  CVE-2023-5129 fixed 0.6.1-2.1+deb11u2
libwebp6  CVE-2023-4863 fixed 1.2.4-0.3
# CVE-2023-52425: no bullseye line (its DLAs are newer than our DLA list): unstable's 2.6.0-1;
# the bullseye expat DSAs (up to 2.2.10-2+deb11u5) are at or below the installed version
libexpat1 CVE-2023-52425 fixed 2.6.0-1
EOF

# Debian 10 (buster): <postponed> and <not-affected> per release; DSA-only fixes rated by Ubuntu and GHSA.
mkdeb "$TMP/deb10" 10 buster <<'EOF'
libsystemd0|241-7~deb10u9|systemd|
libc6|2.28-10+deb10u2|glibc|
opensmtpd|6.0.3p1-5+deb10u2||
liblog4j2-java|2.11.1-2|apache-log4j2|
EOF
scan "$TMP/deb10.json" "rootfs:$TMP/deb10"
expect_findings "debian 10" "$TMP/deb10.json" <<'EOF'
# CVE-2023-7008: [buster] - systemd <postponed>; DLA-3377-1 (241-7~deb10u9) is installed
libsystemd0 CVE-2023-7008 postponed -
# CVE-2023-4911: [buster] - glibc <not-affected>; CVE-2024-2961 has no buster line (DLA-3807-1 is
# not in our DLA list): unstable's 2.37-18; DLA-3152-1 (2.28-10+deb10u2) is installed
libc6 CVE-2024-2961 fixed 2.37-18
# DSA-4611-1 [buster] opensmtpd 6.0.3p1-5+deb10u3 (CVE-2020-7247); DSA-4634-1 deb10u4 (CVE-2020-8794)
opensmtpd CVE-2020-7247 fixed 6.0.3p1-5+deb10u3
opensmtpd CVE-2020-8794 fixed 6.0.3p1-5+deb10u4
# DSA-5020-1 [buster] apache-log4j2 2.15.0-1~deb10u1 (CVE-2021-44228), DSA-5022-1 2.16.0-1~deb10u1
# (CVE-2021-45046), DSA-5024-1 2.17.0-1~deb10u1 (CVE-2021-45105)
liblog4j2-java CVE-2021-44228 fixed 2.15.0-1~deb10u1
liblog4j2-java CVE-2021-45046 fixed 2.16.0-1~deb10u1
liblog4j2-java CVE-2021-45105 fixed 2.17.0-1~deb10u1
EOF
# The DSAs carry no urgency. UCT active/CVE-2020-7247 and CVE-2020-8794 say "Priority: high" (and
# bionic_opensmtpd: released): HIGH from ubuntu. CVE-2021-44228 is in no distro feed but GHSA-jfh8-c2jp-5v3q
# aliases it with CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H (10.0): CRITICAL from the GHSA feed's vector.
# CVE-2021-45046 and CVE-2021-45105 have no evidence anywhere here: UNKNOWN.
check "debian 10: severities from Ubuntu's priority and a GHSA's CVSS vector" \
	test "$(jq -r '[.vulnerabilities[] | select(.package.name=="opensmtpd" or .package.name=="liblog4j2-java") | .id + "=" + .severity + "/" + (.severitySource // "-")] | sort | join(",")' "$TMP/deb10.json")" = "CVE-2020-7247=HIGH/ubuntu,CVE-2020-8794=HIGH/ubuntu,CVE-2021-44228=CRITICAL/cvss3:osv:ghsa-sample,CVE-2021-45046=UNKNOWN/-,CVE-2021-45105=UNKNOWN/-"
# KEV: CVE-2020-7247 dateAdded 2022-03-25, CVE-2021-44228 2021-12-10, CVE-2021-45046 2023-05-01
check "debian 10: KEV dates" \
	test "$(jq -r '[.vulnerabilities[] | select(.kev) | .id + "=" + .kev.dateAdded] | sort | join(",")' "$TMP/deb10.json")" = "CVE-2020-7247=2022-03-25,CVE-2021-44228=2021-12-10,CVE-2021-45046=2023-05-01"

# Ubuntu 18.04 (bionic): UCT status lines per source package, Priority as the severity.
mkdeb "$TMP/ubuntu" 18.04 bionic <<'EOF'
libbz2-1.0|1.0.6-8.1|bzip2|
liblz4-1|0.0~r131-2ubuntu3|lz4|
tar|1.29b-2ubuntu0.1||
libseccomp2|2.4.1-0ubuntu0.18.04.2|libseccomp|
EOF
printf 'NAME="Ubuntu"\nVERSION="18.04.6 LTS (Bionic Beaver)"\nID=ubuntu\nID_LIKE=debian\nVERSION_ID="18.04"\nVERSION_CODENAME=bionic\n' \
	> "$TMP/ubuntu/etc/os-release"
scan "$TMP/ubuntu.json" "rootfs:$TMP/ubuntu"
expect_findings "ubuntu 18.04" "$TMP/ubuntu.json" <<'EOF'
# CVE-2019-12900 (retired): bionic_bzip2: released (1.0.6-8.1ubuntu0.2); CVE-2016-3189: not-affected (1.0.6-8.1)
libbz2-1.0 CVE-2019-12900 fixed 1.0.6-8.1ubuntu0.2
# CVE-2019-17543: bionic_lz4: needed; CVE-2014-4611 and CVE-2014-4715: not-affected
liblz4-1   CVE-2019-17543 unfixed -
# CVE-2018-20482 and CVE-2019-9923: bionic_tar: needed
tar        CVE-2018-20482 unfixed -
tar        CVE-2019-9923 unfixed -
# CVE-2019-9893 (retired): bionic_libseccomp: released (2.4.1-0ubuntu0.18.04.2), the installed version
EOF
check "ubuntu: severity from UCT Priority (medium, low), rated by ubuntu" \
	test "$(jq -r '[.vulnerabilities[] | .id + "=" + .severity + "/" + .severitySource] | sort | join(",")' "$TMP/ubuntu.json")" = "CVE-2018-20482=LOW/ubuntu,CVE-2019-12900=MEDIUM/ubuntu,CVE-2019-17543=LOW/ubuntu,CVE-2019-9923=LOW/ubuntu"

# Alpine 3.11: secdb by origin and branch.
mkdir -p "$TMP/alpine/etc" "$TMP/alpine/lib/apk/db"
printf 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.11.6\nPRETTY_NAME="Alpine Linux v3.11"\n' > "$TMP/alpine/etc/os-release"
apk_pkg() { printf 'P:%s\nV:%s\nA:x86_64\nL:MIT\no:%s\nT:test fixture\n\n' "$1" "$2" "$3"; }
{
	apk_pkg musl 1.1.24-r0 musl
	apk_pkg libcrypto1.1 1.1.1d-r2 openssl
	apk_pkg libssl1.1 1.1.1d-r2 openssl
	apk_pkg busybox 1.31.1-r9 busybox
	apk_pkg sqlite-libs 3.30.1-r0 sqlite
	apk_pkg expat 2.2.7-r1 expat
} > "$TMP/alpine/lib/apk/db/installed"
scan "$TMP/alpine.json" "rootfs:$TMP/alpine"
expect_findings "alpine 3.11" "$TMP/alpine.json" <<'EOF'
# secdb v3.11 openssl: 1.1.1d-r3: [CVE-2019-1551] (the others at or below 1.1.1d-r1); both binaries of origin openssl
libcrypto1.1 CVE-2019-1551 fixed 1.1.1d-r3
libssl1.1    CVE-2019-1551 fixed 1.1.1d-r3
# sqlite: 3.30.1-r1: [CVE-2019-19242] (listed twice, reported once)
sqlite-libs  CVE-2019-19242 fixed 3.30.1-r1
# musl 1.1.24-r0 and busybox 1.31.1-r9 are above every fix; expat 2.2.7-r1 is at CVE-2019-15903's fix
EOF
check "alpine: looked up by origin in alpine:3.11" \
	test "$(jq -r '[.vulnerabilities[] | .ecosystem + "/" + .databasePackage] | unique | join(",")' "$TMP/alpine.json")" = "alpine:3.11/openssl,alpine:3.11/sqlite"

# AlmaLinux: rpm databases written with tests/tools/mkrpmdb.py.
mkalma() { # DIR VERSION_ID pkgspec...
	local d=$1 vid=$2; shift 2
	mkdir -p "$d/etc" "$d/var/lib/rpm"
	printf 'NAME="AlmaLinux"\nID="almalinux"\nID_LIKE="rhel centos fedora"\nVERSION_ID="%s"\n' "$vid" > "$d/etc/os-release"
	$PY "$TOOLS/mkrpmdb.py" "$d/var/lib/rpm/rpmdb.sqlite" "$@"
}
mkalma "$TMP/alma9" 9.2 'bash||5.1.8|5.el9|x86_64|bash-5.1.8-5.el9.src.rpm|' \
	'zlib||1.2.11|31.el9|x86_64|zlib-1.2.11-31.el9.src.rpm|' \
	'openssl-libs|1|3.5.5|4.el9_8|x86_64|openssl-3.5.5-4.el9_8.src.rpm|' \
	'sudo||1.9.5p2|15.el9_7|x86_64|sudo-1.9.5p2-15.el9_7.src.rpm|' \
	'libgcc||11.5.0|2.el9.alma.1|x86_64|gcc-11.5.0-2.el9.alma.1.src.rpm|'
scan "$TMP/alma9.json" "rootfs:$TMP/alma9"
expect_findings "almalinux 9 (epochs, advisory ids)" "$TMP/alma9.json" <<'EOF'
# AlmaLinux OSV lists binary rpms with "[E:]V-R" fixes and names its CVEs only in related[]
# (not aliases): the advisory id is reported.
# ALSA-2023:0340 bash 5.1.8-6.el9_1 > 5.1.8-5.el9
bash ALSA-2023:0340 fixed 5.1.8-6.el9_1
# ALSA-2022:7314 zlib 1.2.11-32.el9_0 > 1.2.11-31.el9
zlib ALSA-2022:7314 fixed 1.2.11-32.el9_0
# sudo: ALSA-2026:12310 fixes 1.9.5p2-15.el9_7 (installed), ALSA-2026:19220 1.9.17p2-3.el9_8 is above it
sudo ALSA-2026:19220 fixed 1.9.17p2-3.el9_8
# openssl-libs 1:3.5.5-4.el9_8 is the newest fix (ALSA-2026:25239, epoch 1): nothing
# libgcc: ALSA-2025:1346 ("Moderate: gcc security update"), the only libgcc erratum, 11.5.0-5.el9_5.alma.1
libgcc ALSA-2025:1346 fixed 11.5.0-5.el9_5.alma.1
EOF
check "almalinux: severity from the advisory (Important -> HIGH for sudo)" \
	test "$(jq -r '.vulnerabilities[] | select(.package.name=="sudo") | .severity' "$TMP/alma9.json")" = HIGH
# related[]: ALSA-2022:7314 [CVE-2022-37434], ALSA-2023:0340 [CVE-2022-3715], ALSA-2025:1346
# [CVE-2020-11023], ALSA-2026:19220 [CVE-2026-35535]; no erratum has a CVE of its own: relatedFixed
check "almalinux: each finding lists the CVEs its erratum fixes" \
	test "$(jq -r '[.vulnerabilities[] | .id + "=" + (.related | join("+")) + "/" + (.relatedFixed | tostring)] | sort | join(",")' "$TMP/alma9.json")" = "ALSA-2022:7314=CVE-2022-37434/true,ALSA-2023:0340=CVE-2022-3715/true,ALSA-2025:1346=CVE-2020-11023/true,ALSA-2026:19220=CVE-2026-35535/true"
# CVE-2020-11023 is in KEV (dateAdded 2025-01-23); the other three CVEs are not
check "almalinux: KEV through an erratum's related CVE" \
	test "$(jq -r '[.vulnerabilities[] | select(.kev) | .id + "=" + .kev.dateAdded] | join(",")' "$TMP/alma9.json")" = "ALSA-2025:1346=2025-01-23"
check "almalinux: the JSON report validates" $PY ../tools/validate-schema.py vulns "$TMP/alma9.json"
printf 'CVE-2022-3715  # the bash erratum fixes only this one\n' > "$TMP/alma.ignore"
"$BOSUN" image -q --db "$DB" -f json -o "$TMP/alma-ign.json" --ignorefile "$TMP/alma.ignore" "rootfs:$TMP/alma9"
check "almalinux: an ignore entry for the erratum's CVE suppresses the erratum" \
	test "$(jq -r '[.suppressed[] | .id + "/" + .suppressedBy.kind] | join(",")' "$TMP/alma-ign.json")" = "ALSA-2023:0340/ignorefile"
cat > "$TMP/alma-vex.json" <<'EOF'
{
  "@context": "https://openvex.dev/ns/v0.2.0",
  "@id": "https://example.com/vex/bosun-alma",
  "author": "bosun tests",
  "timestamp": "2024-06-01T00:00:00Z",
  "version": 1,
  "statements": [
    {"vulnerability": {"name": "CVE-2022-37434"}, "products": [{"@id": "pkg:rpm/almalinux/zlib"}],
     "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path"}
  ]
}
EOF
"$BOSUN" image -q --db "$DB" -f json -o "$TMP/alma-vex-out.json" --vex "$TMP/alma-vex.json" "rootfs:$TMP/alma9"
check "almalinux: a VEX statement about the erratum's CVE suppresses the erratum" \
	test "$(jq -r '[.suppressed[] | .id + "/" + .suppressedBy.kind] | join(",")' "$TMP/alma-vex-out.json")" = "ALSA-2022:7314/vex"
"$BOSUN" image -q --db "$DB" -f sarif -o "$TMP/alma.sarif" "rootfs:$TMP/alma9" || notok "alma sarif"
check "almalinux: SARIF rule properties list the related CVEs" \
	test "$(jq -r '.runs[0].tool.driver.rules[] | select(.id=="ALSA-2023:0340") | .properties.related | join(",")' "$TMP/alma.sarif")" = "CVE-2022-3715"
check "almalinux: SARIF validates" $PY ../tools/validate-schema.py sarif "$TMP/alma.sarif"
"$BOSUN" image -q --db "$DB" -f cyclonedx -o "$TMP/alma.cdx" "rootfs:$TMP/alma9" || notok "alma cyclonedx"
check "almalinux: CycloneDX references name the CVE an erratum fixes (NVD)" \
	test "$(jq -r '.vulnerabilities[] | select(.id=="ALSA-2023:0340") | [.references[] | .id + "@" + .source.name] | join(",")' "$TMP/alma.cdx")" = "CVE-2022-3715@NVD"
check "almalinux: CycloneDX validates" $PY ../tools/validate-schema.py cyclonedx "$TMP/alma.cdx"

# AlmaLinux 8, a modular package: only advisories of its stream nodejs:14.
mkalma "$TMP/alma8" 8.7 \
	'nodejs|1|14.20.0|2.module_el8.6.0+3169+3d4fe9a2|x86_64|nodejs-14.20.0-2.module_el8.6.0+3169+3d4fe9a2.src.rpm|nodejs:14:8060020220803094405:ad008a3a'
scan "$TMP/alma8.json" "rootfs:$TMP/alma8"
expect_findings "almalinux 8 modular nodejs:14" "$TMP/alma8.json" <<'EOF'
# nodejs:14 advisories with fixes above 1:14.20.0-2.module_el8.6.0+3169 (build 3261 > 3169 at the same version)
nodejs ALSA-2022:6448 fixed 1:14.20.0-2.module_el8.6.0+3261+490666b3
nodejs ALSA-2022:7830 fixed 1:14.20.1-2.module_el8.7.0+3342+b2df8497
nodejs ALSA-2023:0050 fixed 1:14.21.1-2.module_el8.7.0+3373+a4c18c43
nodejs ALSA-2023:1743 fixed 1:14.21.3-1.module_el8.7.0+3551+53700ee8
# ALSA-2022:0350 (1:14.18.2) is below; the nodejs:16/18/20/22/24 advisories are other streams
EOF
# ALSA-2023:0050 fixes five CVEs (CVE-2021-44906, CVE-2022-0235, CVE-2022-3517, CVE-2022-24999,
# CVE-2022-43548): accepting one of them says nothing about the other four, accepting all five
# suppresses it. ALSA-2023:1743 also fixes CVE-2022-3517 but six more: it stays.
printf 'CVE-2022-3517\n' > "$TMP/one.ignore"
printf 'CVE-2021-44906\nCVE-2022-0235\nCVE-2022-3517\nCVE-2022-24999\nCVE-2022-43548\n' > "$TMP/five.ignore"
"$BOSUN" image -q --db "$DB" -f json -o "$TMP/one.json" --ignorefile "$TMP/one.ignore" "rootfs:$TMP/alma8"
"$BOSUN" image -q --db "$DB" -f json -o "$TMP/five.json" --ignorefile "$TMP/five.ignore" "rootfs:$TMP/alma8"
check "almalinux: one of an erratum's five CVEs ignored: nothing suppressed" \
	test "$(jq -r '[.summary.ignored, .summary.reported] | join(" ")' "$TMP/one.json")" = "0 4"
check "almalinux: all five ignored: that erratum only" \
	test "$(jq -r '[.suppressed[].id] | join(",")' "$TMP/five.json")" = "ALSA-2023:0050"

# No feed for Rocky: a warning, no findings, exit 0.
mkdir -p "$TMP/rocky/etc"
cp -r "$TMP/alma9/var" "$TMP/rocky/"
printf 'NAME="Rocky Linux"\nID="rocky"\nID_LIKE="rhel centos fedora"\nVERSION_ID="9.3"\n' > "$TMP/rocky/etc/os-release"
expect_exit 0 "rocky 9: no advisory feed" -- image --db "$DB" -f json -o "$TMP/rocky.json" "rootfs:$TMP/rocky"
check "rocky: warned once about the missing feed" stderr_has "no advisory feed for rocky 9.3: rpm packages not matched (5)"
check "rocky: no findings" test "$(jq '.vulnerabilities | length' "$TMP/rocky.json")" = 0

# ---- formats ----------------------------------------------------------------------
B=rootfs:$TMP/deb12-below
"$BOSUN" image -q --db "$DB" -f sarif -o "$TMP/out.sarif" "$B" || notok "sarif output"
"$BOSUN" image -q --db "$DB" -f cyclonedx -o "$TMP/out.cdx" "$B" || notok "cyclonedx output"
check "SARIF validates against the 2.1.0 schema" $PY ../tools/validate-schema.py sarif "$TMP/out.sarif"
check "SARIF: one rule per id (13), one result per (package, id) (18)" \
	test "$(jq -r '[(.runs[0].tool.driver.rules | length), (.runs[0].results | length)] | join(" ")' "$TMP/out.sarif")" = "13 18"
check "SARIF: results located at the dpkg database" \
	test "$(jq -r '[.runs[0].results[].locations[0].physicalLocation.artifactLocation.uri] | unique | join(",")' "$TMP/out.sarif")" = "var/lib/dpkg/status"
check "CycloneDX validates against the 1.6 schema, affects refs are component bom-refs" \
	$PY ../tools/validate-schema.py cyclonedx "$TMP/out.cdx"
check "CycloneDX: CVE-2023-4911 affects libc6 and libc-bin" \
	test "$(jq -r '.vulnerabilities[] | select(.id=="CVE-2023-4911") | [.affects[].ref | capture("deb/debian/(?<n>[^@]+)").n] | sort | join(",")' "$TMP/out.cdx")" = "libc-bin,libc6"
"$BOSUN" sbom -q -f cyclonedx -o "$TMP/sbom.cdx" "$B" || notok "sbom"
check "CycloneDX: the same components as bosun sbom" \
	test "$(jq -c '[.components[] | .["bom-ref"]]' "$TMP/out.cdx")" = "$(jq -c '[.components[] | .["bom-ref"]]' "$TMP/sbom.cdx")"

# A real image: findings carry the layer that introduced the package.
if [ -d "$IM/oci/debian-layers" ]; then
	"$BOSUN" image -q --scanners vuln --db "$DB" -f sarif -o "$TMP/img.sarif" "$IM/oci/debian-layers" || notok "image sarif"
	"$BOSUN" image -q --scanners vuln --db "$DB" -f json -o "$TMP/img.json" "$IM/oci/debian-layers" || notok "image json"
	"$BOSUN" image -q --scanners vuln --db "$DB" -f cyclonedx -o "$TMP/img.cdx" "$IM/docker/debian-layers.tar" || notok "image cdx"
	check "image: SARIF validates" $PY ../tools/validate-schema.py sarif "$TMP/img.sarif"
	check "image: JSON validates" $PY ../tools/validate-schema.py vulns "$TMP/img.json"
	check "image: CycloneDX validates" $PY ../tools/validate-schema.py cyclonedx "$TMP/img.cdx"
	cut -f4 "$IM/truth/debian-layers/layers.tsv" | sort > "$TMP/diffids"
	jq -r '.runs[0].results[].properties.layer.diffID' "$TMP/img.sarif" | sort -u > "$TMP/used"
	check "image: every SARIF result names a layer diff_id of the image" \
		test -s "$TMP/used" -a -z "$(comm -13 "$TMP/diffids" "$TMP/used")"
	# coreutils 9.1-1 is bookworm's for good: CVE-2016-2781 <ignored>, LOW from the unstable line
	check "image: coreutils CVE-2016-2781 will_not_fix LOW" \
		test "$(jq -r '.vulnerabilities[] | select(.package.name=="coreutils" and .id=="CVE-2016-2781") | .status + " " + .severity' "$TMP/img.json")" = "will_not_fix LOW"
	check "image: the rc package procps is not reported" \
		test "$(jq '[.vulnerabilities[] | select(.package.name=="procps")] | length' "$TMP/img.json")" = 0
else
	echo "skipping real-image checks: $IM/oci/debian-layers missing"
fi

# ---- gating --------------------------------------------------------------------------
expect_exit 0 "findings without --exit-code" -- image -q --db "$DB" -o /dev/null "$B"
expect_exit 1 "--exit-code 1 with findings" -- image -q --db "$DB" -o /dev/null --exit-code 1 "$B"
expect_exit 0 "--exit-code 1 when the filters leave nothing" -- image -q --db "$DB" -o /dev/null --exit-code 1 \
	--severity CRITICAL "rootfs:$TMP/alma8"
# severities here: coreutils LOW, tar/nginx NEGLIGIBLE (Debian urgencies); from AlmaLinux errata (see
# above): HIGH for CVE-2023-4911 and CVE-2024-2961 (libc6, libc-bin), CVE-2023-38545 and CVE-2023-38546
# (libcurl4; ALSA-2023:5763/6745 "Important"), CVE-2024-6387, CVE-2023-44487 (dnsdist, libnghttp2-14;
# nginx keeps its own "unimportant") and CVE-2023-4863 (libwebp7): 10; MEDIUM for CVE-2023-5363 and
# CVE-2023-52425 (libexpat1, libxmltok1; ALSA-2024:1615 "Moderate: expat"): 3; UNKNOWN: CVE-2023-50495,
# CVE-2023-5129. None is CRITICAL.
expect_exit 0 "--severity CRITICAL filters everything" -- image -q --db "$DB" -o /dev/null --exit-code 1 \
	--severity CRITICAL "$B"
"$BOSUN" image -q --db "$DB" -f json -o "$TMP/high.json" --severity HIGH,CRITICAL "$B"
check "--severity HIGH,CRITICAL reports the 10 HIGH findings" \
	test "$(jq -r '[.summary.reported, .summary.bySeverity.HIGH, .summary.bySeverity.MEDIUM] | join(" ")' "$TMP/high.json")" = "10 10 0"
expect_exit 7 "--severity LOW --exit-code 7 (coreutils)" -- image -q --db "$DB" -o /dev/null --exit-code 7 \
	--severity LOW "$B"
"$BOSUN" image -q --db "$DB" -f json -o "$TMP/neg.json" --severity NEGLIGIBLE "$B"
check "--severity NEGLIGIBLE reports tar and nginx only" \
	test "$(jq -r '[.vulnerabilities[].package.name] | join(",")' "$TMP/neg.json")" = "nginx,tar"
check "filtered findings are counted, not listed" test "$(jq '.summary.filtered' "$TMP/neg.json")" = 16
# --ignore-unfixed drops no_dsa/will_not_fix/end_of_life (no fixed version): 14 remain
"$BOSUN" image -q --db "$DB" -f json -o "$TMP/fixed.json" --ignore-unfixed "$B"
check "--ignore-unfixed keeps the 14 findings with a fix" test "$(jq '.summary.reported' "$TMP/fixed.json")" = 14
"$BOSUN" image -q --db "$DB" -f json -o "$TMP/st.json" --ignore-status will_not_fix,end-of-life "$B"
check "--ignore-status will_not_fix,end-of-life drops coreutils, libxmltok1, dnsdist" \
	test "$(jq '.summary.reported' "$TMP/st.json")" = 15

# Plain ignore file (Trivy's form) naming every fixed finding: with --ignore-unfixed nothing remains.
jq -r '.vulnerabilities[] | select(.fixedVersion) | .id' "$TMP/deb12-below.json" | sort -u > "$TMP/fixed-ids"
{ echo "# accepted for the test"; sed 's/$/ # reason text/' "$TMP/fixed-ids"; } > "$TMP/trivyignore"
expect_exit 0 "plain ignorefile + --ignore-unfixed: nothing left" -- image -q --db "$DB" -o /dev/null --exit-code 1 \
	--ignore-unfixed --ignorefile "$TMP/trivyignore" "$B"
# The same with one entry expired: it stops suppressing and is reported as expired.
sed 's/^CVE-2023-5363 .*/CVE-2023-5363 exp:2020-01-01/' "$TMP/trivyignore" > "$TMP/expired.ignore"
expect_exit 1 "an expired ignore entry no longer suppresses" -- image --db "$DB" -o /dev/null --exit-code 1 \
	--ignore-unfixed --ignorefile "$TMP/expired.ignore" "$B"
check "  ... and is reported on stderr" stderr_has "CVE-2023-5363 expired on 2020-01-01 and no longer suppresses"
"$BOSUN" image -q --db "$DB" -f json -o "$TMP/ign.json" --ignorefile "$TMP/expired.ignore" "$B"
check "JSON lists suppressed findings with the ignore file's reason" \
	test "$(jq -r '[.suppressed[] | select(.id=="CVE-2023-4911")][0].suppressedBy | .kind + ":" + .reason' "$TMP/ign.json")" = "ignorefile:reason text"
check "JSON warnings name the expired entry" \
	test "$(jq '[.warnings[] | select(test("CVE-2023-5363 expired"))] | length' "$TMP/ign.json")" = 1
# YAML form: ids with purls, purls alone, paths, reasons and expiry dates.
cat > "$TMP/ignore.yaml" <<'EOF'
vulnerabilities:
  - id: CVE-2016-2781
    purls: ["pkg:deb/debian/coreutils"]
    reason: chroot --userspec is not used in this image
    expires: 2999-12-31
  - purls: ["pkg:deb/debian/dnsdist?distro=debian-12", "pkg:deb/debian/libxmltok1"]
    statement: not used at run time
  - id: CVE-2023-50495
    paths: [var/lib/dpkg/status]
  - id: CVE-2023-5363
    expired_at: 2001-01-01
EOF
# the four findings without a fix (coreutils, dnsdist, libxmltok1, libtinfo6) gate ...
expect_exit 1 "the findings without a fix gate" -- image -q --db "$DB" -o /dev/null --exit-code 1 \
	--ignore-status fixed "$B"
# ... until the YAML file accepts them: coreutils by id+purl, dnsdist and libxmltok1 by purl,
# libtinfo6 by id+path
expect_exit 0 "YAML ignorefile (ids, purls, paths) clears them" -- image -q --db "$DB" -o /dev/null --exit-code 1 \
	--ignorefile "$TMP/ignore.yaml" --ignore-status fixed "$B"
"$BOSUN" image -q --db "$DB" -f json -o "$TMP/yign.json" --ignorefile "$TMP/ignore.yaml" "$B"
check "YAML ignorefile: 4 suppressed, the expired CVE-2023-5363 still reported" \
	test "$(jq -r '[.summary.ignored, ([.vulnerabilities[] | select(.id=="CVE-2023-5363")] | length)] | join(" ")' "$TMP/yign.json")" = "4 1"
printf 'vulnerabilities:\n  - reason: no id\n' > "$TMP/bad.yaml"
expect_exit 3 "an ignore entry without id or purls is an error" -- image -q --db "$DB" -o /dev/null \
	--ignorefile "$TMP/bad.yaml" "$B"
check "  ... naming the file and entry" stderr_has "bad.yaml: entry 1 has neither id nor purls"
printf 'CVE-2023-1 exp:someday\n' > "$TMP/bad.ignore"
expect_exit 3 "a bad expiry date is an error" -- image -q --db "$DB" -o /dev/null --ignorefile "$TMP/bad.ignore" "$B"
check "  ... naming the file and line" stderr_has "bad.ignore:1: expiry"

# OpenVEX: not_affected and fixed suppress, affected does not.
cat > "$TMP/vex.json" <<'EOF'
{
  "@context": "https://openvex.dev/ns/v0.2.0",
  "@id": "https://example.com/vex/bosun-test",
  "author": "bosun tests",
  "timestamp": "2024-06-01T00:00:00Z",
  "version": 1,
  "statements": [
    {"vulnerability": {"name": "CVE-2023-4911"}, "products": [{"@id": "pkg:deb/debian/libc6"}, {"@id": "pkg:deb/debian/libc-bin"}],
     "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path"},
    {"vulnerability": {"name": "CVE-2024-2961"}, "products": [{"@id": "pkg:deb/debian/libc6"}],
     "status": "fixed"},
    {"vulnerability": {"name": "CVE-2024-2961"}, "products": [{"@id": "pkg:deb/debian/libc-bin"}],
     "status": "affected", "action_statement": "upgrade glibc"}
  ]
}
EOF
"$BOSUN" image -q --db "$DB" -f json -o "$TMP/vex-out.json" --vex "$TMP/vex.json" "$B"
check "VEX: 3 findings suppressed (not_affected x2, fixed x1), affected kept" \
	test "$(jq -r '[.summary.vex, .summary.reported] | join(" ")' "$TMP/vex-out.json")" = "3 15"
check "VEX: the affected statement is attached to the reported finding" \
	test "$(jq -r '.vulnerabilities[] | select(.package.name=="libc-bin" and .id=="CVE-2024-2961") | .vex.status + "/" + .vex.actionStatement' "$TMP/vex-out.json")" = "affected/upgrade glibc"
mkdeb "$TMP/glibc-only" 12 bookworm <<'EOF'
libc6|2.36-9+deb12u1|glibc|
EOF
expect_exit 0 "VEX clears a target: the gate passes" -- image -q --db "$DB" -o /dev/null --exit-code 1 \
	--vex "$TMP/vex.json" "rootfs:$TMP/glibc-only"
echo '{"statements": []}' > "$TMP/notvex.json"
expect_exit 3 "a document that is not OpenVEX is an error" -- image -q --db "$DB" -o /dev/null --vex "$TMP/notvex.json" "$B"

# ---- the database and the command line ---------------------------------------------
expect_exit 3 "a missing database is an error" -- image --db "$TMP/none.db" -o /dev/null "$B"
check "  ... that says how to fix it" stderr_has 'run `bosun db build --from DIR` or `bosun db update`'
# A database imported long ago still works, with a warning. (Ages the copy's import times in
# place: the one test that knows the store's sources table.)
cp "$DB" "$TMP/old.db"
$PY -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute("UPDATE sources SET imported_at = ?", ("2020-01-01T00:00:00Z",)); c.commit()' "$TMP/old.db"
expect_exit 0 "a stale database is used" -- image --db "$TMP/old.db" -o /dev/null "$B"
check "  ... with a warning naming the stale sources" stderr_has "is stale: alpine-secdb, debian-tracker"
expect_exit 2 "unknown format" -- image --db "$DB" -f xml "$B"
expect_exit 2 "unknown severity" -- image --db "$DB" --severity SEVERE "$B"
expect_exit 2 "unknown status" -- image --db "$DB" --ignore-status maybe "$B"
expect_exit 2 "bad --exit-code" -- image --db "$DB" --exit-code 300 "$B"
# bosun fs DIR is the same scan as image fs:DIR
"$BOSUN" fs -q --db "$DB" -f json -o "$TMP/fs.json" "$TMP/deb12-below" || notok "bosun fs"
check "bosun fs finds the same 18 findings" test "$(jq '.summary.reported' "$TMP/fs.json")" = 18
finish
