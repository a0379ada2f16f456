#include "vulndb/path.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int fit(size_t n, int len, struct berr *e)
{
	if (len < 0 || (size_t)len >= n)
		return berr_set(e, BOSUN_ELIMIT, "database path longer than %zu bytes", n - 1);
	return BOSUN_OK;
}

int vulndb_default_path(char *buf, size_t n, struct berr *e)
{
	const char *v = getenv("BOSUN_DB");
	if (v && *v)
		return fit(n, snprintf(buf, n, "%s", v), e);
	/* XDG says a relative XDG_CACHE_HOME is invalid and must be ignored. */
	v = getenv("XDG_CACHE_HOME");
	if (v && v[0] == '/')
		return fit(n, snprintf(buf, n, "%s/bosun/db.sqlite", v), e);
	v = getenv("HOME");
	if (v && *v)
		return fit(n, snprintf(buf, n, "%s/.cache/bosun/db.sqlite", v), e);
	return berr_set(e, BOSUN_ENOTFOUND, "no database location: set BOSUN_DB or HOME, or pass --db FILE");
}

int vulndb_make_parent_dirs(const char *path, struct berr *e)
{
	char dir[4096];
	if (snprintf(dir, sizeof dir, "%s", path) >= (int)sizeof dir)
		return berr_set(e, BOSUN_ELIMIT, "database path too long");
	char *slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return BOSUN_OK;
	*slash = '\0';
	for (char *p = dir + 1;; p++) {
		char c = *p;
		if (c != '/' && c != '\0')
			continue;
		*p = '\0';
		if (mkdir(dir, 0755) != 0 && errno != EEXIST)
			return berr_set(e, BOSUN_EIO, "cannot create directory %s: %s", dir, strerror(errno));
		*p = c;
		if (!c)
			return BOSUN_OK;
	}
}
