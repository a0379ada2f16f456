#!/bin/bash
# bosun config: a mixed project directory (Dockerfile, Kubernetes manifests,
# compose files by name and by content, unrelated YAML, a README, skipped
# directories, symbolic links out of the tree, a FIFO) gives findings from
# all three checkers with paths and lines; stdin is sniffed; --exit-code
# gates; SARIF validates; hostile compose files give clear errors.
. ./lib.sh
DATA=$(cd ../data && pwd)
P=$TMP/proj
cp -r "$DATA/config/mixed" "$P"
# what a walk must not enter or follow
mkdir -p "$P/.git" "$TMP/outside"
cp "$P/docker-compose.yml" "$P/.git/docker-compose.yml"
printf 'services:\n  outside:\n    image: x:1\n    pid: host\n' >"$TMP/outside/docker-compose.yml"
ln -s "$TMP/outside" "$P/linked-dir"
ln -s "$TMP/outside/docker-compose.yml" "$P/compose.override.yml"
mkfifo "$P/fifo.yaml"

# json_q FILE PYTHON-EXPR: evaluates EXPR with d = the JSON report and
# m = its misconfigurations; true when EXPR is truthy.
json_q() {
	$PY - "$1" "$2" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
m = d["misconfigurations"]
sys.exit(0 if eval(sys.argv[2]) else 1)
EOF
}
has() { # has FILE RULE PATH LINE
	json_q "$1" "any(f['ruleId'] == '$2' and f['path'] == '$3' and f['line'] == $4 for f in m)"
}

# ---- the mixed directory -----------------------------------------------------------
cd "$P" || exit 1
expect_exit 0 "config on a mixed directory" -- config -f json -o "$TMP/mixed.json" .
cd - >/dev/null || exit 1
J=$TMP/mixed.json
check "findings from the Dockerfile, with a line" \
	json_q "$J" "any(f['category'] == 'dockerfile' and f['path'] == 'Dockerfile' and f['line'] > 0 for f in m)"
check "findings from the Kubernetes manifest, with a line" \
	json_q "$J" "any(f['category'] == 'kubernetes' and f['path'] == 'k8s/deployment.yaml' and 'PRIVILEGED' in f['ruleId'] and f['line'] == 21 for f in m)"
check "compose privileged at its line" has "$J" CMP-001 docker-compose.yml 4
check "compose database port at its line" has "$J" CMP-021 docker-compose.yml 6
check "compose found by content (stack.yml): docker socket" has "$J" CMP-009 compose-by-content/stack.yml 6
check "compose findings name the service" \
	json_q "$J" "all(f['location'] == 'service ' + f['object'] for f in m if f['category'] == 'compose')"
check "nothing from node_modules, vendor, .git, unrelated YAML, README or notes" \
	json_q "$J" "not any(p in f['path'] for f in m for p in ('node_modules', 'vendor', '.git', 'values.yaml', 'ci.yml', 'README', 'notes'))"
check "symbolic links are not followed" \
	json_q "$J" "not any('linked-dir' in f['path'] or 'override' in f['path'] or f['object'] == 'outside' for f in m)"
check "the broken compose file is a warning naming it" \
	json_q "$J" "any('broken/docker-compose.yml' in w for w in d['warnings'])"
check "target kind config" json_q "$J" "d['target']['kind'] == 'config'"

# ---- formats -------------------------------------------------------------------------
expect_exit 0 "table output" -- config "$P"
check "table names file:line" grep -q "docker-compose.yml:4" "$TMP/stdout"
expect_exit 0 "sarif output" -- config -q -f sarif -o "$TMP/mixed.sarif" "$P"
check "SARIF validates against the 2.1.0 schema" $PY ../tools/validate-schema.py sarif "$TMP/mixed.sarif"
check "SARIF has compose results with lines" $PY - "$TMP/mixed.sarif" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))["runs"][0]["results"]
sys.exit(0 if any(x["ruleId"] == "CMP-001" and x["locations"][0]["physicalLocation"]["region"]["startLine"] == 4
                  for x in r) else 1)
EOF

# ---- stdin ---------------------------------------------------------------------------------
"$BOSUN" config -q -f json - <"$DATA/compose/cases/privileged.yml" >"$TMP/stdin.json"
check "stdin compose: privileged at line 11, path -" has "$TMP/stdin.json" CMP-001 - 11
"$BOSUN" config -q -f json - <"$DATA/config/mixed/k8s/deployment.yaml" >"$TMP/stdin-k8s.json"
check "stdin Kubernetes manifest" json_q "$TMP/stdin-k8s.json" "m and all(f['category'] == 'kubernetes' for f in m)"
"$BOSUN" config -q -f json - <"$DATA/config/mixed/Dockerfile" >"$TMP/stdin-df.json"
check "stdin Dockerfile" json_q "$TMP/stdin-df.json" "m and all(f['category'] == 'dockerfile' for f in m)"
"$BOSUN" config -f json - <"$DATA/config/mixed/README.md" >"$TMP/stdin-readme.json" 2>"$TMP/stderr"
check "stdin README: nothing, with a warning" json_q "$TMP/stdin-readme.json" "not m"
check "stdin README warning" stderr_has "not a Dockerfile, Kubernetes manifest or compose file"

# ---- gating and usage ----------------------------------------------------------------------
expect_exit 9 "--exit-code with findings" -- config -q --exit-code 9 "$P"
expect_exit 0 "--exit-code on a hardened file" -- config -q --exit-code 9 "$DATA/compose/cases/v3-hardened.yml"
expect_exit 0 "--severity CRITICAL leaves nothing in a file with LOW findings" \
	-- config -q --exit-code 9 --severity CRITICAL "$DATA/compose/cases/user-missing.yml"
expect_exit 9 "--severity CRITICAL keeps privileged" \
	-- config -q --exit-code 9 --severity CRITICAL "$DATA/compose/cases/privileged.yml"
expect_exit 2 "no PATH" -- config
expect_exit 2 "bad --profile" -- config --profile lax "$P"
expect_exit 3 "missing path" -- config "$TMP/nope"
check "missing path error" stderr_has "bosun: error: .*nope"

# ---- policy ----------------------------------------------------------------------------------
cat >"$TMP/policy.yaml" <<EOF
rules:
  CMP-019: off
  CMP-003: { severity: CRITICAL }
exceptions:
  - rule: CMP-001
    name: web
    reason: privileged on purpose in this fixture
    expires: 2099-12-31
EOF
"$BOSUN" config -q -f json --policy "$TMP/policy.yaml" "$DATA/compose/cases/privileged.yml" \
	"$DATA/compose/cases/user-missing.yml" "$DATA/compose/cases/cap-drop-missing.yml" >"$TMP/policy.json"
check "policy: disabled rule and exception drop findings" \
	json_q "$TMP/policy.json" "not any(f['ruleId'] in ('CMP-001', 'CMP-019') for f in m)"
check "policy: severity override" \
	json_q "$TMP/policy.json" "any(f['ruleId'] == 'CMP-003' and f['severity'] == 'CRITICAL' for f in m)"

printf 'CMP-019\n' >"$TMP/trivyignore"
"$BOSUN" config -q -f json --ignorefile "$TMP/trivyignore" "$DATA/compose/cases/user-missing.yml" >"$TMP/ign.json"
check "--ignorefile accepts a compose rule id" \
	json_q "$TMP/ign.json" "[(f['ruleId'], f['state']) for f in m] == [('CMP-019', 'ignored')]"
expect_exit 0 "--ignorefile: nothing left to gate on" \
	-- config -q --exit-code 9 --ignorefile "$TMP/trivyignore" "$DATA/compose/cases/user-missing.yml"
"$BOSUN" config -q -f json --profile baseline "$P" >"$TMP/baseline.json"
check "--profile baseline runs fewer Kubernetes rules, the same compose rules" $PY - "$J" "$TMP/baseline.json" <<'EOF2'
import json, sys
a, b = (json.load(open(f))["misconfigurations"] for f in sys.argv[1:3])
k = lambda m, c: [f["ruleId"] for f in m if f["category"] == c]
sys.exit(0 if len(k(b, "kubernetes")) < len(k(a, "kubernetes")) and k(a, "compose") == k(b, "compose") else 1)
EOF2

# ---- hostile compose files named on the command line -------------------------------------------
H=$DATA/compose/hostile
expect_exit 4 "billion laughs" -- config "$H/billion-laughs.yml"
check "billion laughs message" stderr_has "aliases expand"
expect_exit 4 "deep nesting" -- config "$H/deep-nesting.yml"
expect_exit 3 "invalid UTF-8" -- config "$H/invalid-utf8.yml"
check "invalid UTF-8 is named" stderr_has "invalid-utf8.yml: .*UTF-8"
expect_exit 3 "truncated" -- config "$H/truncated.yml"
# named like compose files, they get the compose checker's own errors
mkdir -p "$TMP/named"
cp "$H/invalid-utf8.yml" "$TMP/named/docker-compose.yml"
expect_exit 3 "invalid UTF-8 in docker-compose.yml" -- config "$TMP/named/docker-compose.yml"
check "invalid UTF-8 names the line" stderr_has "docker-compose.yml: line 3: invalid UTF-8"
cp "$H/two-documents.yml" "$TMP/named/compose.yaml"
expect_exit 3 "two documents in compose.yaml" -- config "$TMP/named/compose.yaml"
check "two documents message" stderr_has "more than one document"
head -c 9000000 /dev/zero | tr '\0' '#' >"$TMP/docker-compose.yml"
expect_exit 4 "compose file over 8 MiB" -- config "$TMP/docker-compose.yml"
expect_exit 0 "wrong types are no crash" -- config -q "$H/wrong-types.yml"
# in a walk the same files are warnings and the rest is still checked
mkdir -p "$TMP/walk"
cp "$H/billion-laughs.yml" "$TMP/walk/docker-compose.yml"
cp "$DATA/compose/cases/privileged.yml" "$TMP/walk/compose.yaml"
"$BOSUN" config -f json "$TMP/walk" >"$TMP/walk.json" 2>"$TMP/stderr"
check "walk: hostile file skipped with a warning" stderr_has "docker-compose.yml: YAML line 6: aliases expand"
check "walk: the good file is still checked" json_q "$TMP/walk.json" "any(f['ruleId'] == 'CMP-001' for f in m)"
finish
