/* The analysis: which policies select each workload (isolation), then for
 * every ordered pair of nodes (workloads and "external") the ports the
 * source's egress allows AND the destination's ingress allows. */
#include "k8s/netpol.h"

#include <stdlib.h>
#include <string.h>

/* Whether peer (of a policy in namespace policy_ns) stands for node i. */
static bool peer_matches(const struct netpol_model *m, const char *policy_ns, const struct netpol_peer *p, size_t i)
{
	if (i == m->nw) /* external: only ipBlocks reach outside the cluster */
		return p->ip_block;
	if (p->ip_block)
		return false;
	const struct netpol_workload *w = &m->w[i];
	if (p->has_ns) {
		if (!netpol_selector_matches(&p->ns, &m->ns[w->ns_index].labels))
			return false;
	} else if (w->ns != policy_ns) { /* both the model's interned name */
		return false; /* a podSelector alone means the policy's own namespace */
	}
	return !p->has_pod || netpol_selector_matches(&p->pod, &w->labels);
}

static bool rule_matches(struct netpol_model *m, const char *policy_ns, const struct netpol_rule *r, size_t i)
{
	m->work += 1 + r->npeers;
	if (r->all_peers)
		return true;
	for (size_t k = 0; k < r->npeers; k++)
		if (peer_matches(m, policy_ns, &r->peers[k], i))
			return true;
	return false;
}

/* Adds the rule's ports, as seen at destination node dst, to s. Named ports
 * resolve against the destination's containers; outside the cluster they
 * name nothing. */
static int add_rule_ports(const struct netpol_model *m, const struct netpol_rule *r, size_t dst,
			  struct netpol_portset *s)
{
	if (r->all_ports) {
		struct netpol_portset all = { .all = true };
		return netpol_portset_union(s, &all);
	}
	for (size_t k = 0; k < r->nports; k++) {
		const struct netpol_port *p = &r->ports[k];
		if (!p->name) {
			TRY(netpol_portset_add(s, p->proto, p->lo, p->hi));
			continue;
		}
		if (dst == m->nw)
			continue;
		const struct netpol_workload *w = &m->w[dst];
		for (size_t c = 0; c < w->nports; c++)
			if (w->ports[c].name && !strcmp(w->ports[c].name, p->name) && w->ports[c].proto == p->proto)
				TRY(netpol_portset_add(s, p->proto, w->ports[c].port, w->ports[c].port));
	}
	return BOSUN_OK;
}

static int isolate(struct netpol_model *m, struct berr *e)
{
	(void)e;
	for (size_t i = 0; i < m->nw; i++) {
		struct netpol_workload *w = &m->w[i];
		free(w->in_policies);
		free(w->out_policies);
		w->in_policies = w->out_policies = NULL;
		w->nin_policies = w->nout_policies = 0;
		for (size_t k = 0; k < m->np; k++) {
			const struct netpol_policy *p = &m->p[k];
			if (p->ns != w->ns || !netpol_selector_matches(&p->pod, &w->labels))
				continue;
			if (p->ingress) {
				size_t *v = realloc(w->in_policies, (w->nin_policies + 1) * sizeof *v);
				if (!v)
					return BOSUN_ENOMEM;
				w->in_policies = v;
				v[w->nin_policies++] = k;
			}
			if (p->egress) {
				size_t *v = realloc(w->out_policies, (w->nout_policies + 1) * sizeof *v);
				if (!v)
					return BOSUN_ENOMEM;
				w->out_policies = v;
				v[w->nout_policies++] = k;
			}
		}
		w->iso_ingress = w->nin_policies > 0;
		w->iso_egress = w->nout_policies > 0;
	}
	return BOSUN_OK;
}

/* What src's egress allows towards dst. */
static int egress_side(struct netpol_model *m, size_t src, size_t dst, struct netpol_portset *s)
{
	if (src == m->nw || !m->w[src].iso_egress) {
		s->all = true;
		return BOSUN_OK;
	}
	const struct netpol_workload *w = &m->w[src];
	for (size_t k = 0; k < w->nout_policies && !s->all; k++) {
		const struct netpol_policy *p = &m->p[w->out_policies[k]];
		for (size_t r = 0; r < p->nout; r++)
			if (rule_matches(m, p->ns, &p->out[r], dst))
				TRY(add_rule_ports(m, &p->out[r], dst, s));
	}
	return BOSUN_OK;
}

/* What dst's ingress allows from src. */
static int ingress_side(struct netpol_model *m, size_t src, size_t dst, struct netpol_portset *s)
{
	if (dst == m->nw || !m->w[dst].iso_ingress) {
		s->all = true;
		return BOSUN_OK;
	}
	const struct netpol_workload *w = &m->w[dst];
	for (size_t k = 0; k < w->nin_policies && !s->all; k++) {
		const struct netpol_policy *p = &m->p[w->in_policies[k]];
		for (size_t r = 0; r < p->nin; r++)
			if (rule_matches(m, p->ns, &p->in[r], src))
				TRY(add_rule_ports(m, &p->in[r], dst, s));
	}
	return BOSUN_OK;
}

static int cmp_workload(const void *a, const void *b)
{
	const struct netpol_workload *x = a, *y = b;
	int c = strcmp(x->ns, y->ns);
	return c ? c : strcmp(x->name, y->name);
}

int netpol_analyze(struct netpol_model *m, struct berr *e)
{
	if (m->analyzed)
		return BOSUN_OK;
	/* Output in a stable order, whatever order the files came in. */
	if (m->nw)
		qsort(m->w, m->nw, sizeof *m->w, cmp_workload);
	TRY(isolate(m, e));
	size_t nodes = m->nw + 1;
	m->cells = calloc(nodes * nodes, sizeof *m->cells);
	if (!m->cells)
		return berr_set(e, BOSUN_ENOMEM, "out of memory for a %zu x %zu flow matrix", nodes, nodes);
	struct netpol_portset out = { 0 }, in = { 0 };
	int rc = BOSUN_OK;
	for (size_t s = 0; s < nodes && rc == BOSUN_OK; s++)
		for (size_t d = 0; d < nodes && rc == BOSUN_OK; d++) {
			if (s == m->nw && d == m->nw)
				continue; /* outside to outside: not ours to say */
			out.all = in.all = false;
			out.n = in.n = 0;
			rc = egress_side(m, s, d, &out);
			if (rc == BOSUN_OK && !netpol_portset_empty(&out))
				rc = ingress_side(m, s, d, &in);
			if (rc == BOSUN_OK)
				rc = netpol_portset_intersect(&out, &in, &m->cells[s * nodes + d]);
			if (rc == BOSUN_OK && m->work > NETPOL_MAX_WORK)
				rc = BOSUN_ELIMIT;
		}
	netpol_portset_free(&out);
	netpol_portset_free(&in);
	if (rc == BOSUN_ELIMIT)
		return berr_set(e, rc, "analysing network policies: more than %llu selector evaluations (%zu workloads, %zu policies)",
				NETPOL_MAX_WORK, m->nw, m->np);
	if (rc != BOSUN_OK)
		return berr_set(e, rc, "analysing network policies: %s", bosun_strerror(rc));
	m->analyzed = true;
	return BOSUN_OK;
}

const struct netpol_portset *netpol_flow(const struct netpol_model *m, size_t from, size_t to)
{
	static const struct netpol_portset none = { 0 };
	if (!m->cells || from > m->nw || to > m->nw)
		return &none;
	return &m->cells[from * (m->nw + 1) + to];
}

const char *netpol_node_name(const struct netpol_model *m, size_t i)
{
	if (i >= m->nw)
		return "external";
	return m->w[i].id;
}

size_t netpol_node_find(const struct netpol_model *m, const char *ns_name)
{
	if (!strcmp(ns_name, "external"))
		return m->nw;
	for (size_t i = 0; i < m->nw; i++)
		if (!strcmp(m->w[i].id, ns_name))
			return i;
	return (size_t)-1;
}
