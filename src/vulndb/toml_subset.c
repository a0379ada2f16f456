/* The TOML subset of RustSec front blocks -> jansson. See toml_subset.h. */
#include "vulndb/toml_subset.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util/buf.h"

struct tp {
	const char *p, *end;
	size_t line, line0;
	const char *what;
	struct berr *e;
	size_t values;
	json_t *root;
	/* Tables that may not be opened again, by path ("a\x1fb"): those named
	 * by a [header], and those written as a { inline table } or created by
	 * a dotted key under one. Value "h" or "v". */
	json_t *closed;
	struct buf str; /* scratch for strings and paths */
};

/* Keys of one path; a path has at most TOML_MAX_DEPTH parts. */
struct keypath {
	json_t *part[TOML_MAX_DEPTH];
	size_t n;
};

static void keypath_free(struct keypath *k)
{
	for (size_t i = 0; i < k->n; i++)
		json_decref(k->part[i]);
	k->n = 0;
}

__attribute__((format(printf, 3, 4))) static int fail(struct tp *t, int code, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return berr_set(t->e, code, "%s: TOML line %zu: %s", t->what, t->line0 + t->line, msg);
}

static bool at_end(const struct tp *t) { return t->p >= t->end; }
static char peek(const struct tp *t) { return at_end(t) ? '\0' : *t->p; }
static char peek2(const struct tp *t) { return t->p + 1 < t->end ? t->p[1] : '\0'; }

static void skip_blanks(struct tp *t)
{
	while (!at_end(t) && (*t->p == ' ' || *t->p == '\t'))
		t->p++;
}

static void skip_comment(struct tp *t)
{
	if (peek(t) == '#')
		while (!at_end(t) && *t->p != '\n')
			t->p++;
}

/* A newline ("\n" or "\r\n"); false if there is none here. */
static bool take_newline(struct tp *t)
{
	if (peek(t) == '\r' && peek2(t) == '\n')
		t->p++;
	if (peek(t) != '\n')
		return false;
	t->p++;
	t->line++;
	return true;
}

/* Blanks, comments and newlines, as allowed between array elements. */
static void skip_space(struct tp *t)
{
	for (;;) {
		skip_blanks(t);
		skip_comment(t);
		if (!take_newline(t))
			return;
	}
}

static int count_value(struct tp *t)
{
	if (++t->values > TOML_MAX_VALUES)
		return fail(t, BOSUN_ELIMIT, "more than %d values", TOML_MAX_VALUES);
	return BOSUN_OK;
}

/* ---- strings ------------------------------------------------------------ */

static int put_utf8(struct tp *t, uint32_t cp)
{
	char b[4];
	size_t n;
	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return fail(t, BOSUN_EFORMAT, "escape \\u%04X is not a Unicode scalar value", (unsigned)cp);
	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | cp >> 6);
		b[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xE0 | cp >> 12);
		b[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		b[0] = (char)(0xF0 | cp >> 18);
		b[1] = (char)(0x80 | (cp >> 12 & 0x3F));
		b[2] = (char)(0x80 | (cp >> 6 & 0x3F));
		b[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	return buf_append(&t->str, b, n) == BOSUN_OK ? BOSUN_OK : fail(t, BOSUN_ENOMEM, "out of memory");
}

static int hex_escape(struct tp *t, int digits)
{
	uint32_t cp = 0;
	for (int i = 0; i < digits; i++) {
		char ch = peek(t);
		int d = ch >= '0' && ch <= '9' ? ch - '0'
			: ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
			: ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
						 : -1;
		if (d < 0)
			return fail(t, BOSUN_EFORMAT, "bad \\%c escape", digits == 4 ? 'u' : 'U');
		cp = cp << 4 | (uint32_t)d;
		t->p++;
	}
	return put_utf8(t, cp);
}

static int escape(struct tp *t)
{
	static const char from[] = "btnfr\"\\", to[] = "\b\t\n\f\r\"\\";
	char ch = peek(t);
	t->p++;
	const char *k = ch ? strchr(from, ch) : NULL;
	if (k)
		return buf_append(&t->str, &to[k - from], 1) == BOSUN_OK ? BOSUN_OK
									 : fail(t, BOSUN_ENOMEM, "out of memory");
	if (ch == 'u')
		return hex_escape(t, 4);
	if (ch == 'U')
		return hex_escape(t, 8);
	return fail(t, BOSUN_EFORMAT, "unknown escape \\%c", ch >= 0x20 && ch < 0x7f ? ch : '?');
}

/* A "basic" or 'literal' string on one line into t->str. */
static int string_body(struct tp *t)
{
	char quote = *t->p++;
	if (peek(t) == quote && peek2(t) == quote)
		return fail(t, BOSUN_EUNSUPPORTED, "multi-line strings are not supported");
	buf_reset(&t->str);
	for (;;) {
		if (at_end(t) || *t->p == '\n' || *t->p == '\r')
			return fail(t, BOSUN_EFORMAT, "unterminated string");
		unsigned char ch = (unsigned char)*t->p;
		if (ch == (unsigned char)quote) {
			t->p++;
			return BOSUN_OK;
		}
		if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
			return fail(t, BOSUN_EFORMAT, "control character 0x%02x in a string", ch);
		if (t->str.len >= TOML_MAX_STRING)
			return fail(t, BOSUN_ELIMIT, "string longer than %zu bytes", TOML_MAX_STRING);
		if (ch == '\\' && quote == '"') {
			t->p++;
			TRY(escape(t));
			continue;
		}
		if (buf_append(&t->str, t->p, 1) != BOSUN_OK)
			return fail(t, BOSUN_ENOMEM, "out of memory");
		t->p++;
	}
}

static int string_value(struct tp *t, json_t **out)
{
	TRY(string_body(t));
	*out = json_stringn(t->str.data ? t->str.data : "", t->str.len);
	return *out ? BOSUN_OK : fail(t, BOSUN_EFORMAT, "string is not valid UTF-8");
}

/* ---- keys --------------------------------------------------------------- */

static bool bare_key_char(char ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' ||
	       ch == '-';
}

static int key_part(struct tp *t, json_t **out)
{
	if (peek(t) == '"' || peek(t) == '\'') {
		TRY(string_body(t));
		/* Paths join parts with \x1f: a part may not hold control characters. */
		for (size_t i = 0; i < t->str.len; i++)
			if ((unsigned char)t->str.data[i] < 0x20)
				return fail(t, BOSUN_EUNSUPPORTED, "control character in a key");
		*out = json_stringn(t->str.data ? t->str.data : "", t->str.len);
		return *out ? BOSUN_OK : fail(t, BOSUN_EFORMAT, "key is not valid UTF-8");
	}
	const char *s = t->p;
	while (!at_end(t) && bare_key_char(*t->p))
		t->p++;
	if (t->p == s)
		return fail(t, BOSUN_EFORMAT, "expected a key");
	*out = json_stringn(s, (size_t)(t->p - s));
	return *out ? BOSUN_OK : fail(t, BOSUN_ENOMEM, "out of memory");
}

/* key ( . key )*, blanks allowed around the dots. On error k is empty. */
static int key_path(struct tp *t, struct keypath *k)
{
	k->n = 0;
	for (;;) {
		int rc = BOSUN_OK;
		if (k->n == TOML_MAX_DEPTH)
			rc = fail(t, BOSUN_ELIMIT, "key with more than %d parts", TOML_MAX_DEPTH);
		skip_blanks(t);
		if (rc == BOSUN_OK)
			rc = key_part(t, &k->part[k->n]);
		if (rc != BOSUN_OK) {
			keypath_free(k);
			return rc;
		}
		k->n++;
		skip_blanks(t);
		if (peek(t) != '.')
			return BOSUN_OK;
		t->p++;
	}
}

/* "a\x1fb\x1fc" for the first n parts of k under prefix. */
static const char *path_string(struct tp *t, const char *prefix, const struct keypath *k, size_t n)
{
	buf_reset(&t->str);
	bool ok = buf_append_str(&t->str, prefix) == BOSUN_OK;
	for (size_t i = 0; ok && i < n; i++) {
		if (t->str.len)
			ok = buf_append(&t->str, "\x1f", 1) == BOSUN_OK;
		ok = ok && buf_append_str(&t->str, json_string_value(k->part[i])) == BOSUN_OK;
	}
	return ok ? t->str.data : NULL;
}

/* The table at the first n parts of k below `from` (whose path is prefix),
 * created when absent. A value that is not a table, or a closed table (an
 * inline one), cannot be extended. */
static int walk_tables(struct tp *t, json_t *from, const char *prefix, const struct keypath *k, size_t n,
		       json_t **out)
{
	json_t *cur = from;
	for (size_t i = 0; i < n; i++) {
		const char *key = json_string_value(k->part[i]);
		json_t *next = json_object_get(cur, key);
		if (!next) {
			next = json_object();
			if (!next || json_object_set_new(cur, key, next) != 0)
				return fail(t, BOSUN_ENOMEM, "out of memory");
		} else if (!json_is_object(next)) {
			return fail(t, BOSUN_EFORMAT, "key \"%s\" is not a table", key);
		} else {
			const char *path = path_string(t, prefix, k, i + 1);
			if (!path)
				return fail(t, BOSUN_ENOMEM, "out of memory");
			const char *how = json_string_value(json_object_get(t->closed, path));
			if (how && how[0] == 'v')
				return fail(t, BOSUN_EFORMAT, "table \"%s\" is an inline table and cannot be extended", key);
		}
		cur = next;
	}
	*out = cur;
	return BOSUN_OK;
}

static int close_path(struct tp *t, const char *path, const char *how)
{
	json_t *v = json_string(how);
	if (!v || json_object_set_new(t->closed, path, v) != 0)
		return fail(t, BOSUN_ENOMEM, "out of memory");
	return BOSUN_OK;
}

/* ---- values ------------------------------------------------------------- */

static int value(struct tp *t, int depth, json_t **out);

static bool delimiter(char ch)
{
	return ch == '\0' || ch == ' ' || ch == '\t' || ch == ',' || ch == ']' || ch == '}' || ch == '#' ||
	       ch == '\n' || ch == '\r';
}

static int integer_value(struct tp *t, json_t **out)
{
	const char *s = t->p;
	bool neg = false;
	if (peek(t) == '+' || peek(t) == '-')
		neg = *t->p++ == '-';
	if (peek(t) == '0' && !delimiter(peek2(t)))
		return fail(t, BOSUN_EUNSUPPORTED, "only decimal integers without leading zeros are supported");
	uint64_t v = 0;
	bool digit = false, under = false;
	while (!at_end(t) && ((*t->p >= '0' && *t->p <= '9') || *t->p == '_')) {
		if (*t->p == '_') {
			if (!digit || under)
				return fail(t, BOSUN_EFORMAT, "misplaced _ in a number");
			under = true;
		} else {
			unsigned d = (unsigned)(*t->p - '0');
			if (v > (UINT64_C(9223372036854775808) - d) / 10)
				return fail(t, BOSUN_EFORMAT, "integer out of range");
			v = v * 10 + d;
			digit = true;
			under = false;
		}
		t->p++;
	}
	if (!digit || under)
		return fail(t, BOSUN_EFORMAT, "bad number");
	if (!delimiter(peek(t)))
		return fail(t, BOSUN_EUNSUPPORTED, "floats, dates and times are not supported: \"%.*s\"",
			    (int)(t->p - s + 1 > 40 ? 40 : t->p - s + 1), s);
	if (!neg && v > INT64_MAX)
		return fail(t, BOSUN_EFORMAT, "integer out of range");
	json_int_t iv = neg ? (json_int_t)(0 - v) : (json_int_t)v;
	*out = json_integer(iv);
	return *out ? BOSUN_OK : fail(t, BOSUN_ENOMEM, "out of memory");
}

static int word_value(struct tp *t, json_t **out)
{
	static const struct {
		const char *w;
		int kind; /* 1 true, 0 false, -1 unsupported */
	} words[] = { { "true", 1 }, { "false", 0 }, { "inf", -1 }, { "nan", -1 } };
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		size_t n = strlen(words[i].w);
		if ((size_t)(t->end - t->p) >= n && memcmp(t->p, words[i].w, n) == 0 &&
		    delimiter(t->p + n < t->end ? t->p[n] : '\0')) {
			if (words[i].kind < 0)
				return fail(t, BOSUN_EUNSUPPORTED, "floats are not supported");
			t->p += n;
			*out = json_boolean(words[i].kind);
			return BOSUN_OK;
		}
	}
	return fail(t, BOSUN_EFORMAT, "expected a value");
}

static int array_value(struct tp *t, int depth, json_t **out)
{
	t->p++; /* [ */
	json_t *a = json_array();
	if (!a)
		return fail(t, BOSUN_ENOMEM, "out of memory");
	for (;;) {
		skip_space(t);
		if (peek(t) == ']')
			break;
		json_t *v = NULL;
		int rc = value(t, depth + 1, &v);
		if (rc == BOSUN_OK && json_array_append_new(a, v) != 0)
			rc = fail(t, BOSUN_ENOMEM, "out of memory");
		if (rc != BOSUN_OK) {
			json_decref(a);
			return rc;
		}
		skip_space(t);
		if (peek(t) == ',') {
			t->p++;
			continue;
		}
		if (peek(t) != ']') {
			json_decref(a);
			return fail(t, BOSUN_EFORMAT, at_end(t) ? "unterminated array" : "expected , or ] in an array");
		}
		break;
	}
	t->p++; /* ] */
	*out = a;
	return BOSUN_OK;
}

static int assign(struct tp *t, json_t *table, const char *prefix, struct keypath *k, json_t *v);

/* { k = v, ... } on one line. */
static int inline_table_value(struct tp *t, int depth, json_t **out)
{
	t->p++; /* { */
	json_t *o = json_object();
	if (!o)
		return fail(t, BOSUN_ENOMEM, "out of memory");
	/* Dotted keys inside get their own closed-path namespace, unique per
	 * inline table, so they never collide with the document's. */
	char prefix[32];
	snprintf(prefix, sizeof prefix, "\x1e%zu", t->values);
	skip_blanks(t);
	int rc = BOSUN_OK;
	if (peek(t) == '}') {
		t->p++;
		*out = o;
		return BOSUN_OK;
	}
	for (;;) {
		struct keypath k;
		rc = key_path(t, &k);
		if (rc == BOSUN_OK) {
			skip_blanks(t);
			if (peek(t) != '=')
				rc = fail(t, BOSUN_EFORMAT, "expected = after a key");
		}
		json_t *v = NULL;
		if (rc == BOSUN_OK) {
			t->p++;
			skip_blanks(t);
			rc = value(t, depth + 1, &v);
		}
		if (rc == BOSUN_OK)
			rc = assign(t, o, prefix, &k, v);
		else
			json_decref(v);
		keypath_free(&k);
		if (rc != BOSUN_OK)
			break;
		skip_blanks(t);
		if (peek(t) == ',') {
			t->p++;
			skip_blanks(t);
			if (peek(t) == '}') {
				rc = fail(t, BOSUN_EFORMAT, "trailing comma in an inline table");
				break;
			}
			if (peek(t) == '\n' || peek(t) == '\r' || peek(t) == '#') {
				rc = fail(t, BOSUN_EFORMAT, "an inline table must fit on one line");
				break;
			}
			continue;
		}
		if (peek(t) == '}') {
			t->p++;
			break;
		}
		rc = fail(t, BOSUN_EFORMAT, "expected , or } in an inline table (which must fit on one line)");
		break;
	}
	if (rc != BOSUN_OK) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return BOSUN_OK;
}

static int value(struct tp *t, int depth, json_t **out)
{
	if (depth > TOML_MAX_DEPTH)
		return fail(t, BOSUN_ELIMIT, "values nested more than %d deep", TOML_MAX_DEPTH);
	TRY(count_value(t));
	char ch = peek(t);
	if (ch == '"' || ch == '\'')
		return string_value(t, out);
	if (ch == '[')
		return array_value(t, depth, out);
	if (ch == '{')
		return inline_table_value(t, depth, out);
	if ((ch >= '0' && ch <= '9') || ch == '+' || ch == '-')
		return integer_value(t, out);
	return word_value(t, out);
}

/* table[k...] = v; v is consumed in every case. Inline tables are closed:
 * nothing may be added to them later. */
static int assign(struct tp *t, json_t *table, const char *prefix, struct keypath *k, json_t *v)
{
	json_t *dest;
	int rc = walk_tables(t, table, prefix, k, k->n - 1, &dest);
	const char *key = json_string_value(k->part[k->n - 1]);
	if (rc == BOSUN_OK && json_object_get(dest, key))
		rc = fail(t, BOSUN_EFORMAT, "duplicate key \"%s\"", key);
	if (rc == BOSUN_OK && json_is_object(v)) {
		const char *path = path_string(t, prefix, k, k->n);
		rc = path ? close_path(t, path, "v") : fail(t, BOSUN_ENOMEM, "out of memory");
	}
	if (rc != BOSUN_OK) {
		json_decref(v);
		return rc;
	}
	if (json_object_set_new(dest, key, v) != 0)
		return fail(t, BOSUN_ENOMEM, "out of memory");
	return BOSUN_OK;
}

/* ---- lines -------------------------------------------------------------- */

/* [a.b] makes a.b the current table. */
static int header(struct tp *t, json_t **cur, char *cur_path, size_t cur_cap)
{
	t->p++; /* [ */
	if (peek(t) == '[')
		return fail(t, BOSUN_EUNSUPPORTED, "arrays of tables are not supported");
	struct keypath k;
	int rc = key_path(t, &k);
	if (rc == BOSUN_OK && peek(t) != ']')
		rc = fail(t, BOSUN_EFORMAT, "expected ] after a table name");
	if (rc == BOSUN_OK) {
		t->p++;
		rc = walk_tables(t, t->root, "", &k, k.n, cur);
	}
	const char *path = rc == BOSUN_OK ? path_string(t, "", &k, k.n) : NULL;
	if (rc == BOSUN_OK && !path)
		rc = fail(t, BOSUN_ENOMEM, "out of memory");
	if (rc == BOSUN_OK && json_object_get(t->closed, path))
		rc = fail(t, BOSUN_EFORMAT, "table [%s] defined twice", json_string_value(k.part[k.n - 1]));
	if (rc == BOSUN_OK && strlen(path) >= cur_cap)
		rc = fail(t, BOSUN_ELIMIT, "table name too long");
	if (rc == BOSUN_OK) {
		snprintf(cur_path, cur_cap, "%s", path);
		rc = close_path(t, cur_path, "h");
	}
	keypath_free(&k);
	return rc;
}

static int key_value(struct tp *t, json_t *cur, const char *cur_path)
{
	struct keypath k;
	TRY(key_path(t, &k));
	int rc = BOSUN_OK;
	if (peek(t) != '=')
		rc = fail(t, BOSUN_EFORMAT, "expected = after a key");
	json_t *v = NULL;
	if (rc == BOSUN_OK) {
		t->p++;
		skip_blanks(t);
		rc = value(t, 0, &v);
	}
	if (rc == BOSUN_OK)
		rc = assign(t, cur, cur_path, &k, v);
	keypath_free(&k);
	return rc;
}

static int document(struct tp *t)
{
	json_t *cur = t->root;
	char cur_path[1024] = "";
	for (;;) {
		skip_blanks(t);
		skip_comment(t);
		if (at_end(t))
			return BOSUN_OK;
		if (take_newline(t))
			continue;
		if (peek(t) == '[')
			TRY(header(t, &cur, cur_path, sizeof cur_path));
		else
			TRY(key_value(t, cur, cur_path));
		skip_blanks(t);
		skip_comment(t);
		if (!at_end(t) && !take_newline(t))
			return fail(t, BOSUN_EFORMAT, "expected the end of the line");
	}
}

int toml_subset_parse(const char *data, size_t n, const char *what, size_t line0, json_t **out, struct berr *e)
{
	*out = NULL;
	if (n > TOML_MAX_BYTES)
		return berr_set(e, BOSUN_ELIMIT, "%s: TOML block of %zu bytes, more than %zu", what, n, TOML_MAX_BYTES);
	struct tp t = { data, data + n, 1, line0, what, e, 0, json_object(), json_object(), { 0 } };
	int rc;
	if (!t.root || !t.closed)
		rc = berr_set(e, BOSUN_ENOMEM, "out of memory");
	else if (memchr(data, '\0', n))
		rc = fail(&t, BOSUN_EFORMAT, "NUL byte");
	else
		rc = document(&t);
	buf_free(&t.str);
	json_decref(t.closed);
	if (rc != BOSUN_OK) {
		json_decref(t.root);
		return rc;
	}
	*out = t.root;
	return BOSUN_OK;
}
