#!/bin/bash
# bosun fs DIR (and bosun image fs:DIR) with the config scanner checks the
# project's Dockerfiles, Kubernetes manifests and compose files as
# `bosun config DIR` does: the same rule ids and lines, with paths relative
# to DIR like every other finding of an fs: scan; the default scanners
# include them; not for rootfs: or images; --profile/--policy apply to the
# misconfigurations only; SARIF validates; --exit-code gates.
. ./lib.sh
DATA=$(cd ../data && pwd)
SHARED=${BOSUN_SHARED:-$(cd ../../.. && pwd)/shared}
P=$TMP/proj
cp -r "$DATA/config/mixed" "$P"
mkdir -p "$P/.git" "$TMP/outside"
cp "$P/docker-compose.yml" "$P/.git/docker-compose.yml"
printf 'services:\n  outside:\n    image: x:1\n    pid: host\n' >"$TMP/outside/docker-compose.yml"
ln -s "$TMP/outside" "$P/linked-dir"
ln -s "$TMP/outside/docker-compose.yml" "$P/compose.override.yml"

# "ruleId path line severity" of every misconfiguration, sorted; an optional
# prefix is cut from the paths
rows() { jq -r --arg p "${2:-}" '.misconfigurations[] | "\(.ruleId) \(.path | ltrimstr($p)) \(.line) \(.severity)"' "$1" | sort; }
jqe() { jq -e "$@" >/dev/null; }

# ---- the same findings as bosun config ---------------------------------------------------
"$BOSUN" config -q -f json -o "$TMP/config.json" "$P" || notok "bosun config"
expect_exit 0 "fs --scanners config on the mixed project" -- fs --scanners config -f json -o "$TMP/fs.json" "$P"
rows "$TMP/config.json" "$P/" >"$TMP/config.rows"
rows "$TMP/fs.json" >"$TMP/fs.rows"
check "bosun config found the mixed project's 30 findings" test "$(wc -l <"$TMP/config.rows")" = 30
check "fs: the same rule ids, paths (relative to DIR), lines and severities as bosun config" \
	diff -u "$TMP/config.rows" "$TMP/fs.rows"
check "fs: every path relative and normalized (no leading / or ./)" \
	jqe '[.misconfigurations[].path] | all(startswith("/") or startswith("./") | not)' "$TMP/fs.json"
check "fs: compose privileged at docker-compose.yml:4" \
	jqe '.misconfigurations | any(.ruleId == "CMP-001" and .path == "docker-compose.yml" and .line == 4)' "$TMP/fs.json"
check "fs: the Kubernetes manifest at k8s/deployment.yaml:21" \
	jqe '.misconfigurations | any(.ruleId == "K8S-PSS-PRIVILEGED" and .path == "k8s/deployment.yaml" and .line == 21)' "$TMP/fs.json"
check "fs: categories dockerfile, kubernetes and compose" \
	jqe '[.misconfigurations[].category] | unique == ["compose", "dockerfile", "kubernetes"]' "$TMP/fs.json"
check "fs: nothing from .git, node_modules, vendor or symbolic links" \
	jqe '[.misconfigurations[] | .path + " " + (.object // "")] | all(test("\\.git|node_modules|vendor|linked-dir|override|outside") | not)' "$TMP/fs.json"
check "fs: the broken compose file is a warning with its relative path" \
	jqe '.warnings | any(startswith("broken/docker-compose.yml: YAML line 5"))' "$TMP/fs.json"
check "fs: target kind fs" jqe '.target.kind == "fs"' "$TMP/fs.json"
check "fs: the JSON report validates" $PY ../tools/validate-schema.py vulns "$TMP/fs.json"

# run from inside the tree, and as image fs:DIR
(cd "$P" && "$BOSUN" fs -q --scanners config -f json -o "$TMP/dot.json" .) || notok "fs ."
check "fs . gives the same rows" diff -u "$TMP/fs.rows" <(rows "$TMP/dot.json")
"$BOSUN" image -q --scanners config -f json -o "$TMP/image-fs.json" "fs:$P/" || notok "image fs:DIR/"
check "image fs:DIR/ gives the same rows" diff -u "$TMP/fs.rows" <(rows "$TMP/image-fs.json")
"$BOSUN" image -q --scanners config -f json -o "$TMP/rootfs.json" "rootfs:$P" || notok "image rootfs:DIR"
check "rootfs:DIR is no project: no Dockerfile, manifest or compose findings" \
	jqe '[.misconfigurations[] | select(.category != "image")] | length == 0' "$TMP/rootfs.json"
"$BOSUN" fs -q --scanners secret -f json -o "$TMP/secret-only.json" "$P" || notok "fs --scanners secret"
check "without the config scanner: no misconfigurations" jqe '.misconfigurations == []' "$TMP/secret-only.json"

# ---- the default scanners --------------------------------------------------------------------
DB=$TMP/alpine.db
"$BOSUN" db build -q --from "$SHARED/vulndata/alpine-secdb" --db "$DB" 2>"$TMP/build.err" ||
	notok "db build: $(head -c 300 "$TMP/build.err")"
printf 'aws_access_key_id = AKIABOSUNTESTFAKE001\n' >"$P/credentials"
expect_exit 0 "fs with the default scanners" -- fs --db "$DB" -f json -o "$TMP/default.json" "$P"
check "default scanners: the same misconfigurations" diff -u "$TMP/fs.rows" <(rows "$TMP/default.json")
check "default scanners: the planted secret too" \
	jqe '.secrets | any(.ruleId == "aws-access-key-id" and .path == "credentials")' "$TMP/default.json"

# ---- formats and gating -------------------------------------------------------------------------
expect_exit 0 "table" -- fs -q --scanners config "$P"
check "table names docker-compose.yml:4" grep -q "docker-compose.yml:4 (service web)" "$TMP/stdout"
check "table: no absolute path" bash -c "! grep -q '$P/' '$TMP/stdout'"
expect_exit 0 "sarif" -- fs -q --scanners config -f sarif -o "$TMP/fs.sarif" "$P"
check "SARIF validates against the 2.1.0 schema" $PY ../tools/validate-schema.py sarif "$TMP/fs.sarif"
check "SARIF: CMP-001 at docker-compose.yml line 4" $PY - "$TMP/fs.sarif" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))["runs"][0]["results"]
sys.exit(0 if any(x["ruleId"] == "CMP-001"
                  and x["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "docker-compose.yml"
                  and x["locations"][0]["physicalLocation"]["region"]["startLine"] == 4 for x in r) else 1)
EOF
expect_exit 9 "--exit-code gates on the project's misconfigurations" -- fs -q --scanners config --exit-code 9 "$P"
expect_exit 9 "--severity CRITICAL keeps the privileged compose service" \
	-- fs -q --scanners config --severity CRITICAL --exit-code 9 "$P"
mkdir -p "$TMP/clean"
cp "$DATA/compose/cases/v3-hardened.yml" "$TMP/clean/docker-compose.yml"
expect_exit 0 "--exit-code: a hardened compose project passes" -- fs -q --scanners config --exit-code 9 "$TMP/clean"
cp "$DATA/compose/cases/privileged.yml" "$TMP/clean/compose.yaml"
expect_exit 9 "--exit-code: a privileged service fails" -- fs -q --scanners config --exit-code 9 "$TMP/clean"

# ---- --profile and --policy -----------------------------------------------------------------------
"$BOSUN" fs -q --scanners config --profile baseline -f json -o "$TMP/baseline.json" "$P" || notok "--profile baseline"
check "--profile baseline: fewer Kubernetes findings, the same compose ones" $PY - "$TMP/fs.json" "$TMP/baseline.json" <<'EOF'
import json, sys
a, b = (json.load(open(f))["misconfigurations"] for f in sys.argv[1:3])
k = lambda m, c: [f["ruleId"] for f in m if f["category"] == c]
sys.exit(0 if len(k(b, "kubernetes")) < len(k(a, "kubernetes")) and k(a, "compose") == k(b, "compose") else 1)
EOF
cat >"$TMP/policy.yaml" <<EOF
rules:
  CMP-019: off
  CMP-003: { severity: CRITICAL }
exceptions:
  - rule: CMP-001
    path: docker-compose.yml
    reason: privileged on purpose in this fixture
EOF
"$BOSUN" fs --scanners config,secret --policy "$TMP/policy.yaml" -f json -o "$TMP/policy.json" "$P" 2>"$TMP/stderr" ||
	notok "--policy"
check "--policy: disabled rule and exception (by relative path) drop findings" \
	jqe '[.misconfigurations[].ruleId] | (index("CMP-019") == null) and (index("CMP-001") == null)' "$TMP/policy.json"
check "--policy: severity override" \
	jqe '.misconfigurations | any(.ruleId == "CMP-003" and .severity == "CRITICAL")' "$TMP/policy.json"
check "--policy: the excepted finding is counted in a warning" stderr_has "1 finding excepted"
printf 'rules:\n  "*": off\n' >"$TMP/all-off.yaml"
"$BOSUN" fs -q --scanners config,secret --policy "$TMP/all-off.yaml" -f json -o "$TMP/all-off.json" "$P" ||
	notok "--policy all off"
check "--policy applies to misconfigurations only: the secret stays" \
	jqe '(.misconfigurations == []) and (.secrets | any(.ruleId == "aws-access-key-id"))' "$TMP/all-off.json"
expect_exit 2 "bad --profile" -- fs --scanners config --profile lax "$P"
expect_exit 2 "--policy without the config scanner" -- fs --scanners secret --policy "$TMP/policy.yaml" "$P"
check "the usage error says why" stderr_has "need the config scanner"
printf 'rules:\n  CMP-001: maybe\n' >"$TMP/bad-policy.yaml"
expect_exit 3 "malformed --policy" -- fs --scanners config --policy "$TMP/bad-policy.yaml" "$P"
check "malformed policy names the file" stderr_has "bad-policy.yaml"
finish
