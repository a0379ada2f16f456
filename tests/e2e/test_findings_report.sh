#!/bin/bash
# Secrets, malware and misconfigurations in the reports (docs/vulns-json.md,
# docs/formats.md#reports-with-findings): the keys a vulnerability scan now
# carries, the ignore file's secrets:/misconfigurations:/malware: sections
# through the CLI, and -- through `bosun config`, the first command whose
# scanner emits findings -- the table, JSON and SARIF with findings, gating
# on them, --severity and the ignore file. Every format is validated against
# its schema (tests/tools/validate-schema.py). The writers' handling of every
# finding field, layers and deleted files is covered by
# tests/unit/test_report_findings.c on a synthetic image.
. ./lib.sh
SHARED=${BOSUN_SHARED:-$(cd ../../.. && pwd)/shared}
V=$SHARED/vulndata
TOOLS=$(cd ../tools && pwd)
DB=$TMP/alpine.db
valid() { BOSUN_SHARED=$SHARED $PY "$TOOLS/validate-schema.py" "$@" >"$TMP/valid.out" 2>&1 || { cat "$TMP/valid.out"; false; }; }

# ---- a vulnerability scan: the new keys, empty ---------------------------------------

"$BOSUN" db build -q --from "$V/alpine-secdb" --db "$DB" 2>"$TMP/build.err" ||
	{ notok "db build: $(head -c 300 "$TMP/build.err")"; finish; }
mkdir -p "$TMP/alpine/etc" "$TMP/alpine/lib/apk/db"
printf 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.11.6\n' > "$TMP/alpine/etc/os-release"
printf 'P:libssl1.1\nV:1.1.1d-r2\nA:x86_64\no:openssl\n\nP:sqlite-libs\nV:3.30.1-r0\nA:x86_64\no:sqlite\n\n' \
	> "$TMP/alpine/lib/apk/db/installed"
A="rootfs:$TMP/alpine"

expect_exit 0 "vulnerability scan, JSON" -- image -q --db "$DB" -f json -o "$TMP/v.json" "$A"
check "  ... validates against docs/bosun-vulns.schema.json" valid vulns "$TMP/v.json"
check "  ... vulnerabilityScan true, no secrets, malware or misconfigurations" \
	test "$(jq -c '[.vulnerabilityScan, (.secrets|length), (.malware|length), (.misconfigurations|length)]' "$TMP/v.json")" = '[true,0,0,0]'
NV=$(jq '.vulnerabilities | length' "$TMP/v.json")
check "  ... vulnerabilities found ($NV), and byKind counts them as the totals do" \
	test "$NV" -gt 0 -a "$(jq '[.summary.reported, .summary.byKind.vulnerabilities.reported, .summary.byKind.secrets.reported] | join(" ")' -r "$TMP/v.json")" = "$NV $NV 0"
"$BOSUN" image -q --scanners vuln --db "$DB" "$A" > "$TMP/v.txt" 2>&1
check "  ... --scanners vuln: the table has no finding sections" \
	sh -c "grep -q '^Total: $NV ' '$TMP/v.txt' && ! grep -q -e '^Secrets' -e '^Reported in all' '$TMP/v.txt'"
"$BOSUN" image -q --db "$DB" "$A" > "$TMP/v2.txt" 2>&1
check "  ... by default every scanner ran and the table says what was not found" \
	sh -c "grep -q '^No secrets found' '$TMP/v2.txt' && grep -q '^No malware found' '$TMP/v2.txt' && grep -q '^Reported in all: $NV (vulnerabilities: $NV, secrets: 0, malware: 0, misconfigurations: 0)' '$TMP/v2.txt'"

# An ignore file with every section: vulnerabilities as before; a secrets
# entry named like a CVE does not touch the CVE.
CVE=$(jq -r '.vulnerabilities[0].id' "$TMP/v.json")
cat > "$TMP/ign.yaml" <<EOF
vulnerabilities:
  - id: $CVE
    reason: accepted
secrets:
  - id: $(jq -r '.vulnerabilities[1].id // "CVE-0000-0000"' "$TMP/v.json")
  - paths: ["app/testdata/**"]
misconfigurations:
  - id: DKR-001
    expires: 2020-01-01
malware:
  - id: yara:EICAR_Test_File
    paths: opt/av-tests/**
EOF
expect_exit 0 "an ignore file with secrets:, misconfigurations: and malware: sections" -- \
	image --db "$DB" -f json -o "$TMP/vi.json" --ignorefile "$TMP/ign.yaml" "$A"
check "  ... suppresses the vulnerabilities: entry only" \
	test "$(jq -r '[.summary.ignored, (.suppressed | map(.id) | join(",")), .suppressed[0].suppressedBy.section] | join(" ")' "$TMP/vi.json")" = "1 $CVE vulnerabilities"
check "  ... and names the expired misconfigurations entry" stderr_has "misconfigurations entry 1 (DKR-001) expired on 2020-01-01"
check "  ... JSON validates" valid vulns "$TMP/vi.json"
printf 'secrets:\n  - reason: no id\n' > "$TMP/bad.yaml"
expect_exit 3 "a secrets entry without id or paths is an error" -- image -q --db "$DB" -o /dev/null \
	--ignorefile "$TMP/bad.yaml" "$A"
check "  ... naming the file, section and entry" stderr_has "bad.yaml: secrets entry 1 has neither id nor paths"
printf 'misconfigurations:\n  - id: X\n    purls: [pkg:apk/alpine/musl]\n' > "$TMP/bad2.yaml"
expect_exit 3 "purls in a misconfigurations entry are an error" -- image -q --db "$DB" -o /dev/null \
	--ignorefile "$TMP/bad2.yaml" "$A"

# ---- findings through `bosun config` -----------------------------------------------

D=$TMP/proj
EVIL=$(printf 'evil\033[31m')
mkdir -p "$D/$EVIL"
printf 'FROM debian:latest\nRUN apt-get update\nUSER root\n' > "$D/Dockerfile"
printf 'FROM debian:latest\nUSER root\n' > "$D/$EVIL/Dockerfile"
"$BOSUN" config -q -f json -o "$TMP/c.json" "$D" 2>"$TMP/stderr"
rc=$?
if [ "$rc" != 0 ] || [ "$(jq '.misconfigurations | length' "$TMP/c.json" 2>/dev/null || echo 0)" = 0 ]; then
	ok "# skip: bosun config reports no misconfigurations here (exit $rc: $(head -c 200 "$TMP/stderr"))"
	finish
	exit 0
fi
N=$(jq '.misconfigurations | length' "$TMP/c.json")
check "config: JSON validates ($N misconfigurations)" valid vulns "$TMP/c.json"
check "  ... no vulnerability scan: vulnerabilityScan false, database null, vulnerabilities empty" \
	test "$(jq -c '[.vulnerabilityScan, .database, (.vulnerabilities|length)]' "$TMP/c.json")" = '[false,null,0]'
check "  ... every finding reported, with a rule id, severity, path and line" \
	test "$(jq '[.misconfigurations[] | select(.state=="reported" and (.ruleId|length)>0 and .severity!=null and .path!=null and .line>=1)] | length' "$TMP/c.json")" = "$N"
check "  ... summary counts them, every kind and this kind alike" \
	test "$(jq -r '[.summary.reported, .summary.byKind.misconfigurations.reported, ([.summary.bySeverity[]]|add)] | join(" ")' "$TMP/c.json")" = "$N $N $N"

expect_exit 0 "config: table" -- config "$D"
cp "$TMP/stdout" "$TMP/c.txt"
check "  ... a Misconfigurations section with its count" grep -q "^Misconfigurations: $N (CRITICAL:" "$TMP/c.txt"
check "  ... and the gating total" grep -q "^Reported in all: $N (misconfigurations: $N)" "$TMP/c.txt"
check "  ... no vulnerability table without a vulnerability scan" sh -c "! grep -q -e '^Total:' -e 'No vulnerabilities' '$TMP/c.txt'"
check "  ... the escape sequence in a directory name is not printed raw" sh -c "! grep -q \$'\\033' '$TMP/c.txt' && grep -q 'evil?\\[31m/Dockerfile:2' '$TMP/c.txt'"

expect_exit 0 "config: SARIF" -- config -f sarif -o "$TMP/c.sarif" "$D"
check "  ... validates against SARIF 2.1.0" valid sarif "$TMP/c.sarif"
check "  ... one result per finding, each at a file and line" \
	test "$(jq '[.runs[0].results[] | select(.locations[0].physicalLocation.region.startLine >= 1 and (.locations[0].physicalLocation.artifactLocation.uri | endswith("Dockerfile")))] | length' "$TMP/c.sarif")" = "$N"
check "  ... rules carry GitHub's security-severity and the kind tag" \
	test "$(jq '[.runs[0].tool.driver.rules[] | select(.properties["security-severity"] != null and .properties.tags[0] == "misconfiguration")] | length' "$TMP/c.sarif")" = \
	"$(jq '.runs[0].tool.driver.rules | length' "$TMP/c.sarif")"
check "  ... the escaped directory name is percent-encoded" \
	test "$(jq '[.runs[0].results[].locations[0].physicalLocation.artifactLocation.uri | select(contains("evil%1B%5B31m/Dockerfile"))] | length' "$TMP/c.sarif")" -ge 1

expect_exit 0 "config: CycloneDX" -- config -f cyclonedx -o "$TMP/c.cdx.json" "$D"
check "  ... validates against CycloneDX 1.6" valid cyclonedx "$TMP/c.cdx.json"
check "  ... and says the findings are not in it" stderr_has "CycloneDX has no place for secrets, malware or misconfigurations: 0 secret, 0 malware and $N misconfiguration"

# gating
expect_exit 1 "config: --exit-code 1 gates on misconfigurations" -- config -q -o /dev/null --exit-code 1 "$D"
expect_exit 0 "config: --severity NEGLIGIBLE leaves nothing to gate on" -- config -q -f json -o "$TMP/neg.json" \
	--severity NEGLIGIBLE --exit-code 1 "$D"
check "  ... the filtered findings are counted, not listed" \
	test "$(jq -r '[.summary.filtered, .summary.byKind.misconfigurations.filtered, (.misconfigurations|length)] | join(" ")' "$TMP/neg.json")" = "$N $N 0"

# ignore files: YAML by rule id and path glob, plain by rule id
RULE=$(jq -r '.misconfigurations[0].ruleId' "$TMP/c.json")
NRULE=$(jq --arg r "$RULE" '[.misconfigurations[] | select(.ruleId==$r)] | length' "$TMP/c.json")
NEVIL=$(jq '[.misconfigurations[] | select(.path | contains("/evil"))] | length' "$TMP/c.json")
cat > "$TMP/cfg-ign.yaml" <<EOF
misconfigurations:
  - id: $RULE
    reason: accepted for this build image
  - paths: ["**/evil*/*"]
EOF
expect_exit 0 "config: YAML ignore file" -- config -q -f json -o "$TMP/ci.json" --ignorefile "$TMP/cfg-ign.yaml" "$D"
check "  ... validates" valid vulns "$TMP/ci.json"
check "  ... ignored findings stay listed with state and entry" \
	test "$(jq -r --arg r "$RULE" '[.misconfigurations[] | select(.ruleId==$r)][0] | [.state, .suppressedBy.section, .suppressedBy.entry, .suppressedBy.reason] | join("|")' "$TMP/ci.json")" = \
	"ignored|misconfigurations|1|accepted for this build image"
IGN=$(jq --arg r "$RULE" '[.misconfigurations[] | select(.ruleId==$r or (.path | contains("/evil")))] | length' "$TMP/c.json")
check "  ... the rule's $NRULE and the path glob's $NEVIL findings ($IGN together) are ignored, the rest reported" \
	test "$(jq -r '[([.misconfigurations[] | select(.state=="ignored")] | length), .summary.ignored, .summary.reported] | join(" ")' "$TMP/ci.json")" = "$IGN $IGN $((N - IGN))"
jq -r '.misconfigurations[].ruleId' "$TMP/c.json" | sort -u > "$TMP/all.trivyignore"
expect_exit 0 "config: a plain ignore file naming every rule leaves nothing to gate on" -- \
	config -q -o /dev/null --exit-code 1 --ignorefile "$TMP/all.trivyignore" "$D"

finish
