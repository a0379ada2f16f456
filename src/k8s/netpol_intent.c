/* Intents: a short declaration of which app may talk to which, on which
 * ports (docs/netpol.md#intents), turned into NetworkPolicies (a default
 * deny per namespace, one allow policy per app) and verified by running
 * the same analysis over the generated YAML with the apps as synthetic
 * workloads: the computed flow matrix must equal the intent. */
#include "k8s/netpol.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/json.h"
#include "util/yaml_json.h"

#define EXTERNAL (-1)
#define MAX_PORTS_PER_RULE 100
#define MAX_SELECTOR_LABELS 32

struct intent_app {
	const char *name, *ns;
	struct netpol_labels sel;
};

struct intent_rule {
	int from, to;                 /* app index or EXTERNAL */
	struct netpol_portset ports;  /* `all` when the rule names no ports */
};

struct netpol_intent {
	struct arena arena;
	struct intent_app *apps;
	size_t napps;
	struct intent_rule *rules;
	size_t nrules;
	bool dns;
	const char **ns;              /* namespaces holding apps, in order of first use */
	size_t nns;
};

void netpol_intent_free(struct netpol_intent *in)
{
	if (!in)
		return;
	for (size_t i = 0; i < in->nrules; i++)
		netpol_portset_free(&in->rules[i].ports);
	free(in->rules);
	free(in->apps);
	free(in->ns);
	arena_free(&in->arena);
	free(in);
}

size_t netpol_intent_namespace_count(const struct netpol_intent *in)
{
	return in->nns;
}

const char *netpol_intent_namespace(const struct netpol_intent *in, size_t i)
{
	return i < in->nns ? in->ns[i] : NULL;
}

/* ---- parsing ----------------------------------------------------------------------- */

struct parse_ctx {
	const char *what;
	struct yaml_json_lines *lines;
	json_t *doc;
	size_t ndocs;
	struct netpol_intent *in;
};

static int at(struct parse_ctx *c, const json_t *node, struct berr *e, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int at(struct parse_ctx *c, const json_t *node, struct berr *e, const char *fmt, ...)
{
	char msg[700];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	unsigned line = node ? yaml_json_line(c->lines, node) : 0;
	if (line)
		return berr_set(e, BOSUN_EFORMAT, "%s: line %u: %s", c->what, line, msg);
	return berr_set(e, BOSUN_EFORMAT, "%s: %s", c->what, msg);
}

/* The line of obj's member key when the value itself has none (booleans). */
static const json_t *member_anchor(const json_t *obj, const json_t *v)
{
	return v && (json_is_object(v) || json_is_array(v) || json_is_string(v) || json_is_integer(v)) ? v : obj;
}

static bool dns_label(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (!n || n > max || s[0] == '-' || s[n - 1] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '-'))
			return false;
	return true;
}

/* Kubernetes label keys ([prefix/]name) and values, loosely: the
 * characters and lengths the API server accepts. */
static bool label_text(const char *s, size_t max, bool key)
{
	size_t n = strlen(s);
	if (n > max || (key && !n))
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (!(isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || (key && ch == '/')))
			return false;
	}
	return true;
}

static int check_keys(struct parse_ctx *c, const json_t *obj, const char *where, const char *const *allowed,
		      struct berr *e)
{
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)obj, k, v)
	{
		bool ok = false;
		for (size_t i = 0; allowed[i] && !ok; i++)
			ok = !strcmp(k, allowed[i]);
		if (!ok) {
			unsigned line = yaml_json_member_line(c->lines, obj, k);
			char kc[64];
			snprintf(kc, sizeof kc, "%.60s", k);
			for (char *p = kc; *p; p++)
				if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
					*p = '?';
			return line ? berr_set(e, BOSUN_EFORMAT, "%s: line %u: %s: unknown key '%s'", c->what, line, where, kc)
				    : berr_set(e, BOSUN_EFORMAT, "%s: %s: unknown key '%s'", c->what, where, kc);
		}
	}
	return BOSUN_OK;
}

static int add_ns(struct netpol_intent *in, const char *ns)
{
	for (size_t i = 0; i < in->nns; i++)
		if (!strcmp(in->ns[i], ns))
			return BOSUN_OK;
	const char **v = realloc(in->ns, (in->nns + 1) * sizeof *v);
	if (!v)
		return BOSUN_ENOMEM;
	in->ns = v;
	in->ns[in->nns++] = ns;
	return BOSUN_OK;
}

static int parse_app(struct parse_ctx *c, const char *name, const json_t *v, const char *default_ns,
		     struct intent_app *app, struct berr *e)
{
	static const char *const keys[] = { "selector", "namespace", NULL };
	if (!dns_label(name, 50) || !strcmp(name, "external"))
		return at(c, v, e, "apps: '%.60s' is not a valid app name (lower-case letters, digits and '-', at most 50; not 'external')",
			  name);
	if (!json_is_object(v))
		return at(c, v, e, "apps.%s must be a map with a selector", name);
	TRY(check_keys(c, v, name, keys, e));
	const json_t *sel = json_object_get(v, "selector");
	if (!json_is_object(sel) || !json_object_size(sel))
		return at(c, sel ? sel : v, e, "apps.%s.selector must be a non-empty map of labels", name);
	if (json_object_size(sel) > MAX_SELECTOR_LABELS)
		return at(c, sel, e, "apps.%s.selector has more than %d labels", name, MAX_SELECTOR_LABELS);
	const json_t *nsj = json_object_get(v, "namespace");
	const char *ns = default_ns;
	if (nsj) {
		ns = json_string_value(nsj);
		if (!ns || !dns_label(ns, 63))
			return at(c, member_anchor(v, nsj), e, "apps.%s.namespace is not a valid namespace name", name);
	}
	if (!ns)
		return at(c, v, e, "apps.%s has no namespace (and there is no top-level namespace)", name);
	struct berr le = { 0 };
	if (netpol_labels_parse(&c->in->arena, sel, &app->sel, &le) != BOSUN_OK)
		return at(c, sel, e, "apps.%s.selector: %s", name, le.msg);
	const char *k;
	json_t *lv;
	json_object_foreach((json_t *)sel, k, lv)
	{
		if (!label_text(k, 253, true) || !json_is_string(lv) || !label_text(json_string_value(lv), 63, false))
			return at(c, lv, e, "apps.%s.selector: '%.60s' is not a valid label (use strings: letters, digits, '-', '_', '.')",
				  name, k);
	}
	app->name = arena_strdup(&c->in->arena, name);
	app->ns = arena_strdup(&c->in->arena, ns);
	if (!app->name || !app->ns)
		return BOSUN_ENOMEM;
	return add_ns(c->in, app->ns);
}

static int find_app(const struct netpol_intent *in, const char *name)
{
	if (!strcmp(name, "external"))
		return EXTERNAL;
	for (size_t i = 0; i < in->napps; i++)
		if (!strcmp(in->apps[i].name, name))
			return (int)i;
	return -2;
}

static enum netpol_proto proto_of(const char *s, bool *ok)
{
	*ok = true;
	if (!strcasecmp(s, "TCP"))
		return NETPOL_TCP;
	if (!strcasecmp(s, "UDP"))
		return NETPOL_UDP;
	if (!strcasecmp(s, "SCTP"))
		return NETPOL_SCTP;
	*ok = false;
	return NETPOL_TCP;
}

/* 443, "443", "8080/TCP", "53/UDP", "8000-8080", "8000-8080/TCP". */
static int parse_port(struct parse_ctx *c, const json_t *p, const char *where, struct netpol_portset *s,
		      struct berr *e)
{
	long lo, hi;
	enum netpol_proto proto = NETPOL_TCP;
	if (json_is_integer(p)) {
		lo = hi = (long)json_integer_value(p);
	} else if (json_is_string(p)) {
		const char *str = json_string_value(p);
		char *end;
		lo = hi = strtol(str, &end, 10);
		if (end == str)
			goto bad;
		if (*end == '-') {
			const char *h = end + 1;
			hi = strtol(h, &end, 10);
			if (end == h)
				goto bad;
		}
		if (*end == '/') {
			bool ok;
			proto = proto_of(end + 1, &ok);
			if (!ok)
				return at(c, p, e, "%s: unknown protocol in '%.40s' (TCP, UDP or SCTP)", where, str);
		} else if (*end) {
			goto bad;
		}
	} else {
		goto bad;
	}
	if (lo < 1 || lo > 65535 || hi < lo || hi > 65535)
		return at(c, p, e, "%s: port must be 1..65535 (a range LOW-HIGH with LOW <= HIGH)", where);
	return netpol_portset_add(s, proto, (int)lo, (int)hi);
bad:
	return at(c, p, e, "%s: a port is a number, NUMBER/PROTOCOL or LOW-HIGH[/PROTOCOL]", where);
}

static int parse_rule(struct parse_ctx *c, const json_t *r, size_t idx, struct intent_rule *out, struct berr *e)
{
	static const char *const keys[] = { "from", "to", "ports", NULL };
	char where[64];
	snprintf(where, sizeof where, "allow[%zu]", idx);
	if (!json_is_object(r))
		return at(c, r, e, "%s must be a map with from, to and ports", where);
	TRY(check_keys(c, r, where, keys, e));
	const char *dir[2] = { "from", "to" };
	int ends[2];
	for (int k = 0; k < 2; k++) {
		const json_t *v = json_object_get(r, dir[k]);
		const char *name = json_string_value(v);
		if (!name)
			return at(c, v ? member_anchor(r, v) : r, e, "%s.%s must name an app or 'external'", where, dir[k]);
		ends[k] = find_app(c->in, name);
		if (ends[k] == -2)
			return at(c, v, e, "%s.%s: unknown app '%.60s'", where, dir[k], name);
	}
	if (ends[0] == EXTERNAL && ends[1] == EXTERNAL)
		return at(c, r, e, "%s: from and to cannot both be external", where);
	out->from = ends[0];
	out->to = ends[1];
	const json_t *ports = json_object_get(r, "ports");
	if (!ports || json_is_null(ports)) {
		out->ports.all = true;
		return BOSUN_OK;
	}
	if (!json_is_array(ports) || !json_array_size(ports))
		return at(c, member_anchor(r, ports), e, "%s.ports must be a non-empty list (leave it out for every port)",
			  where);
	if (json_array_size(ports) > MAX_PORTS_PER_RULE)
		return at(c, ports, e, "%s.ports: more than %d ports", where, MAX_PORTS_PER_RULE);
	for (size_t i = 0; i < json_array_size(ports); i++)
		TRY(parse_port(c, json_array_get(ports, i), where, &out->ports, e));
	return BOSUN_OK;
}

static int parse_doc(struct parse_ctx *c, const json_t *d, struct berr *e)
{
	static const char *const keys[] = { "namespace", "apps", "allow", "egress-dns", NULL };
	struct netpol_intent *in = c->in;
	if (!json_is_object(d))
		return at(c, d, e, "an intent is a map with namespace, apps and allow");
	TRY(check_keys(c, d, "intent", keys, e));
	const json_t *nsj = json_object_get(d, "namespace");
	const char *default_ns = json_string_value(nsj);
	if (nsj && (!default_ns || !dns_label(default_ns, 63)))
		return at(c, member_anchor(d, nsj), e, "namespace is not a valid namespace name");
	const json_t *dns = json_object_get(d, "egress-dns");
	if (dns && !json_is_boolean(dns))
		return at(c, d, e, "egress-dns must be true or false");
	in->dns = json_is_true(dns);

	const json_t *apps = json_object_get(d, "apps");
	if (!json_is_object(apps) || !json_object_size(apps))
		return at(c, apps ? member_anchor(d, apps) : d, e, "apps must be a non-empty map of app names");
	if (json_object_size(apps) > NETPOL_INTENT_MAX_APPS)
		return at(c, apps, e, "more than %d apps", NETPOL_INTENT_MAX_APPS);
	in->apps = calloc(json_object_size(apps), sizeof *in->apps);
	if (!in->apps)
		return BOSUN_ENOMEM;
	const char *name;
	json_t *v;
	json_object_foreach((json_t *)apps, name, v)
	{
		TRY(parse_app(c, name, v, default_ns, &in->apps[in->napps], e));
		in->napps++;
	}

	const json_t *allow = json_object_get(d, "allow");
	if (allow && !json_is_null(allow) && !json_is_array(allow))
		return at(c, member_anchor(d, allow), e, "allow must be a list of {from, to, ports}");
	size_t n = json_array_size(allow);
	if (n > NETPOL_INTENT_MAX_RULES)
		return at(c, allow, e, "more than %d allow rules", NETPOL_INTENT_MAX_RULES);
	in->rules = n ? calloc(n, sizeof *in->rules) : NULL;
	if (n && !in->rules)
		return BOSUN_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		int rc = parse_rule(c, json_array_get(allow, i), i, &in->rules[i], e);
		in->nrules = i + 1; /* its port set is freed with the intent either way */
		TRY(rc);
	}
	return BOSUN_OK;
}

static int on_doc(void *arg, json_t *doc, unsigned line, struct berr *e)
{
	struct parse_ctx *c = arg;
	if (c->ndocs++) {
		json_decref(doc);
		return berr_set(e, BOSUN_EFORMAT, "%s: line %u: an intent is one YAML document", c->what, line);
	}
	c->doc = doc;
	return BOSUN_OK;
}

int netpol_intent_parse(const char *data, size_t n, const char *what, struct netpol_intent **out, struct berr *e)
{
	*out = NULL;
	if (n > NETPOL_INTENT_MAX_BYTES)
		return berr_set(e, BOSUN_ELIMIT, "%s: larger than %zu bytes", what, NETPOL_INTENT_MAX_BYTES);
	struct yaml_json_limits lim = yaml_json_default_limits;
	lim.max_bytes = NETPOL_INTENT_MAX_BYTES;
	lim.max_depth = 16;
	lim.max_nodes = 200000;
	lim.max_alias_nodes = 10000;
	struct parse_ctx c = { .what = what, .lines = yaml_json_lines_new(), .in = calloc(1, sizeof *c.in) };
	int rc = c.lines && c.in ? BOSUN_OK : BOSUN_ENOMEM;
	if (rc == BOSUN_OK)
		rc = yaml_json_parse_stream(data, n, &lim, what, c.lines, on_doc, &c, e);
	if (rc == BOSUN_OK && !c.doc)
		rc = berr_set(e, BOSUN_EFORMAT, "%s: empty intent", what);
	if (rc == BOSUN_OK)
		rc = parse_doc(&c, c.doc, e);
	if (rc == BOSUN_ENOMEM && !e->msg[0])
		berr_set(e, rc, "out of memory");
	json_decref(c.doc);
	yaml_json_lines_free(c.lines);
	if (rc != BOSUN_OK) {
		netpol_intent_free(c.in);
		return rc;
	}
	*out = c.in;
	return BOSUN_OK;
}

/* ---- generation -------------------------------------------------------------------- */

static json_t *match_labels(const struct netpol_labels *l)
{
	json_t *ml = json_object();
	for (size_t i = 0; i < l->n; i++)
		json_object_set_new(ml, l->key[i], json_string(l->value[i]));
	return json_pack("{s:o}", "matchLabels", ml);
}

static json_t *ns_selector(const char *ns)
{
	return json_pack("{s:{s:s}}", "matchLabels", NETPOL_NS_NAME_LABEL, ns);
}

static json_t *app_peer(const struct intent_app *a)
{
	return json_pack("{s:o,s:o}", "namespaceSelector", ns_selector(a->ns), "podSelector", match_labels(&a->sel));
}

static json_t *external_peers(void)
{
	return json_pack("[{s:{s:s}},{s:{s:s}}]", "ipBlock", "cidr", "0.0.0.0/0", "ipBlock", "cidr", "::/0");
}

static json_t *ports_json(const struct netpol_portset *s)
{
	json_t *a = json_array();
	for (size_t i = 0; i < s->n; i++) {
		const struct netpol_range *r = &s->r[i];
		json_t *p = json_pack("{s:s,s:i}", "protocol", netpol_proto_name(r->proto), "port", r->lo);
		if (r->hi != r->lo)
			json_object_set_new(p, "endPort", json_integer(r->hi));
		json_array_append_new(a, p);
	}
	return a;
}

static json_t *rule_json(const char *peers_key, json_t *peers, const struct netpol_portset *ports)
{
	json_t *r = json_pack("{s:o}", peers_key, peers);
	if (!ports->all)
		json_object_set_new(r, "ports", ports_json(ports));
	return r;
}

static json_t *policy_json(const char *ns, const char *name, json_t *pod_selector, json_t *ingress, json_t *egress)
{
	json_t *spec = json_pack("{s:o,s:[ss]}", "podSelector", pod_selector, "policyTypes", "Ingress", "Egress");
	if (ingress)
		json_object_set_new(spec, "ingress", ingress);
	if (egress)
		json_object_set_new(spec, "egress", egress);
	return json_pack("{s:s,s:s,s:{s:s,s:s,s:{s:s}},s:o}", "apiVersion", "networking.k8s.io/v1", "kind",
			 "NetworkPolicy", "metadata", "name", name, "namespace", ns, "labels",
			 "app.kubernetes.io/managed-by", "bosun", "spec", spec);
}

/* The allow policy of app i: its ingress from each rule's source, its
 * egress to each rule's destination (and DNS). */
static json_t *app_policy(const struct netpol_intent *in, size_t i)
{
	const struct intent_app *a = &in->apps[i];
	json_t *ingress = json_array(), *egress = json_array();
	for (size_t k = 0; k < in->nrules; k++) {
		const struct intent_rule *r = &in->rules[k];
		if (r->to == (int)i)
			json_array_append_new(ingress, rule_json("from", r->from == EXTERNAL ? external_peers()
										: json_pack("[o]", app_peer(&in->apps[r->from])),
								 &r->ports));
		if (r->from == (int)i)
			json_array_append_new(egress, rule_json("to", r->to == EXTERNAL ? external_peers()
									  : json_pack("[o]", app_peer(&in->apps[r->to])),
								&r->ports));
	}
	if (in->dns) {
		struct netpol_portset dns = { 0 };
		netpol_portset_add(&dns, NETPOL_UDP, 53, 53);
		netpol_portset_add(&dns, NETPOL_TCP, 53, 53);
		json_t *peer = json_pack("[{s:o,s:{s:{s:s}}}]", "namespaceSelector", ns_selector("kube-system"),
					 "podSelector", "matchLabels", "k8s-app", "kube-dns");
		json_array_append_new(egress, rule_json("to", peer, &dns));
		netpol_portset_free(&dns);
	}
	char name[80];
	snprintf(name, sizeof name, "allow-%s", a->name);
	return policy_json(a->ns, name, match_labels(&a->sel), ingress, egress);
}

/* ---- a small YAML emitter (block style; strings quoted unless plainly safe) ---- */

static bool plain_safe(const char *s)
{
	static const char *const reserved[] = { "true", "false", "null", "yes", "no", "on", "off", "y", "n", NULL };
	if (!*s || !isalpha((unsigned char)s[0]))
		return false;
	for (const char *p = s; *p; p++)
		if (!(isalnum((unsigned char)*p) || strchr("-_./", *p)))
			return false;
	for (size_t i = 0; reserved[i]; i++)
		if (!strcasecmp(s, reserved[i]))
			return false;
	return true;
}

static int emit_str(struct buf *b, const char *s)
{
	if (plain_safe(s))
		return buf_append_str(b, s);
	/* a JSON string is a valid YAML double-quoted scalar */
	json_t *j = json_string(s);
	char *q = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
	json_decref(j);
	if (!q)
		return BOSUN_ENOMEM;
	int rc = buf_append_str(b, q);
	free(q);
	return rc;
}

static int emit(struct buf *b, const json_t *v, int indent, bool inline_first);

static int emit_scalar(struct buf *b, const json_t *v)
{
	if (json_is_string(v))
		return emit_str(b, json_string_value(v));
	if (json_is_integer(v))
		return buf_printf(b, "%lld", (long long)json_integer_value(v));
	if (json_is_true(v))
		return buf_append_str(b, "true");
	if (json_is_false(v))
		return buf_append_str(b, "false");
	if (json_is_object(v))
		return buf_append_str(b, "{}");
	if (json_is_array(v))
		return buf_append_str(b, "[]");
	return buf_append_str(b, "null");
}

static bool is_block(const json_t *v)
{
	return (json_is_object(v) && json_object_size(v)) || (json_is_array(v) && json_array_size(v));
}

/* inline_first: the first line's indentation is already written ("- "). */
static int emit(struct buf *b, const json_t *v, int indent, bool inline_first)
{
	bool first = true;
	if (json_is_object(v)) {
		const char *k;
		json_t *x;
		json_object_foreach((json_t *)v, k, x)
		{
			if (!(first && inline_first))
				TRY(buf_printf(b, "%*s", indent, ""));
			first = false;
			TRY(emit_str(b, k));
			TRY(buf_append_str(b, ":"));
			if (!is_block(x)) {
				TRY(buf_append_str(b, " "));
				TRY(emit_scalar(b, x));
				TRY(buf_append_str(b, "\n"));
			} else {
				TRY(buf_append_str(b, "\n"));
				TRY(emit(b, x, json_is_array(x) ? indent : indent + 2, false));
			}
		}
		return BOSUN_OK;
	}
	for (size_t i = 0; i < json_array_size(v); i++) {
		const json_t *x = json_array_get(v, i);
		if (!(first && inline_first))
			TRY(buf_printf(b, "%*s", indent, ""));
		first = false;
		TRY(buf_append_str(b, "- "));
		if (json_is_object(x) && json_object_size(x))
			TRY(emit(b, x, indent + 2, true));
		else if (json_is_array(x) && json_array_size(x)) {
			TRY(buf_append_str(b, "\n"));
			TRY(emit(b, x, indent + 2, false));
		} else {
			TRY(emit_scalar(b, x));
			TRY(buf_append_str(b, "\n"));
		}
	}
	return BOSUN_OK;
}

static int emit_doc(struct buf *b, json_t *doc, struct berr *e)
{
	int rc = doc ? BOSUN_OK : BOSUN_ENOMEM;
	if (rc == BOSUN_OK)
		rc = buf_append_str(b, "---\n");
	if (rc == BOSUN_OK)
		rc = emit(b, doc, 0, false);
	json_decref(doc);
	return rc == BOSUN_OK ? rc : berr_set(e, rc, "generating policies: out of memory");
}

int netpol_intent_generate(const struct netpol_intent *in, size_t ns_index, struct buf *yaml, struct berr *e)
{
	if (ns_index >= in->nns)
		return berr_set(e, BOSUN_EUSAGE, "no namespace %zu in the intent", ns_index);
	const char *ns = in->ns[ns_index];
	TRY(buf_printf(yaml, "# NetworkPolicies for namespace %s, generated by bosun k8s netpol --generate.\n"
			     "# Everything not allowed below is denied.\n", ns));
	TRY(emit_doc(yaml, policy_json(ns, "default-deny", json_object(), NULL, NULL), e));
	for (size_t i = 0; i < in->napps; i++)
		if (!strcmp(in->apps[i].ns, ns))
			TRY(emit_doc(yaml, app_policy(in, i), e));
	return BOSUN_OK;
}

/* ---- verification -------------------------------------------------------------------- */

static int add_synthetic(struct netpol_model *m, const char *ns, const char *name, const struct netpol_labels *l,
			 struct berr *e)
{
	json_t *labels = json_object();
	for (size_t i = 0; i < l->n; i++)
		json_object_set_new(labels, l->key[i], json_string(l->value[i]));
	json_t *d = json_pack("{s:s,s:s,s:{s:s,s:s},s:{s:{s:{s:o},s:{s:[{s:s}]}}}}", "apiVersion", "apps/v1", "kind",
			      "Deployment", "metadata", "name", name, "namespace", ns, "spec", "template", "metadata",
			      "labels", labels, "spec", "containers", "name", "app");
	if (!d)
		return berr_set(e, BOSUN_ENOMEM, "out of memory");
	int rc = netpol_model_add(m, d, "intent", 0, e);
	json_decref(d);
	return rc;
}

/* What the intent says flows from node s to node d (app indices, EXTERNAL or DNS). */
#define DNS (-3)
static int intended(const struct netpol_intent *in, int s, int d, struct netpol_portset *out)
{
	out->all = false;
	out->n = 0;
	for (size_t k = 0; k < in->nrules; k++)
		if (in->rules[k].from == s && in->rules[k].to == d)
			TRY(netpol_portset_union(out, &in->rules[k].ports));
	if (in->dns && d == DNS && s >= 0) {
		TRY(netpol_portset_add(out, NETPOL_UDP, 53, 53));
		TRY(netpol_portset_add(out, NETPOL_TCP, 53, 53));
	}
	return BOSUN_OK;
}

static int verify_model(const struct netpol_intent *in, struct netpol_model *m, bool *ok, struct buf *report,
			struct berr *e)
{
	TRY(netpol_analyze(m, e));
	size_t nodes = m->nw + 1;
	int *who = calloc(nodes, sizeof *who); /* node -> app index, EXTERNAL, DNS */
	if (!who)
		return berr_set(e, BOSUN_ENOMEM, "out of memory");
	for (size_t i = 0; i < nodes; i++) {
		who[i] = i == m->nw ? EXTERNAL : DNS;
		for (size_t a = 0; i < m->nw && a < in->napps; a++)
			if (!strcmp(m->w[i].ns, in->apps[a].ns) && !strcmp(m->w[i].name, in->apps[a].name))
				who[i] = (int)a;
	}
	struct netpol_portset want = { 0 };
	size_t checked = 0, wrong = 0, allowed = 0;
	int rc = BOSUN_OK;
	for (size_t s = 0; s < nodes && rc == BOSUN_OK; s++)
		for (size_t d = 0; d < nodes && rc == BOSUN_OK; d++) {
			if (who[s] < 0 && who[d] < 0)
				continue; /* neither end is an app: not the intent's business */
			rc = intended(in, who[s], who[d], &want);
			if (rc != BOSUN_OK)
				break;
			const struct netpol_portset *got = netpol_flow(m, s, d);
			checked++;
			allowed += !netpol_portset_empty(got);
			if (netpol_portset_equal(&want, got))
				continue;
			wrong++;
			rc = buf_printf(report, "MISMATCH %s -> %s: intended ", netpol_node_name(m, s), netpol_node_name(m, d));
			if (rc == BOSUN_OK)
				rc = netpol_portset_format(&want, report);
			if (rc == BOSUN_OK)
				rc = buf_append_str(report, ", the policies allow ");
			if (rc == BOSUN_OK)
				rc = netpol_portset_format(got, report);
			if (rc == BOSUN_OK)
				rc = buf_append_str(report, "\n");
		}
	netpol_portset_free(&want);
	free(who);
	if (rc != BOSUN_OK)
		return berr_set(e, rc, "verifying: out of memory");
	*ok = wrong == 0;
	if (*ok)
		TRY(buf_printf(report, "verified: the policies allow exactly the intended flows (%zu apps, %zu pairs checked, %zu allowed)\n",
			       in->napps, checked, allowed));
	else
		TRY(buf_printf(report, "NOT verified: %zu of %zu pairs differ from the intent\n", wrong, checked));
	return BOSUN_OK;
}

int netpol_intent_verify(const struct netpol_intent *in, const char *yaml, size_t n, bool *ok, struct buf *report,
			 struct berr *e)
{
	*ok = false;
	struct netpol_model m;
	netpol_model_init(&m);
	int rc = BOSUN_OK;
	for (size_t i = 0; i < in->napps && rc == BOSUN_OK; i++)
		rc = add_synthetic(&m, in->apps[i].ns, in->apps[i].name, &in->apps[i].sel, e);
	if (rc == BOSUN_OK && in->dns) {
		/* kube-dns as clusters label it; an app of that name stands for it */
		const char *k[] = { "k8s-app" }, *v[] = { "kube-dns" };
		struct netpol_labels l = { k, v, 1 };
		if (netpol_node_find(&m, "kube-system/kube-dns") == (size_t)-1)
			rc = add_synthetic(&m, "kube-system", "kube-dns", &l, e);
	}
	if (rc == BOSUN_OK)
		rc = netpol_model_add_yaml(&m, "generated policies", yaml, n, e);
	if (rc == BOSUN_OK)
		rc = verify_model(in, &m, ok, report, e);
	netpol_model_free(&m);
	return rc;
}
