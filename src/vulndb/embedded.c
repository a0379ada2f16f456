/* The embedded advisory snapshot: a tar.zst linked into the binary, turned
 * into a database on first use. The archive is ours, but it is unpacked
 * with the same care as any other: bounded, names checked, nothing but
 * regular files and directories. */
#include "vulndb/embedded.h"
#include "image/decompress.h"
#include "image/tar.h"
#include "util/log.h"
#include "vulndb/feedfs.h"
#include "vulndb/importer.h"
#include "vulndb/path.h"
#include "vulndb/relabel.h"
#include "vulndb/safedir.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>
#include <zstd.h>

/* The archive goes into .rodata through the assembler's .incbin, which
 * needs no generated source and no objcopy step; the Makefile makes this
 * object depend on the file. The path is relative to the directory make
 * runs the compiler in (the repository root). */
#ifndef BOSUN_SNAPSHOT_FILE
#define BOSUN_SNAPSHOT_FILE "data/advisory-snapshot.tar.zst"
#endif
__asm__(".pushsection .rodata.bosun_snapshot,\"a\",%progbits\n"
	".balign 16\n"
	".globl bosun_snapshot_begin\n"
	".hidden bosun_snapshot_begin\n"
	".type bosun_snapshot_begin, %object\n"
	"bosun_snapshot_begin:\n"
	".incbin \"" BOSUN_SNAPSHOT_FILE "\"\n"
	".globl bosun_snapshot_end\n"
	".hidden bosun_snapshot_end\n"
	"bosun_snapshot_end:\n"
	".byte 0\n"
	".popsection\n");
extern const unsigned char bosun_snapshot_begin[], bosun_snapshot_end[];

/* Bounds on unpacking: the snapshot is ~65 MB in ~17,500 files. */
#define MAX_BYTES ((uint64_t)1 << 30)
#define MAX_ENTRIES 200000
#define MAX_DATASETS 64
#define OUT_CHUNK (256u << 10)

const unsigned char *vulndb_embedded_data(size_t *len)
{
	*len = (size_t)(bosun_snapshot_end - bosun_snapshot_begin);
	return bosun_snapshot_begin;
}

/* ---- zstd as a chunk source for the tar reader ----------------------------- */

struct unzstd {
	const unsigned char *in;
	size_t in_len, in_pos;
	struct decoder *dec;
	unsigned char *out;
	uint64_t produced;
	bool finished;
};

static int unzstd_next(void *ctx, const unsigned char **p, size_t *len, struct berr *e)
{
	struct unzstd *u = ctx;
	*len = 0;
	while (!u->finished) {
		size_t used = 0, got = 0;
		TRY(decoder_run(u->dec, u->in + u->in_pos, u->in_len - u->in_pos, &used, u->out, OUT_CHUNK, &got,
				&u->finished, e));
		u->in_pos += used;
		u->produced += got;
		if (u->produced > MAX_BYTES)
			return berr_set(e, BOSUN_ELIMIT, "embedded snapshot: more than %llu bytes",
					(unsigned long long)MAX_BYTES);
		if (got) {
			*p = u->out;
			*len = got;
			return BOSUN_OK;
		}
		if (!used && u->in_pos == u->in_len && !u->finished)
			return berr_set(e, BOSUN_EFORMAT, "embedded snapshot: truncated zstd stream");
	}
	return BOSUN_OK;
}

/* ---- unpacking ------------------------------------------------------------- */

static int write_entry(struct tar_reader *t, int rootfd, const struct tar_entry *ent, uint64_t *bytes,
		       struct berr *e)
{
	int fd;
	TRY(safedir_create(rootfd, ent->name, &fd, e));
	int rc = BOSUN_OK;
	for (;;) {
		const unsigned char *p;
		size_t n;
		if ((rc = tar_data(t, &p, &n, e)) || !n)
			break;
		*bytes += n;
		if (*bytes > MAX_BYTES) {
			rc = berr_set(e, BOSUN_ELIMIT, "embedded snapshot: more than %llu bytes", (unsigned long long)MAX_BYTES);
			break;
		}
		if ((rc = safedir_write_all(fd, p, n, ent->name, e)))
			break;
	}
	if (close(fd) != 0 && !rc)
		rc = berr_set(e, BOSUN_EIO, "cannot write %s: %s", ent->name, strerror(errno));
	if (!rc)
		safedir_set_mtime(rootfd, ent->name, ent->mtime);
	return rc;
}

static int unpack_entry(struct tar_reader *t, int rootfd, const struct tar_entry *ent, uint64_t *bytes,
			struct berr *e)
{
	if (ent->name[0] == '/' || safedir_check_name(ent->name, e) != BOSUN_OK)
		return berr_set(e, BOSUN_EFORMAT, "embedded snapshot: unsafe name '%.200s'", ent->name);
	if (ent->type == TAR_DIR)
		return safedir_mkdirs(rootfd, ent->name, e);
	if (ent->type != TAR_REG || ent->sparse)
		return berr_set(e, BOSUN_EFORMAT, "embedded snapshot: %s: only regular files and directories are allowed",
				ent->name);
	return write_entry(t, rootfd, ent, bytes, e);
}

static int unpack_tar(struct tar_reader *t, int rootfd, struct berr *e)
{
	uint64_t bytes = 0;
	for (long n = 0;; n++) {
		struct tar_entry ent;
		bool end;
		TRY(tar_next(t, &ent, &end, e));
		if (end)
			return BOSUN_OK;
		if (n >= MAX_ENTRIES)
			return berr_set(e, BOSUN_ELIMIT, "embedded snapshot: more than %d entries", MAX_ENTRIES);
		TRY(unpack_entry(t, rootfd, &ent, &bytes, e));
	}
}

static int unpack(const char *dir, struct berr *e)
{
	int rootfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return berr_set(e, BOSUN_EIO, "%s: %s", dir, strerror(errno));
	struct unzstd u = { .in = bosun_snapshot_begin, .in_len = (size_t)(bosun_snapshot_end - bosun_snapshot_begin) };
	u.out = malloc(OUT_CHUNK);
	int rc = u.out ? decoder_new(&u.dec, COMP_ZSTD, e) : berr_set(e, BOSUN_ENOMEM, "out of memory");
	if (!rc) {
		struct tar_reader t;
		tar_init(&t, (struct chunk_source){ unzstd_next, NULL, NULL, &u });
		rc = unpack_tar(&t, rootfd, e);
		tar_free(&t);
	}
	decoder_free(u.dec);
	free(u.out);
	close(rootfd);
	return rc;
}

/* ---- the manifest (PROVENANCE.tsv) ----------------------------------------- */

struct dataset {
	const char *dir, *upstream, *commit, *date, *license;
};

struct manifest {
	struct buf raw; /* the fields point into it */
	char date[11];
	struct dataset v[MAX_DATASETS];
	size_t n;
};

/* Splits line (NUL-terminated, modified in place) at TABs into at most max fields. */
static size_t split_tabs(char *line, char **f, size_t max)
{
	size_t n = 0;
	while (n < max) {
		f[n++] = line;
		char *tab = strchr(line, '\t');
		if (!tab)
			break;
		*tab = '\0';
		line = tab + 1;
	}
	return n;
}

static int manifest_parse(struct manifest *m, struct berr *e)
{
	char *save = NULL;
	for (char *line = strtok_r(m->raw.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *f[6];
		size_t n = split_tabs(line, f, 6);
		if (n == 3 && !strcmp(f[0], "# bosun advisory snapshot") && !strcmp(f[1], "date"))
			snprintf(m->date, sizeof m->date, "%s", f[2]);
		if (line[0] == '#' || n != 5)
			continue;
		if (m->n == MAX_DATASETS)
			return berr_set(e, BOSUN_ELIMIT, "embedded snapshot: more than %d datasets", MAX_DATASETS);
		m->v[m->n++] = (struct dataset){ f[0], f[1], f[2], f[3], f[4] };
	}
	if (!m->date[0] || !m->n)
		return berr_set(e, BOSUN_EFORMAT, "embedded snapshot: PROVENANCE.tsv has no date or no datasets");
	return BOSUN_OK;
}

static int manifest_load(const char *root, struct manifest *m, struct berr *e)
{
	char path[PATH_MAX];
	TRY(feed_join(path, sizeof path, root, "PROVENANCE.tsv", e));
	TRY(feed_read_file(path, 1 << 20, &m->raw, e));
	return manifest_parse(m, e);
}

/* ---- labelling the sources ------------------------------------------------- */

/* Whether dataset dir d lies in (or holds) the imported directory rel. */
static bool covers(const char *d, const char *rel)
{
	size_t nd = strlen(d), nr = strlen(rel);
	if (!nr)
		return true;
	if (nd >= nr)
		return !strncmp(d, rel, nr) && (d[nr] == '\0' || d[nr] == '/');
	return !strncmp(rel, d, nd) && rel[nd] == '/';
}

struct label {
	char origin[1024];
	char date[11];    /* the newest date of the datasets the source came from */
	char license[64]; /* an SPDX-looking id, when every dataset agrees on one */
	int matched;
};

static void add_dataset(struct label *l, const struct dataset *d)
{
	size_t len = strlen(l->origin);
	char commit[13];
	snprintf(commit, sizeof commit, "%s", d->commit);
	bool hex = strspn(commit, "0123456789abcdef") == 12;
	/* "owner/repo@commit (note)": the commit goes with the name, before any note */
	const char *note = strstr(d->upstream, " (");
	int name_len = note ? (int)(note - d->upstream) : (int)strlen(d->upstream);
	snprintf(l->origin + len, sizeof l->origin - len, "%s%.*s%s%s%s", l->matched ? "; " : "", name_len, d->upstream,
		 hex ? "@" : "", hex ? commit : "", note ? note : "");
	if (strcmp(d->date, l->date) > 0)
		snprintf(l->date, sizeof l->date, "%s", d->date);
	size_t id = strcspn(d->license, " ");
	char lic[64];
	snprintf(lic, sizeof lic, "%.*s", (int)(id < 63 ? id : 63), d->license);
	bool spdx = id && strchr(lic, '-') && lic[0] >= 'A' && lic[0] <= 'Z';
	if (!l->matched)
		snprintf(l->license, sizeof l->license, "%s", spdx ? lic : "");
	else if (strcmp(l->license, lic) != 0)
		l->license[0] = '\0';
	l->matched++;
}

static int relabel_one(struct vulndb *db, const struct source_copy *s, const char *root, const struct manifest *m,
		       struct berr *e)
{
	size_t nroot = strlen(root);
	if (!s->origin || strncmp(s->origin, root, nroot) != 0 || (s->origin[nroot] && s->origin[nroot] != '/'))
		return BOSUN_OK;
	const char *rel = s->origin[nroot] ? s->origin + nroot + 1 : "";
	struct label l = { 0 };
	for (size_t i = 0; i < m->n; i++)
		if (covers(m->v[i].dir, rel))
			add_dataset(&l, &m->v[i]);
	char origin[1200];
	snprintf(origin, sizeof origin, "bosun embedded snapshot %s: %s", m->date, l.matched ? l.origin : rel);
	/* The importer's own date stands unless it is missing or later than
	 * the data can be (a file time that was not preserved). */
	const char *snap = NULL;
	if (l.matched && (!s->snapshot || !*s->snapshot || strncmp(s->snapshot, l.date, 10) > 0))
		snap = l.date;
	const char *lic = !s->license && l.license[0] ? l.license : NULL;
	return vulndb_source_relabel(db, s->name, origin, snap, lic, e);
}

static int relabel_all(struct vulndb *db, const char *root, const struct manifest *m, struct berr *e)
{
	char real[PATH_MAX];
	if (!realpath(root, real))
		snprintf(real, sizeof real, "%s", root);
	struct source_list l;
	TRY(vulndb_list_sources(db, &l, e));
	int rc = BOSUN_OK;
	for (size_t i = 0; i < l.n && !rc; i++) {
		rc = relabel_one(db, &l.v[i], root, m, e);
		if (!rc && strcmp(real, root) != 0)
			rc = relabel_one(db, &l.v[i], real, m, e);
	}
	source_list_free(&l);
	return rc;
}

/* ---- building -------------------------------------------------------------- */

static int build_from(const char *root, const char *tmp, const struct manifest *m, bool verbose, struct berr *e)
{
	struct vulndb *db;
	TRY(vulndb_open(tmp, true, &db, e));
	const char *dirs[1] = { root };
	int rc = vulndb_build(db, dirs, 1, verbose, e);
	if (!rc)
		rc = relabel_all(db, root, m, e);
	vulndb_close(db);
	return rc;
}

static long days_since(const char *date)
{
	struct tm tm = { 0 };
	if (sscanf(date, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	time_t t = timegm(&tm);
	return t == (time_t)-1 ? -1 : (long)((time(NULL) - t) / 86400);
}

/* Where to unpack: in memory when /dev/shm is a tmpfs with room to spare
 * (creating 17,500 files costs about 1 ms each on some virtual disks, a few
 * microseconds in memory), else beside the database. */
static int make_scratch(const char *db_path, char *out, size_t cap, struct berr *e)
{
	unsigned long long need = ZSTD_getFrameContentSize(bosun_snapshot_begin,
							   (size_t)(bosun_snapshot_end - bosun_snapshot_begin));
	struct statfs sf;
	struct statvfs sv;
	if (need < MAX_BYTES && statfs("/dev/shm", &sf) == 0 && sf.f_type == TMPFS_MAGIC &&
	    statvfs("/dev/shm", &sv) == 0 && (unsigned long long)sv.f_bavail * sv.f_frsize / 3 > need &&
	    (size_t)snprintf(out, cap, "/dev/shm/bosun-snapshot.XXXXXX") < cap && mkdtemp(out))
		return BOSUN_OK;
	return safedir_make_temp(db_path, "snapshot", out, cap, e);
}

int vulndb_build_embedded(const char *db_path, bool verbose, struct berr *e)
{
	char scratch[PATH_MAX - 64], root[PATH_MAX], tmp[PATH_MAX];
	if ((size_t)snprintf(tmp, sizeof tmp, "%s.building.%ld", db_path, (long)getpid()) >= sizeof tmp)
		return berr_set(e, BOSUN_ELIMIT, "database path too long");
	TRY(vulndb_make_parent_dirs(db_path, e));
	TRY(make_scratch(db_path, scratch, sizeof scratch, e));
	snprintf(root, sizeof root, "%s/data", scratch);
	struct manifest m = { 0 };
	unlink(tmp);
	int rc = mkdir(root, 0700) == 0 ? BOSUN_OK : berr_set(e, BOSUN_EIO, "%s: %s", root, strerror(errno));
	if (!rc)
		rc = unpack(root, e);
	if (!rc)
		rc = manifest_load(root, &m, e);
	if (!rc)
		rc = build_from(root, tmp, &m, verbose, e);
	safedir_remove_tree(scratch);
	if (!rc)
		rc = safedir_commit(tmp, db_path, e);
	if (rc)
		unlink(tmp);
	else
		log_warn("built %s from the advisory snapshot of %s embedded in bosun (%ld days old); "
			 "`bosun db update` fetches current data", db_path, m.date, days_since(m.date));
	buf_free(&m.raw);
	return rc;
}

int vulndb_ensure_default(const char *db_path, bool verbose, struct berr *e)
{
	struct stat st;
	if (lstat(db_path, &st) == 0) {
		/* The default database is bosun's own cache: one left by an older
		 * bosun with another schema is rebuilt rather than left unusable. */
		struct vulndb *db = NULL;
		struct berr oe = { 0 };
		int orc = vulndb_open(db_path, false, &db, &oe);
		vulndb_close(db);
		if (orc != BOSUN_EUNSUPPORTED)
			return BOSUN_OK;
		log_warn("%s; rebuilding it from the embedded advisory snapshot (run 'bosun db update' for current data)",
			 oe.msg);
	} else if (errno != ENOENT) {
		return BOSUN_OK;
	} else {
		log_warn("no vulnerability database at %s: building it from the advisory snapshot embedded in bosun",
			 db_path);
	}
	int rc = vulndb_build_embedded(db_path, verbose, e);
	if (rc)
		return berr_wrap(e, rc, "building the default database %s from the embedded snapshot", db_path);
	return BOSUN_OK;
}
