/* bosun db update: refresh the advisory database from upstream, or swap in
 * a prebuilt one. The work is src/vulndb/update.c; this is options and
 * output. */
#include "cli/cli.h"
#include "util/log.h"
#include "vulndb/feeds.h"
#include "vulndb/path.h"
#include "vulndb/update.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static void db_update_usage(FILE *out)
{
	fprintf(out,
		"usage: bosun db update [--db FILE] [--feeds FILE] [--retries N] [--backoff MS]\n"
		"                       [--max-size SIZE] [--force] [-v] [-q]\n"
		"       bosun db update --from-url URL --sha256 HEX [--db FILE]\n"
		"       bosun db update --list-feeds [--feeds FILE]\n"
		"\n"
		"Downloads every feed (conditionally: unchanged feeds cost a 304), builds a new database\n"
		"next to FILE and renames it over FILE; any failure leaves FILE as it was and names the\n"
		"feed. Feeds default to each project's official location (docs/vulndb-update.md).\n"
		"\n"
		"options:\n"
		"      --db FILE        the database (default: $BOSUN_DB, else ~/.cache/bosun/db.sqlite)\n"
		"      --feeds FILE     feed list (YAML or JSON) replacing or amending the defaults\n"
		"      --from-url URL   download a prebuilt database (may be gzip/zstd compressed) ...\n"
		"      --sha256 HEX     ... whose file must have this SHA-256\n"
		"      --retries N      attempts after the first on connection errors and 5xx (default 3)\n"
		"      --backoff MS     wait before the first retry, doubled each time (default 1000)\n"
		"      --max-size SIZE  largest download accepted (default 1G)\n"
		"      --force          rebuild even when no feed changed\n"
		"      --list-feeds     print the feeds that would be used and exit\n"
		"  -v, --verbose        a line per feed and per import\n"
		"  -q, --quiet          no summary, no warnings\n"
		"\n"
		"environment: BOSUN_FEEDS_URL_BASE=URL fetches https://HOST/PATH as URL/HOST/PATH (a mirror);\n"
		"http_proxy/https_proxy as usual\n"
		"\n"
		"exit codes: 0 ok, 2 usage, 3 bad or unverifiable data, 4 limit exceeded, 5 network or I/O error\n");
}

struct update_args {
	const char *db, *feeds, *url, *sha256;
	struct fetch_opts fetch;
	bool list, force, verbose, quiet;
};

enum { OPT_DB = 256, OPT_FEEDS, OPT_URL, OPT_SHA, OPT_RETRIES, OPT_BACKOFF, OPT_MAX, OPT_FORCE, OPT_LIST };

static int number(const char *s, long max, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*s == '\0' || *end || v < 0 || v > max) {
		fprintf(stderr, "bosun: invalid number '%s' (0 to %ld)\n", s, max);
		return 2;
	}
	*out = v;
	return 0;
}

static int one_option(int c, struct update_args *a)
{
	long v;
	uint64_t size;
	switch (c) {
	case OPT_DB: a->db = optarg; return -1;
	case OPT_FEEDS: a->feeds = optarg; return -1;
	case OPT_URL: a->url = optarg; return -1;
	case OPT_SHA: a->sha256 = optarg; return -1;
	case OPT_RETRIES:
		if (number(optarg, 20, &v))
			return 2;
		a->fetch.retries = (int)v;
		return -1;
	case OPT_BACKOFF:
		if (number(optarg, 60000, &v))
			return 2;
		a->fetch.backoff_ms = v;
		return -1;
	case OPT_MAX:
		if (cli_parse_size(optarg, &size) || size == 0) {
			fprintf(stderr, "bosun: invalid size '%s'\n", optarg);
			return 2;
		}
		a->fetch.max_bytes = size;
		return -1;
	case OPT_FORCE: a->force = true; return -1;
	case OPT_LIST: a->list = true; return -1;
	case 'v': a->verbose = true; return -1;
	case 'q': a->quiet = true; log_set_quiet(true); return -1;
	case 'h': db_update_usage(stdout); return 0;
	default: db_update_usage(stderr); return 2;
	}
}

static int parse_args(int argc, char **argv, struct update_args *a)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, OPT_DB },	   { "feeds", required_argument, NULL, OPT_FEEDS },
		{ "from-url", required_argument, NULL, OPT_URL },  { "sha256", required_argument, NULL, OPT_SHA },
		{ "retries", required_argument, NULL, OPT_RETRIES }, { "backoff", required_argument, NULL, OPT_BACKOFF },
		{ "max-size", required_argument, NULL, OPT_MAX },  { "force", no_argument, NULL, OPT_FORCE },
		{ "list-feeds", no_argument, NULL, OPT_LIST },	   { "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },		   { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	memset(a, 0, sizeof *a);
	a->fetch = fetch_default_opts;
	optind = 1;
	int c;
	while ((c = getopt_long(argc, argv, "vqh", longopts, NULL)) != -1) {
		int rc = one_option(c, a);
		if (rc >= 0)
			return rc;
	}
	bool bad = optind != argc || (a->url != NULL) != (a->sha256 != NULL) || (a->url && (a->feeds || a->list));
	if (bad) {
		if (a->url && !a->sha256)
			fprintf(stderr, "bosun: --from-url needs --sha256 (the file's SHA-256)\n");
		db_update_usage(stderr);
		return 2;
	}
	return -1;
}

static int fail(const struct berr *e, int rc)
{
	log_error("%s", e->msg[0] ? e->msg : bosun_strerror(rc));
	return bosun_exit_code(rc);
}

/* The defaults or the feeds file, then the mirror base from the environment. */
static int load_feeds(const struct update_args *a, struct feed_list *l, struct berr *e)
{
	TRY(a->feeds ? feeds_load(a->feeds, l, e) : feeds_defaults(l, e));
	const char *base = getenv("BOSUN_FEEDS_URL_BASE");
	int rc = base && *base ? feeds_rebase(l, base, e) : BOSUN_OK;
	if (rc)
		feeds_free(l);
	return rc;
}

static void list_feeds(const struct feed_list *l)
{
	printf("%-24s %-6s %-4s %-44s %s\n", "NAME", "FORMAT", "OPT", "PATH", "URL");
	for (size_t i = 0; i < l->n; i++) {
		const struct feed *f = &l->v[i];
		printf("%-24s %-6s %-4s %-44s %s%s%s\n", f->name, feed_format_name(f->format), f->optional ? "yes" : "-",
		       f->path, f->url, f->sha256 ? " sha256:" : "", f->sha256 ? f->sha256 : "");
	}
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void summary(const char *path, const struct update_report *r, double secs)
{
	if (!r->rebuilt) {
		printf("%s is up to date: %d feeds, none changed (%d not modified, %d downloaded with the same content)\n",
		       path, r->feeds - r->skipped, r->not_modified, r->downloaded);
		return;
	}
	struct stat st;
	double mb = stat(path, &st) == 0 ? (double)st.st_size / 1e6 : 0;
	printf("updated %s: %d feeds (%d downloaded, %d not modified, %d skipped), %d sources, %lld vulnerabilities, "
	       "%lld affected packages, %.1f MB in %.1f s\n",
	       path, r->feeds, r->downloaded, r->not_modified, r->skipped, r->sources, (long long)r->vulns,
	       (long long)r->affected, mb, secs);
}

static int resolve_db(const char *opt, char *buf, size_t n, struct berr *e)
{
	if (!opt)
		return vulndb_default_path(buf, n, e);
	if (snprintf(buf, n, "%s", opt) >= (int)n)
		return berr_set(e, BOSUN_ELIMIT, "--db path too long");
	return BOSUN_OK;
}

int cmd_db_update(int argc, char **argv)
{
	struct update_args a;
	int rc = parse_args(argc, argv, &a);
	if (rc >= 0)
		return rc;
	struct berr e = { 0 };
	char path[PATH_MAX];
	if ((rc = resolve_db(a.db, path, sizeof path, &e)))
		return fail(&e, rc);
	double t0 = now_s();
	if (a.url) {
		if ((rc = vulndb_update_from_url(path, a.url, a.sha256, &a.fetch, &e)))
			return fail(&e, rc);
		if (!a.quiet)
			printf("replaced %s with the database from %s (sha256 verified) in %.1f s\n", path, a.url,
			       now_s() - t0);
		return 0;
	}
	struct feed_list feeds;
	if ((rc = load_feeds(&a, &feeds, &e)))
		return fail(&e, rc);
	if (a.list) {
		list_feeds(&feeds);
		feeds_free(&feeds);
		return 0;
	}
	struct update_options o = { .db_path = path, .feeds = &feeds, .fetch = a.fetch, .verbose = a.verbose,
				    .force = a.force };
	struct update_report r;
	rc = vulndb_update(&o, &r, &e);
	feeds_free(&feeds);
	if (rc)
		return fail(&e, rc);
	if (!a.quiet)
		summary(path, &r, now_s() - t0);
	return 0;
}
