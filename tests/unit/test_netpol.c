/* Network-policy analysis: label selectors, port sets, the scenario
 * directories of tests/data/netpol (manifests + expected.txt), findings,
 * and intents (parse errors with lines, generation verified by analysis). */
#include "testutil.h"

#include <dirent.h>

#include "k8s/netpol.h"

/* ---- helpers ------------------------------------------------------------------ */

static json_t *js(const char *text)
{
	json_error_t err;
	json_t *j = json_loads(text, 0, &err);
	if (!j)
		fail_msg("bad fixture JSON: %s: %s", err.text, text);
	return j;
}

static bool sel_matches(const char *selector, const char *labels)
{
	struct arena ar = { 0 };
	struct netpol_selector s;
	struct netpol_labels l;
	struct berr e = { 0 };
	json_t *sj = js(selector), *lj = js(labels);
	if (netpol_selector_parse(&ar, sj, &s, &e) || netpol_labels_parse(&ar, lj, &l, &e))
		fail_msg("parse: %s", e.msg);
	bool m = netpol_selector_matches(&s, &l);
	json_decref(sj);
	json_decref(lj);
	arena_free(&ar);
	return m;
}

static void sel_error(const char *selector, const char *want)
{
	struct arena ar = { 0 };
	struct netpol_selector s;
	struct berr e = { 0 };
	json_t *sj = js(selector);
	assert_int_equal(netpol_selector_parse(&ar, sj, &s, &e), BOSUN_EFORMAT);
	if (!strstr(e.msg, want))
		fail_msg("error '%s' does not say '%s'", e.msg, want);
	json_decref(sj);
	arena_free(&ar);
}

/* Loads manifest text, analyses, returns the expected.txt form. */
static char *analyse_text(const char *yaml, struct netpol_model *m)
{
	struct berr e = { 0 };
	netpol_model_init(m);
	if (netpol_model_add_yaml(m, "test.yaml", yaml, strlen(yaml), &e) || netpol_analyze(m, &e))
		fail_msg("analysis: %s", e.msg);
	struct buf b = { 0 };
	assert_int_equal(netpol_write_expected(m, &b), BOSUN_OK);
	return b.data ? b.data : strdup("");
}

/* ---- selectors -------------------------------------------------------------------- */

static void test_selector_match_labels(void **state)
{
	(void)state;
	assert_true(sel_matches("{}", "{}"));
	assert_true(sel_matches("{}", "{\"a\":\"1\"}"));
	assert_true(sel_matches("{\"matchLabels\":{\"app\":\"web\"}}", "{\"app\":\"web\",\"tier\":\"x\"}"));
	assert_false(sel_matches("{\"matchLabels\":{\"app\":\"web\"}}", "{\"app\":\"api\"}"));
	assert_false(sel_matches("{\"matchLabels\":{\"app\":\"web\",\"tier\":\"x\"}}", "{\"app\":\"web\"}"));
	/* matchLabels AND matchExpressions */
	assert_false(sel_matches("{\"matchLabels\":{\"app\":\"web\"},\"matchExpressions\":[{\"key\":\"env\",\"operator\":\"Exists\"}]}",
				 "{\"app\":\"web\"}"));
	assert_true(sel_matches("{\"matchLabels\":{\"app\":\"web\"},\"matchExpressions\":[{\"key\":\"env\",\"operator\":\"Exists\"}]}",
				"{\"app\":\"web\",\"env\":\"\"}"));
}

static void test_selector_expressions(void **state)
{
	(void)state;
	const char *in = "{\"matchExpressions\":[{\"key\":\"env\",\"operator\":\"In\",\"values\":[\"prod\",\"stage\"]}]}";
	assert_true(sel_matches(in, "{\"env\":\"stage\"}"));
	assert_false(sel_matches(in, "{\"env\":\"dev\"}"));
	assert_false(sel_matches(in, "{}"));
	const char *notin = "{\"matchExpressions\":[{\"key\":\"env\",\"operator\":\"NotIn\",\"values\":[\"prod\"]}]}";
	assert_true(sel_matches(notin, "{\"env\":\"dev\"}"));
	assert_false(sel_matches(notin, "{\"env\":\"prod\"}"));
	assert_true(sel_matches(notin, "{}")); /* NotIn matches a missing label */
	const char *ex = "{\"matchExpressions\":[{\"key\":\"env\",\"operator\":\"Exists\"}]}";
	assert_true(sel_matches(ex, "{\"env\":\"x\"}"));
	assert_false(sel_matches(ex, "{\"other\":\"x\"}"));
	const char *dne = "{\"matchExpressions\":[{\"key\":\"env\",\"operator\":\"DoesNotExist\"}]}";
	assert_false(sel_matches(dne, "{\"env\":\"x\"}"));
	assert_true(sel_matches(dne, "{\"other\":\"x\"}"));
	/* several expressions: all must hold */
	const char *both = "{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"Exists\"},{\"key\":\"b\",\"operator\":\"DoesNotExist\"}]}";
	assert_true(sel_matches(both, "{\"a\":\"1\"}"));
	assert_false(sel_matches(both, "{\"a\":\"1\",\"b\":\"2\"}"));
}

static void test_selector_errors(void **state)
{
	(void)state;
	sel_error("{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"Like\",\"values\":[\"x\"]}]}", "unknown operator 'Like'");
	sel_error("{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"In\"}]}", "needs values");
	sel_error("{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"Exists\",\"values\":[\"x\"]}]}", "takes no values");
	sel_error("{\"matchExpressions\":[{\"operator\":\"Exists\"}]}", "no key");
	sel_error("{\"matchLabels\":{\"a\":[1]}}", "not a string");
	sel_error("[1]", "must be a map");
}

/* ---- port sets ------------------------------------------------------------------------- */

static char *fmt(const struct netpol_portset *s)
{
	struct buf b = { 0 };
	assert_int_equal(netpol_portset_format(s, &b), BOSUN_OK);
	return b.data;
}

static void expect_fmt(const struct netpol_portset *s, const char *want)
{
	char *got = fmt(s);
	if (strcmp(got, want))
		fail_msg("port set '%s', want '%s'", got, want);
	free(got);
}

static void test_portsets(void **state)
{
	(void)state;
	struct netpol_portset a = { 0 }, b = { 0 }, c = { 0 };
	expect_fmt(&a, "-");
	assert_int_equal(netpol_portset_add(&a, NETPOL_TCP, 8080, 8080), BOSUN_OK);
	assert_int_equal(netpol_portset_add(&a, NETPOL_TCP, 80, 80), BOSUN_OK);
	assert_int_equal(netpol_portset_add(&a, NETPOL_TCP, 81, 90), BOSUN_OK); /* adjacent: merged */
	assert_int_equal(netpol_portset_add(&a, NETPOL_UDP, 53, 53), BOSUN_OK);
	expect_fmt(&a, "80-90,8080,53/UDP");
	assert_int_equal(netpol_portset_add(&b, NETPOL_TCP, 85, 9000), BOSUN_OK);
	assert_int_equal(netpol_portset_intersect(&a, &b, &c), BOSUN_OK);
	expect_fmt(&c, "85-90,8080");
	/* all AND x = x */
	struct netpol_portset all = { .all = true };
	assert_int_equal(netpol_portset_intersect(&all, &a, &c), BOSUN_OK);
	assert_true(netpol_portset_equal(&c, &a));
	expect_fmt(&all, "all");
	/* every port of every protocol collapses to all */
	netpol_portset_free(&b);
	for (int p = 0; p < NETPOL_PROTO_COUNT; p++)
		assert_int_equal(netpol_portset_add(&b, (enum netpol_proto)p, 1, 65535), BOSUN_OK);
	assert_true(b.all);
	/* disjoint protocols intersect to nothing */
	struct netpol_portset u = { 0 }, t = { 0 };
	netpol_portset_add(&u, NETPOL_UDP, 1, 65535);
	netpol_portset_add(&t, NETPOL_TCP, 1, 65535);
	expect_fmt(&u, "*/UDP");
	assert_int_equal(netpol_portset_intersect(&u, &t, &c), BOSUN_OK);
	assert_true(netpol_portset_empty(&c));
	assert_int_equal(netpol_portset_union(&u, &t), BOSUN_OK);
	expect_fmt(&u, "*,*/UDP");
	netpol_portset_free(&a);
	netpol_portset_free(&b);
	netpol_portset_free(&c);
	netpol_portset_free(&u);
	netpol_portset_free(&t);
}

/* ---- scenarios ---------------------------------------------------------------------------- */

static const char *data_dir(void)
{
	const char *d = getenv("NETPOL_DATA");
	return d && *d ? d : "tests/data/netpol";
}

static void run_scenario(const char *dir)
{
	struct netpol_model m;
	struct berr e = { 0 };
	netpol_model_init(&m);
	DIR *d = opendir(dir);
	assert_non_null(d);
	struct dirent *de;
	char *names[64];
	size_t n = 0;
	while ((de = readdir(d)) && n < 64) {
		size_t l = strlen(de->d_name);
		if ((l > 5 && !strcmp(de->d_name + l - 5, ".yaml")) || (l > 5 && !strcmp(de->d_name + l - 5, ".json")))
			names[n++] = strdup(de->d_name);
	}
	closedir(d);
	assert_true(n > 0);
	for (size_t i = 0; i < n; i++) {
		char path[2400];
		size_t len;
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		char *text = (char *)test_read_file(path, &len);
		if (netpol_model_add_yaml(&m, path, text, len, &e))
			fail_msg("%s: %s", path, e.msg);
		free(text);
		free(names[i]);
	}
	if (netpol_analyze(&m, &e))
		fail_msg("%s: %s", dir, e.msg);
	struct buf got = { 0 };
	assert_int_equal(netpol_write_expected(&m, &got), BOSUN_OK);
	char path[2400];
	size_t len;
	snprintf(path, sizeof path, "%s/expected.txt", dir);
	char *want = (char *)test_read_file(path, &len);
	if (strcmp(got.data ? got.data : "", want))
		fail_msg("scenario %s:\n--- got\n%s--- want\n%s", dir, got.data ? got.data : "", want);
	free(want);
	buf_free(&got);
	netpol_model_free(&m);
}

static void test_scenarios(void **state)
{
	(void)state;
	DIR *d = opendir(data_dir());
	if (!d)
		fail_msg("cannot open %s (run from the repository root)", data_dir());
	struct dirent *de;
	size_t n = 0;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char dir[1024];
		snprintf(dir, sizeof dir, "%s/%s", data_dir(), de->d_name);
		run_scenario(dir);
		n++;
	}
	closedir(d);
	assert_true(n >= 12);
}

/* ---- model edge cases ------------------------------------------------------------------------ */

static const char *two_pods =
	"apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: x, labels: {app: a}}\nspec: {containers: [{name: c}]}\n"
	"---\napiVersion: v1\nkind: Pod\nmetadata: {name: b, namespace: x, labels: {app: b}}\nspec: {containers: [{name: c}]}\n";

static void bad_policy(const char *spec, const char *want)
{
	char yaml[4096];
	snprintf(yaml, sizeof yaml,
		 "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: x}\nspec: %s\n", spec);
	struct netpol_model m;
	struct berr e = { 0 };
	netpol_model_init(&m);
	assert_int_equal(netpol_model_add_yaml(&m, "bad.yaml", yaml, strlen(yaml), &e), BOSUN_EFORMAT);
	if (!strstr(e.msg, want) || !strstr(e.msg, "NetworkPolicy x/p"))
		fail_msg("error '%s' does not say '%s'", e.msg, want);
	netpol_model_free(&m);
}

static void test_invalid_policies(void **state)
{
	(void)state;
	bad_policy("{podSelector: {}, policyTypes: [Sideways]}", "policyTypes[0] must be Ingress or Egress");
	bad_policy("{podSelector: {}, ingress: [{ports: [{port: 70000}]}]}", "spec.ingress[0]: ports[0]: port 70000");
	bad_policy("{podSelector: {}, ingress: [{ports: [{port: 80, endPort: 79}]}]}", "endPort 79");
	bad_policy("{podSelector: {}, ingress: [{ports: [{port: http, endPort: 90}]}]}", "endPort needs a numeric port");
	bad_policy("{podSelector: {}, ingress: [{ports: [{port: 80, protocol: ICMP}]}]}", "protocol must be TCP, UDP or SCTP");
	bad_policy("{podSelector: {}, ingress: [{from: [{}]}]}", "needs podSelector, namespaceSelector or ipBlock");
	bad_policy("{podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8}, podSelector: {}}]}]}",
		   "ipBlock cannot be combined");
	bad_policy("{podSelector: {matchExpressions: [{key: a, operator: In}]}}", "spec.podSelector: matchExpressions[0]");
	bad_policy("{podSelector: {}, egress: {to: []}}", "spec.egress is not a list");
}

static void test_findings(void **state)
{
	(void)state;
	struct netpol_model m;
	char *exp = analyse_text(two_pods, &m);
	free(exp);
	struct finding_list fl;
	finding_list_init(&fl);
	struct berr e = { 0 };
	assert_int_equal(netpol_findings(&m, &fl, &e), BOSUN_OK);
	assert_int_equal(fl.n, 4); /* two pods x ingress, egress */
	const struct finding *f = &fl.v[0];
	assert_int_equal(f->kind, FINDING_KIND_MISCONFIG);
	assert_string_equal(f->rule_id, "K8S-NETPOL-INGRESS-UNISOLATED");
	assert_int_equal(f->severity, SEV_MEDIUM);
	assert_string_equal(f->category, "kubernetes");
	assert_string_equal(f->location, "Pod/x/a");
	assert_string_equal(f->path, "test.yaml");
	assert_int_equal(f->line, 1);
	assert_string_equal(f->ns, "x");
	assert_string_equal(f->object, "a");
	assert_non_null(strstr(f->control, "CIS Kubernetes 5.3.2"));
	assert_non_null(strstr(f->control, "Network separation and hardening"));
	assert_string_equal(fl.v[1].rule_id, "K8S-NETPOL-EGRESS-UNISOLATED");
	assert_int_equal(fl.v[1].severity, SEV_LOW);
	assert_string_equal(fl.v[3].location, "Pod/x/b");
	assert_int_equal(fl.v[3].line, 6); /* the second document's object starts on line 6 */
	finding_list_free(&fl);
	netpol_model_free(&m);

	/* isolated both ways: no findings */
	char yaml[2048];
	snprintf(yaml, sizeof yaml,
		 "%s---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: x}\n"
		 "spec: {podSelector: {}, policyTypes: [Ingress, Egress]}\n",
		 two_pods);
	exp = analyse_text(yaml, &m);
	assert_string_equal(exp, "workload x/a ingress=isolated egress=isolated\nworkload x/b ingress=isolated egress=isolated\n");
	free(exp);
	finding_list_init(&fl);
	assert_int_equal(netpol_findings(&m, &fl, &e), BOSUN_OK);
	assert_int_equal(fl.n, 0);
	finding_list_free(&fl);
	netpol_model_free(&m);
}

static void test_outputs(void **state)
{
	(void)state;
	struct netpol_model m;
	char yaml[2048];
	snprintf(yaml, sizeof yaml,
		 "%s---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: b-in, namespace: x}\n"
		 "spec: {podSelector: {matchLabels: {app: b}}, ingress: [{from: [{podSelector: {matchLabels: {app: a}}}], ports: [{port: 8080}]}]}\n",
		 two_pods);
	free(analyse_text(yaml, &m));
	struct berr e = { 0 };
	/* table */
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	assert_int_equal(netpol_write_table(&m, f, &e), BOSUN_OK);
	fclose(f);
	assert_non_null(strstr(text, "x/b       Pod   isolated (1 policy)   open (no policy)"));
	assert_non_null(strstr(text, "FROM \\ TO  x/a  x/b   external"));
	assert_non_null(strstr(text, "x/a        all  8080  all"));
	assert_non_null(strstr(text, "external   all  -"));
	free(text);
	/* dot */
	f = open_memstream(&text, &len);
	assert_int_equal(netpol_write_dot(&m, f, &e), BOSUN_OK);
	fclose(f);
	assert_non_null(strstr(text, "subgraph \"cluster_0\""));
	assert_non_null(strstr(text, "\"x/a\" -> \"x/b\" [label=\"8080\"];"));
	assert_null(strstr(text, "\"external\" -> \"x/b\""));
	free(text);
	/* json */
	json_t *doc;
	assert_int_equal(netpol_to_json(&m, &doc, &e), BOSUN_OK);
	json_t *ws = json_object_get(doc, "workloads");
	assert_int_equal(json_array_size(ws), 2);
	json_t *b = json_array_get(ws, 1);
	assert_string_equal(json_string_value(json_object_get(b, "id")), "x/b");
	assert_true(json_is_true(json_object_get(json_object_get(b, "ingress"), "isolated")));
	assert_string_equal(json_string_value(json_array_get(json_object_get(json_object_get(b, "ingress"), "policies"), 0)),
			    "x/b-in");
	json_t *flows = json_object_get(doc, "flows");
	bool seen = false;
	for (size_t i = 0; i < json_array_size(flows); i++) {
		json_t *fl = json_array_get(flows, i);
		if (strcmp(json_string_value(json_object_get(fl, "from")), "x/a") ||
		    strcmp(json_string_value(json_object_get(fl, "to")), "x/b"))
			continue;
		seen = true;
		json_t *p = json_array_get(json_object_get(fl, "ports"), 0);
		assert_string_equal(json_string_value(json_object_get(p, "protocol")), "TCP");
		assert_int_equal(json_integer_value(json_object_get(p, "port")), 8080);
		assert_true(json_is_false(json_object_get(fl, "allPorts")));
	}
	assert_true(seen);
	json_decref(doc);
	netpol_model_free(&m);
}

/* Hostile names stay inside DOT strings and off the terminal. */
static void test_hostile_names(void **state)
{
	(void)state;
	const char *yaml = "apiVersion: v1\nkind: Pod\nmetadata: {name: \"a\\\"]; evil -> x [\\u001b[31m\", namespace: \"n\\\\s\"}\n"
			   "spec: {containers: [{name: c}]}\n";
	struct netpol_model m;
	free(analyse_text(yaml, &m));
	struct berr e = { 0 };
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	assert_int_equal(netpol_write_dot(&m, f, &e), BOSUN_OK);
	fclose(f);
	assert_non_null(strstr(text, "\"n\\\\s/a\\\"]; evil -> x [[31m\""));
	assert_null(strchr(text, 0x1b));
	free(text);
	f = open_memstream(&text, &len);
	assert_int_equal(netpol_write_table(&m, f, &e), BOSUN_OK);
	fclose(f);
	assert_null(strchr(text, 0x1b));
	free(text);
	netpol_model_free(&m);
}

static void test_limits_and_warnings(void **state)
{
	(void)state;
	struct buf y = { 0 };
	for (int i = 0; i <= NETPOL_MAX_WORKLOADS; i++)
		assert_int_equal(buf_printf(&y, "---\n{kind: Pod, apiVersion: v1, metadata: {name: p%d}, spec: {containers: []}}\n", i),
				 BOSUN_OK);
	struct netpol_model m;
	struct berr e = { 0 };
	netpol_model_init(&m);
	assert_int_equal(netpol_model_add_yaml(&m, "many.yaml", y.data, y.len, &e), BOSUN_ELIMIT);
	assert_non_null(strstr(e.msg, "more than 2000 workloads"));
	netpol_model_free(&m);
	buf_free(&y);

	/* hostNetwork pods are outside NetworkPolicies; a repeated workload counts once */
	const char *t = "apiVersion: v1\nkind: Pod\nmetadata: {name: h}\nspec: {hostNetwork: true, containers: []}\n"
			"---\napiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: []}\n"
			"---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec: {template: {spec: {containers: []}}}\n"
			"---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {}\n";
	char *exp = analyse_text(t, &m);
	assert_string_equal(exp, "workload default/a ingress=open egress=open\nflow default/a -> default/a: all\n"
				 "flow default/a -> external: all\nflow external -> default/a: all\n");
	free(exp);
	assert_int_equal(m.nwarnings, 2);
	assert_non_null(strstr(m.warnings[0], "hostNetwork"));
	assert_non_null(strstr(m.warnings[1], "already given"));
	netpol_model_free(&m);
}

/* ---- intents ---------------------------------------------------------------------------------- */

static const char *shop_intent = "namespace: shop\n"
				 "apps:\n"
				 "  web: {selector: {app: web}}\n"
				 "  api: {selector: {app: api}}\n"
				 "  db:  {selector: {app: db}, namespace: data}\n"
				 "allow:\n"
				 "  - from: external\n"
				 "    to: web\n"
				 "    ports: [443]\n"
				 "  - from: web\n"
				 "    to: api\n"
				 "    ports: [8080/TCP]\n"
				 "  - from: api\n"
				 "    to: db\n"
				 "    ports: [5432]\n"
				 "  - from: api\n"
				 "    to: external\n"
				 "    ports: [\"443\", 8000-8010, 53/udp]\n"
				 "egress-dns: true\n";

static char *generate_all(const struct netpol_intent *in)
{
	struct buf all = { 0 };
	struct berr e = { 0 };
	for (size_t i = 0; i < netpol_intent_namespace_count(in); i++)
		if (netpol_intent_generate(in, i, &all, &e))
			fail_msg("generate: %s", e.msg);
	return all.data;
}

static void roundtrip(const char *intent_text, size_t want_ns)
{
	struct netpol_intent *in;
	struct berr e = { 0 };
	if (netpol_intent_parse(intent_text, strlen(intent_text), "intent.yaml", &in, &e))
		fail_msg("parse: %s", e.msg);
	assert_int_equal(netpol_intent_namespace_count(in), want_ns);
	char *yaml = generate_all(in);
	bool ok = false;
	struct buf rep = { 0 };
	assert_int_equal(netpol_intent_verify(in, yaml, strlen(yaml), &ok, &rep, &e), BOSUN_OK);
	if (!ok)
		fail_msg("not verified:\n%s\n%s", rep.data, yaml);
	assert_non_null(strstr(rep.data, "verified:"));
	buf_free(&rep);
	free(yaml);
	netpol_intent_free(in);
}

static void test_intent_roundtrip(void **state)
{
	(void)state;
	roundtrip(shop_intent, 2);
	/* no ports = every port; self traffic; no DNS */
	roundtrip("namespace: a\napps:\n  x: {selector: {app: x}}\n  y: {selector: {app: y, tier: t}}\n"
		  "allow:\n  - {from: x, to: y}\n  - {from: y, to: y, ports: [9000-9100/SCTP]}\n",
		  1);
	/* apps only, nothing allowed: everything denied */
	roundtrip("apps:\n  solo: {selector: {app: solo}, namespace: lonely}\n", 1);
	/* the same pair twice: the ports add up */
	roundtrip("namespace: n\napps: {a: {selector: {k: a}}, b: {selector: {k: b}}}\n"
		  "allow: [{from: a, to: b, ports: [1]}, {from: a, to: b, ports: [2, 3/UDP]}, {from: b, to: external}]\n",
		  1);
}

static void test_intent_generated_yaml(void **state)
{
	(void)state;
	struct netpol_intent *in;
	struct berr e = { 0 };
	assert_int_equal(netpol_intent_parse(shop_intent, strlen(shop_intent), "intent.yaml", &in, &e), BOSUN_OK);
	assert_string_equal(netpol_intent_namespace(in, 0), "shop");
	assert_string_equal(netpol_intent_namespace(in, 1), "data");
	struct buf y = { 0 };
	assert_int_equal(netpol_intent_generate(in, 1, &y, &e), BOSUN_OK);
	/* the default deny, then db's policy: from api in shop, on 5432 */
	assert_non_null(strstr(y.data, "name: default-deny\n  namespace: data\n"));
	assert_non_null(strstr(y.data, "name: allow-db\n"));
	assert_non_null(strstr(y.data, "- namespaceSelector:\n        matchLabels:\n          kubernetes.io/metadata.name: shop\n"
				       "      podSelector:\n        matchLabels:\n          app: api\n"));
	assert_non_null(strstr(y.data, "ports:\n    - protocol: TCP\n      port: 5432\n"));
	/* DNS egress */
	assert_non_null(strstr(y.data, "k8s-app: kube-dns"));
	buf_free(&y);
	netpol_intent_free(in);
}

/* A hand-edited policy set that allows more than the intent is caught. */
static void test_intent_mismatch(void **state)
{
	(void)state;
	/* two apps whose selectors overlap: web's policy also selects admin pods */
	const char *t = "namespace: s\napps:\n  web: {selector: {app: web}}\n  admin: {selector: {app: web, role: admin}}\n"
			"  client: {selector: {app: client}}\n"
			"allow:\n  - {from: client, to: web, ports: [80]}\n";
	struct netpol_intent *in;
	struct berr e = { 0 };
	assert_int_equal(netpol_intent_parse(t, strlen(t), "i.yaml", &in, &e), BOSUN_OK);
	char *yaml = generate_all(in);
	bool ok = true;
	struct buf rep = { 0 };
	assert_int_equal(netpol_intent_verify(in, yaml, strlen(yaml), &ok, &rep, &e), BOSUN_OK);
	assert_false(ok);
	assert_non_null(strstr(rep.data, "MISMATCH s/client -> s/admin: intended -, the policies allow 80"));
	assert_non_null(strstr(rep.data, "NOT verified"));
	buf_free(&rep);
	/* policies edited by hand after generation */
	char *loose = NULL;
	assert_true(asprintf(&loose, "%s---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
				     "metadata: {name: extra, namespace: s}\nspec: {podSelector: {}, ingress: [{}]}\n",
			     yaml) > 0);
	assert_int_equal(netpol_intent_verify(in, loose, strlen(loose), &ok, &rep, &e), BOSUN_OK);
	assert_false(ok);
	assert_non_null(strstr(rep.data, "MISMATCH external -> s/web: intended -, the policies allow all"));
	buf_free(&rep);
	free(loose);
	free(yaml);
	netpol_intent_free(in);
}

static void intent_error(const char *text, const char *want)
{
	struct netpol_intent *in = (struct netpol_intent *)1;
	struct berr e = { 0 };
	int rc = netpol_intent_parse(text, strlen(text), "intent.yaml", &in, &e);
	assert_true(rc == BOSUN_EFORMAT || rc == BOSUN_ELIMIT);
	assert_null(in);
	if (!strstr(e.msg, want))
		fail_msg("error '%s' does not say '%s'", e.msg, want);
}

static void test_intent_errors(void **state)
{
	(void)state;
	const char *apps = "namespace: s\napps:\n  web: {selector: {app: web}}\n  api: {selector: {app: api}}\n";
	char t[1024];
	snprintf(t, sizeof t, "%sallow:\n  - from: web\n    to: dbx\n", apps);
	intent_error(t, "intent.yaml: line 7: allow[0].to: unknown app 'dbx'");
	snprintf(t, sizeof t, "%sallow:\n  - from: web\n    to: api\n    ports: [99999]\n", apps);
	intent_error(t, "line 8: allow[0]: port must be 1..65535");
	snprintf(t, sizeof t, "%sallow:\n  - from: web\n    to: api\n    ports: [80/ICMP]\n", apps);
	intent_error(t, "line 8: allow[0]: unknown protocol");
	snprintf(t, sizeof t, "%sallow:\n  - from: web\n    too: api\n", apps);
	intent_error(t, "line 7: allow[0]: unknown key 'too'");
	snprintf(t, sizeof t, "%sallow:\n  - {from: external, to: external}\n", apps);
	intent_error(t, "line 6: allow[0]: from and to cannot both be external");
	snprintf(t, sizeof t, "%segress-dns: maybe\n", apps);
	intent_error(t, "egress-dns must be true or false");
	intent_error("namespace: s\napps:\n  web: {selector: {}}\n", "line 3: apps.web.selector must be a non-empty map");
	intent_error("namespace: s\napps:\n  Web: {selector: {app: web}}\n", "'Web' is not a valid app name");
	intent_error("namespace: s\napps:\n  external: {selector: {app: web}}\n", "not a valid app name");
	intent_error("apps:\n  web: {selector: {app: web}}\n", "apps.web has no namespace");
	intent_error("namespace: Bad_NS\napps:\n  web: {selector: {app: web}}\n", "line 1: namespace is not a valid");
	intent_error("namespace: s\napps:\n  web: {selector: {app: \"a b\"}}\n", "'app' is not a valid label");
	intent_error("namespace: s\napps: []\n", "apps must be a non-empty map");
	intent_error("- just\n- a list\n", "an intent is a map");
	intent_error("", "empty intent");
	intent_error("namespace: s\n---\nnamespace: t\n", "an intent is one YAML document");
	intent_error("namespace: s\napps: {web: {selector: {app: web}}\n", "intent.yaml: YAML line");
	intent_error("a: &a [*a]\n", "intent.yaml");
	intent_error("namespace: s\nnamespace: t\n", "intent.yaml");
	/* a deep nesting bomb stops at the depth limit */
	char deep[400];
	memset(deep, '[', sizeof deep - 1);
	deep[sizeof deep - 1] = 0;
	intent_error(deep, "intent.yaml");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_selector_match_labels),
		cmocka_unit_test(test_selector_expressions),
		cmocka_unit_test(test_selector_errors),
		cmocka_unit_test(test_portsets),
		cmocka_unit_test(test_scenarios),
		cmocka_unit_test(test_invalid_policies),
		cmocka_unit_test(test_findings),
		cmocka_unit_test(test_outputs),
		cmocka_unit_test(test_hostile_names),
		cmocka_unit_test(test_limits_and_warnings),
		cmocka_unit_test(test_intent_roundtrip),
		cmocka_unit_test(test_intent_generated_yaml),
		cmocka_unit_test(test_intent_mismatch),
		cmocka_unit_test(test_intent_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
