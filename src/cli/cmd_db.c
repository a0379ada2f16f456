/* bosun db build | info: the advisory database. */
#include "cli/cli.h"
#include "util/log.h"
#include "vulndb/embedded.h"
#include "vulndb/importer.h"
#include "vulndb/path.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_FROM 64

static void db_usage(FILE *out)
{
	fprintf(out,
		"usage: bosun db build --from DIR [--from DIR ...] [--db FILE] [-v] [-q]\n"
		"       bosun db update [--db FILE] [--feeds FILE] [--from-url URL --sha256 HEX] ...\n"
		"       bosun db info [--db FILE]\n"
		"\n"
		"build   imports advisory feeds found under each DIR (OSV JSON/YAML, CISA KEV, ...)\n"
		"        into a new database, replacing FILE only when the whole build succeeds\n"
		"update  downloads the feeds from upstream and rebuilds FILE (bosun db update --help)\n"
		"info    lists the database's sources with their snapshot dates, ages and counts;\n"
		"        without --db, a missing database is first built from the embedded snapshot\n"
		"\n"
		"options:\n"
		"      --from DIR   a feed directory, or a directory of feeds (searched 4 levels deep)\n"
		"      --db FILE    the database (default: $BOSUN_DB, else $XDG_CACHE_HOME/bosun/db.sqlite,\n"
		"                   else ~/.cache/bosun/db.sqlite)\n"
		"  -v, --verbose    per-feed counts and times\n"
		"  -q, --quiet      no summary\n"
		"  -h, --help       this help\n"
		"\n"
		"exit codes: 0 ok, 2 usage, 3 unusable input, 4 limit exceeded, 5 I/O or internal error\n");
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int fail(const struct berr *e, int rc)
{
	log_error("%s", e->msg[0] ? e->msg : bosun_strerror(rc));
	return bosun_exit_code(rc);
}

static int resolve_path(const char *opt, char *buf, size_t n, struct berr *e)
{
	if (opt) {
		if (snprintf(buf, n, "%s", opt) >= (int)n)
			return berr_set(e, BOSUN_ELIMIT, "--db path too long");
		return BOSUN_OK;
	}
	return vulndb_default_path(buf, n, e);
}

/* The data reaches the disk before the rename makes it the database, so a
 * crash leaves either the old file or the complete new one. */
static int sync_and_rename(const char *tmp, const char *path, struct berr *e)
{
	int fd = open(tmp, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fsync(fd) != 0) {
		int err = errno;
		if (fd >= 0)
			close(fd);
		return berr_set(e, BOSUN_EIO, "%s: %s", tmp, strerror(err));
	}
	close(fd);
	if (rename(tmp, path) != 0)
		return berr_set(e, BOSUN_EIO, "cannot move %s to %s: %s", tmp, path, strerror(errno));
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	const char *d = !slash ? "." : slash == dir ? "/" : dir;
	if (slash && slash != dir)
		*slash = '\0';
	fd = open(d, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	return BOSUN_OK;
}

struct totals {
	int sources;
	int64_t vulns, affected;
};

static int add_source(const struct vulndb_source_info *s, void *ctx)
{
	struct totals *t = ctx;
	t->sources++;
	t->vulns += s->vulns;
	t->affected += s->affected;
	return BOSUN_OK;
}

static int build_into(const char *tmp, const char *const *from, int nfrom, bool verbose, struct totals *t,
		      struct berr *e)
{
	struct vulndb *db;
	TRY(vulndb_open(tmp, true, &db, e));
	int rc = vulndb_build(db, from, nfrom, verbose, e);
	if (!rc)
		rc = vulndb_each_source(db, add_source, t, e);
	vulndb_close(db);
	return rc;
}

static int db_build(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "from", required_argument, NULL, 'f' }, { "db", required_argument, NULL, 'd' },
		{ "verbose", no_argument, NULL, 'v' },	  { "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },	  { NULL, 0, NULL, 0 },
	};
	const char *from[MAX_FROM], *dbopt = NULL;
	int nfrom = 0, c;
	bool verbose = false, quiet = false;
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:d:vqh", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (nfrom == MAX_FROM) {
				fprintf(stderr, "bosun: at most %d --from directories\n", MAX_FROM);
				return 2;
			}
			from[nfrom++] = optarg;
			break;
		case 'd': dbopt = optarg; break;
		case 'v': verbose = true; break;
		case 'q': quiet = true; log_set_quiet(true); break;
		case 'h': db_usage(stdout); return 0;
		default: db_usage(stderr); return 2;
		}
	}
	if (nfrom == 0 || optind != argc) {
		db_usage(stderr);
		return 2;
	}
	struct berr e = { 0 };
	char path[PATH_MAX], tmp[PATH_MAX + 32];
	int rc = resolve_path(dbopt, path, sizeof path, &e);
	if (!rc)
		rc = vulndb_make_parent_dirs(path, &e);
	if (rc)
		return fail(&e, rc);
	snprintf(tmp, sizeof tmp, "%s.building.%ld", path, (long)getpid());
	unlink(tmp);
	double t0 = now_s();
	struct totals t = { 0 };
	rc = build_into(tmp, from, nfrom, verbose, &t, &e);
	if (!rc)
		rc = sync_and_rename(tmp, path, &e);
	if (rc) {
		unlink(tmp); /* the previous database, if any, is untouched */
		return fail(&e, rc);
	}
	struct stat st;
	double mb = stat(path, &st) == 0 ? (double)st.st_size / 1e6 : 0;
	if (!quiet)
		printf("built %s: %d sources, %lld vulnerabilities, %lld affected packages, %.1f MB in %.1f s\n", path,
		       t.sources, (long long)t.vulns, (long long)t.affected, mb, now_s() - t0);
	return 0;
}

/* Days from an ISO 8601 date ("2025-08-25...") to now; false if unparsable. */
static bool age_days(const char *iso, long *days)
{
	struct tm tm = { 0 };
	if (!iso || sscanf(iso, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3 || tm.tm_year < 1970)
		return false;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	time_t then = timegm(&tm);
	if (then == (time_t)-1)
		return false;
	*days = (long)((time(NULL) - then) / 86400);
	return true;
}

struct info_ctx {
	long newest_age;
	bool any_age;
};

static int print_source(const struct vulndb_source_info *s, void *ctx)
{
	struct info_ctx *ic = ctx;
	char date[11] = "-", age[24] = "-";
	long days;
	if (s->snapshot)
		snprintf(date, sizeof date, "%s", s->snapshot);
	if (age_days(s->snapshot, &days)) {
		snprintf(age, sizeof age, "%ld days", days);
		if (!ic->any_age || days < ic->newest_age)
			ic->newest_age = days;
		ic->any_age = true;
	}
	printf("  %-24s %-10s %10s %8lld %9lld  %-10s %s\n", s->name, date, age, (long long)s->vulns,
	       (long long)s->affected, s->license ? s->license : "-", s->origin ? s->origin : "-");
	return BOSUN_OK;
}

static int db_info(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' }, { "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	const char *dbopt = NULL;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "d:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': dbopt = optarg; break;
		case 'h': db_usage(stdout); return 0;
		default: db_usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		db_usage(stderr);
		return 2;
	}
	struct berr e = { 0 };
	char path[PATH_MAX];
	struct vulndb *db = NULL;
	struct vulndb_meta m;
	int rc = resolve_path(dbopt, path, sizeof path, &e);
	/* Without --db, a missing database is built from the embedded snapshot,
	 * as `bosun image` does: info then shows what a scan would use. */
	if (!rc && !dbopt)
		rc = vulndb_ensure_default(path, false, &e);
	if (!rc)
		rc = vulndb_open(path, false, &db, &e);
	if (!rc)
		rc = vulndb_get_meta(db, &m, &e);
	if (rc) {
		vulndb_close(db);
		return fail(&e, rc);
	}
	struct stat st;
	long built_age;
	printf("database: %s\n", path);
	printf("size:     %.1f MB\n", stat(path, &st) == 0 ? (double)st.st_size / 1e6 : 0.0);
	printf("schema:   %d\n", m.schema_version);
	if (age_days(m.built_at, &built_age))
		printf("built:    %s (%ld days ago)\n", m.built_at, built_age);
	printf("sources:\n  %-24s %-10s %10s %8s %9s  %-10s %s\n", "NAME", "SNAPSHOT", "AGE", "VULNS", "AFFECTED",
	       "LICENSE", "ORIGIN");
	struct info_ctx ic = { 0 };
	rc = vulndb_each_source(db, print_source, &ic, &e);
	vulndb_close(db);
	if (rc)
		return fail(&e, rc);
	if (ic.any_age)
		printf("newest data: %ld days old\n", ic.newest_age);
	return 0;
}

int cmd_db(int argc, char **argv)
{
	if (argc < 2) {
		db_usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		db_usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "build"))
		return db_build(argc - 1, argv + 1);
	if (!strcmp(argv[1], "info"))
		return db_info(argc - 1, argv + 1);
	if (!strcmp(argv[1], "update"))
		return cmd_db_update(argc - 1, argv + 1);
	fprintf(stderr, "bosun: unknown db command '%s'\n", argv[1]);
	db_usage(stderr);
	return 2;
}
