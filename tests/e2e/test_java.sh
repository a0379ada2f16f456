#!/bin/bash
# Java archives in the java-go image (docker-archive and OCI layout), checked
# against the truth the image build wrote (truth/java-go/jars.txt: one row per
# pom.properties, "-" rows for jars with none); the big image's jars when it
# is there, with the peak RSS of `bosun sbom` printed; and matching: a jar
# carrying a vulnerable log4j-core pom.properties against a database built
# from ../shared/vulndata/ghsa-sample.
. ./lib.sh
BOSUN_IMAGES=${BOSUN_IMAGES:-/var/tmp/bosun-images}
IM=$BOSUN_IMAGES
SHARED=${BOSUN_SHARED:-$(cd ../../.. && pwd)/shared}
need_image docker/java-go.tar
need_image oci/java-go

# maven OUT.json -> "name<TAB>version<TAB>foundIn" per Maven package, sorted
maven() { jq -r '.packages[] | select(.type == "maven") | [.name, .version, .foundIn] | @tsv' "$1" | sort; }

# The truth's pom.properties rows in the same form ("g:a:v" split at its last ':').
truth_gavs() {
	awk -F'\t' '$2 != "-" { n = split($2, f, ":"); v = f[n]; name = substr($2, 1, length($2) - length(v) - 1);
		sub(/^\//, "", $1); print name "\t" v "\t" $1 }' "$1" | sort
}

# Maven-equal for the manifest versions: "1.2" and "1.2.0" are one version.
trim_zeros() { sed -e ':a' -e 's/\.0$//' -e 'ta'; }

# The file-name rule for jars without metadata (docs/analyzers-java.md):
# "name-1.2.jar" -> "name<TAB>1.2"; nothing when the name has no version.
from_file_name() {
	basename "$1" | sed -n -E 's/^([A-Za-z0-9._-]*[^*-])-([0-9][^[:space:]]*)\.jar$/\1\t\2/p'
}

# check_jars LABEL OUT.json TRUTH_DIR [expected-names-file]
check_jars() {
	local label=$1 out=$2 truth=$3/jars.txt names=${4:-}
	maven "$out" > "$TMP/got"
	truth_gavs "$truth" > "$TMP/want"
	local nwant; nwant=$(wc -l < "$TMP/want")
	if comm -23 "$TMP/want" "$TMP/got" > "$TMP/missing" && [ ! -s "$TMP/missing" ]; then
		ok "$label: all $nwant pom.properties coordinates of jars.txt found"
	else notok "$label: missing $(wc -l < "$TMP/missing"): $(head -5 "$TMP/missing" | tr '\n' ' ')"; fi

	# Jars without pom.properties: one package from the manifest (version as
	# jars.txt's manifest column, Maven-equal), or from the file name when
	# the manifest has nothing ("manifest:?:?"), or none at all.
	: > "$TMP/fallback"
	local bad=0 jar gav mf ver got_n got_v
	while IFS=$'\t' read -r jar gav mf _; do
		[ "$gav" = - ] || continue
		jar=${jar#/}
		ver=${mf##*:}
		grep -P "\t\Q$jar\E$" "$TMP/got" > "$TMP/one" || true
		got_n=$(wc -l < "$TMP/one")
		if [ "$ver" = "?" ]; then
			local fn; fn=$(from_file_name "$jar")
			if [ -z "$fn" ] && [ "$got_n" = 0 ]; then continue; fi
			if [ "$got_n" = 1 ] && [ "$(cut -f1,2 "$TMP/one")" = "$fn" ]; then cat "$TMP/one" >> "$TMP/fallback"; continue; fi
			notok "$label: $jar (no metadata): got '$(tr '\n' ' ' < "$TMP/one")', want '${fn:-nothing}'"; bad=1
			continue
		fi
		got_v=$(cut -f2 "$TMP/one" | trim_zeros)
		if [ "$got_n" = 1 ] && [ "$got_v" = "$(echo "$ver" | trim_zeros)" ]; then
			cat "$TMP/one" >> "$TMP/fallback"
		else
			notok "$label: $jar (manifest only, $mf): got '$(tr '\n' ' ' < "$TMP/one")'"; bad=1
		fi
	done < "$truth"
	[ $bad = 0 ] && ok "$label: $(wc -l < "$TMP/fallback") jars without pom.properties reported from their manifest or file name"
	if [ -n "$names" ]; then
		if diff <(cut -f1,2,3 "$TMP/fallback" | sort) <(sort "$names") > "$TMP/diff"; then
			ok "$label: manifest/file-name fallbacks named as documented"
		else notok "$label: fallback names: $(cat "$TMP/diff")"; fi
	fi

	# Nothing invented: every package is a truth row or one of the fallbacks.
	sort "$TMP/want" "$TMP/fallback" > "$TMP/allowed"
	if comm -13 "$TMP/allowed" "$TMP/got" > "$TMP/extra" && [ ! -s "$TMP/extra" ]; then
		ok "$label: nothing invented ($(wc -l < "$TMP/got") maven packages)"
	else notok "$label: not in jars.txt: $(head -5 "$TMP/extra" | tr '\n' ' ')"; fi

	# Debian's foo-1.2.jar -> foo.jar symlinks are not packages of their own.
	local links; links=$(cut -f1 "$3/jar-symlinks.txt" | sed 's,^/,,' | grep -c -F -x -f - <(cut -f3 "$TMP/got") || true)
	if [ "$links" = 0 ]; then ok "$label: no package from a jar symlink"; else notok "$label: $links packages from symlinks"; fi
}

# ---- java-go --------------------------------------------------------------------------------

# The fallbacks, derived by hand from each jar's MANIFEST.MF (unzip -p JAR
# META-INF/MANIFEST.MF) with Trivy's order: group = Implementation-Vendor-Id,
# else Bundle-SymbolicName up to its last '.'; artifact =
# Implementation-Title, else Specification-Title, else Bundle-Name; version =
# Implementation-Version, Specification-Version, Bundle-Version.
#  bson:           Bundle-SymbolicName org.mongodb.bson, Bundle-Name bson, Bundle-Version 3.6.3
#  commons-logging*: Implementation-Vendor-Id org.apache, -Title "Commons Logging", -Version 1.2
#  mongo-java-driver, mongodb-driver-async/-core: OSGi headers as bson
#  mongodb-driver-3.6.3.jar: no such headers -> the file name, without a group
cat > "$TMP/java-go-names" <<'EOF'
org.mongodb:bson	3.6.3	usr/share/java/bson-3.6.3.jar
org.apache:Commons Logging	1.2	usr/share/java/commons-logging-1.2.jar
org.apache:Commons Logging	1.2	usr/share/java/commons-logging-adapters-1.2.jar
org.apache:Commons Logging	1.2	usr/share/java/commons-logging-api-1.2.jar
org.mongodb:mongo-java-driver	3.6.3	usr/share/java/mongo-java-driver-3.6.3.jar
mongodb-driver	3.6.3	usr/share/java/mongodb-driver-3.6.3.jar
org.mongodb:mongodb-driver-async	3.6.3	usr/share/java/mongodb-driver-async-3.6.3.jar
org.mongodb:mongodb-driver-core	3.6.3	usr/share/java/mongodb-driver-core-3.6.3.jar
EOF

for form in docker/java-go.tar oci/java-go; do
	out=$TMP/java-go.json
	expect_exit 0 "sbom $form" -- sbom -q -f json -o "$out" "$IM/$form"
	check_jars "java-go $form" "$out" "$IM/truth/java-go" "$TMP/java-go-names"
	check "java-go $form: nested jackson-databind 2.14.0 inside the fat jar" \
		grep -qxP 'com.fasterxml.jackson.core:jackson-databind\t2.14.0\tapp/lib/bosun-app-1.0.0.jar!/BOOT-INF/lib/jackson-databind-2.14.0.jar' "$TMP/got"
	check "java-go $form: httpclient-osgi.jar carries 6 artifacts" \
		test "$(grep -cP '\tusr/share/java/httpclient-osgi.jar$' "$TMP/got")" = 6
	check "java-go $form: the fat jar is in the top layer" \
		test "$(jq '[.packages[] | select(.foundIn == "app/lib/bosun-app-1.0.0.jar") | .layer.index] | unique' "$out" | jq -c .)" = "[2]"
	check "java-go $form: no warnings" test "$(jq '.warnings | length' "$out")" = 0
	# owner: the dpkg package whose file list names the (outer) jar; jars.txt
	# has it per pom.properties row: 37 Debian jars, 2 rows of the fat jar
	# without. Checked when the JSON report prints the field (the unit test
	# test_java_go_owners checks it on the artifact either way).
	if jq -e '[.packages[] | has("owner")] | any' "$out" > /dev/null; then
		jq -r '.packages[] | select(.type == "maven") | [.name, .version, .foundIn, (.owner // "-")] | @tsv' "$out" |
			sort > "$TMP/owners"
		awk -F'\t' '$2 != "-" { n = split($2, f, ":"); v = f[n]; sub(/^\//, "", $1);
			print substr($2, 1, length($2) - length(v) - 1) "\t" v "\t" $1 "\t" $4 }' \
			"$IM/truth/java-go/jars.txt" | sort > "$TMP/want-owners"
		owned=$(awk -F'\t' '$4 != "-"' "$TMP/want-owners" | wc -l)
		if comm -23 "$TMP/want-owners" "$TMP/owners" > "$TMP/bad-owners" && [ ! -s "$TMP/bad-owners" ] && [ "$owned" = 37 ]; then
			ok "java-go $form: owner as dpkg's file lists say ($owned rows dpkg-owned, $(($(wc -l < "$TMP/want-owners") - owned)) not)"
		else notok "java-go $form: owners: $(head -3 "$TMP/bad-owners" | tr '\n' ' ')"; fi
	else
		echo "# java-go $form: the JSON report has no owner field; owners are checked in tests/unit/test_java.c"
	fi
done

# ---- big ------------------------------------------------------------------------------------

if [ -e "$IM/docker/big.tar" ]; then
	for form in docker/big.tar oci/big; do
		[ -e "$IM/$form" ] || continue
		out=$TMP/big.json
		/usr/bin/time -v "$BOSUN" sbom -q -f json -o "$out" "$IM/$form" 2> "$TMP/time" ||
			notok "sbom big $form: $(tail -3 "$TMP/time")"
		rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$TMP/time")
		wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$TMP/time")
		echo "# big $form: peak RSS $((rss / 1024)) MB, wall $wall"
		check_jars "big $form" "$out" "$IM/truth/big"
	done
else
	echo "# big image not built: skipped"
fi

# ---- matching --------------------------------------------------------------------------------

# GHSA-jfh8-c2jp-5v3q (CVE-2021-44228, log4j-core) lists three ECOSYSTEM
# ranges for Maven org.apache.logging.log4j:log4j-core:
#   introduced 2.13.0 fixed 2.15.0;  introduced 0 fixed 2.3.1;  introduced 2.4 fixed 2.12.2
# so by hand:
#   2.14.1 -> affected (first range), fixed 2.15.0
#   2.12.1 -> affected (third range), fixed 2.12.2
#   2.17.1 -> in no range: not reported
#   2.19.0 (Debian's jar in java-go) -> in no range
# The report names the CVE and lists the GHSA id as an alias.
DB=$TMP/ghsa.db
"$BOSUN" db build -q --from "$SHARED/vulndata/ghsa-sample" --db "$DB" 2> "$TMP/build.err" ||
	notok "db build ghsa-sample: $(head -c 300 "$TMP/build.err")"
ROOT=$TMP/l4j
mkdir -p "$ROOT/app/lib" "$ROOT/opt"
"$PY" - "$ROOT" <<'EOF'
import io, sys, zipfile
root = sys.argv[1]
def jar(g, a, v, nested=()):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\n\r\n")
        z.writestr(f"META-INF/maven/{g}/{a}/pom.properties", f"groupId={g}\nartifactId={a}\nversion={v}\n")
        for name, data in nested:
            z.writestr(zipfile.ZipInfo(name), data)  # stored, as Spring Boot does
    return b.getvalue()
L = "org.apache.logging.log4j"
open(f"{root}/opt/log4j-core-2.14.1.jar", "wb").write(jar(L, "log4j-core", "2.14.1"))
open(f"{root}/opt/log4j-core-2.17.1.jar", "wb").write(jar(L, "log4j-core", "2.17.1"))
open(f"{root}/app/lib/app-1.0.jar", "wb").write(
    jar("com.example", "app", "1.0", [("BOOT-INF/lib/log4j-core-2.12.1.jar", jar(L, "log4j-core", "2.12.1"))]))
EOF
"$BOSUN" image -q --db "$DB" -f json -o "$TMP/vulns.json" "rootfs:$ROOT" 2> "$TMP/scan.err" ||
	notok "image rootfs:$ROOT: $(head -c 300 "$TMP/scan.err")"
jq -r '.vulnerabilities[] | [.package.name, .package.version, .package.foundIn, .id, (.aliases | join(",")), .fixedVersion] | @tsv' \
	"$TMP/vulns.json" | sort > "$TMP/got"
printf '%s\t%s\t%s\t%s\t%s\t%s\n' \
	org.apache.logging.log4j:log4j-core 2.12.1 'app/lib/app-1.0.jar!/BOOT-INF/lib/log4j-core-2.12.1.jar' CVE-2021-44228 GHSA-jfh8-c2jp-5v3q 2.12.2 \
	org.apache.logging.log4j:log4j-core 2.14.1 opt/log4j-core-2.14.1.jar CVE-2021-44228 GHSA-jfh8-c2jp-5v3q 2.15.0 |
	sort > "$TMP/want"
if diff -u "$TMP/want" "$TMP/got" > "$TMP/diff"; then ok "log4j-core findings from jar pom.properties (2 findings, 2.17.1 clean)"
else notok "log4j-core findings: $(cat "$TMP/diff")"; fi
"$BOSUN" image -q --db "$DB" -f json -o "$TMP/jg-vulns.json" "$IM/docker/java-go.tar" 2> "$TMP/scan.err" ||
	notok "image java-go: $(head -c 300 "$TMP/scan.err")"
check "java-go: Debian's log4j-core 2.19.0 is outside every range of the advisory" \
	test "$(jq '[.vulnerabilities[] | select(.package.type == "maven")] | length' "$TMP/jg-vulns.json")" = 0

finish
