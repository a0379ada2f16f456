/* A set of Kubernetes manifests loaded as one cluster: every object of
 * every document of every file (multi-document YAML, JSON, `List` kinds
 * expanded, directories walked recursively, "-" for stdin), each with the
 * file and line it came from. The rule checks (k8s_check) and the
 * network-policy analysis (netpol.h) both read this.
 *
 * Objects are jansson trees; k8s_line_of() gives the source line of any
 * node inside them, so every finding can point at the offending line. */
#ifndef BOSUN_K8S_K8S_H
#define BOSUN_K8S_K8S_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "finding/finding.h"
#include "util/err.h"

struct k8s_object {
	json_t *obj;             /* the object; owned by the set */
	const char *api_version; /* "apps/v1" */
	const char *kind;        /* "Deployment" */
	const char *name;        /* metadata.name ("" when missing) */
	const char *ns;          /* metadata.namespace, "default" when missing for namespaced kinds */
	const char *file;        /* as given ("-" for stdin) */
	unsigned line;           /* line where the object starts */
};

struct k8s_set; /* opaque */

struct k8s_set *k8s_set_new(void);
void k8s_set_free(struct k8s_set *s);

/* Adds every object of a file, a directory (recursively: *.yaml, *.yml,
 * *.json) or stdin ("-"). Documents that are not Kubernetes objects (no
 * apiVersion/kind) are skipped with a warning; malformed YAML is
 * BOSUN_EFORMAT naming file and line; size, depth and alias-expansion
 * limits give BOSUN_ELIMIT. */
int k8s_set_load_path(struct k8s_set *s, const char *path, struct berr *e);
/* The same for a buffer; `what` names it in messages and findings. */
int k8s_set_load_buffer(struct k8s_set *s, const char *what, const char *data, size_t n, struct berr *e);

size_t k8s_set_count(const struct k8s_set *s);
const struct k8s_object *k8s_set_get(const struct k8s_set *s, size_t i);
/* Warnings collected while loading (skipped documents...). */
size_t k8s_set_warning_count(const struct k8s_set *s);
const char *k8s_set_warning(const struct k8s_set *s, size_t i);

/* 1-based line of a node of one of the set's objects; 0 when unknown. */
unsigned k8s_line_of(const struct k8s_set *s, const json_t *node);
/* 1-based line of a member of an object of the set (the line of its key,
 * so `privileged: true` has one although booleans are shared nodes); the
 * object's own line when the member is absent; 0 when unknown. */
unsigned k8s_member_line(const struct k8s_set *s, const json_t *obj, const char *key);

/* True for the workload kinds (Pod, Deployment, StatefulSet, DaemonSet,
 * ReplicaSet, ReplicationController, Job, CronJob), and for any other kind
 * that embeds a pod template at spec.template (Argo Rollout, OpenKruise
 * CloneSet...). */
bool k8s_is_workload(const struct k8s_object *o);
/* The pod template of a workload, wherever the kind keeps it (a Pod
 * itself; spec.template; CronJob spec.jobTemplate.spec.template): its
 * metadata (labels, annotations; NULL when the template has none) and
 * spec. false for other kinds or when the object has no pod spec. */
bool k8s_pod_template(const struct k8s_object *o, const json_t **meta, const json_t **spec);

/* Whether a buffer looks like Kubernetes manifests (a document with
 * apiVersion and kind at the top level), for `bosun config DIR`. */
bool k8s_looks_like_manifest(const char *data, size_t n);

enum k8s_profile { K8S_PROFILE_BASELINE, K8S_PROFILE_RESTRICTED };

struct rule_policy; /* src/policy/rule_policy.h */

struct k8s_check_options {
	enum k8s_profile profile;         /* which PSS profile's controls run (restricted includes baseline) */
	const struct rule_policy *policy; /* may be NULL */
};

/* The rules k8s_check runs (docs/rules-kubernetes.md). */
enum k8s_rule_level {
	K8S_RULE_BASELINE,   /* a Pod Security Standards Baseline control: both profiles */
	K8S_RULE_RESTRICTED, /* a Restricted control: --profile restricted only */
	K8S_RULE_EXTRA,      /* beyond the standards: always */
};
struct k8s_rule {
	const char *id;      /* "K8S-PSS-PRIVILEGED" */
	enum k8s_rule_level level;
	enum vuln_severity severity;
	const char *title, *remediation, *control, *reference;
};
const struct k8s_rule *k8s_rules(size_t *n);
/* The rule with this id, or NULL. */
const struct k8s_rule *k8s_rule_find(const char *id);
/* "baseline"/"restricted" -> profile; -1 when unknown. */
int k8s_profile_parse(const char *s, enum k8s_profile *out);

/* Runs every rule over every object: findings with kind MISCONFIG,
 * category "kubernetes", path = the object's file, line, location
 * "Kind/ns/name: container c", ns and object set.
 * From the policy it takes which rules run, their severities and the
 * registry allow-list; its exceptions are NOT applied here: the caller
 * runs rule_policy_apply() once over all its findings (Kubernetes,
 * Dockerfile...), which also reports expired exceptions. */
int k8s_check(const struct k8s_set *s, const struct k8s_check_options *o, struct finding_list *out,
	      struct berr *e);

#endif
