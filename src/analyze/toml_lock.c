/* A recursive-descent TOML reader: one pass over the bytes, values built
 * as jansson nodes. Recursion happens only for nested arrays and inline
 * tables and is bounded by TOML_LOCK_MAX_DEPTH. */
#include "analyze/toml_lock.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

struct tp {
	const char *p, *end;
	size_t line;
	const char *what;
	struct berr *e;
	size_t values;
};

static int fail(struct tp *t, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(struct tp *t, int code, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return berr_set(t->e, code, "%s: TOML line %zu: %s", t->what, t->line, msg);
}

static bool more(const struct tp *t) { return t->p < t->end; }
static char peek(const struct tp *t) { return t->p < t->end ? *t->p : '\0'; }
static char peek_at(const struct tp *t, size_t k) { return (size_t)(t->end - t->p) > k ? t->p[k] : '\0'; }

static int count_value(struct tp *t)
{
	if (++t->values > TOML_LOCK_MAX_VALUES)
		return fail(t, BOSUN_ELIMIT, "more than %d values", TOML_LOCK_MAX_VALUES);
	return BOSUN_OK;
}

static void skip_ws(struct tp *t)
{
	while (more(t) && (*t->p == ' ' || *t->p == '\t'))
		t->p++;
}

static void skip_comment(struct tp *t)
{
	if (peek(t) != '#')
		return;
	while (more(t) && *t->p != '\n')
		t->p++;
}

/* Consumes one line break (LF or CRLF); false if there is none here. */
static bool eat_newline(struct tp *t)
{
	if (peek(t) == '\n') {
		t->p++;
		t->line++;
		return true;
	}
	if (peek(t) == '\r' && peek_at(t, 1) == '\n') {
		t->p += 2;
		t->line++;
		return true;
	}
	return false;
}

/* Whitespace, comments and line breaks, as allowed inside arrays. */
static void skip_ws_nl(struct tp *t)
{
	for (;;) {
		skip_ws(t);
		skip_comment(t);
		if (!eat_newline(t))
			return;
	}
}

static int expect_eol(struct tp *t)
{
	skip_ws(t);
	skip_comment(t);
	if (!more(t) || eat_newline(t))
		return BOSUN_OK;
	return fail(t, BOSUN_EFORMAT, "unexpected '%c' after a value", (unsigned char)peek(t) >= 0x20 ? peek(t) : '?');
}

/* ---- strings ---- */

static bool utf8_valid(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
		if (len == 0 || i + len > n)
			return false;
		for (size_t k = 1; k < len; k++)
			if (((unsigned char)s[i + k] >> 6) != 2)
				return false;
		i += len;
	}
	return true;
}

static int make_string(struct tp *t, const struct buf *b, json_t **out)
{
	TRY(count_value(t));
	const char *s = b->data ? b->data : "";
	if (!utf8_valid(s, b->len))
		return fail(t, BOSUN_EFORMAT, "string is not valid UTF-8");
	*out = json_stringn(s, b->len);
	return *out ? BOSUN_OK : BOSUN_ENOMEM;
}

static int put_utf8(struct buf *b, unsigned long cp)
{
	char u[4];
	size_t n;
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	return buf_append(b, u, n);
}

static int hex_escape(struct tp *t, size_t digits, struct buf *b)
{
	unsigned long cp = 0;
	for (size_t i = 0; i < digits; i++) {
		char c = peek(t);
		int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (v < 0)
			return fail(t, BOSUN_EFORMAT, "bad \\u escape");
		cp = cp * 16 + (unsigned long)v;
		t->p++;
	}
	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return fail(t, BOSUN_EFORMAT, "escape is not a Unicode scalar value");
	return put_utf8(b, cp);
}

/* After a backslash in a basic string. */
static int escape(struct tp *t, struct buf *b)
{
	char c = peek(t);
	t->p++;
	switch (c) {
	case 'b': return buf_append(b, "\b", 1);
	case 't': return buf_append(b, "\t", 1);
	case 'n': return buf_append(b, "\n", 1);
	case 'f': return buf_append(b, "\f", 1);
	case 'r': return buf_append(b, "\r", 1);
	case 'e': return buf_append(b, "\x1b", 1);
	case '"': return buf_append(b, "\"", 1);
	case '\\': return buf_append(b, "\\", 1);
	case 'x': return hex_escape(t, 2, b);
	case 'u': return hex_escape(t, 4, b);
	case 'U': return hex_escape(t, 8, b);
	default: return fail(t, BOSUN_EFORMAT, "unknown escape sequence");
	}
}

/* Control characters other than tab are not allowed in strings. */
static bool bad_control(char c) { return ((unsigned char)c < 0x20 && c != '\t') || c == 0x7f; }

/* "...", or '...' when literal. t->p is at the opening quote. */
static int one_line_string(struct tp *t, bool literal, struct buf *b)
{
	char q = literal ? '\'' : '"';
	t->p++;
	for (;;) {
		if (!more(t) || *t->p == '\n' || *t->p == '\r')
			return fail(t, BOSUN_EFORMAT, "unterminated string");
		char c = *t->p;
		if (c == q) {
			t->p++;
			return BOSUN_OK;
		}
		if (bad_control(c))
			return fail(t, BOSUN_EFORMAT, "control character in a string");
		if (c == '\\' && !literal) {
			t->p++;
			TRY(escape(t, b));
			continue;
		}
		TRY(buf_append(b, &c, 1));
		t->p++;
	}
}

/* A backslash ending a line in a """ string swallows the line break and
 * the whitespace after it. */
static bool line_ending_backslash(struct tp *t)
{
	const char *save = t->p;
	size_t line = t->line;
	t->p++;
	skip_ws(t);
	if (!eat_newline(t)) {
		t->p = save;
		t->line = line;
		return false;
	}
	for (;;) {
		skip_ws(t);
		if (!eat_newline(t))
			return true;
	}
}

/* """...""" or '''...'''. t->p is at the first of the three quotes. */
static int multi_line_string(struct tp *t, bool literal, struct buf *b)
{
	char q = literal ? '\'' : '"';
	t->p += 3;
	eat_newline(t); /* a line break right after the opening quotes is not content */
	for (;;) {
		if (!more(t))
			return fail(t, BOSUN_EFORMAT, "unterminated multi-line string");
		char c = *t->p;
		if (c == q && peek_at(t, 1) == q && peek_at(t, 2) == q) {
			size_t run = 3;
			while (run < 6 && peek_at(t, run) == q)
				run++;
			if (run > 5)
				return fail(t, BOSUN_EFORMAT, "too many quotes closing a string");
			TRY(buf_append(b, t->p, run - 3)); /* up to two quotes belong to the content */
			t->p += run;
			return BOSUN_OK;
		}
		if (c == '\n' || (c == '\r' && peek_at(t, 1) == '\n')) {
			eat_newline(t);
			TRY(buf_append(b, "\n", 1));
			continue;
		}
		if (c == '\\' && !literal) {
			if (line_ending_backslash(t))
				continue;
			t->p++;
			TRY(escape(t, b));
			continue;
		}
		if (bad_control(c))
			return fail(t, BOSUN_EFORMAT, "control character in a string");
		TRY(buf_append(b, &c, 1));
		t->p++;
	}
}

static bool at_triple(const struct tp *t, char q) { return peek(t) == q && peek_at(t, 1) == q && peek_at(t, 2) == q; }

static int parse_string(struct tp *t, json_t **out)
{
	struct buf b = { 0 };
	bool literal = peek(t) == '\'';
	int rc = at_triple(t, peek(t)) ? multi_line_string(t, literal, &b) : one_line_string(t, literal, &b);
	if (rc == BOSUN_OK)
		rc = make_string(t, &b, out);
	buf_free(&b);
	return rc;
}

/* ---- keys ---- */

static bool bare_key_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* One part of a key: bare, "basic" or 'literal'. Appended to path. */
static int key_part(struct tp *t, json_t *path)
{
	json_t *s = NULL;
	if (peek(t) == '"' || peek(t) == '\'') {
		if (at_triple(t, peek(t)))
			return fail(t, BOSUN_EFORMAT, "multi-line string as a key");
		TRY(parse_string(t, &s));
	} else {
		const char *start = t->p;
		while (more(t) && bare_key_char(*t->p))
			t->p++;
		if (t->p == start)
			return fail(t, BOSUN_EFORMAT, "expected a key");
		TRY(count_value(t));
		if (!(s = json_stringn(start, (size_t)(t->p - start))))
			return BOSUN_ENOMEM;
	}
	if (json_array_size(path) >= TOML_LOCK_MAX_DEPTH) {
		json_decref(s);
		return fail(t, BOSUN_ELIMIT, "key with more than %d parts", TOML_LOCK_MAX_DEPTH);
	}
	return json_array_append_new(path, s) ? BOSUN_ENOMEM : BOSUN_OK;
}

/* a.b."c d" -> ["a", "b", "c d"] */
static int parse_key(struct tp *t, json_t **out)
{
	json_t *path = json_array();
	if (!path)
		return BOSUN_ENOMEM;
	int rc;
	for (;;) {
		skip_ws(t);
		if ((rc = key_part(t, path)) != BOSUN_OK)
			break;
		skip_ws(t);
		if (peek(t) != '.')
			break;
		t->p++;
	}
	if (rc != BOSUN_OK) {
		json_decref(path);
		return rc;
	}
	*out = path;
	return BOSUN_OK;
}

/* ---- tables ---- */

/* The table a dotted key's prefix names inside tbl, created as needed. An
 * array of tables stands for its last element. */
static int descend(struct tp *t, json_t *tbl, const char *key, json_t **out)
{
	json_t *c = json_object_get(tbl, key);
	if (!c) {
		if (!(c = json_object()) || json_object_set_new(tbl, key, c))
			return BOSUN_ENOMEM;
		TRY(count_value(t));
	} else if (json_is_array(c)) {
		c = json_array_get(c, json_array_size(c) - 1);
		if (!json_is_object(c))
			return fail(t, BOSUN_EFORMAT, "\"%.64s\" is an array, not a table", key);
	} else if (!json_is_object(c)) {
		return fail(t, BOSUN_EFORMAT, "\"%.64s\" is a value, not a table", key);
	}
	*out = c;
	return BOSUN_OK;
}

/* Sets the dotted key path to v inside tbl; takes v. */
static int set_path(struct tp *t, json_t *tbl, const json_t *path, json_t *v)
{
	size_t n = json_array_size(path);
	int rc = BOSUN_OK;
	for (size_t i = 0; rc == BOSUN_OK && i + 1 < n; i++)
		rc = descend(t, tbl, json_string_value(json_array_get(path, i)), &tbl);
	const char *last = json_string_value(json_array_get(path, n - 1));
	if (rc == BOSUN_OK && json_object_get(tbl, last))
		rc = fail(t, BOSUN_EFORMAT, "key \"%.64s\" defined twice", last);
	if (rc != BOSUN_OK) {
		json_decref(v);
		return rc;
	}
	return json_object_set_new(tbl, last, v) ? BOSUN_ENOMEM : BOSUN_OK;
}

/* [a.b] or [[a.b]]: returns the table that the following keys fill. */
static int open_table(struct tp *t, json_t *root, const json_t *path, bool array, json_t **cur)
{
	size_t n = json_array_size(path);
	json_t *tbl = root;
	for (size_t i = 0; i + 1 < n; i++)
		TRY(descend(t, tbl, json_string_value(json_array_get(path, i)), &tbl));
	const char *last = json_string_value(json_array_get(path, n - 1));
	json_t *c = json_object_get(tbl, last);
	if (!array) {
		/* A table may be named after its subtables created it: [a.b] then [a]. */
		if (c && !json_is_object(c))
			return fail(t, BOSUN_EFORMAT, "table \"%.64s\" redefines a value", last);
		return c ? (*cur = c, BOSUN_OK) : descend(t, tbl, last, cur);
	}
	if (!c) {
		if (!(c = json_array()) || json_object_set_new(tbl, last, c))
			return BOSUN_ENOMEM;
		TRY(count_value(t));
	} else if (!json_is_array(c)) {
		return fail(t, BOSUN_EFORMAT, "array of tables \"%.64s\" redefines a value", last);
	}
	json_t *o = json_object();
	if (!o || json_array_append_new(c, o))
		return BOSUN_ENOMEM;
	TRY(count_value(t));
	*cur = o;
	return BOSUN_OK;
}

/* ---- values ---- */

static int parse_value(struct tp *t, int depth, json_t **out);

static int parse_array(struct tp *t, int depth, json_t **out)
{
	json_t *arr = json_array();
	if (!arr)
		return BOSUN_ENOMEM;
	int rc = count_value(t);
	t->p++;
	while (rc == BOSUN_OK) {
		skip_ws_nl(t);
		if (peek(t) == ']') {
			t->p++;
			*out = arr;
			return BOSUN_OK;
		}
		json_t *v = NULL;
		if ((rc = parse_value(t, depth + 1, &v)) != BOSUN_OK)
			break;
		if (json_array_append_new(arr, v)) {
			rc = BOSUN_ENOMEM;
			break;
		}
		skip_ws_nl(t);
		if (peek(t) == ',')
			t->p++;
		else if (peek(t) != ']')
			rc = fail(t, BOSUN_EFORMAT, "expected ',' or ']' in an array");
	}
	json_decref(arr);
	return rc;
}

/* { a = 1, b.c = "x" }. Line breaks inside are allowed (as TOML 1.1 does),
 * which costs nothing and reads what newer writers produce. */
static int parse_inline_table(struct tp *t, int depth, json_t **out)
{
	json_t *tbl = json_object();
	if (!tbl)
		return BOSUN_ENOMEM;
	int rc = count_value(t);
	t->p++;
	skip_ws_nl(t);
	if (rc == BOSUN_OK && peek(t) == '}') {
		t->p++;
		*out = tbl;
		return BOSUN_OK;
	}
	while (rc == BOSUN_OK) {
		json_t *path = NULL, *v = NULL;
		if ((rc = parse_key(t, &path)) != BOSUN_OK)
			break;
		skip_ws(t);
		if (peek(t) != '=') {
			json_decref(path);
			rc = fail(t, BOSUN_EFORMAT, "expected '=' after a key");
			break;
		}
		t->p++;
		skip_ws(t);
		rc = parse_value(t, depth + 1, &v);
		if (rc == BOSUN_OK)
			rc = set_path(t, tbl, path, v);
		json_decref(path);
		if (rc != BOSUN_OK)
			break;
		skip_ws_nl(t);
		if (peek(t) == '}') {
			t->p++;
			*out = tbl;
			return BOSUN_OK;
		}
		if (peek(t) != ',') {
			rc = fail(t, BOSUN_EFORMAT, "expected ',' or '}' in an inline table");
			break;
		}
		t->p++;
		skip_ws_nl(t);
	}
	json_decref(tbl);
	return rc;
}

static bool scalar_char(char c)
{
	return bare_key_char(c) || c == '+' || c == '.' || c == ':';
}

static bool is_date(const char *s, size_t n)
{
	static const char shape[] = "dddd-dd-dd";
	if (n != sizeof shape - 1)
		return false;
	for (size_t i = 0; i < n; i++)
		if (shape[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != shape[i])
			return false;
	return true;
}

/* Booleans, integers, and as text: floats, dates and times. */
static int parse_scalar(struct tp *t, json_t **out)
{
	const char *start = t->p;
	while (more(t) && scalar_char(*t->p))
		t->p++;
	/* "1979-05-27 07:32:00": a date-time may separate its parts by a space. */
	if (is_date(start, (size_t)(t->p - start)) && peek(t) == ' ' && peek_at(t, 1) >= '0' && peek_at(t, 1) <= '9') {
		t->p++;
		while (more(t) && scalar_char(*t->p))
			t->p++;
	}
	size_t n = (size_t)(t->p - start);
	if (n == 0)
		return fail(t, BOSUN_EFORMAT, "expected a value");
	TRY(count_value(t));
	if (n == 4 && memcmp(start, "true", 4) == 0)
		*out = json_true();
	else if (n == 5 && memcmp(start, "false", 5) == 0)
		*out = json_false();
	else {
		size_t i = start[0] == '-' || start[0] == '+';
		bool digits = i < n && n - i <= 18;
		for (size_t k = i; digits && k < n; k++)
			digits = start[k] >= '0' && start[k] <= '9';
		char num[24];
		if (digits) {
			memcpy(num, start, n);
			num[n] = '\0';
			*out = json_integer(strtoll(num, NULL, 10));
		} else {
			*out = json_stringn(start, n);
		}
	}
	return *out ? BOSUN_OK : BOSUN_ENOMEM;
}

static int parse_value(struct tp *t, int depth, json_t **out)
{
	if (depth > TOML_LOCK_MAX_DEPTH)
		return fail(t, BOSUN_ELIMIT, "values nested deeper than %d levels", TOML_LOCK_MAX_DEPTH);
	switch (peek(t)) {
	case '"':
	case '\'': return parse_string(t, out);
	case '[': return parse_array(t, depth, out);
	case '{': return parse_inline_table(t, depth, out);
	default: return parse_scalar(t, out);
	}
}

/* ---- lines ---- */

static int header_line(struct tp *t, json_t *root, json_t **cur)
{
	bool array = peek_at(t, 1) == '[';
	t->p += array ? 2 : 1;
	json_t *path = NULL;
	TRY(parse_key(t, &path));
	skip_ws(t);
	int rc = BOSUN_OK;
	if (peek(t) != ']' || (array && peek_at(t, 1) != ']'))
		rc = fail(t, BOSUN_EFORMAT, "unterminated table header");
	else
		t->p += array ? 2 : 1;
	if (rc == BOSUN_OK)
		rc = open_table(t, root, path, array, cur);
	json_decref(path);
	return rc;
}

static int keyval_line(struct tp *t, json_t *cur)
{
	json_t *path = NULL, *v = NULL;
	TRY(parse_key(t, &path));
	skip_ws(t);
	int rc = BOSUN_OK;
	if (peek(t) != '=') {
		rc = fail(t, BOSUN_EFORMAT, "expected '=' after a key");
	} else {
		t->p++;
		skip_ws(t);
		rc = parse_value(t, 0, &v);
		if (rc == BOSUN_OK)
			rc = set_path(t, cur, path, v);
	}
	json_decref(path);
	return rc;
}

static int parse_doc(struct tp *t, json_t *root)
{
	json_t *cur = root;
	if (t->end - t->p >= 3 && memcmp(t->p, "\xef\xbb\xbf", 3) == 0)
		t->p += 3;
	while (more(t)) {
		skip_ws(t);
		skip_comment(t);
		if (!more(t) || eat_newline(t))
			continue;
		if (peek(t) == '[')
			TRY(header_line(t, root, &cur));
		else
			TRY(keyval_line(t, cur));
		TRY(expect_eol(t));
	}
	return BOSUN_OK;
}

int toml_lock_parse(const char *data, size_t n, const char *what, json_t **out, struct berr *e)
{
	*out = NULL;
	if (n > TOML_LOCK_MAX_BYTES)
		return berr_set(e, BOSUN_ELIMIT, "%s: larger than %zu bytes", what, TOML_LOCK_MAX_BYTES);
	struct tp t = { .p = data ? data : "", .end = (data ? data : "") + n, .line = 1, .what = what, .e = e };
	json_t *root = json_object();
	if (!root)
		return BOSUN_ENOMEM;
	int rc = parse_doc(&t, root);
	if (rc != BOSUN_OK) {
		json_decref(root);
		if (rc == BOSUN_ENOMEM)
			berr_set(e, rc, "%s: out of memory", what);
		return rc;
	}
	*out = root;
	return BOSUN_OK;
}
