#include "cli/rule_options.h"

#include "util/log.h"

int rule_option(int c, const char *arg, struct rule_options *o)
{
	switch (c) {
	case RULE_OPT_PROFILE: {
		enum k8s_profile p;
		if (k8s_profile_parse(arg, &p)) {
			fprintf(stderr, "bosun: error: --profile must be baseline or restricted, not '%s'\n", arg);
			return 2;
		}
		o->profile = arg;
		return 0;
	}
	case RULE_OPT_POLICY: o->policy_path = arg; return 0;
	default: return -1;
	}
}

void rule_usage(FILE *out)
{
	fprintf(out, "      --profile P        Kubernetes Pod Security profile: baseline or restricted\n"
		     "                         (default: the policy's, else restricted; restricted\n"
		     "                         includes baseline)\n"
		     "      --policy FILE      rule policy: rules on/off, severities, registry allow-list,\n"
		     "                         exceptions (docs/policy-file.md)\n");
}

int rule_options_load(struct rule_options *o)
{
	if (!o->policy_path)
		return -1;
	struct berr e = { 0 };
	int rc = rule_policy_load(o->policy_path, NULL, &o->policy, &e);
	if (rc) {
		log_error("%s", e.msg);
		return bosun_exit_code(rc);
	}
	return -1;
}

struct k8s_check_options rule_options_k8s(const struct rule_options *o)
{
	struct k8s_check_options k = { .profile = K8S_PROFILE_RESTRICTED, .policy = o->policy };
	const char *profile = o->profile ? o->profile : rule_policy_profile(o->policy);
	if (profile)
		k8s_profile_parse(profile, &k.profile);
	return k;
}

int rule_options_apply(const struct rule_options *o, struct artifact *a, struct berr *e)
{
	return rule_options_apply_list(o, &a->findings, a, e);
}

int rule_options_apply_list(const struct rule_options *o, struct finding_list *l, struct artifact *a,
			    struct berr *e)
{
	struct rule_policy_outcome out;
	TRY(rule_policy_apply(o->policy, l, &out, e));
	for (size_t i = 0; i < out.nwarnings; i++)
		artifact_warn(a, "%s", out.warnings[i]);
	if (out.excepted)
		artifact_warn(a, "policy %s: %zu finding%s excepted", o->policy_path, out.excepted,
			      out.excepted == 1 ? "" : "s");
	rule_policy_outcome_free(&out);
	return BOSUN_OK;
}

void rule_options_free(struct rule_options *o)
{
	rule_policy_free(o->policy);
	o->policy = NULL;
}
