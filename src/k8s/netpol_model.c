/* Building the network-policy model from Kubernetes objects: workloads
 * (pod template labels and container ports), Namespaces and
 * NetworkPolicies, validated as the API server would. */
#include "k8s/netpol.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/json.h"

void netpol_model_init(struct netpol_model *m)
{
	memset(m, 0, sizeof *m);
}

void netpol_model_free(struct netpol_model *m)
{
	if (m->cells) {
		size_t n = (m->nw + 1) * (m->nw + 1);
		for (size_t i = 0; i < n; i++)
			netpol_portset_free(&m->cells[i]);
		free(m->cells);
	}
	for (size_t i = 0; i < m->nw; i++) {
		free(m->w[i].in_policies);
		free(m->w[i].out_policies);
	}
	for (size_t i = 0; i < m->nwarnings; i++)
		free(m->warnings[i]);
	free(m->warnings);
	free(m->w);
	free(m->ns);
	free(m->p);
	arena_free(&m->arena);
	memset(m, 0, sizeof *m);
}

static void warn(struct netpol_model *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(struct netpol_model *m, const char *fmt, ...)
{
	if (m->nwarnings >= 1000)
		return; /* bounded: a hostile input must not grow this forever */
	char **v = realloc(m->warnings, (m->nwarnings + 1) * sizeof *v);
	if (!v)
		return;
	m->warnings = v;
	va_list ap;
	va_start(ap, fmt);
	char *s = NULL;
	if (vasprintf(&s, fmt, ap) >= 0)
		m->warnings[m->nwarnings++] = s;
	va_end(ap);
}

/* Grows a vector of `size`-byte elements to hold one more. */
static int grow(void **v, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return BOSUN_OK;
	size_t c = *cap ? *cap * 2 : 16;
	void *p = realloc(*v, c * size);
	if (!p)
		return BOSUN_ENOMEM;
	*v = p;
	*cap = c;
	return BOSUN_OK;
}

/* ---- namespaces ------------------------------------------------------------------ */

static int set_name_label(struct arena *ar, struct netpol_labels *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->key[i], NETPOL_NS_NAME_LABEL)) {
			l->value[i] = name;
			return BOSUN_OK;
		}
	const char **k = arena_alloc(ar, (l->n + 1) * sizeof *k);
	const char **v = arena_alloc(ar, (l->n + 1) * sizeof *v);
	if (!k || !v)
		return BOSUN_ENOMEM;
	if (l->n) {
		memcpy(k, l->key, l->n * sizeof *k);
		memcpy(v, l->value, l->n * sizeof *v);
	}
	k[l->n] = NETPOL_NS_NAME_LABEL;
	v[l->n] = name;
	l->key = k;
	l->value = v;
	l->n++;
	return BOSUN_OK;
}

/* The namespace called name, created with only its name label if new. */
static int ns_get(struct netpol_model *m, const char *name, struct netpol_namespace **out, struct berr *e)
{
	for (size_t i = 0; i < m->nns; i++)
		if (!strcmp(m->ns[i].name, name)) {
			*out = &m->ns[i];
			return BOSUN_OK;
		}
	if (m->nns >= NETPOL_MAX_NAMESPACES)
		return berr_set(e, BOSUN_ELIMIT, "more than %d namespaces", NETPOL_MAX_NAMESPACES);
	TRY(grow((void **)&m->ns, m->nns, &m->capns, sizeof *m->ns));
	struct netpol_namespace *ns = &m->ns[m->nns];
	memset(ns, 0, sizeof *ns);
	if (!(ns->name = arena_strdup(&m->arena, name)))
		return BOSUN_ENOMEM;
	TRY(set_name_label(&m->arena, &ns->labels, ns->name));
	m->nns++;
	*out = ns;
	return BOSUN_OK;
}

static int add_namespace(struct netpol_model *m, const json_t *meta, const char *name, struct berr *e)
{
	struct netpol_namespace *ns;
	TRY(ns_get(m, name, &ns, e));
	if (ns->declared)
		warn(m, "Namespace %s is declared twice; the last one counts", name);
	struct netpol_labels l;
	int rc = netpol_labels_parse(&m->arena, json_object_get(meta, "labels"), &l, e);
	if (rc != BOSUN_OK)
		return berr_wrap(e, rc, "Namespace %s", name);
	TRY(set_name_label(&m->arena, &l, ns->name));
	ns->labels = l;
	ns->declared = true;
	return BOSUN_OK;
}

/* ---- workloads -------------------------------------------------------------------- */

static const char *const workload_kinds[] = { "Pod",	 "Deployment",	  "StatefulSet",	   "DaemonSet",
					      "ReplicaSet", "ReplicationController", "Job", "CronJob" };

static bool is_workload_kind(const char *kind)
{
	for (size_t i = 0; i < sizeof workload_kinds / sizeof workload_kinds[0]; i++)
		if (!strcmp(kind, workload_kinds[i]))
			return true;
	return false;
}

/* The pod template's metadata and spec, wherever the kind keeps them. */
static bool pod_template(const json_t *obj, const char *kind, const json_t **meta, const json_t **spec)
{
	const json_t *t = obj;
	if (strcmp(kind, "Pod")) {
		const json_t *s = json_object_get(obj, "spec");
		if (!strcmp(kind, "CronJob"))
			s = json_object_get(json_object_get(json_object_get(s, "jobTemplate"), "spec"), "template");
		else
			s = json_object_get(s, "template");
		t = s;
	}
	if (!json_is_object(t))
		return false;
	*meta = json_object_get(t, "metadata");
	*spec = json_object_get(t, "spec");
	return json_is_object(*spec);
}

static int parse_proto(const json_t *j, enum netpol_proto *p, struct berr *e)
{
	if (!j || json_is_null(j)) {
		*p = NETPOL_TCP;
		return BOSUN_OK;
	}
	const char *s = json_string_value(j);
	for (int i = 0; s && i < NETPOL_PROTO_COUNT; i++)
		if (!strcmp(s, netpol_proto_name((enum netpol_proto)i))) {
			*p = (enum netpol_proto)i;
			return BOSUN_OK;
		}
	return berr_set(e, BOSUN_EFORMAT, "protocol must be TCP, UDP or SCTP");
}

static int container_ports(struct netpol_model *m, struct netpol_workload *w, const json_t *spec, struct berr *e)
{
	const json_t *cs = json_object_get(spec, "containers");
	size_t total = 0;
	for (size_t i = 0; i < json_array_size(cs); i++)
		total += json_array_size(json_object_get(json_array_get(cs, i), "ports"));
	if (!total)
		return BOSUN_OK;
	if (total > 10000)
		return berr_set(e, BOSUN_ELIMIT, "more than 10000 container ports");
	w->ports = arena_alloc(&m->arena, total * sizeof *w->ports);
	if (!w->ports)
		return BOSUN_ENOMEM;
	for (size_t i = 0; i < json_array_size(cs); i++) {
		const json_t *ps = json_object_get(json_array_get(cs, i), "ports");
		for (size_t j = 0; j < json_array_size(ps); j++) {
			const json_t *p = json_array_get(ps, j);
			struct netpol_container_port *cp = &w->ports[w->nports];
			json_int_t port = json_integer_value(json_object_get(p, "containerPort"));
			if (port < 1 || port > 65535)
				return berr_set(e, BOSUN_EFORMAT, "containers[%zu].ports[%zu]: containerPort must be 1..65535",
						i, j);
			cp->port = (int)port;
			if (parse_proto(json_object_get(p, "protocol"), &cp->proto, e))
				return berr_wrap(e, BOSUN_EFORMAT, "containers[%zu].ports[%zu]", i, j);
			const char *name = json_str(p, "name");
			cp->name = name && *name ? arena_strdup(&m->arena, name) : NULL;
			w->nports++;
		}
	}
	return BOSUN_OK;
}

static int add_workload(struct netpol_model *m, const json_t *obj, const char *kind, const char *ns, const char *name,
			const char *file, unsigned line, struct berr *e)
{
	const json_t *meta, *spec;
	if (!pod_template(obj, kind, &meta, &spec)) {
		warn(m, "%s/%s/%s has no pod template; skipped", kind, ns, name);
		return BOSUN_OK;
	}
	if (json_is_true(json_object_get(spec, "hostNetwork"))) {
		/* NetworkPolicies do not apply to pods on the host's network. */
		warn(m, "%s/%s/%s uses hostNetwork: NetworkPolicies do not apply to it; skipped", kind, ns, name);
		return BOSUN_OK;
	}
	for (size_t i = 0; i < m->nw; i++)
		if (!strcmp(m->w[i].ns, ns) && !strcmp(m->w[i].name, name)) {
			warn(m, "%s/%s/%s: a workload %s/%s/%s was already given; kept the first", kind, ns, name,
			     m->w[i].kind, ns, name);
			return BOSUN_OK;
		}
	if (m->nw >= NETPOL_MAX_WORKLOADS)
		return berr_set(e, BOSUN_ELIMIT, "more than %d workloads", NETPOL_MAX_WORKLOADS);
	struct netpol_namespace *nsp;
	TRY(ns_get(m, ns, &nsp, e));
	TRY(grow((void **)&m->w, m->nw, &m->capw, sizeof *m->w));
	struct netpol_workload *w = &m->w[m->nw];
	memset(w, 0, sizeof *w);
	w->kind = arena_strdup(&m->arena, kind);
	w->ns = nsp->name;
	w->ns_index = (size_t)(nsp - m->ns);
	w->name = arena_strdup(&m->arena, name);
	w->file = arena_strdup(&m->arena, file);
	w->line = line;
	w->id = arena_printf(&m->arena, "%s/%s", ns, name);
	if (!w->kind || !w->name || !w->id || (file && !w->file))
		return BOSUN_ENOMEM;
	int rc = netpol_labels_parse(&m->arena, json_object_get(meta, "labels"), &w->labels, e);
	if (rc == BOSUN_OK)
		rc = container_ports(m, w, spec, e);
	if (rc != BOSUN_OK)
		return berr_wrap(e, rc, "%s/%s/%s", kind, ns, name);
	m->nw++;
	return BOSUN_OK;
}

/* ---- policies ---------------------------------------------------------------------- */

static int parse_port(struct arena *ar, const json_t *j, struct netpol_port *p, struct berr *e)
{
	if (!json_is_object(j))
		return berr_set(e, BOSUN_EFORMAT, "is not a map");
	TRY(parse_proto(json_object_get(j, "protocol"), &p->proto, e));
	const json_t *port = json_object_get(j, "port");
	const json_t *end = json_object_get(j, "endPort");
	p->name = NULL;
	p->lo = 1;
	p->hi = 65535;
	if (json_is_string(port)) {
		const char *s = json_string_value(port);
		char *stop;
		long v = strtol(s, &stop, 10);
		if (*s && !*stop) { /* "8080" in quotes: the number */
			if (v < 1 || v > 65535)
				return berr_set(e, BOSUN_EFORMAT, "port %ld is not in 1..65535", v);
			p->lo = p->hi = (int)v;
		} else {
			if (!*s || strlen(s) > 15)
				return berr_set(e, BOSUN_EFORMAT, "named port '%.40s' is not a valid port name", s);
			if (end && !json_is_null(end))
				return berr_set(e, BOSUN_EFORMAT, "endPort needs a numeric port, not '%s'", s);
			if (!(p->name = arena_strdup(ar, s)))
				return BOSUN_ENOMEM;
			return BOSUN_OK;
		}
	} else if (json_is_integer(port)) {
		json_int_t v = json_integer_value(port);
		if (v < 1 || v > 65535)
			return berr_set(e, BOSUN_EFORMAT, "port %lld is not in 1..65535", (long long)v);
		p->lo = p->hi = (int)v;
	} else if (port && !json_is_null(port)) {
		return berr_set(e, BOSUN_EFORMAT, "port must be a number or a name");
	}
	if (end && !json_is_null(end)) {
		json_int_t v = json_integer_value(end);
		if (!json_is_integer(end) || !port || json_is_null(port))
			return berr_set(e, BOSUN_EFORMAT, "endPort needs a numeric port and must be a number");
		if (v < p->lo || v > 65535)
			return berr_set(e, BOSUN_EFORMAT, "endPort %lld is not in %d..65535", (long long)v, p->lo);
		p->hi = (int)v;
	}
	return BOSUN_OK;
}

static int parse_peer(struct arena *ar, const json_t *j, struct netpol_peer *p, struct berr *e)
{
	memset(p, 0, sizeof *p);
	if (!json_is_object(j))
		return berr_set(e, BOSUN_EFORMAT, "is not a map");
	const json_t *ip = json_object_get(j, "ipBlock");
	const json_t *pod = json_object_get(j, "podSelector");
	const json_t *ns = json_object_get(j, "namespaceSelector");
	p->has_pod = pod && !json_is_null(pod);
	p->has_ns = ns && !json_is_null(ns);
	if (ip && !json_is_null(ip)) {
		if (p->has_pod || p->has_ns)
			return berr_set(e, BOSUN_EFORMAT, "ipBlock cannot be combined with selectors");
		const char *cidr = json_str(ip, "cidr");
		if (!cidr || !*cidr)
			return berr_set(e, BOSUN_EFORMAT, "ipBlock has no cidr");
		p->ip_block = true;
		p->cidr = arena_strdup(ar, cidr);
		const json_t *ex = json_object_get(ip, "except");
		p->nexcept = json_array_size(ex);
		if (p->nexcept && !(p->except = arena_alloc(ar, p->nexcept * sizeof *p->except)))
			return BOSUN_ENOMEM;
		for (size_t i = 0; i < p->nexcept; i++) {
			const char *s = json_string_value(json_array_get(ex, i));
			if (!s)
				return berr_set(e, BOSUN_EFORMAT, "ipBlock.except[%zu] is not a string", i);
			p->except[i] = arena_strdup(ar, s);
		}
		return BOSUN_OK;
	}
	if (!p->has_pod && !p->has_ns)
		return berr_set(e, BOSUN_EFORMAT, "needs podSelector, namespaceSelector or ipBlock");
	int rc = netpol_selector_parse(ar, pod, &p->pod, e);
	if (rc != BOSUN_OK)
		return berr_wrap(e, rc, "podSelector");
	rc = netpol_selector_parse(ar, ns, &p->ns, e);
	if (rc != BOSUN_OK)
		return berr_wrap(e, rc, "namespaceSelector");
	return BOSUN_OK;
}

static int parse_rule(struct arena *ar, const json_t *j, const char *peers_key, struct netpol_rule *r, struct berr *e)
{
	memset(r, 0, sizeof *r);
	if (!json_is_object(j))
		return berr_set(e, BOSUN_EFORMAT, "is not a map");
	const json_t *peers = json_object_get(j, peers_key);
	const json_t *ports = json_object_get(j, "ports");
	if ((peers && !json_is_null(peers) && !json_is_array(peers)) || (ports && !json_is_null(ports) && !json_is_array(ports)))
		return berr_set(e, BOSUN_EFORMAT, "%s and ports must be lists", peers_key);
	r->npeers = json_array_size(peers);
	r->all_peers = r->npeers == 0;
	r->nports = json_array_size(ports);
	r->all_ports = r->nports == 0;
	if (r->npeers && !(r->peers = arena_alloc(ar, r->npeers * sizeof *r->peers)))
		return BOSUN_ENOMEM;
	if (r->nports && !(r->ports = arena_alloc(ar, r->nports * sizeof *r->ports)))
		return BOSUN_ENOMEM;
	for (size_t i = 0; i < r->npeers; i++) {
		int rc = parse_peer(ar, json_array_get(peers, i), &r->peers[i], e);
		if (rc != BOSUN_OK)
			return berr_wrap(e, rc, "%s[%zu]", peers_key, i);
	}
	for (size_t i = 0; i < r->nports; i++) {
		int rc = parse_port(ar, json_array_get(ports, i), &r->ports[i], e);
		if (rc != BOSUN_OK)
			return berr_wrap(e, rc, "ports[%zu]", i);
	}
	return BOSUN_OK;
}

static int parse_rules(struct arena *ar, const json_t *spec, const char *key, const char *peers_key,
		       struct netpol_rule **out, size_t *n, struct berr *e)
{
	const json_t *rules = json_object_get(spec, key);
	*out = NULL;
	*n = 0;
	if (!rules || json_is_null(rules))
		return BOSUN_OK;
	if (!json_is_array(rules))
		return berr_set(e, BOSUN_EFORMAT, "spec.%s is not a list", key);
	size_t cnt = json_array_size(rules);
	if (cnt > 10000)
		return berr_set(e, BOSUN_ELIMIT, "spec.%s has more than 10000 rules", key);
	if (cnt && !(*out = arena_alloc(ar, cnt * sizeof **out)))
		return BOSUN_ENOMEM;
	for (size_t i = 0; i < cnt; i++) {
		int rc = parse_rule(ar, json_array_get(rules, i), peers_key, &(*out)[i], e);
		if (rc != BOSUN_OK)
			return berr_wrap(e, rc, "spec.%s[%zu]", key, i);
	}
	*n = cnt;
	return BOSUN_OK;
}

static int parse_policy(struct netpol_model *m, const json_t *obj, struct netpol_policy *p, struct berr *e)
{
	struct arena *ar = &m->arena;
	const json_t *spec = json_object_get(obj, "spec");
	if (spec && !json_is_null(spec) && !json_is_object(spec))
		return berr_set(e, BOSUN_EFORMAT, "spec is not a map");
	int rc = netpol_selector_parse(ar, json_object_get(spec, "podSelector"), &p->pod, e);
	if (rc != BOSUN_OK)
		return berr_wrap(e, rc, "spec.podSelector");
	TRY(parse_rules(ar, spec, "ingress", "from", &p->in, &p->nin, e));
	TRY(parse_rules(ar, spec, "egress", "to", &p->out, &p->nout, e));
	const json_t *types = json_object_get(spec, "policyTypes");
	if (types && !json_is_null(types) && !json_is_array(types))
		return berr_set(e, BOSUN_EFORMAT, "spec.policyTypes is not a list");
	if (json_array_size(types) == 0) {
		/* Kubernetes' defaulting: Ingress always, Egress when there are egress rules. */
		p->ingress = true;
		p->egress = p->nout > 0;
		return BOSUN_OK;
	}
	for (size_t i = 0; i < json_array_size(types); i++) {
		const char *t = json_string_value(json_array_get(types, i));
		if (t && !strcmp(t, "Ingress"))
			p->ingress = true;
		else if (t && !strcmp(t, "Egress"))
			p->egress = true;
		else
			return berr_set(e, BOSUN_EFORMAT, "spec.policyTypes[%zu] must be Ingress or Egress", i);
	}
	return BOSUN_OK;
}

static int add_policy(struct netpol_model *m, const json_t *obj, const char *ns, const char *name, const char *file,
		      unsigned line, struct berr *e)
{
	if (m->np >= NETPOL_MAX_POLICIES)
		return berr_set(e, BOSUN_ELIMIT, "more than %d NetworkPolicies", NETPOL_MAX_POLICIES);
	struct netpol_namespace *nsp;
	TRY(ns_get(m, ns, &nsp, e));
	TRY(grow((void **)&m->p, m->np, &m->capp, sizeof *m->p));
	struct netpol_policy *p = &m->p[m->np];
	memset(p, 0, sizeof *p);
	p->ns = nsp->name;
	p->name = arena_strdup(&m->arena, name);
	p->file = arena_strdup(&m->arena, file);
	p->line = line;
	if (!p->name || (file && !p->file))
		return BOSUN_ENOMEM;
	int rc = parse_policy(m, obj, p, e);
	if (rc != BOSUN_OK)
		return berr_wrap(e, rc, "NetworkPolicy %s/%s", ns, name);
	m->np++;
	return BOSUN_OK;
}

int netpol_model_add(struct netpol_model *m, const json_t *obj, const char *file, unsigned line, struct berr *e)
{
	if (!json_is_object(obj))
		return BOSUN_OK;
	const char *kind = json_str(obj, "kind");
	if (!kind)
		return BOSUN_OK;
	const json_t *meta = json_object_get(obj, "metadata");
	const char *name = json_str(meta, "name");
	const char *ns = json_str(meta, "namespace");
	if (!ns || !*ns)
		ns = "default";
	bool wl = is_workload_kind(kind);
	if (!wl && strcmp(kind, "Namespace") && strcmp(kind, "NetworkPolicy"))
		return BOSUN_OK;
	if (!name || !*name)
		return berr_set(e, BOSUN_EFORMAT, "%s:%u: %s without metadata.name", file ? file : "-", line, kind);
	int rc;
	if (wl)
		rc = add_workload(m, obj, kind, ns, name, file, line, e);
	else if (!strcmp(kind, "Namespace"))
		rc = add_namespace(m, meta, name, e);
	else
		rc = add_policy(m, obj, ns, name, file, line, e);
	if (rc != BOSUN_OK && line)
		return berr_wrap(e, rc, "%s:%u", file ? file : "-", line);
	return rc;
}
