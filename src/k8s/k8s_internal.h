/* Shared between the k8s loader and the rule checks; not part of the
 * module's interface. */
#ifndef BOSUN_K8S_K8S_INTERNAL_H
#define BOSUN_K8S_K8S_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>

#include "k8s/k8s.h"
#include "util/buf.h"
#include "util/yaml_json.h"

/* Bounds on what one `bosun k8s` run reads (docs/hostile-input.md). */
#define K8S_MAX_FILE_BYTES ((size_t)16 << 20)   /* one file or stdin */
#define K8S_MAX_TOTAL_BYTES ((size_t)256 << 20) /* every file of the set */
#define K8S_MAX_OBJECTS 100000
#define K8S_MAX_FILES 20000
#define K8S_MAX_DIR_DEPTH 32
#define K8S_MAX_WARNINGS 1000

/* yaml_json limits for manifests: the defaults, per file. */
extern const struct yaml_json_limits k8s_yaml_limits;

/* Rule indices into the table (k8s_rules.def). */
enum k8s_rule_idx {
#define K8S_RULE(e, id, level, sev, title, rem, ctl, ref) K8S_R_##e,
#include "k8s/k8s_rules.def"
#undef K8S_RULE
	K8S_R_COUNT
};

/* One container of a pod spec. */
struct k8s_container {
	const json_t *c;     /* the container object */
	const json_t *sc;    /* its securityContext, NULL when absent */
	const char *name;    /* "" when missing */
	const char *role;    /* "container", "init container", "ephemeral container" */
	bool ephemeral;
};

/* What the checks of one object see. */
struct k8s_ctx {
	const struct k8s_set *s;
	const struct k8s_check_options *o;
	struct finding_list *out;
	const struct k8s_object *obj;
	const json_t *meta, *spec;  /* the pod template (workloads only) */
	const json_t *psc;          /* spec.securityContext, NULL when absent */
	struct k8s_container *ct;   /* every container of the pod spec */
	size_t nct;
	bool windows;               /* spec.os.name: windows */
	char where[512];            /* "Deployment/prod/web" */
	int rc;                     /* first error (out of memory) */
	/* cluster context gathered before the objects are checked */
	const struct k8s_cluster *cluster;
};

struct k8s_cluster; /* service accounts and cluster-admin bindings, k8s_extra.c */
int k8s_cluster_build(const struct k8s_set *s, struct k8s_cluster **out, struct berr *e);
void k8s_cluster_free(struct k8s_cluster *c);

/* Emits a finding of rule r about the current object (ct NULL: the pod or
 * object itself) at line (0: the object's line). */
void k8s_emit(struct k8s_ctx *c, enum k8s_rule_idx r, const struct k8s_container *ct, unsigned line,
	      const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* The same with the matched text (masked secrets). */
void k8s_emit_match(struct k8s_ctx *c, enum k8s_rule_idx r, const struct k8s_container *ct, unsigned line,
		    const char *match, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Whether rule r runs for this object (profile, policy, Windows exemptions
 * are the check's own business). */
bool k8s_rule_on(const struct k8s_ctx *c, enum k8s_rule_idx r);

/* Line of obj's member key (the object's line when absent). */
static inline unsigned k8s_line(const struct k8s_ctx *c, const json_t *obj, const char *key)
{
	return key ? k8s_member_line(c->s, obj, key) : k8s_line_of(c->s, obj);
}

/* The checks, per object: Pod Security Standards (k8s_pss.c) and the
 * others (k8s_extra.c). */
void k8s_check_pss(struct k8s_ctx *c);
void k8s_check_extra(struct k8s_ctx *c);
void k8s_check_rbac(struct k8s_ctx *c); /* any object: bindings */

#endif
