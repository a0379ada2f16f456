/* The vulnerability pipeline (see vuln_pipeline.h): moved out of
 * cmd_image.c so that `bosun sbom FILE` runs exactly what `bosun image`
 * runs, from the database check to the exit code. */
#include "cli/vuln_pipeline.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/cli.h"
#include "match/match.h"
#include "policy/ignore.h"
#include "policy/vex.h"
#include "util/log.h"
#include "vulndb/vulndb.h"

#define STALE_DAYS 7

/* ---- options ------------------------------------------------------------------ */

static int parse_int(const char *s, int lo, int hi, int *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

int vuln_option(int c, const char *arg, struct vuln_options *o)
{
	switch (c) {
	case 'f': o->format = arg; break;
	case 'o': o->output = arg; break;
	case VULN_OPT_DB: o->db = arg; break;
	case VULN_OPT_SEVERITY: o->severity = arg; break;
	case VULN_OPT_IGNORE_UNFIXED: o->ignore_unfixed = true; break;
	case VULN_OPT_IGNORE_STATUS: o->statuses = arg; break;
	case VULN_OPT_IGNOREFILE: o->ignorefile = arg; break;
	case VULN_OPT_VEX:
		if (o->nvex == VULN_MAX_VEX) {
			fprintf(stderr, "bosun: at most %d --vex documents\n", VULN_MAX_VEX);
			return 2;
		}
		o->vex[o->nvex++] = arg;
		break;
	case VULN_OPT_EXIT_CODE:
		if (parse_int(arg, 0, 255, &o->exit_code)) {
			fprintf(stderr, "bosun: --exit-code must be between 0 and 255\n");
			return 2;
		}
		break;
	default: return -1;
	}
	return 0;
}

bool vuln_options_given(const struct vuln_options *o)
{
	return o->db || o->severity || o->statuses || o->ignorefile || o->nvex || o->ignore_unfixed || o->exit_code;
}

int vuln_options_check(struct vuln_options *o)
{
	o->fmt = REPORT_TABLE;
	if (o->format && report_format_parse(o->format, &o->fmt)) {
		fprintf(stderr, "bosun: unknown format '%s' (one of: %s)\n", o->format, report_format_names());
		return 2;
	}
	return 0;
}

void vuln_usage(FILE *out)
{
	fprintf(out,
		"report:\n"
		"  -f, --format FMT       %s (default: table)\n"
		"  -o, --output FILE      write the report to FILE instead of stdout\n"
		"      --db FILE          the vulnerability database (default: $BOSUN_DB or ~/.cache/bosun/db.sqlite)\n"
		"policy (applied before gating):\n"
		"      --severity LIST    report only these: UNKNOWN,NEGLIGIBLE,LOW,MEDIUM,HIGH,CRITICAL\n"
		"      --ignore-unfixed   leave out vulnerabilities without a fixed version\n"
		"      --ignore-status LIST  leave out these statuses (will_not_fix,no_dsa,end_of_life,...)\n"
		"      --ignorefile FILE  ids to accept: Trivy's .trivyignore, or its YAML form with\n"
		"                         purls, paths, reasons and expiry dates (sections\n"
		"                         vulnerabilities, secrets, misconfigurations, malware)\n"
		"      --vex FILE         OpenVEX document; not_affected and fixed statements suppress\n"
		"                         (may be given up to %d times)\n"
		"      --exit-code N      exit with N when any reported finding (vulnerability, secret,\n"
		"                         malware, misconfiguration) remains (default 0)\n",
		report_format_names(), VULN_MAX_VEX);
}

/* ---- the database ---------------------------------------------------------- */

static const char *fix_hint(void)
{
	return "run `bosun db build --from DIR` or `bosun db update`";
}

struct db_sources {
	struct arena arena;
	struct report_db_source *v;
	size_t n, cap;
};

static int on_source(const struct vulndb_source_info *s, void *arg)
{
	struct db_sources *d = arg;
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 8;
		struct report_db_source *v = realloc(d->v, cap * sizeof *v);
		if (!v)
			return BOSUN_ENOMEM;
		d->v = v;
		d->cap = cap;
	}
	struct report_db_source *o = &d->v[d->n++];
	o->name = arena_strdup(&d->arena, s->name);
	o->snapshot = arena_strdup(&d->arena, s->snapshot);
	o->imported_at = arena_strdup(&d->arena, s->imported_at);
	return o->name ? BOSUN_OK : BOSUN_ENOMEM;
}

/* "2026-11-28T17:30:00Z" -> seconds; -1 when it is not such a time. */
static time_t parse_iso(const char *s)
{
	struct tm tm = { 0 };
	if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
			 &tm.tm_sec) < 3)
		return (time_t)-1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return timegm(&tm);
}

/* Sources imported more than a week ago are named in one warning. */
static void warn_stale(const char *path, const struct db_sources *d)
{
	char list[512] = "";
	size_t len = 0;
	long oldest = 0;
	time_t now = time(NULL);
	for (size_t i = 0; i < d->n; i++) {
		time_t t = parse_iso(d->v[i].imported_at);
		long days = t == (time_t)-1 ? -1 : (long)((now - t) / 86400);
		if (days < STALE_DAYS)
			continue;
		oldest = days > oldest ? days : oldest;
		if (len < sizeof list)
			len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", len ? ", " : "", d->v[i].name);
	}
	if (len)
		log_warn("the vulnerability database %s is stale: %s imported %ld days ago (more than %d); %s", path, list,
			 oldest, STALE_DAYS, "run `bosun db update` or rebuild it");
}

static int open_db(const char *given, char *path, size_t n, struct vulndb **db, struct db_sources *src,
		   struct berr *e)
{
	if (given)
		snprintf(path, n, "%s", given);
	else
		TRY(cmd_image_default_db(path, n, e));
	struct stat st;
	if (stat(path, &st) != 0)
		return berr_set(e, BOSUN_ENOTFOUND, "no vulnerability database at %s; %s", path, fix_hint());
	int rc = vulndb_open(path, false, db, e);
	if (rc != BOSUN_OK)
		return berr_wrap(e, rc, "vulnerability database %s", path);
	rc = vulndb_each_source(*db, on_source, src, e);
	if (rc == BOSUN_OK && src->n == 0)
		rc = berr_set(e, BOSUN_ENOTFOUND, "the vulnerability database %s holds no advisory data; %s", path,
			      fix_hint());
	if (rc != BOSUN_OK) {
		vulndb_close(*db);
		*db = NULL;
		return rc;
	}
	warn_stale(path, src);
	return BOSUN_OK;
}

/* ---- policy ------------------------------------------------------------------ */

struct policy_state {
	struct ignore_list ignores;
	bool have_ignores;
	struct vex_set vex;
	struct report_policy p;
};

static int load_policy(const struct vuln_options *a, struct policy_state *ps, struct berr *e)
{
	memset(ps, 0, sizeof *ps);
	if (a->severity)
		TRY(report_parse_severities(a->severity, &ps->p.severities, e));
	if (a->statuses)
		TRY(report_parse_statuses(a->statuses, &ps->p.statuses, e));
	ps->p.ignore_unfixed = a->ignore_unfixed;
	ps->p.finding_kinds = a->finding_kinds;
	if (a->ignorefile) {
		TRY(ignore_load(a->ignorefile, NULL, &ps->ignores, e));
		ps->have_ignores = true;
		ps->p.ignores = &ps->ignores;
	}
	for (size_t i = 0; i < a->nvex; i++)
		TRY(vex_load(&ps->vex, a->vex[i], e));
	if (a->nvex)
		ps->p.vex = &ps->vex;
	return BOSUN_OK;
}

static void free_policy(struct policy_state *ps)
{
	if (ps->have_ignores)
		ignore_free(&ps->ignores);
	vex_free(&ps->vex);
}

/* ---- the run ----------------------------------------------------------------- */

struct run {
	const struct vuln_options *o;
	struct policy_state policy;
	char dbpath[4096];
	struct vulndb *db;
	struct db_sources sources;
	struct report_db db_info;
	struct artifact a;
	struct match_result mr;
	struct vuln_report report;
	bool have_report;
	struct berr e;
};

static int write_report(struct run *r)
{
	FILE *out = stdout;
	if (r->o->output && !(out = fopen(r->o->output, "w")))
		return berr_set(&r->e, BOSUN_EIO, "cannot write %s: %s", r->o->output, strerror(errno));
	int rc = report_write(&r->report, r->o->fmt, NULL, out, &r->e);
	if (out != stdout && fclose(out) != 0 && rc == BOSUN_OK)
		rc = berr_set(&r->e, BOSUN_EIO, "cannot write %s", r->o->output);
	return rc;
}

/* The policy and the database are checked before the inventory, which can
 * take long for a big image. */
static int run_steps(struct run *r, vuln_inventory_fn inventory, void *ctx)
{
	TRY(load_policy(r->o, &r->policy, &r->e));
	if (r->o->skip_vulns) {
		TRY(inventory(ctx, &r->a, &r->e));
		TRY(report_build(&r->a, NULL, NULL, &r->policy.p, &r->report, &r->e));
	} else {
		TRY(open_db(r->o->db, r->dbpath, sizeof r->dbpath, &r->db, &r->sources, &r->e));
		TRY(inventory(ctx, &r->a, &r->e));
		TRY(match_artifact(r->db, &r->a, &r->mr, &r->e));
		/* The report points at this until it is written: it lives in r. */
		r->db_info = (struct report_db){ .path = r->dbpath, .sources = r->sources.v, .nsources = r->sources.n };
		TRY(report_build(&r->a, &r->mr, &r->db_info, &r->policy.p, &r->report, &r->e));
	}
	r->have_report = true;
	for (size_t i = 0; i < r->report.nwarnings; i++)
		log_warn("%s", r->report.warnings[i]);
	return write_report(r);
}

int vuln_pipeline_run(const struct vuln_options *o, vuln_inventory_fn inventory, void *ctx)
{
	struct run *r = calloc(1, sizeof *r);
	if (!r) {
		log_error("out of memory");
		return bosun_exit_code(BOSUN_ENOMEM);
	}
	r->o = o;
	artifact_init(&r->a);
	int rc = run_steps(r, inventory, ctx);
	if (rc != BOSUN_OK)
		log_error("%s", r->e.msg[0] ? r->e.msg : bosun_strerror(rc));
	int code = rc != BOSUN_OK ? bosun_exit_code(rc) : r->report.reported && o->exit_code ? o->exit_code : 0;
	if (r->have_report)
		report_free(&r->report);
	match_result_free(&r->mr);
	artifact_free(&r->a);
	if (r->db)
		vulndb_close(r->db);
	free(r->sources.v);
	arena_free(&r->sources.arena);
	free_policy(&r->policy);
	free(r);
	return code;
}
