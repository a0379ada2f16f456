/* Reader for the shared version-vector tables,
 * $BOSUN_SHARED/testdata/versions/NAME.tsv (format: testdata/README.md):
 *   - lines starting with '#' are comments, empty lines are skipped;
 *   - fields are separated by TAB;
 *   - inside a field a backslash escapes TAB, newline, CR and itself
 *     (\t \n \r \\); any other escape fails the test;
 *   - every other byte is kept, leading and trailing spaces included.
 *
 *   struct tsv t;
 *   tsv_open(&t, "dpkg.tsv");
 *   while (tsv_next(&t))
 *           check(tsv_field(&t, 0), tsv_field(&t, 1), t.line);
 *   tsv_close(&t);
 *
 * Fields are unescaped in place and stay valid until tsv_close(). Needs
 * cmocka (fail_msg) through testutil.h. */
#ifndef BOSUN_TESTS_TSV_H
#define BOSUN_TESTS_TSV_H

#include <stdbool.h>

#include "testutil.h"

#define TSV_MAX_FIELDS 8

struct tsv {
	char path[4096];
	char *data; /* the whole file, rewritten in place */
	size_t len, pos;
	unsigned line;  /* 1-based line number of the current row */
	unsigned rows;  /* rows returned so far */
	char *field[TSV_MAX_FIELDS];
	size_t nfield;
};

static inline void tsv_open(struct tsv *t, const char *name)
{
	memset(t, 0, sizeof *t);
	snprintf(t->path, sizeof t->path, "%s/testdata/versions/%s", test_shared_dir(), name);
	t->data = (char *)test_read_file(t->path, &t->len);
}

/* Unescapes s in place. */
static inline void tsv_unescape(const struct tsv *t, char *s)
{
	char *w = s;
	for (const char *r = s; *r; r++) {
		if (*r != '\\') {
			*w++ = *r;
			continue;
		}
		switch (*++r) {
		case 't': *w++ = '\t'; break;
		case 'n': *w++ = '\n'; break;
		case 'r': *w++ = '\r'; break;
		case '\\': *w++ = '\\'; break;
		default: fail_msg("%s:%u: bad escape \\%c", t->path, t->line, *r ? *r : '0');
		}
	}
	*w = '\0';
}

/* Advances to the next row; false at the end of the file. */
static inline bool tsv_next(struct tsv *t)
{
	while (t->pos < t->len) {
		char *line = t->data + t->pos;
		char *nl = memchr(line, '\n', t->len - t->pos);
		size_t n = nl ? (size_t)(nl - line) : t->len - t->pos;
		line[n] = '\0'; /* the '\n', or the NUL test_read_file() appended */
		t->pos += n + 1;
		t->line++;
		if (n == 0 || line[0] == '#')
			continue;
		t->nfield = 0;
		for (char *f = line;;) {
			if (t->nfield == TSV_MAX_FIELDS)
				fail_msg("%s:%u: more than %d fields", t->path, t->line, TSV_MAX_FIELDS);
			char *tab = strchr(f, '\t');
			if (tab)
				*tab = '\0';
			tsv_unescape(t, f);
			t->field[t->nfield++] = f;
			if (!tab)
				break;
			f = tab + 1;
		}
		t->rows++;
		return true;
	}
	return false;
}

/* Field i of the current row, or "" when the row is shorter (optional
 * trailing columns such as flags). */
static inline const char *tsv_field(const struct tsv *t, size_t i) { return i < t->nfield ? t->field[i] : ""; }

static inline void tsv_close(struct tsv *t)
{
	free(t->data);
	t->data = NULL;
}

#endif
