/* Network-policy analysis: which workloads NetworkPolicies isolate, and
 * which workload-to-workload flows they allow, per Kubernetes semantics.
 *
 * The model is built from Kubernetes objects (jansson trees, as
 * src/k8s/k8s.h loads them): workloads (their pod template's labels and
 * container ports), Namespaces (labels) and NetworkPolicies. Anything else
 * is ignored. Everything lives in the model's arena.
 *
 * Semantics (https://kubernetes.io/docs/concepts/services-networking/network-policies/):
 *  - a pod is isolated for ingress (egress) when a policy of its namespace
 *    selects it and has Ingress (Egress) among its policyTypes; policyTypes
 *    default to Ingress, plus Egress when the policy has egress rules;
 *  - a flow A->B is allowed when A's egress allows B (or A is not isolated
 *    for egress) AND B's ingress allows A (or B is not isolated for
 *    ingress); the allowed ports are the intersection of both sides, each
 *    side the union of its rules;
 *  - ipBlock peers stand for "external" (traffic from/to outside the
 *    cluster; pod IPs are not modelled), as do empty from/to lists.
 * Namespaces without a Namespace object get the one label Kubernetes
 * always sets: kubernetes.io/metadata.name=NAME. */
#ifndef BOSUN_K8S_NETPOL_H
#define BOSUN_K8S_NETPOL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "finding/finding.h"
#include "util/buf.h"
#include "util/err.h"

/* Bounds on hostile or absurd inputs (the matrix is quadratic). */
#define NETPOL_MAX_WORKLOADS 2000
#define NETPOL_MAX_POLICIES 20000
#define NETPOL_MAX_NAMESPACES 10000
/* Peer evaluations of one analysis (pairs x rules x peers): a few seconds. */
#define NETPOL_MAX_WORK 2000000000ULL

#define NETPOL_NS_NAME_LABEL "kubernetes.io/metadata.name"

/* ---- label selectors ---------------------------------------------------------- */

struct netpol_labels {
	const char **key, **value;
	size_t n;
};

enum netpol_op { NETPOL_OP_IN, NETPOL_OP_NOT_IN, NETPOL_OP_EXISTS, NETPOL_OP_DOES_NOT_EXIST };

struct netpol_expr {
	const char *key;
	enum netpol_op op;
	const char **values;
	size_t nvalues;
};

/* matchLabels AND every matchExpression; an empty selector selects all. */
struct netpol_selector {
	struct netpol_labels match;
	struct netpol_expr *expr;
	size_t nexpr;
};

/* Parses a LabelSelector object (NULL or absent = empty = everything).
 * BOSUN_EFORMAT names what is wrong ("matchExpressions[1]: operator In
 * needs values"), as the API server would refuse it. */
int netpol_selector_parse(struct arena *ar, const json_t *j, struct netpol_selector *out, struct berr *e);
bool netpol_selector_matches(const struct netpol_selector *s, const struct netpol_labels *labels);
/* The value of key in labels, NULL when absent. */
const char *netpol_label(const struct netpol_labels *l, const char *key);
/* Reads a map of string labels (NULL = none); BOSUN_EFORMAT for non-string values. */
int netpol_labels_parse(struct arena *ar, const json_t *j, struct netpol_labels *out, struct berr *e);

/* ---- ports ------------------------------------------------------------------ */

enum netpol_proto { NETPOL_TCP, NETPOL_UDP, NETPOL_SCTP, NETPOL_PROTO_COUNT };
const char *netpol_proto_name(enum netpol_proto p);

/* A port of a rule: a range of one protocol, or a named port resolved
 * against the destination's containers. */
struct netpol_port {
	enum netpol_proto proto;
	const char *name; /* named port, or NULL */
	int lo, hi;       /* 1..65535 when the rule gives no port */
};

struct netpol_range {
	enum netpol_proto proto;
	int lo, hi;
};

/* A set of destination ports: everything, or ranges (sorted, merged). */
struct netpol_portset {
	bool all;
	struct netpol_range *r;
	size_t n, cap;
};

void netpol_portset_free(struct netpol_portset *s);
bool netpol_portset_empty(const struct netpol_portset *s);
bool netpol_portset_equal(const struct netpol_portset *a, const struct netpol_portset *b);
int netpol_portset_add(struct netpol_portset *s, enum netpol_proto proto, int lo, int hi);
int netpol_portset_union(struct netpol_portset *s, const struct netpol_portset *o);
/* out = a AND b (out is reset first; it may not alias a or b). */
int netpol_portset_intersect(const struct netpol_portset *a, const struct netpol_portset *b,
			     struct netpol_portset *out);
/* "all", "-" or "80,443,8000-8080,53/UDP" (TCP is implied). */
int netpol_portset_format(const struct netpol_portset *s, struct buf *out);

/* ---- the model ----------------------------------------------------------------- */

struct netpol_peer {
	bool ip_block;             /* external */
	const char *cidr;          /* ipBlock.cidr */
	const char **except;
	size_t nexcept;
	bool has_pod, has_ns;      /* which selectors the peer gives */
	struct netpol_selector pod, ns;
};

struct netpol_rule {
	bool all_peers;            /* from/to empty or absent: every source/destination */
	struct netpol_peer *peers;
	size_t npeers;
	bool all_ports;            /* ports empty or absent */
	struct netpol_port *ports;
	size_t nports;
};

struct netpol_policy {
	const char *ns, *name, *file;    /* ns as for workloads */
	unsigned line;
	struct netpol_selector pod;
	bool ingress, egress;      /* effective policyTypes */
	struct netpol_rule *in, *out;
	size_t nin, nout;
};

struct netpol_container_port {
	const char *name; /* NULL when unnamed */
	enum netpol_proto proto;
	int port;
};

struct netpol_workload {
	const char *kind, *ns, *name, *file;   /* ns is the model's namespace name: compare pointers */
	size_t ns_index;                       /* in netpol_model.ns */
	const char *id;                        /* "ns/name" */
	unsigned line;
	struct netpol_labels labels;           /* of the pod template */
	struct netpol_container_port *ports;
	size_t nports;
	/* analysis results */
	bool iso_ingress, iso_egress;
	size_t *in_policies, nin_policies;     /* policies isolating it for ingress */
	size_t *out_policies, nout_policies;   /* ... for egress */
};

struct netpol_namespace {
	const char *name;
	struct netpol_labels labels;
	bool declared;             /* a Namespace object was given */
};

struct netpol_model {
	struct arena arena;
	struct netpol_workload *w;
	size_t nw, capw;
	struct netpol_namespace *ns;
	size_t nns, capns;
	struct netpol_policy *p;
	size_t np, capp;
	char **warnings;
	size_t nwarnings;
	/* flows: (nw+1)^2 cells, row = source, column = destination; index
	 * nw is "external". Filled by netpol_analyze. */
	struct netpol_portset *cells;
	bool analyzed;
	unsigned long long work;   /* peer evaluations so far, against NETPOL_MAX_WORK */
};

void netpol_model_init(struct netpol_model *m);
void netpol_model_free(struct netpol_model *m);

/* Adds one Kubernetes object: a workload kind, Namespace or
 * NetworkPolicy (others are ignored, *added false). file/line say where it
 * came from (for findings and messages). BOSUN_EFORMAT for an object the
 * API server would refuse (bad selector, port, policyType), BOSUN_ELIMIT
 * past the NETPOL_MAX_* bounds. */
int netpol_model_add(struct netpol_model *m, const json_t *obj, const char *file, unsigned line, struct berr *e);

/* Adds every object of a manifest set loaded by src/k8s/k8s.h
 * (k8s_set_load_path), with its file and line. */
struct k8s_set;
int netpol_model_add_set(struct netpol_model *m, const struct k8s_set *s, struct berr *e);

/* Computes isolation and the flow matrix. */
int netpol_analyze(struct netpol_model *m, struct berr *e);

/* The allowed ports from node i to node j (index nw = external). */
const struct netpol_portset *netpol_flow(const struct netpol_model *m, size_t from, size_t to);
/* "ns/name" of a node, "external" for index nw. */
const char *netpol_node_name(const struct netpol_model *m, size_t i);
/* The index of the workload "ns/name" or "external"; (size_t)-1 if none. */
size_t netpol_node_find(const struct netpol_model *m, const char *ns_name);

/* ---- output ------------------------------------------------------------------ */

/* One finding per workload not isolated for ingress (MEDIUM) or egress (LOW). */
int netpol_findings(const struct netpol_model *m, struct finding_list *out, struct berr *e);

/* Isolation summary and flow matrix as text tables. */
int netpol_write_table(const struct netpol_model *m, FILE *out, struct berr *e);
/* Graphviz: one cluster per namespace, edges labelled with ports. */
int netpol_write_dot(const struct netpol_model *m, FILE *out, struct berr *e);
/* The analysis as JSON (docs/netpol.md): {"workloads", "flows"}; the
 * caller adds "findings". */
int netpol_to_json(const struct netpol_model *m, json_t **out, struct berr *e);
/* expected.txt form of the matrix (tests): lines "isolation NODE in|- out|-"
 * and "flow FROM TO PORTS" for every allowed flow, sorted. */
int netpol_write_expected(const struct netpol_model *m, struct buf *out);

/* ---- intents (--generate) ------------------------------------------------------- */

struct netpol_intent; /* netpol_intent.c */

#define NETPOL_INTENT_MAX_BYTES ((size_t)1 << 20)
#define NETPOL_INTENT_MAX_APPS 500
#define NETPOL_INTENT_MAX_RULES 5000

/* Parses an intent document (docs/netpol.md#intents); errors name the
 * line: "INTENT: line 7: allow[1].to: unknown app 'dbx'". */
int netpol_intent_parse(const char *data, size_t n, const char *what, struct netpol_intent **out,
			struct berr *e);
void netpol_intent_free(struct netpol_intent *in);
/* Namespaces the generated policies go to, in order of first use. */
size_t netpol_intent_namespace_count(const struct netpol_intent *in);
const char *netpol_intent_namespace(const struct netpol_intent *in, size_t i);

/* The NetworkPolicies of namespace i as multi-document YAML (a default
 * deny, then one allow policy per app of the namespace). */
int netpol_intent_generate(const struct netpol_intent *in, size_t ns_index, struct buf *yaml, struct berr *e);

/* Verifies generated YAML (all namespaces' documents concatenated) against
 * the intent: the apps become synthetic workloads, the matrix is computed
 * and compared cell by cell. *ok tells the outcome; report gets one line
 * per checked cell that differs, or a summary. */
int netpol_intent_verify(const struct netpol_intent *in, const char *yaml, size_t n, bool *ok, struct buf *report,
			 struct berr *e);

/* Splits multi-document YAML at "---" lines and adds every document's
 * objects (a List's items too) to m. `what` names the input. */
int netpol_model_add_yaml(struct netpol_model *m, const char *what, const char *data, size_t n, struct berr *e);

#endif
