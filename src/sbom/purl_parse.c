/* Package URL parsing, for SBOMs read back. The order of the steps is the
 * spec's ("How to parse a purl string in its components"): subpath, then
 * qualifiers, scheme, type, version, name, namespace. Producers do not all
 * encode what the spec says they must (Syft leaves '+' literal, Trivy writes
 * "@scope" unencoded in npm namespaces), so decoding accepts any octet that
 * is not a separator, and '@' only ends the name when it comes after the
 * last '/'. Input is bounded (PURL_MAX_LEN) and every step is linear. */
#include "sbom/purl.h"

#include <string.h>
#include <strings.h>

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decodes s[0..n) into the arena. A NUL octet is refused (strings
 * here are C strings), and so is '/' when the piece is one path segment. */
static int decode(struct arena *ar, const char *s, size_t n, bool segment, const char **out, const char **why)
{
	char *d = arena_alloc(ar, n + 1);
	if (!d)
		return BOSUN_ENOMEM;
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '%') {
			int hi = i + 2 < n ? hexval(s[i + 1]) : -1;
			int lo = i + 2 < n ? hexval(s[i + 2]) : -1;
			if (hi < 0 || lo < 0) {
				*why = "bad percent-encoding";
				return BOSUN_EFORMAT;
			}
			c = (char)(hi * 16 + lo);
			i += 2;
			if (c == '\0') {
				*why = "percent-encoded NUL";
				return BOSUN_EFORMAT;
			}
			if (segment && c == '/') {
				*why = "encoded '/' inside a namespace segment";
				return BOSUN_EFORMAT;
			}
		}
		d[o++] = c;
	}
	d[o] = '\0';
	*out = d;
	return BOSUN_OK;
}

/* Splits a '/'-separated path into decoded, non-empty segments joined by
 * '/'. With drop_dots, "." and ".." segments go too (the subpath rule). */
static int decode_path(struct arena *ar, const char *s, size_t n, bool drop_dots, const char **out, const char **why)
{
	char *d = arena_alloc(ar, n + 1);
	if (!d)
		return BOSUN_ENOMEM;
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		const char *slash = memchr(s + i, '/', n - i);
		size_t len = slash ? (size_t)(slash - (s + i)) : n - i;
		const char *seg;
		if (len > 0) {
			TRY(decode(ar, s + i, len, true, &seg, why));
			bool dots = strcmp(seg, ".") == 0 || strcmp(seg, "..") == 0;
			if (!(drop_dots && dots)) {
				size_t sl = strlen(seg);
				if (o)
					d[o++] = '/';
				memcpy(d + o, seg, sl);
				o += sl;
			}
		}
		i += len + 1;
	}
	d[o] = '\0';
	*out = o ? d : NULL;
	return BOSUN_OK;
}

static bool type_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '+' ||
	       c == '-';
}

static bool key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
}

static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

static int parse_type(struct arena *ar, const char *s, size_t n, struct purl *out, const char **why)
{
	if (n == 0 || (s[0] >= '0' && s[0] <= '9')) {
		*why = "missing or invalid type";
		return BOSUN_EFORMAT;
	}
	char *t = arena_strndup(ar, s, n);
	if (!t)
		return BOSUN_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		if (!type_char(t[i])) {
			*why = "invalid character in type";
			return BOSUN_EFORMAT;
		}
		t[i] = lower(t[i]);
	}
	out->type = t;
	return BOSUN_OK;
}

static int add_qualifier(struct arena *ar, const char *s, size_t n, struct purl *out, const char **why)
{
	const char *eq = memchr(s, '=', n);
	if (!eq || eq == s) {
		*why = "qualifier without key=value";
		return BOSUN_EFORMAT;
	}
	size_t kn = (size_t)(eq - s);
	char *key = arena_strndup(ar, s, kn);
	if (!key)
		return BOSUN_ENOMEM;
	for (size_t i = 0; i < kn; i++) {
		key[i] = lower(key[i]);
		if (!key_char(key[i])) {
			*why = "invalid qualifier key";
			return BOSUN_EFORMAT;
		}
	}
	for (size_t i = 0; i < out->nq; i++) {
		if (strcmp(out->q[i].key, key) == 0) {
			*why = "qualifier given twice";
			return BOSUN_EFORMAT;
		}
	}
	const char *value;
	TRY(decode(ar, eq + 1, n - kn - 1, false, &value, why));
	if (!value[0])
		return BOSUN_OK; /* the spec drops empty values */
	if (out->nq == PURL_MAX_QUALIFIERS) {
		*why = "too many qualifiers";
		return BOSUN_ELIMIT;
	}
	out->q[out->nq++] = (struct purl_qualifier){ key, value };
	return BOSUN_OK;
}

static int parse_qualifiers(struct arena *ar, const char *s, size_t n, struct purl *out, const char **why)
{
	for (size_t i = 0; i < n;) {
		const char *amp = memchr(s + i, '&', n - i);
		size_t len = amp ? (size_t)(amp - (s + i)) : n - i;
		if (len > 0)
			TRY(add_qualifier(ar, s + i, len, out, why));
		i += len + 1;
	}
	return BOSUN_OK;
}

/* "namespace/name@version", with '/' already stripped at both ends. */
static int parse_path(struct arena *ar, const char *s, size_t n, struct purl *out, const char **why)
{
	const char *last_slash = NULL;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '/')
			last_slash = s + i;
	const char *name = last_slash ? last_slash + 1 : s;
	size_t name_n = n - (size_t)(name - s);
	const char *at = NULL;
	for (size_t i = 0; i < name_n; i++)
		if (name[i] == '@')
			at = name + i;
	if (at) {
		TRY(decode(ar, at + 1, name_n - (size_t)(at - name) - 1, false, &out->version, why));
		if (!out->version[0])
			out->version = NULL;
		name_n = (size_t)(at - name);
	}
	TRY(decode(ar, name, name_n, false, &out->name, why));
	if (!out->name[0]) {
		*why = "empty name";
		return BOSUN_EFORMAT;
	}
	if (last_slash)
		TRY(decode_path(ar, s, (size_t)(last_slash - s), false, &out->ns, why));
	return BOSUN_OK;
}

static int parse(struct arena *ar, const char *s, size_t n, struct purl *out, const char **why)
{
	const char *hash = memchr(s, '#', n);
	if (hash) {
		TRY(decode_path(ar, hash + 1, n - (size_t)(hash - s) - 1, true, &out->subpath, why));
		n = (size_t)(hash - s);
	}
	const char *q = memchr(s, '?', n);
	if (q) {
		TRY(parse_qualifiers(ar, q + 1, n - (size_t)(q - s) - 1, out, why));
		n = (size_t)(q - s);
	}
	if (n < 4 || strncasecmp(s, "pkg:", 4) != 0) {
		*why = "no pkg: scheme";
		return BOSUN_EFORMAT;
	}
	size_t i = 4;
	while (i < n && s[i] == '/')
		i++;
	const char *slash = memchr(s + i, '/', n - i);
	if (!slash) {
		*why = "no name";
		return BOSUN_EFORMAT;
	}
	TRY(parse_type(ar, s + i, (size_t)(slash - (s + i)), out, why));
	i = (size_t)(slash - s) + 1;
	while (i < n && s[i] == '/')
		i++;
	while (n > i && s[n - 1] == '/')
		n--;
	return parse_path(ar, s + i, n - i, out, why);
}

int purl_parse(struct arena *ar, const char *s, struct purl *out, struct berr *e)
{
	memset(out, 0, sizeof *out);
	size_t n = strnlen(s, PURL_MAX_LEN + 1);
	if (n > PURL_MAX_LEN)
		return berr_set(e, BOSUN_ELIMIT, "purl longer than %d bytes", PURL_MAX_LEN);
	const char *why = "out of memory";
	int rc = parse(ar, s, n, out, &why);
	if (rc == BOSUN_ENOMEM)
		return berr_set(e, rc, "parsing purl: out of memory");
	if (rc != BOSUN_OK)
		return berr_set(e, rc, "invalid purl \"%.120s\": %s", s, why);
	return BOSUN_OK;
}

const char *purl_qualifier(const struct purl *p, const char *key)
{
	for (size_t i = 0; i < p->nq; i++)
		if (strcmp(p->q[i].key, key) == 0)
			return p->q[i].value;
	return NULL;
}
