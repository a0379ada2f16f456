/* The rpm analyzer: finds rpm package databases by name, tells the three
 * formats apart by magic, and turns every header blob into a package.
 *
 * Names: rpm keeps its database in var/lib/rpm (RHEL/CentOS, Fedora before
 * 36 through a symlink) or usr/lib/sysimage/rpm (SUSE, newer Fedora), but a
 * distribution can configure %_dbpath anywhere, so any file named Packages,
 * Packages.db or rpmdb.sqlite is captured. Most files called "Packages"
 * elsewhere are apt indexes or repository metadata; they fail the magic test
 * and are dropped silently. In the standard directories a file that is no
 * rpm database is worth a warning. */
#include "analyze/analyzer.h"
#include "analyze/attrib.h"
#include "analyze/rpm_bdb.h"
#include "analyze/rpm_header.h"
#include "analyze/rpm_ndb.h"
#include "analyze/rpm_sqlite.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- the sink shared by the readers ---- */

void rpmdb_sink_init(struct rpmdb_sink *s, struct artifact *out, const char *found_in)
{
	memset(s, 0, sizeof *s);
	s->out = out;
	s->found_in = found_in;
}

void rpmdb_sink_warn(struct rpmdb_sink *s, const char *fmt, ...)
{
	if (s->nwarnings++ >= RPMDB_MAX_WARNINGS)
		return;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	artifact_warn(s->out, "%s: %s", s->found_in ? s->found_in : "rpm database", msg);
}

int rpmdb_sink_blob(struct rpmdb_sink *s, const unsigned char *blob, size_t len)
{
	s->nblobs++;
	struct rpm_header h;
	struct berr e = { 0 };
	int rc = rpm_header_init(&h, blob, len, &e);
	if (rc == BOSUN_OK)
		rc = rpm_header_to_package(&h, s, &e);
	if (rc == BOSUN_ENOMEM)
		return rc;
	if (rc != BOSUN_OK)
		rpmdb_sink_warn(s, "package header %lu skipped: %s", s->nblobs, e.msg);
	return BOSUN_OK;
}

void rpmdb_sink_finish(struct rpmdb_sink *s)
{
	if (s->nwarnings > RPMDB_MAX_WARNINGS)
		artifact_warn(s->out, "%s: %lu more warnings not shown",
			      s->found_in ? s->found_in : "rpm database", s->nwarnings - RPMDB_MAX_WARNINGS);
}

/* ---- format dispatch ---- */

enum rpmdb_format rpmdb_detect(const unsigned char *data, size_t len)
{
	if (!data)
		return RPMDB_UNKNOWN;
	if (rpm_sqlite_detect(data, len))
		return RPMDB_SQLITE;
	if (rpm_ndb_detect(data, len))
		return RPMDB_NDB;
	if (rpm_bdb_detect(data, len))
		return RPMDB_BDB;
	return RPMDB_UNKNOWN;
}

int rpmdb_parse(const unsigned char *data, size_t len, const char *found_in, struct artifact *out,
		struct berr *e)
{
	struct rpmdb_sink s;
	rpmdb_sink_init(&s, out, found_in);
	int rc;
	switch (rpmdb_detect(data, len)) {
	case RPMDB_BDB:
		rc = rpm_bdb_read(data, len, &s, e);
		break;
	case RPMDB_NDB:
		rc = rpm_ndb_read(data, len, &s, e);
		break;
	case RPMDB_SQLITE:
		rc = rpm_sqlite_read(data, len, &s, e);
		break;
	default:
		return berr_set(e, BOSUN_EFORMAT, "not an rpm database");
	}
	rpmdb_sink_finish(&s);
	return rc;
}

/* ---- the analyzer ---- */

extern const struct analyzer analyzer_rpm;

static bool name_is(const char *p, size_t n, const char *lit)
{
	size_t ln = strlen(lit);
	return n == ln && memcmp(p, lit, n) == 0;
}

static bool wants(const char *path, size_t len)
{
	size_t i = len;
	while (i > 0 && path[i - 1] != '/')
		i--;
	const char *base = path + i;
	size_t n = len - i;
	return name_is(base, n, "Packages") || name_is(base, n, "Packages.db") ||
	       name_is(base, n, "rpmdb.sqlite");
}

/* Directories where rpm keeps its database by default on some distribution. */
static bool in_standard_dir(const char *path)
{
	static const char *const dirs[] = { "var/lib/rpm/", "usr/lib/sysimage/rpm/", "usr/share/rpm/" };
	for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
		size_t n = strlen(dirs[i]);
		if (strncmp(path, dirs[i], n) == 0 && !strchr(path + n, '/'))
			return true;
	}
	return false;
}

static int parse_version(const struct scan_file *f, struct artifact *out, struct berr *e)
{
	if (!f->data)
		return berr_set(e, BOSUN_EFORMAT, "%s: no content", f->path);
	return rpmdb_parse(f->data, f->size, f->path, out, e);
}

struct walk {
	const struct scan_view *v;
	struct artifact *a;
	struct berr *e;
};

static int each_db(const struct scan_file *f, void *ctx)
{
	struct walk *w = ctx;
	bool standard = in_standard_dir(f->path);
	if (!f->data) {
		if (standard && f->too_large)
			artifact_warn(w->a, "%s: rpm database larger than the capture limit, not read",
				      f->path);
		return BOSUN_OK;
	}
	if (rpmdb_detect(f->data, f->size) == RPMDB_UNKNOWN) {
		/* An empty file is what some images leave after wiping the database. */
		if (standard && f->size > 0)
			artifact_warn(w->a, "%s: not an rpm database (unknown format)", f->path);
		return BOSUN_OK;
	}
	struct berr e = { 0 };
	int rc = attrib_parse_with_history(w->v, f, parse_version, w->a, &e);
	if (rc == BOSUN_ENOMEM)
		return berr_set(w->e, rc, "%s: %s", f->path, e.msg);
	if (rc != BOSUN_OK)
		artifact_warn(w->a, "%s: %s", f->path, e.msg);
	return BOSUN_OK;
}

static int analyze(const struct scan_view *v, struct artifact *a, struct berr *e)
{
	struct walk w = { v, a, e };
	return view_each_wanted(v, &analyzer_rpm, each_db, &w);
}

const struct analyzer analyzer_rpm = { "rpm", 1, wants, analyze };
