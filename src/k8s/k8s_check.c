/* k8s_check: the rule table, the per-object driver and how a finding is
 * made. The rules themselves are in k8s_pss.c (Pod Security Standards) and
 * k8s_extra.c (images, resources, secrets, service accounts, RBAC). */
#include "k8s/k8s.h"
#include "k8s/k8s_internal.h"
#include "policy/rule_policy.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct k8s_rule rules[] = {
#define K8S_RULE(e, id_, level_, sev, title_, rem, ctl, ref)                                              \
	{ .id = id_, .level = K8S_RULE_##level_, .severity = sev, .title = title_, .remediation = rem,     \
	  .control = ctl, .reference = ref },
#include "k8s/k8s_rules.def"
#undef K8S_RULE
};

const struct k8s_rule *k8s_rules(size_t *n)
{
	*n = sizeof rules / sizeof *rules;
	return rules;
}

const struct k8s_rule *k8s_rule_find(const char *id)
{
	for (size_t i = 0; i < sizeof rules / sizeof *rules; i++)
		if (!strcmp(rules[i].id, id))
			return &rules[i];
	return NULL;
}

int k8s_profile_parse(const char *s, enum k8s_profile *out)
{
	if (!strcmp(s, "baseline"))
		*out = K8S_PROFILE_BASELINE;
	else if (!strcmp(s, "restricted"))
		*out = K8S_PROFILE_RESTRICTED;
	else
		return -1;
	return 0;
}

bool k8s_rule_on(const struct k8s_ctx *c, enum k8s_rule_idx r)
{
	const struct k8s_rule *rule = &rules[r];
	if (rule->level == K8S_RULE_RESTRICTED && c->o->profile != K8S_PROFILE_RESTRICTED)
		return false;
	return rule_policy_enabled(c->o->policy, rule->id);
}

static void emit_v(struct k8s_ctx *c, enum k8s_rule_idx r, const struct k8s_container *ct, unsigned line,
		   const char *match, const char *fmt, va_list ap)
{
	if (c->rc || !k8s_rule_on(c, r))
		return;
	const struct k8s_rule *rule = &rules[r];
	char msg[1024], loc[768];
	vsnprintf(msg, sizeof msg, fmt, ap);
	if (ct)
		snprintf(loc, sizeof loc, "%s: %s %s", c->where, ct->role, ct->name);
	else
		snprintf(loc, sizeof loc, "%s", c->where);
	struct finding f = {
		.kind = FINDING_KIND_MISCONFIG,
		.rule_id = rule->id,
		.title = rule->title,
		.severity = rule_policy_severity(c->o->policy, rule->id, rule->severity),
		.message = msg,
		.path = c->obj->file,
		.location = loc,
		.line = line ? line : c->obj->line,
		.layer = -1,
		.match = match,
		.category = "kubernetes",
		.remediation = rule->remediation,
		.control = rule->control,
		.reference = rule->reference,
		.ns = c->obj->ns,
		.object = c->obj->name,
	};
	c->rc = finding_add(c->out, &f);
}

void k8s_emit(struct k8s_ctx *c, enum k8s_rule_idx r, const struct k8s_container *ct, unsigned line,
	      const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit_v(c, r, ct, line, NULL, fmt, ap);
	va_end(ap);
}

void k8s_emit_match(struct k8s_ctx *c, enum k8s_rule_idx r, const struct k8s_container *ct, unsigned line,
		    const char *match, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit_v(c, r, ct, line, match, fmt, ap);
	va_end(ap);
}

/* ---- the driver --------------------------------------------------------------- */

static const char *str_or(const json_t *v, const char *dflt) { return json_is_string(v) ? json_string_value(v) : dflt; }

/* containers, then initContainers, then ephemeralContainers. */
static int gather_containers(struct k8s_ctx *c)
{
	static const struct {
		const char *key, *role;
	} lists[] = {
		{ "containers", "container" },
		{ "initContainers", "init container" },
		{ "ephemeralContainers", "ephemeral container" },
	};
	size_t total = 0;
	for (size_t l = 0; l < 3; l++)
		total += json_array_size(json_object_get(c->spec, lists[l].key));
	c->nct = 0;
	c->ct = total ? calloc(total, sizeof *c->ct) : NULL;
	if (total && !c->ct)
		return BOSUN_ENOMEM;
	for (size_t l = 0; l < 3; l++) {
		size_t i;
		const json_t *ct;
		json_array_foreach(json_object_get(c->spec, lists[l].key), i, ct) {
			if (!json_is_object(ct))
				continue;
			const json_t *sc = json_object_get(ct, "securityContext");
			c->ct[c->nct++] = (struct k8s_container){
				.c = ct,
				.sc = json_is_object(sc) ? sc : NULL,
				.name = str_or(json_object_get(ct, "name"), ""),
				.role = lists[l].role,
				.ephemeral = l == 2,
			};
		}
	}
	return BOSUN_OK;
}

static int check_object(struct k8s_ctx *c, const struct k8s_object *o)
{
	c->obj = o;
	if (*o->ns)
		snprintf(c->where, sizeof c->where, "%s/%s/%s", o->kind, o->ns, o->name);
	else
		snprintf(c->where, sizeof c->where, "%s/%s", o->kind, o->name);
	k8s_check_rbac(c);
	if (!k8s_is_workload(o) || !k8s_pod_template(o, &c->meta, &c->spec))
		return c->rc;
	const json_t *psc = json_object_get(c->spec, "securityContext");
	c->psc = json_is_object(psc) ? psc : NULL;
	const char *os = json_string_value(json_object_get(json_object_get(c->spec, "os"), "name"));
	c->windows = os && !strcmp(os, "windows");
	if (gather_containers(c))
		return BOSUN_ENOMEM;
	k8s_check_pss(c);
	k8s_check_extra(c);
	free(c->ct);
	c->ct = NULL;
	c->nct = 0;
	return c->rc;
}

int k8s_check(const struct k8s_set *s, const struct k8s_check_options *o, struct finding_list *out,
	      struct berr *e)
{
	struct k8s_check_options dflt = { .profile = K8S_PROFILE_RESTRICTED };
	struct k8s_ctx c = { .s = s, .o = o ? o : &dflt, .out = out };
	struct k8s_cluster *cl;
	TRY(k8s_cluster_build(s, &cl, e));
	c.cluster = cl;
	int rc = BOSUN_OK;
	for (size_t i = 0; i < k8s_set_count(s) && rc == BOSUN_OK; i++)
		rc = check_object(&c, k8s_set_get(s, i));
	k8s_cluster_free(cl);
	if (rc)
		return berr_set(e, rc, "kubernetes checks: out of memory");
	return BOSUN_OK;
}
