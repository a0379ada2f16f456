/* bosun image TARGET / bosun fs DIR: inventory a target, match it against
 * the advisory database, apply the policy (severity and status filters,
 * ignore file, VEX) and write a vulnerability report. With --exit-code N
 * the command fails with N when a reported finding remains: CI gating. */
#include "cli/cli.h"
#include "match/match.h"
#include "policy/ignore.h"
#include "policy/vex.h"
#include "report/report.h"
#include "scan/scan.h"
#include "util/log.h"
#include "vulndb/path.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define MAX_VEX 16
#define STALE_DAYS 7

struct image_args {
	struct scan_options scan;
	const char *format, *output, *db, *severity, *statuses, *ignorefile;
	const char *vex[MAX_VEX];
	size_t nvex;
	bool ignore_unfixed;
	int exit_code;
	const char *target;
};

static void image_usage(FILE *out, const char *cmd)
{
	fprintf(out,
		"usage: bosun %s [OPTIONS] TARGET\n"
		"\n"
		"Scans TARGET for known vulnerabilities of its installed packages. TARGET is a\n"
		"docker-archive tarball, an OCI layout directory or tar, or a directory; a prefix\n"
		"forces the kind: docker-archive:PATH  oci-dir:PATH  oci-archive:PATH  rootfs:DIR  fs:DIR\n"
		"\n"
		"report:\n"
		"  -f, --format FMT       %s (default: table)\n"
		"  -o, --output FILE      write the report to FILE instead of stdout\n"
		"      --db FILE          the vulnerability database (default: $BOSUN_DB or ~/.cache/bosun/db.sqlite)\n"
		"policy (applied before gating):\n"
		"      --severity LIST    report only these: UNKNOWN,NEGLIGIBLE,LOW,MEDIUM,HIGH,CRITICAL\n"
		"      --ignore-unfixed   leave out vulnerabilities without a fixed version\n"
		"      --ignore-status LIST  leave out these statuses (will_not_fix,no_dsa,end_of_life,...)\n"
		"      --ignorefile FILE  ids to accept: Trivy's .trivyignore, or its YAML form with\n"
		"                         purls, reasons and expiry dates\n"
		"      --vex FILE         OpenVEX document; not_affected and fixed statements suppress\n"
		"                         (may be given up to %d times)\n"
		"      --exit-code N      exit with N when any reported vulnerability remains (default 0)\n"
		"image:\n"
		"      --image REPO:TAG   which image of a multi-image archive or layout\n"
		"      --platform OS/ARCH[/VARIANT]  which manifest of an index (default: this host's)\n"
		"  -j, --jobs N           layers analysed in parallel (default: CPUs)\n"
		"      --max-image-size SIZE  total uncompressed bytes allowed (default 64G)\n"
		"      --max-file-size SIZE   one file's bytes allowed (default 16G)\n"
		"      --max-entries N        files allowed in the image (default 5000000)\n"
		"  -q, --quiet            no warnings or progress on stderr\n"
		"  -h, --help             this help\n"
		"\n"
		"exit codes: 0 ok (or findings without --exit-code), N findings with --exit-code N,\n"
		"2 usage, 3 unusable input or database, 4 limit exceeded, 5 I/O or internal error\n",
		cmd, report_format_names(), MAX_VEX);
}

enum {
	OPT_IMAGE = 256,
	OPT_PLATFORM,
	OPT_MAX_IMAGE,
	OPT_MAX_FILE,
	OPT_MAX_ENTRIES,
	OPT_DB,
	OPT_SEVERITY,
	OPT_EXIT_CODE,
	OPT_IGNORE_UNFIXED,
	OPT_IGNORE_STATUS,
	OPT_IGNOREFILE,
	OPT_VEX,
};

static int set_limit(int opt, const char *arg, struct scan_options *s)
{
	uint64_t v;
	if (cli_parse_size(arg, &v) || v == 0) {
		fprintf(stderr, "bosun: invalid size '%s'\n", arg);
		return 2;
	}
	if (opt == OPT_MAX_IMAGE)
		s->image.limits.max_image_bytes = v;
	else if (opt == OPT_MAX_FILE)
		s->image.limits.max_file_bytes = v;
	else
		s->image.limits.max_entries = v;
	return 0;
}

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

/* One option; returns -1 to go on, else the exit code. */
static int one_option(int c, const char *cmd, struct image_args *a)
{
	switch (c) {
	case 'f': a->format = optarg; break;
	case 'o': a->output = optarg; break;
	case OPT_DB: a->db = optarg; break;
	case OPT_SEVERITY: a->severity = optarg; break;
	case OPT_IGNORE_UNFIXED: a->ignore_unfixed = true; break;
	case OPT_IGNORE_STATUS: a->statuses = optarg; break;
	case OPT_IGNOREFILE: a->ignorefile = optarg; break;
	case OPT_VEX:
		if (a->nvex == MAX_VEX) {
			fprintf(stderr, "bosun: at most %d --vex documents\n", MAX_VEX);
			return 2;
		}
		a->vex[a->nvex++] = optarg;
		break;
	case OPT_EXIT_CODE:
		if (parse_int(optarg, 0, 255, &a->exit_code)) {
			fprintf(stderr, "bosun: --exit-code must be between 0 and 255\n");
			return 2;
		}
		break;
	case OPT_IMAGE: a->scan.image.image_ref = optarg; break;
	case OPT_PLATFORM: a->scan.image.platform = optarg; break;
	case 'j':
		if (parse_int(optarg, 1, 256, &a->scan.jobs)) {
			fprintf(stderr, "bosun: --jobs must be between 1 and 256\n");
			return 2;
		}
		break;
	case OPT_MAX_IMAGE:
	case OPT_MAX_FILE:
	case OPT_MAX_ENTRIES: return set_limit(c, optarg, &a->scan) ? 2 : -1;
	case 'q': log_set_quiet(true); break;
	case 'h': image_usage(stdout, cmd); return 0;
	default: image_usage(stderr, cmd); return 2;
	}
	return -1;
}

static int parse_args(int argc, char **argv, struct image_args *a)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "db", required_argument, NULL, OPT_DB },
		{ "severity", required_argument, NULL, OPT_SEVERITY },
		{ "exit-code", required_argument, NULL, OPT_EXIT_CODE },
		{ "ignore-unfixed", no_argument, NULL, OPT_IGNORE_UNFIXED },
		{ "ignore-status", required_argument, NULL, OPT_IGNORE_STATUS },
		{ "ignorefile", required_argument, NULL, OPT_IGNOREFILE },
		{ "vex", required_argument, NULL, OPT_VEX },
		{ "image", required_argument, NULL, OPT_IMAGE },
		{ "platform", required_argument, NULL, OPT_PLATFORM },
		{ "jobs", required_argument, NULL, 'j' },
		{ "max-image-size", required_argument, NULL, OPT_MAX_IMAGE },
		{ "max-file-size", required_argument, NULL, OPT_MAX_FILE },
		{ "max-entries", required_argument, NULL, OPT_MAX_ENTRIES },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:o:j:qh", longopts, NULL)) != -1) {
		int rc = one_option(c, argv[0], a);
		if (rc >= 0)
			return rc;
	}
	if (optind != argc - 1) {
		image_usage(stderr, argv[0]);
		return 2;
	}
	a->target = argv[optind];
	return -1;
}

/* ---- the database ---------------------------------------------------------- */

/* The database used when --db is not given. Today: the default cache path
 * (src/vulndb/path.h). This is the hook where an embedded default database
 * will be built on first use, so that `bosun image` works offline on a
 * fresh machine: when the file is missing, build it here and return its
 * path. */
int cmd_image_default_db(char *path, size_t n, struct berr *e)
{
	return vulndb_default_path(path, n, e);
}

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

static int load_policy(const struct image_args *a, struct policy_state *ps, struct berr *e)
{
	memset(ps, 0, sizeof *ps);
	if (a->severity)
		TRY(report_parse_severities(a->severity, &ps->p.severities, e));
	if (a->statuses)
		TRY(report_parse_statuses(a->statuses, &ps->p.statuses, e));
	ps->p.ignore_unfixed = a->ignore_unfixed;
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
	struct image_args args;
	enum report_format fmt;
	struct policy_state policy;
	char dbpath[4096];
	struct vulndb *db;
	struct db_sources sources;
	struct artifact a;
	struct match_result mr;
	struct vuln_report report;
	bool have_report;
	struct berr e;
};

static int write_report(struct run *r)
{
	FILE *out = stdout;
	if (r->args.output && !(out = fopen(r->args.output, "w")))
		return berr_set(&r->e, BOSUN_EIO, "cannot write %s: %s", r->args.output, strerror(errno));
	int rc = report_write(&r->report, r->fmt, NULL, out, &r->e);
	if (out != stdout && fclose(out) != 0 && rc == BOSUN_OK)
		rc = berr_set(&r->e, BOSUN_EIO, "cannot write %s", r->args.output);
	return rc;
}

static int scan_and_report(struct run *r, const char *prefix)
{
	TRY(load_policy(&r->args, &r->policy, &r->e));
	TRY(open_db(r->args.db, r->dbpath, sizeof r->dbpath, &r->db, &r->sources, &r->e));
	char target[4096];
	snprintf(target, sizeof target, "%s%s", prefix, r->args.target);
	TRY(scan_target(target, &r->args.scan, &r->a, &r->e));
	TRY(match_artifact(r->db, &r->a, &r->mr, &r->e));
	struct report_db db = { .path = r->dbpath, .sources = r->sources.v, .nsources = r->sources.n };
	TRY(report_build(&r->a, &r->mr, &db, &r->policy.p, &r->report, &r->e));
	r->have_report = true;
	for (size_t i = 0; i < r->report.nwarnings; i++)
		log_warn("%s", r->report.warnings[i]);
	return write_report(r);
}

static int run_image(int argc, char **argv, const char *prefix)
{
	struct run *r = calloc(1, sizeof *r);
	if (!r) {
		log_error("out of memory");
		return bosun_exit_code(BOSUN_ENOMEM);
	}
	scan_options_default(&r->args.scan);
	int code = parse_args(argc, argv, &r->args);
	if (code < 0 && r->args.format && report_format_parse(r->args.format, &r->fmt)) {
		fprintf(stderr, "bosun: unknown format '%s' (one of: %s)\n", r->args.format, report_format_names());
		code = 2;
	}
	if (code >= 0) {
		free(r);
		return code;
	}
	artifact_init(&r->a);
	int rc = scan_and_report(r, prefix);
	if (rc != BOSUN_OK)
		log_error("%s", r->e.msg[0] ? r->e.msg : bosun_strerror(rc));
	code = rc != BOSUN_OK ? bosun_exit_code(rc) : r->report.reported && r->args.exit_code ? r->args.exit_code : 0;
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

int cmd_image(int argc, char **argv) { return run_image(argc, argv, ""); }

int cmd_fs(int argc, char **argv) { return run_image(argc, argv, "fs:"); }
