#include "cli/scanners.h"

#include <stdint.h>
#include <string.h>

#include "malware/malware.h"
#include "misconfig/config_files.h"
#include "misconfig/image_check.h"
#include "secret/secret.h"

static const struct {
	const char *name;
	unsigned bit;
} scanner_names[] = {
	{ "vuln", SCANNER_VULN },       { "vulnerability", SCANNER_VULN }, { "secret", SCANNER_SECRET },
	{ "malware", SCANNER_MALWARE }, { "config", SCANNER_CONFIG },      { "misconfig", SCANNER_CONFIG },
};

static int parse_list(const char *list, unsigned *out)
{
	*out = 0;
	const char *p = list;
	while (*p) {
		size_t n = strcspn(p, ",");
		bool known = false;
		for (size_t i = 0; i < sizeof scanner_names / sizeof scanner_names[0]; i++)
			if (strlen(scanner_names[i].name) == n && !strncmp(p, scanner_names[i].name, n)) {
				*out |= scanner_names[i].bit;
				known = true;
			}
		if (!known && n) {
			fprintf(stderr, "bosun: error: unknown scanner '%.*s' (one of: vuln, secret, malware, config)\n",
				(int)n, p);
			return 2;
		}
		p += n;
		if (*p == ',')
			p++;
	}
	if (!*out) {
		fprintf(stderr, "bosun: error: --scanners names no scanner\n");
		return 2;
	}
	return 0;
}

static int push_path(const char **v, size_t *n, const char *arg, const char *opt)
{
	if (*n == SCANNER_MAX_PATHS) {
		fprintf(stderr, "bosun: error: at most %d %s options\n", SCANNER_MAX_PATHS, opt);
		return 2;
	}
	v[(*n)++] = arg;
	return 0;
}

int scanner_option(int c, const char *arg, struct scanner_options *o)
{
	switch (c) {
	case SCANNER_OPT_SCANNERS: o->list = arg; return 0;
	case SCANNER_OPT_SECRET_CONFIG: o->secret_config = arg; return 0;
	case SCANNER_OPT_YARA: return push_path(o->yara, &o->nyara, arg, "--yara-rules");
	case SCANNER_OPT_SIGS: return push_path(o->sigs, &o->nsigs, arg, "--malware-signatures");
	default: return rule_option(c, arg, &o->rules);
	}
}

int scanner_options_check(struct scanner_options *o)
{
	o->selected = SCANNER_DEFAULT;
	if (o->list && parse_list(o->list, &o->selected))
		return 2;
	if (o->secret_config && !(o->selected & SCANNER_SECRET)) {
		fprintf(stderr, "bosun: error: --secret-config needs the secret scanner (--scanners ...,secret)\n");
		return 2;
	}
	if ((o->nyara || o->nsigs) && !(o->selected & SCANNER_MALWARE)) {
		fprintf(stderr, "bosun: error: --yara-rules and --malware-signatures need the malware scanner "
				"(--scanners ...,malware)\n");
		return 2;
	}
	if ((o->rules.profile || o->rules.policy_path) && !(o->selected & SCANNER_CONFIG)) {
		fprintf(stderr, "bosun: error: --profile and --policy need the config scanner (--scanners ...,config)\n");
		return 2;
	}
	return 0;
}

void scanner_usage(FILE *out)
{
	fprintf(out,
		"scanners:\n"
		"      --scanners LIST    which scanners run, in one walk of the target:\n"
		"                         vuln,secret,malware,config (default: all four)\n"
		"      --secret-config FILE  custom secret rules and allow-rules (YAML, docs/secrets.md)\n"
		"      --yara-rules PATH  YARA rules: a .yar file, a directory of them, or compiled rules\n"
		"                         (may be given up to %d times; EICAR is built in)\n"
		"      --malware-signatures PATH  ClamAV .hdb/.hsb hash signatures, file or directory\n"
		"  config (image checks; for fs:DIR also its Dockerfiles, Kubernetes manifests and\n"
		"  compose files, as `bosun config DIR`):\n",
		SCANNER_MAX_PATHS);
	rule_usage(out);
}

unsigned scanner_finding_kinds(unsigned selected)
{
	unsigned k = 0;
	if (selected & SCANNER_SECRET)
		k |= 1u << FINDING_KIND_SECRET;
	if (selected & SCANNER_MALWARE)
		k |= 1u << FINDING_KIND_MALWARE;
	if (selected & SCANNER_CONFIG)
		k |= 1u << FINDING_KIND_MISCONFIG;
	return k;
}

static void warn_artifact(void *ctx, const char *msg) { artifact_warn(ctx, "%s", msg); }

/* The configuration files of a project tree, as `bosun config DIR` checks
 * them, with paths relative to DIR like every other file of an fs: scan.
 * The tree is walked again, by path: the layer walk reads file contents
 * for the content scanners but keeps only what the analyzers asked for. */
static int check_project_files(const struct scanner_set *s, struct artifact *a, struct finding_list *out,
			       struct berr *e)
{
	/* A view is a project only for a target given as "fs:DIR" (image_open),
	 * and scan_target records the target as given. */
	static const char prefix[] = "fs:";
	if (!a->target || strncmp(a->target, prefix, sizeof prefix - 1) != 0)
		return berr_set(e, BOSUN_EUNSUPPORTED, "project tree %s without the fs: prefix",
				a->target ? a->target : "(none)");
	const char *dir = a->target + sizeof prefix - 1;
	struct config_check_options o = {
		.k8s = rule_options_k8s(s->rules),
		.relative = true,
		.max_entries = s->max_config_entries,
		.warn = warn_artifact,
		.warn_ctx = a,
	};
	return config_check_paths(&dir, 1, &o, out, NULL, e);
}

/* The misconfigurations: the image checks (user, ports, healthcheck,
 * setuid files, ...) and, for a project tree, its configuration files.
 * The rule policy is applied to them alone: secrets and malware are no
 * rules of a rule policy. */
static int config_scan(const struct scanner_set *s, const struct scan_view *v, struct artifact *a,
		       struct berr *e)
{
	struct finding_list l;
	finding_list_init(&l);
	int rc = image_config_check(v, a, &l, e);
	if (!rc && view_is_project(v))
		rc = check_project_files(s, a, &l, e);
	if (!rc)
		rc = rule_options_apply_list(s->rules, &l, a, e);
	if (!rc)
		rc = finding_list_append(&a->findings, &l);
	finding_list_free(&l);
	return rc;
}

/* Secrets in the image config (Env, Labels, history) and the
 * misconfigurations, after the walk. */
static int post_scan(void *ctx, const struct scan_view *v, struct artifact *a, struct berr *e)
{
	struct scanner_set *s = ctx;
	if (s->secret && a->config_json)
		TRY(secret_scan_image_config(s->secret, a->config_json, &a->findings, e));
	if (s->selected & SCANNER_CONFIG)
		TRY(config_scan(s, v, a, e));
	return BOSUN_OK;
}

int scanner_set_build(const struct scanner_options *o, struct scanner_set *s, struct scan_options *so,
		      struct berr *e)
{
	memset(s, 0, sizeof *s);
	s->selected = o->selected;
	s->rules = &o->rules;
	/* the scan stops past --max-entries; its config walk sees a part of the same tree */
	uint64_t max = so->image.limits.max_entries;
	s->max_config_entries = max > SIZE_MAX ? SIZE_MAX : (size_t)max;
	size_t n = 0;
	if (o->selected & SCANNER_SECRET) {
		struct secret_options sopt = { .config_path = o->secret_config };
		TRY(secret_engine_new(&sopt, &s->secret, e));
		secret_content_scanner(s->secret, &s->content[n++]);
	}
	if (o->selected & SCANNER_MALWARE) {
		struct malware_options mopt = {
			.yara_paths = o->yara, .nyara = o->nyara, .sig_paths = o->sigs, .nsigs = o->nsigs, .builtin = true
		};
		TRY(malware_engine_new(&mopt, &s->malware, e));
		malware_content_scanner(s->malware, &s->content[n++]);
	}
	so->scanners = n ? s->content : NULL;
	so->nscanners = n;
	if (o->selected & (SCANNER_SECRET | SCANNER_CONFIG)) {
		so->post_scan = post_scan;
		so->post_ctx = s;
	}
	return BOSUN_OK;
}

void scanner_set_free(struct scanner_set *s)
{
	if (s->secret)
		secret_engine_free(s->secret);
	if (s->malware)
		malware_engine_free(s->malware);
	memset(s, 0, sizeof *s);
}
