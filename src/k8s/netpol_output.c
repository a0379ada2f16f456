/* The analysis as findings, text tables, Graphviz DOT, JSON and the
 * expected.txt form the scenario tests compare. */
#include "k8s/netpol.h"

#include <stdlib.h>
#include <string.h>

#define NETPOL_REFERENCE "https://kubernetes.io/docs/concepts/services-networking/network-policies/"
#define NETPOL_CONTROL                                                                                            \
	"NSA/CISA Kubernetes Hardening Guidance: Network separation and hardening; CIS Kubernetes 5.3.2 Ensure that " \
	"all Namespaces have NetworkPolicies defined"

/* ---- findings -------------------------------------------------------------------- */

int netpol_findings(const struct netpol_model *m, struct finding_list *out, struct berr *e)
{
	for (size_t i = 0; i < m->nw; i++) {
		const struct netpol_workload *w = &m->w[i];
		char location[1024], message[1280];
		snprintf(location, sizeof location, "%.100s/%.400s/%.400s", w->kind, w->ns, w->name);
		for (int dir = 0; dir < 2; dir++) {
			bool ingress = dir == 0;
			if (ingress ? w->iso_ingress : w->iso_egress)
				continue;
			snprintf(message, sizeof message,
				 ingress ? "%s is selected by no NetworkPolicy with policyType Ingress: every pod and "
					   "every outside address can connect to it"
					 : "%s is selected by no NetworkPolicy with policyType Egress: it can connect to "
					   "every pod and every outside address",
				 location);
			struct finding f = {
				.kind = FINDING_KIND_MISCONFIG,
				.rule_id = ingress ? "K8S-NETPOL-INGRESS-UNISOLATED" : "K8S-NETPOL-EGRESS-UNISOLATED",
				.title = ingress ? "Workload not isolated for ingress by any NetworkPolicy"
						 : "Workload not isolated for egress by any NetworkPolicy",
				.severity = ingress ? SEV_MEDIUM : SEV_LOW,
				.message = message,
				.path = w->file,
				.location = location,
				.line = w->line,
				.layer = -1,
				.category = "kubernetes",
				.remediation =
					ingress ? "Add a default-deny NetworkPolicy (podSelector: {}, policyTypes: [Ingress]) to "
						  "the namespace and allow only the sources the workload needs."
						: "Add a default-deny NetworkPolicy (podSelector: {}, policyTypes: [Egress]) to "
						  "the namespace and allow only the destinations (and DNS) the workload needs.",
				.control = NETPOL_CONTROL,
				.reference = NETPOL_REFERENCE,
				.ns = w->ns,
				.object = w->name,
			};
			int rc = finding_add(out, &f);
			if (rc != BOSUN_OK)
				return berr_set(e, rc, "out of memory");
		}
	}
	return BOSUN_OK;
}

/* ---- text ------------------------------------------------------------------------- */

/* Names come from untrusted manifests: keep a terminal safe. */
static char *clean(const char *s)
{
	char *c = strdup(s ? s : "");
	for (char *p = c; p && *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			*p = '?';
	return c;
}

static char *cell_text(const struct netpol_model *m, size_t from, size_t to)
{
	if (from == m->nw && to == m->nw)
		return strdup("");
	struct buf b = { 0 };
	if (netpol_portset_format(netpol_flow(m, from, to), &b) != BOSUN_OK) {
		buf_free(&b);
		return NULL;
	}
	return b.data;
}

static const char *isolation_text(bool iso, size_t npolicies, char *tmp, size_t n)
{
	if (!iso)
		return "open (no policy)";
	snprintf(tmp, n, "isolated (%zu %s)", npolicies, npolicies == 1 ? "policy" : "policies");
	return tmp;
}

/* Cells are formatted twice (widths, then rows) rather than kept: the
 * matrix of 2,000 workloads has four million of them. */
int netpol_write_table(const struct netpol_model *m, FILE *out, struct berr *e)
{
	size_t nodes = m->nw + 1;
	char **names = calloc(nodes, sizeof *names);
	size_t *colw = calloc(nodes, sizeof *colw);
	int rc = BOSUN_OK;
	if (!names || !colw) {
		rc = BOSUN_ENOMEM;
		goto done;
	}
	size_t namew = strlen("WORKLOAD"), kindw = strlen("KIND");
	for (size_t i = 0; i < nodes; i++) {
		if (!(names[i] = clean(netpol_node_name(m, i)))) {
			rc = BOSUN_ENOMEM;
			goto done;
		}
		if (strlen(names[i]) > namew)
			namew = strlen(names[i]);
		if (i < m->nw && strlen(m->w[i].kind) > kindw)
			kindw = strlen(m->w[i].kind);
	}
	size_t open_in = 0, open_out = 0;
	for (size_t i = 0; i < m->nw; i++) {
		open_in += !m->w[i].iso_ingress;
		open_out += !m->w[i].iso_egress;
	}
	fprintf(out, "Network policies: %zu workloads, %zu NetworkPolicies, %zu namespaces; %zu open for ingress, %zu open for egress\n\n",
		m->nw, m->np, m->nns, open_in, open_out);
	fprintf(out, "%-*s  %-*s  %-20s  %s\n", (int)namew, "WORKLOAD", (int)kindw, "KIND", "INGRESS", "EGRESS");
	for (size_t i = 0; i < m->nw; i++) {
		const struct netpol_workload *w = &m->w[i];
		char a[64], b[64];
		char *kind = clean(w->kind);
		fprintf(out, "%-*s  %-*s  %-20s  %s\n", (int)namew, names[i], (int)kindw, kind ? kind : "",
			isolation_text(w->iso_ingress, w->nin_policies, a, sizeof a),
			isolation_text(w->iso_egress, w->nout_policies, b, sizeof b));
		free(kind);
	}
	/* The matrix: one column per destination, as wide as its widest cell. */
	size_t roww = strlen("FROM \\ TO");
	if (namew > roww)
		roww = namew;
	for (size_t d = 0; d < nodes && rc == BOSUN_OK; d++) {
		colw[d] = strlen(names[d]);
		for (size_t s = 0; s < nodes; s++) {
			char *c = cell_text(m, s, d);
			if (!c) {
				rc = BOSUN_ENOMEM;
				break;
			}
			if (strlen(c) > colw[d])
				colw[d] = strlen(c);
			free(c);
		}
	}
	if (rc != BOSUN_OK)
		goto done;
	fprintf(out, "\nAllowed flows (rows: from, columns: to; ports, \"all\" or \"-\"):\n");
	fprintf(out, "%-*s", (int)roww, "FROM \\ TO");
	for (size_t d = 0; d < nodes; d++)
		fprintf(out, "  %-*s", d + 1 < nodes ? (int)colw[d] : 0, names[d]);
	fputc('\n', out);
	for (size_t s = 0; s < nodes && rc == BOSUN_OK; s++) {
		fprintf(out, "%-*s", (int)roww, names[s]);
		for (size_t d = 0; d < nodes; d++) {
			char *c = cell_text(m, s, d);
			if (!c) {
				rc = BOSUN_ENOMEM;
				break;
			}
			fprintf(out, "  %-*s", d + 1 < nodes ? (int)colw[d] : 0, c);
			free(c);
		}
		fputc('\n', out);
	}
	for (size_t i = 0; i < m->nwarnings; i++) {
		char *w = clean(m->warnings[i]);
		fprintf(out, "%swarning: %s\n", i ? "" : "\n", w ? w : "");
		free(w);
	}
	if (rc == BOSUN_OK && ferror(out))
		rc = berr_set(e, BOSUN_EIO, "write failed");
done:
	for (size_t i = 0; names && i < nodes; i++)
		free(names[i]);
	free(names);
	free(colw);
	if (rc == BOSUN_ENOMEM)
		return berr_set(e, rc, "out of memory");
	return rc;
}

/* ---- DOT ----------------------------------------------------------------------------- */

/* DOT double-quoted string content: quotes and backslashes escaped, controls dropped. */
static void dot_esc(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fputc('\\', out);
		if (c >= 0x20 && c != 0x7f)
			fputc(c, out);
	}
}

static void dot_str(FILE *out, const char *s)
{
	fputc('"', out);
	dot_esc(out, s);
	fputc('"', out);
}

int netpol_write_dot(const struct netpol_model *m, FILE *out, struct berr *e)
{
	fprintf(out, "digraph netpol {\n\trankdir=LR;\n\tnode [shape=box, style=rounded];\n");
	for (size_t n = 0; n < m->nns; n++) {
		bool any = false;
		for (size_t i = 0; i < m->nw && !any; i++)
			any = !strcmp(m->w[i].ns, m->ns[n].name);
		if (!any)
			continue;
		fprintf(out, "\tsubgraph \"cluster_%zu\" {\n\t\tlabel=", n);
		fputs("\"namespace ", out);
		dot_esc(out, m->ns[n].name);
		fputs("\";\n", out);
		for (size_t i = 0; i < m->nw; i++) {
			const struct netpol_workload *w = &m->w[i];
			if (strcmp(w->ns, m->ns[n].name))
				continue;
			fprintf(out, "\t\t");
			dot_str(out, w->id);
			fprintf(out, " [label=");
			fputc('"', out);
			dot_esc(out, w->name);
			fputs("\\n", out); /* DOT's line break */
			dot_esc(out, w->kind);
			fprintf(out, "%s%s\"", w->iso_ingress ? "" : " (ingress open)", w->iso_egress ? "" : " (egress open)");
			if (!w->iso_ingress || !w->iso_egress)
				fprintf(out, ", color=red");
			fprintf(out, "];\n");
		}
		fprintf(out, "\t}\n");
	}
	fprintf(out, "\t\"external\" [shape=ellipse, style=dashed];\n");
	for (size_t s = 0; s <= m->nw; s++)
		for (size_t d = 0; d <= m->nw; d++) {
			const struct netpol_portset *p = netpol_flow(m, s, d);
			if (netpol_portset_empty(p))
				continue;
			struct buf b = { 0 };
			if (netpol_portset_format(p, &b) != BOSUN_OK) {
				buf_free(&b);
				return berr_set(e, BOSUN_ENOMEM, "out of memory");
			}
			fputc('\t', out);
			dot_str(out, netpol_node_name(m, s));
			fprintf(out, " -> ");
			dot_str(out, netpol_node_name(m, d));
			fprintf(out, " [label=");
			dot_str(out, b.data);
			fprintf(out, "];\n");
			buf_free(&b);
		}
	fprintf(out, "}\n");
	return ferror(out) ? berr_set(e, BOSUN_EIO, "write failed") : BOSUN_OK;
}

/* ---- JSON -------------------------------------------------------------------------- */

static json_t *labels_json(const struct netpol_labels *l)
{
	json_t *o = json_object();
	for (size_t i = 0; o && i < l->n; i++)
		json_object_set_new(o, l->key[i], json_string(l->value[i]));
	return o;
}

static json_t *policy_names(const struct netpol_model *m, const size_t *idx, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++) {
		const struct netpol_policy *p = &m->p[idx[i]];
		json_array_append_new(a, json_sprintf("%s/%s", p->ns, p->name));
	}
	return a;
}

static json_t *ports_json(const struct netpol_portset *s)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < s->n; i++) {
		json_t *p = json_pack("{s:s,s:i}", "protocol", netpol_proto_name(s->r[i].proto), "port", s->r[i].lo);
		if (p && s->r[i].hi != s->r[i].lo)
			json_object_set_new(p, "endPort", json_integer(s->r[i].hi));
		json_array_append_new(a, p);
	}
	return a;
}

static json_t *side_json(const struct netpol_model *m, bool iso, const size_t *idx, size_t n)
{
	return json_pack("{s:b,s:o}", "isolated", iso, "policies", policy_names(m, idx, n));
}

int netpol_to_json(const struct netpol_model *m, json_t **out, struct berr *e)
{
	json_t *doc = json_object(), *ws = json_array(), *nss = json_array(), *ps = json_array(), *fs = json_array(),
	       *warns = json_array();
	json_object_set_new(doc, "workloads", ws);
	json_object_set_new(doc, "namespaces", nss);
	json_object_set_new(doc, "policies", ps);
	json_object_set_new(doc, "flows", fs);
	json_object_set_new(doc, "warnings", warns);
	for (size_t i = 0; i < m->nw; i++) {
		const struct netpol_workload *w = &m->w[i];
		json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:o,s:o,s:o}", "id", w->id, "kind", w->kind, "namespace", w->ns,
				      "name", w->name, "labels", labels_json(&w->labels), "ingress",
				      side_json(m, w->iso_ingress, w->in_policies, w->nin_policies), "egress",
				      side_json(m, w->iso_egress, w->out_policies, w->nout_policies));
		if (o && w->file)
			json_object_set_new(o, "file", json_string(w->file));
		if (o && w->line)
			json_object_set_new(o, "line", json_integer(w->line));
		json_array_append_new(ws, o);
	}
	for (size_t i = 0; i < m->nns; i++)
		json_array_append_new(nss, json_pack("{s:s,s:b,s:o}", "name", m->ns[i].name, "declared", m->ns[i].declared,
						     "labels", labels_json(&m->ns[i].labels)));
	for (size_t i = 0; i < m->np; i++) {
		const struct netpol_policy *p = &m->p[i];
		json_t *types = json_array();
		if (p->ingress)
			json_array_append_new(types, json_string("Ingress"));
		if (p->egress)
			json_array_append_new(types, json_string("Egress"));
		json_t *o = json_pack("{s:s,s:s,s:o}", "namespace", p->ns, "name", p->name, "policyTypes", types);
		if (o && p->file)
			json_object_set_new(o, "file", json_string(p->file));
		if (o && p->line)
			json_object_set_new(o, "line", json_integer(p->line));
		json_array_append_new(ps, o);
	}
	for (size_t s = 0; s <= m->nw; s++)
		for (size_t d = 0; d <= m->nw; d++) {
			const struct netpol_portset *p = netpol_flow(m, s, d);
			if (netpol_portset_empty(p))
				continue;
			struct buf b = { 0 };
			int rc = netpol_portset_format(p, &b);
			json_array_append_new(fs, json_pack("{s:s,s:s,s:b,s:o,s:s?}", "from", netpol_node_name(m, s), "to",
							    netpol_node_name(m, d), "allPorts", p->all, "ports",
							    ports_json(p), "text", rc == BOSUN_OK ? b.data : NULL));
			buf_free(&b);
		}
	for (size_t i = 0; i < m->nwarnings; i++)
		json_array_append_new(warns, json_string(m->warnings[i]));
	/* json_pack/json_string give NULL for invalid UTF-8 in a name and the
	 * append then drops the entry: count what landed. */
	if (!doc || !ws || !fs || json_array_size(ws) != m->nw) {
		json_decref(doc);
		return berr_set(e, BOSUN_EFORMAT, "cannot represent the analysis as JSON (invalid UTF-8 in a name or label?)");
	}
	*out = doc;
	return BOSUN_OK;
}

/* ---- expected.txt ---------------------------------------------------------------------- */

int netpol_write_expected(const struct netpol_model *m, struct buf *out)
{
	for (size_t i = 0; i < m->nw; i++)
		TRY(buf_printf(out, "workload %s ingress=%s egress=%s\n", m->w[i].id, m->w[i].iso_ingress ? "isolated" : "open",
			       m->w[i].iso_egress ? "isolated" : "open"));
	for (size_t s = 0; s <= m->nw; s++)
		for (size_t d = 0; d <= m->nw; d++) {
			const struct netpol_portset *p = netpol_flow(m, s, d);
			if (netpol_portset_empty(p))
				continue;
			TRY(buf_printf(out, "flow %s -> %s: ", netpol_node_name(m, s), netpol_node_name(m, d)));
			TRY(netpol_portset_format(p, out));
			TRY(buf_append_str(out, "\n"));
		}
	return BOSUN_OK;
}
