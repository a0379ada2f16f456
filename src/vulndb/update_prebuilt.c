/* `bosun db update --from-url URL --sha256 HEX`: a prebuilt database,
 * downloaded next to the live one, checked (digest, SQLite's own check,
 * schema version, content) and renamed over it. */
#include "image/decompress.h"
#include "vulndb/path.h"
#include "vulndb/safedir.h"
#include "vulndb/update.h"
#include "vulndb/update_impl.h"
#include "vulndb/vulndb.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEC_IN (64u << 10)
#define DEC_OUT (256u << 10)

static int decode_stream(FILE *in, int fd, struct decoder *d, uint64_t max, const char *dst, bool *finished,
			 struct berr *e)
{
	unsigned char *ibuf = malloc(DEC_IN), *obuf = malloc(DEC_OUT);
	int rc = ibuf && obuf ? BOSUN_OK : berr_set(e, BOSUN_ENOMEM, "out of memory");
	size_t n = 0, pos = 0;
	uint64_t total = 0;
	while (!rc) {
		if (pos == n) {
			n = fread(ibuf, 1, DEC_IN, in);
			pos = 0;
		}
		size_t used = 0, made = 0;
		if ((rc = decoder_run(d, ibuf + pos, n - pos, &used, obuf, DEC_OUT, &made, finished, e)))
			break;
		pos += used;
		total += made;
		if (total > max)
			rc = berr_set(e, BOSUN_ELIMIT, "decompressed database larger than %llu bytes",
				      (unsigned long long)max);
		else
			rc = safedir_write_all(fd, obuf, made, dst, e);
		if (n == 0 && made == 0)
			break; /* end of input, nothing left to flush */
	}
	free(ibuf);
	free(obuf);
	return rc;
}

/* Decompresses src into the new file dst when it is gzip or zstd; *out is
 * the file to use (src itself when it is not compressed). */
static int maybe_decompress(const char *src, const char *dst, uint64_t max, const char **out, struct berr *e)
{
	FILE *in = fopen(src, "rb");
	if (!in)
		return berr_set(e, BOSUN_EIO, "cannot open %s: %s", src, strerror(errno));
	unsigned char head[8] = { 0 };
	size_t got = fread(head, 1, sizeof head, in);
	enum compression c = compression_detect(head, got);
	*out = src;
	if (c != COMP_GZIP && c != COMP_ZSTD) {
		fclose(in);
		return BOSUN_OK;
	}
	rewind(in);
	struct decoder *d = NULL;
	bool finished = false;
	int fd = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	int rc = fd < 0 ? berr_set(e, BOSUN_EIO, "cannot create %s: %s", dst, strerror(errno)) : decoder_new(&d, c, e);
	if (!rc)
		rc = decode_stream(in, fd, d, max, dst, &finished, e);
	if (!rc && !finished)
		rc = berr_set(e, BOSUN_EFORMAT, "truncated %s stream", compression_name(c));
	decoder_free(d);
	if (fd >= 0 && close(fd) != 0 && !rc)
		rc = berr_set(e, BOSUN_EIO, "cannot write %s: %s", dst, strerror(errno));
	fclose(in);
	*out = dst;
	return rc;
}

/* SQLite's own structural check, on a handle that trusts nothing in the file. */
static int quick_check(const char *path, struct berr *e)
{
	sqlite3 *h = NULL;
	int rc = sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL);
	sqlite3_stmt *s = NULL;
	const char *verdict = NULL;
	if (rc == SQLITE_OK) {
		sqlite3_db_config(h, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
		sqlite3_db_config(h, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (int *)NULL);
		rc = sqlite3_prepare_v2(h, "PRAGMA quick_check(1)", -1, &s, NULL);
	}
	if (rc == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		verdict = (const char *)sqlite3_column_text(s, 0);
	int out = verdict && !strcmp(verdict, "ok")
			  ? BOSUN_OK
			  : berr_set(e, BOSUN_EFORMAT, "not a sound SQLite database (%s)",
				     verdict ? verdict : h ? sqlite3_errmsg(h) : "cannot open");
	sqlite3_finalize(s);
	sqlite3_close(h);
	return out;
}

static int count_sources(const struct vulndb_source_info *s, void *ctx)
{
	(void)s;
	(*(int *)ctx)++;
	return BOSUN_OK;
}

static int check_prebuilt(const char *path, struct berr *e)
{
	TRY(quick_check(path, e));
	struct vulndb *db;
	TRY(vulndb_open(path, false, &db, e));
	int n = 0;
	int rc = vulndb_each_source(db, count_sources, &n, e);
	vulndb_close(db);
	if (!rc && !n)
		rc = berr_set(e, BOSUN_EFORMAT, "the database holds no advisory data");
	return rc;
}

static int from_url(const char *db_path, const char *url, const char *want, const struct fetch_opts *fo,
		    const char scratch[SCRATCH_MAX], struct berr *e)
{
	char dl[PATH_MAX], raw[PATH_MAX];
	snprintf(dl, sizeof dl, "%s/download", scratch);
	snprintf(raw, sizeof raw, "%s/db.sqlite", scratch);
	struct fetch_result res;
	TRY(fetch_url(url, NULL, dl, fo, "database download", &res, e));
	if (strcmp(res.sha256 + 7, want) != 0)
		return berr_set(e, BOSUN_EDIGEST, "%s: the download has %s, expected sha256:%s", url, res.sha256, want);
	const char *file;
	TRY(maybe_decompress(dl, raw, fo->max_bytes * 8, &file, e));
	if (check_prebuilt(file, e) != BOSUN_OK)
		return berr_wrap(e, e->code, "%s", url);
	return safedir_commit(file, db_path, e);
}

static bool hex64(char *s)
{
	if (!strncmp(s, "sha256:", 7))
		memmove(s, s + 7, strlen(s + 7) + 1);
	if (strlen(s) != 64)
		return false;
	for (char *p = s; *p; p++) {
		if (*p >= 'A' && *p <= 'F')
			*p = (char)(*p - 'A' + 'a');
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	}
	return true;
}

int vulndb_update_from_url(const char *db_path, const char *url, const char *sha256, const struct fetch_opts *fo,
			   struct berr *e)
{
	char want[80];
	snprintf(want, sizeof want, "%s", sha256 ? sha256 : "");
	if (!hex64(want))
		return berr_set(e, BOSUN_EUSAGE, "--sha256 must be the 64 hex digits of the file's SHA-256");
	if (strncmp(url, "http://", 7) && strncmp(url, "https://", 8))
		return berr_set(e, BOSUN_EUSAGE, "--from-url must be an http:// or https:// URL");
	char cache[PATH_MAX], scratch[SCRATCH_MAX] = "";
	int lockfd = -1;
	if ((size_t)snprintf(cache, sizeof cache, "%s.feeds", db_path) >= sizeof cache)
		return berr_set(e, BOSUN_ELIMIT, "database path too long");
	int rc = vulndb_make_parent_dirs(db_path, e);
	if (!rc)
		rc = update_lock(cache, db_path, &lockfd, e);
	if (!rc)
		rc = safedir_make_temp(db_path, "update", scratch, sizeof scratch, e);
	if (!rc && !(rc = fetch_init(e))) {
		rc = from_url(db_path, url, want, fo, scratch, e);
		fetch_cleanup();
	}
	if (scratch[0])
		safedir_remove_tree(scratch);
	if (lockfd >= 0)
		close(lockfd);
	return rc;
}
