#!/bin/bash
# bosun k8s: the Pod Security Standards cases (every manifest of
# tests/data/k8s/pss must give exactly the PSS rule ids its header names,
# under both profiles), real-world shaped manifests (helm template,
# kustomize build, List, JSON, directories, stdin), the policy file, the
# report formats and gating, and hostile YAML (clear error, exit 3 or 4).
. ./lib.sh
D=../data/k8s
J=$TMP/out.json

# ids K8S-PSS-* of a JSON report, sorted, space-separated
pss_ids() { $PY -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(" ".join(sorted(m["ruleId"] for m in d["misconfigurations"] if m["ruleId"].startswith("K8S-PSS-"))))' "$1"; }

# ---- every PSS case, both profiles, through the CLI
bad=0 n=0
for f in $D/pss/*.yaml; do
	for prof in restricted baseline; do
		key=expect; [ $prof = baseline ] && key=expect-baseline
		want=$(sed -n "s/^# $key: //p" "$f"); [ "$want" = none ] && want=
		if ! "$BOSUN" k8s -q --profile $prof -f json -o "$J" "$f"; then
			notok "pss $(basename "$f") ($prof): bosun failed"; bad=1; continue
		fi
		got=$(pss_ids "$J")
		if [ "$got" != "$want" ]; then
			notok "pss $(basename "$f") ($prof): want [$want] got [$got]"; bad=1
		fi
	done
	n=$((n + 1))
done
[ $bad = 0 ] && ok "pss: $n manifests give exactly their expected rule ids under both profiles"

# ---- real-world shapes
expect_exit 0 "helm template output" -- k8s -f json -o "$J" $D/real/helm-template.yaml
check "helm: the hardened Deployment has only its digest finding" $PY -c '
import json, sys
d = json.load(open(sys.argv[1]))
dep = [m["ruleId"] for m in d["misconfigurations"] if m["location"].startswith("Deployment/")]
assert dep == ["K8S-IMAGE-DIGEST"], dep
assert d["target"]["kind"] == "kubernetes"' "$J"

expect_exit 0 "kustomize build output" -- k8s -f json -o "$J" $D/real/kustomize-build.yaml
check "kustomize: cluster-admin binding, the workload using it, the literal password (masked)" $PY -c '
import json, sys
m = json.load(open(sys.argv[1]))["misconfigurations"]
by = {(x["ruleId"], x["location"]): x for x in m}
b = by[("K8S-CLUSTER-ADMIN-BINDING", "ClusterRoleBinding/api-admin")]
assert b["line"] == 21 and b["namespace"] in ("", None), b
w = by[("K8S-CLUSTER-ADMIN-WORKLOAD", "StatefulSet/payments/api")]
assert w["namespace"] == "payments" and w["object"] == "api", w
s = by[("K8S-SECRET-ENV", "StatefulSet/payments/api: container api")]
assert "s3cr3t-Passw0rd" not in json.dumps(m) and s["line"] == 53, s
assert s["control"].startswith("CIS Kubernetes 5.4.1"), s' "$J"

expect_exit 0 "JSON manifest" -- k8s -f json -o "$J" $D/real/manifest.json
check "json: privileged at its line, runtime socket CRITICAL" $PY -c '
import json, sys
m = json.load(open(sys.argv[1]))["misconfigurations"]
p = [x for x in m if x["ruleId"] == "K8S-PSS-PRIVILEGED"][0]
assert p["line"] == 13 and p["path"].endswith("manifest.json") and p["location"] == "DaemonSet/monitoring/node-agent: container agent", p
assert [x["severity"] for x in m if x["ruleId"] == "K8S-RUNTIME-SOCKET"] == ["CRITICAL"]' "$J"

expect_exit 0 "List kind (a bad item is a warning)" -- k8s -f json -o "$J" $D/real/list.yaml
check "list: warning names the file and line" stderr_has "list.yaml line 19: item 2 of the list is not a Kubernetes object"
check "list: the Pod item is checked" grep -q '"location": "Pod/tools/listed"' "$J"

expect_exit 0 "directory, recursively" -- k8s -f json -o "$J" $D/real/dir
check "dir: a.yaml, sub/b.yml and sub/c.json, not .hidden" $PY -c '
import json, sys
m = json.load(open(sys.argv[1]))["misconfigurations"]
objs = sorted({x["object"] for x in m})
assert objs == ["a", "b", "c"], objs' "$J"

"$BOSUN" k8s -q -f json - <$D/real/cronjob.yaml >"$J" 2>"$TMP/stderr"
check "stdin: - reads the manifest" $PY -c '
import json, sys
m = json.load(open(sys.argv[1]))["misconfigurations"]
h = [x for x in m if x["ruleId"] == "K8S-PSS-HOST-PATH"][0]
assert h["path"] == "-" and h["line"] == 24 and h["location"] == "CronJob/ops/backup", h' "$J"

expect_exit 0 "several paths form one cluster" -- k8s -f json -o "$J" $D/real/cronjob.yaml $D/real/deployment-init.yaml
check "two files: findings of both" $PY -c '
import json, sys
m = json.load(open(sys.argv[1]))["misconfigurations"]
assert {x["path"].split("/")[-1] for x in m} == {"cronjob.yaml", "deployment-init.yaml"}' "$J"

# ---- profiles, formats, gating
expect_exit 0 "baseline profile" -- k8s --profile baseline -f json -o "$J" $D/real/deployment-init.yaml
check "baseline: no restricted findings" bash -c "! grep -q K8S-PSS-RUN-AS $J"
expect_exit 2 "unknown profile is a usage error" -- k8s --profile privileged $D/real/cronjob.yaml
check "unknown profile: message" stderr_has "baseline or restricted"
expect_exit 2 "no path is a usage error" -- k8s
expect_exit 7 "--exit-code gates on findings" -- k8s --exit-code 7 $D/real/cronjob.yaml
expect_exit 0 "--exit-code passes on a compliant manifest" -- k8s --exit-code 7 --severity HIGH,CRITICAL $D/pss/restricted-compliant.yaml
expect_exit 0 "SARIF output" -- k8s -f sarif -o "$TMP/out.sarif" $D/real/cronjob.yaml
check "sarif: rule ids present" grep -q '"K8S-PSS-HOST-PATH"' "$TMP/out.sarif"
expect_exit 0 "table output" -- k8s -f table $D/real/cronjob.yaml
check "table: rule and location" grep -q 'K8S-SECRET-ENV.*CronJob/ops/backup' "$TMP/stdout"

# ---- policy file
P=$D/policy
expect_exit 0 "policy file" -- k8s --policy $P/policy.yaml -f json -o "$J" $D/real/cronjob.yaml $D/real/manifest.json $D/real/kustomize-build.yaml
check "policy: expired exception warns with its line" stderr_has "policy.yaml line 15: exception for K8S-SECRET-ENV (ops/backup) expired on 2020-01-31"
check "policy: disabled rules gone, severity override, live exceptions applied, registry allow-list" $PY -c '
import json, sys
m = json.load(open(sys.argv[1]))["misconfigurations"]
ids = [x["ruleId"] for x in m]
assert "K8S-RESOURCE-REQUESTS" not in ids and "K8S-IMAGE-DIGEST" not in ids
assert {x["severity"] for x in m if x["ruleId"] == "K8S-PSS-HOST-PATH"} == {"CRITICAL"}
# monitoring/node-agent privileged: excepted without expiry
assert not [x for x in m if x["ruleId"] == "K8S-PSS-PRIVILEGED"]
# payments: run-as exceptions live until 2099
assert not [x for x in m if x["ruleId"].startswith("K8S-PSS-RUN-AS") and x["namespace"] == "payments"]
# ops/backup secret: exception expired, reported again
assert [x for x in m if x["ruleId"] == "K8S-SECRET-ENV" and x["object"] == "backup"]
# registries: docker.io and quay.io are outside the list, registry.example.com is in
reg = sorted(x["object"] for x in m if x["ruleId"] == "K8S-IMAGE-REGISTRY")
assert reg == ["backup", "node-agent"], reg' "$J"
expect_exit 3 "policy with a typo is refused" -- k8s --policy $P/bad-key.yaml $D/real/cronjob.yaml
check "policy typo: file, line and key named" stderr_has "bad-key.yaml line 5: exception: unknown key 'namespce'"
expect_exit 3 "missing policy file" -- k8s --policy $TMP/none.yaml $D/real/cronjob.yaml

# ---- hostile input: a clear error naming file and line, never a crash
H=$D/hostile
hostile() { # CODE FILE MESSAGE
	expect_exit "$1" "hostile $2" -- k8s "$H/$2"
	check "hostile $2: message" stderr_has "$3"
}
hostile 4 billion-laughs.yaml "billion-laughs.yaml: YAML line 10: aliases expand to more nodes than the limit"
hostile 4 deep-nesting.yaml "deep-nesting.yaml: YAML line 4: nested deeper than the limit"
hostile 3 tabs.yaml "tabs.yaml: YAML line 4 column 1"
hostile 3 duplicate-keys.yaml "duplicate-keys.yaml: YAML line 5: duplicate mapping key 'name'"
hostile 3 invalid-utf8.yaml "invalid-utf8.yaml: YAML line 4"
hostile 3 truncated.yaml "truncated.yaml: YAML line 6"
hostile 3 second-doc-broken.yaml "second-doc-broken.yaml: YAML line 7"
head -c 17000000 /dev/zero | tr '\0' 'a' >"$TMP/huge.yaml"
expect_exit 4 "hostile: a file over 16 MiB" -- k8s "$TMP/huge.yaml"
check "huge: message" stderr_has "larger than the limit of 16 MiB"
expect_exit 3 "missing path" -- k8s "$TMP/nope.yaml"

# ---- output formats validate ---------------------------------------------------------
"$BOSUN" k8s -q -f sarif -o "$TMP/k8s.sarif" $D/real
check "SARIF validates against the SARIF 2.1.0 schema" $PY ../tools/validate-schema.py sarif "$TMP/k8s.sarif"
check "SARIF results carry the manifest path and line" \
	jq -e '[.runs[0].results[] | .locations[0].physicalLocation | select(.artifactLocation.uri | endswith(".yaml")) | .region.startLine > 0] | length > 0 and all' "$TMP/k8s.sarif" >/dev/null
"$BOSUN" k8s -q -f json -o "$TMP/k8s.json" $D/real
check "JSON validates against docs/bosun-vulns.schema.json" $PY ../tools/validate-schema.py vulns "$TMP/k8s.json"
expect_exit 9 "--exit-code gates on Kubernetes findings" -- k8s -q --exit-code 9 $D/real
finish
