/* Dispatch to the four writers, and what they share: per-document values
 * (timestamp, UUID), UTF-8-safe jansson glue and unique-id allocation. */
#define SBOM_WRITER_INTERNAL
#include "sbom/writer.h"
#include "sbom/purl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

typedef int (*writer_fn)(const struct sbom_ctx *c, FILE *out, struct berr *e);

static const struct {
	const char *name;
	writer_fn write;
} formats[SBOM_FORMAT_COUNT] = {
	[SBOM_TABLE] = { "table", sbom_write_table },
	[SBOM_JSON] = { "json", sbom_write_json },
	[SBOM_CYCLONEDX] = { "cyclonedx", sbom_write_cyclonedx },
	[SBOM_SPDX_JSON] = { "spdx-json", sbom_write_spdx },
};

int sbom_format_parse(const char *name, enum sbom_format *out)
{
	for (int f = 0; name && f < SBOM_FORMAT_COUNT; f++) {
		if (strcmp(name, formats[f].name) == 0) {
			*out = (enum sbom_format)f;
			return BOSUN_OK;
		}
	}
	return BOSUN_EUSAGE;
}

const char *sbom_format_name(enum sbom_format f)
{
	return (unsigned)f < SBOM_FORMAT_COUNT ? formats[f].name : "unknown";
}

const char *sbom_format_names(void) { return "table, json, cyclonedx, spdx-json"; }

/* ---- per-document values ----------------------------------------------------- */

static int random_uuid(char out[40], struct berr *e)
{
	unsigned char r[16];
	size_t got = 0;
	while (got < sizeof r) {
		ssize_t n = getrandom(r + got, sizeof r - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return berr_set(e, BOSUN_EIO, "getrandom: %s", strerror(errno));
		got += (size_t)n;
	}
	r[6] = (unsigned char)((r[6] & 0x0f) | 0x40); /* version 4 */
	r[8] = (unsigned char)((r[8] & 0x3f) | 0x80); /* RFC 4122 variant */
	snprintf(out, 40, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12],
		 r[13], r[14], r[15]);
	return BOSUN_OK;
}

static int format_time(int64_t secs, char out[32], struct berr *e)
{
	time_t t = secs ? (time_t)secs : time(NULL);
	struct tm tm;
	if (!gmtime_r(&t, &tm) || strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return berr_set(e, BOSUN_EUSAGE, "timestamp %lld out of range", (long long)secs);
	return BOSUN_OK;
}

/* Targets scanned here say by their kind; a target read back from an SBOM
 * (kind "cyclonedx" or "spdx") is an image when the document identified
 * one: an image ID, a manifest digest or layers. */
static bool target_is_image(const struct artifact *a)
{
	bool identified = a->image_id != NULL || a->manifest_digest != NULL;
	if (!a->target_kind)
		return identified;
	if (strcmp(a->target_kind, "cyclonedx") == 0 || strcmp(a->target_kind, "spdx") == 0)
		return identified || a->nlayers > 0;
	return strcmp(a->target_kind, "rootfs") != 0 && strcmp(a->target_kind, "fs") != 0;
}

const struct layer_info *sbom_pkg_layer(const struct sbom_ctx *c, const struct package *p)
{
	if (!c->is_image || p->layer < 0 || (size_t)p->layer >= c->a->nlayers)
		return NULL;
	return &c->a->layers[p->layer];
}

const char *sbom_target_name(const struct sbom_ctx *c)
{
	if (c->a->name && c->a->name[0])
		return c->a->name;
	if (c->a->target && c->a->target[0])
		return c->a->target;
	return "unknown";
}

int sbom_write_opts(const struct artifact *a, enum sbom_format f, const struct sbom_options *o,
		    FILE *out, struct berr *e)
{
	if ((unsigned)f >= SBOM_FORMAT_COUNT)
		return berr_set(e, BOSUN_EUSAGE, "unknown output format %d", (int)f);
	struct arena ar = { 0 };
	struct sbom_ctx c;
	int rc = sbom_ctx_init(&c, a, &ar, o, f != SBOM_TABLE && f != SBOM_JSON, e);
	if (rc == BOSUN_OK)
		rc = formats[f].write(&c, out, e);
	arena_free(&ar);
	return rc;
}

int sbom_ctx_init(struct sbom_ctx *c, const struct artifact *a, struct arena *ar, const struct sbom_options *o,
		  bool need_uuid, struct berr *e)
{
	memset(c, 0, sizeof *c);
	c->a = a;
	c->ar = ar;
	c->is_image = target_is_image(a);
	int rc = format_time(o ? o->created : 0, c->created, e);
	if (rc == BOSUN_OK && o && o->uuid)
		snprintf(c->uuid, sizeof c->uuid, "%s", o->uuid);
	else if (rc == BOSUN_OK && need_uuid)
		rc = random_uuid(c->uuid, e);
	return rc;
}

int sbom_write(const struct artifact *a, enum sbom_format f, FILE *out, struct berr *e)
{
	return sbom_write_opts(a, f, NULL, out, e);
}

/* ---- jansson glue ------------------------------------------------------------ */

/* RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF. */
size_t sbom_utf8_seq(const unsigned char *s, size_t left)
{
	unsigned char c = s[0];
	size_t n;
	unsigned char lo = 0x80, hi = 0xbf;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	if (left < n || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

json_t *sbom_jstr(const char *s)
{
	if (!s)
		return json_null();
	json_t *j = json_string(s);
	if (j)
		return j;
	/* Invalid UTF-8 (or ENOMEM): repair and retry once. */
	struct buf b = { 0 };
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s);
	int rc = BOSUN_OK;
	for (size_t i = 0; i < len && rc == BOSUN_OK;) {
		size_t n = sbom_utf8_seq(p + i, len - i);
		rc = n ? buf_append(&b, p + i, n) : buf_append(&b, "\xef\xbf\xbd", 3);
		i += n ? n : 1;
	}
	if (rc == BOSUN_OK)
		j = json_stringn(b.data ? b.data : "", b.len);
	buf_free(&b);
	return j;
}

int sbom_jset(json_t *obj, const char *key, json_t *v)
{
	if (!v || json_object_set_new(obj, key, v) != 0)
		return BOSUN_ENOMEM;
	return BOSUN_OK;
}

int sbom_jset_str(json_t *obj, const char *key, const char *s)
{
	return sbom_jset(obj, key, sbom_jstr(s));
}

int sbom_jset_opt(json_t *obj, const char *key, const char *s)
{
	if (!s || !s[0])
		return BOSUN_OK;
	return sbom_jset(obj, key, sbom_jstr(s));
}

int sbom_jappend(json_t *arr, json_t *v)
{
	if (!v || json_array_append_new(arr, v) != 0)
		return BOSUN_ENOMEM;
	return BOSUN_OK;
}

int sbom_jdump(const json_t *doc, FILE *out, struct berr *e)
{
	errno = 0;
	if (json_dumpf(doc, out, JSON_INDENT(2)) != 0 || fputc('\n', out) == EOF || fflush(out) != 0 ||
	    ferror(out))
		return berr_set(e, BOSUN_EIO, "writing output: %s", errno ? strerror(errno) : "failed");
	return BOSUN_OK;
}

/* ---- unique identifiers -------------------------------------------------------- */

uint32_t sbom_hash32(const char *s)
{
	uint32_t h = 2166136261u;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		h ^= *p;
		h *= 16777619u;
	}
	return h;
}

static bool idset_grow(struct sbom_idset *s)
{
	size_t cap = s->cap ? s->cap * 2 : 256;
	const char **slot = calloc(cap, sizeof *slot);
	if (!slot)
		return false;
	for (size_t i = 0; i < s->cap; i++) {
		if (!s->slot[i])
			continue;
		size_t j = sbom_hash32(s->slot[i]) & (cap - 1);
		while (slot[j])
			j = (j + 1) & (cap - 1);
		slot[j] = s->slot[i];
	}
	free(s->slot);
	s->slot = slot;
	s->cap = cap;
	return true;
}

/* Records id unless present; false when it was already there. */
static bool idset_insert(struct sbom_idset *s, const char *id)
{
	size_t j = sbom_hash32(id) & (s->cap - 1);
	for (; s->slot[j]; j = (j + 1) & (s->cap - 1))
		if (strcmp(s->slot[j], id) == 0)
			return false;
	s->slot[j] = id;
	s->n++;
	return true;
}

const char *sbom_idset_claim(struct sbom_idset *s, struct arena *ar, const char *base, const char *sep)
{
	if ((s->n + 1) * 2 > s->cap && !idset_grow(s))
		return NULL;
	const char *id = arena_strdup(ar, base);
	for (unsigned k = 2; id; k++) {
		if (idset_insert(s, id))
			return id;
		id = arena_printf(ar, "%s%s%u", base, sep, k);
	}
	return NULL;
}

bool sbom_idset_has(const struct sbom_idset *s, const char *id)
{
	if (s->cap == 0)
		return false;
	for (size_t j = sbom_hash32(id) & (s->cap - 1); s->slot[j]; j = (j + 1) & (s->cap - 1))
		if (strcmp(s->slot[j], id) == 0)
			return true;
	return false;
}

void sbom_idset_free(struct sbom_idset *s)
{
	free(s->slot);
	memset(s, 0, sizeof *s);
}

/* ---- bosun-specific properties ------------------------------------------------- */

int sbom_props_add(struct sbom_props *ps, const char *name, const char *value)
{
	if (!value || !value[0])
		return BOSUN_OK;
	if (ps->n == ps->cap) {
		size_t cap = ps->cap ? ps->cap * 2 : 16;
		struct sbom_prop *v = realloc(ps->v, cap * sizeof *v);
		if (!v)
			return BOSUN_ENOMEM;
		ps->v = v;
		ps->cap = cap;
	}
	ps->v[ps->n++] = (struct sbom_prop){ name, value };
	return BOSUN_OK;
}

void sbom_props_free(struct sbom_props *ps)
{
	free(ps->v);
	memset(ps, 0, sizeof *ps);
}

/* arena_printf that reports ENOMEM through TRY. */
static int add_fmt(const struct sbom_ctx *c, struct sbom_props *ps, const char *name, const char *fmt,
		   unsigned long long v)
{
	char *s = arena_printf(c->ar, fmt, v);
	return s ? sbom_props_add(ps, name, s) : BOSUN_ENOMEM;
}

int sbom_target_props(const struct sbom_ctx *c, struct sbom_props *ps)
{
	const struct artifact *a = c->a;
	TRY(sbom_props_add(ps, "bosun:target", a->target));
	TRY(sbom_props_add(ps, "bosun:target_kind", a->target_kind));
	if (!c->is_image)
		return BOSUN_OK;
	TRY(sbom_props_add(ps, "bosun:image:id", a->image_id));
	TRY(sbom_props_add(ps, "bosun:image:manifest_digest", a->manifest_digest));
	for (size_t i = 0; i < a->nrepo_tags; i++)
		TRY(sbom_props_add(ps, "bosun:image:repo_tag", a->repo_tags[i]));
	TRY(sbom_props_add(ps, "bosun:image:architecture", a->architecture));
	TRY(sbom_props_add(ps, "bosun:image:variant", a->variant));
	TRY(sbom_props_add(ps, "bosun:image:os", a->os_name));
	TRY(sbom_props_add(ps, "bosun:image:created", a->created));
	/* One per layer, bottom first: the order is the layer index. */
	for (size_t i = 0; i < a->nlayers; i++)
		TRY(sbom_props_add(ps, "bosun:image:diffID", a->layers[i].diff_id));
	return BOSUN_OK;
}

int sbom_os_props(const struct sbom_ctx *c, struct sbom_props *ps)
{
	const struct os_info *os = &c->a->os;
	TRY(sbom_props_add(ps, "bosun:os:version", os->version));
	TRY(sbom_props_add(ps, "bosun:os:codename", os->codename));
	TRY(sbom_props_add(ps, "bosun:os:id_like", os->id_like));
	TRY(sbom_props_add(ps, "bosun:os:family", os->family));
	TRY(sbom_props_add(ps, "bosun:os:source", os->source));
	if (os->distroless)
		TRY(sbom_props_add(ps, "bosun:os:distroless", "true"));
	return BOSUN_OK;
}

int sbom_pkg_props(const struct sbom_ctx *c, const struct package *p, struct sbom_props *ps)
{
	TRY(sbom_props_add(ps, "bosun:arch", p->arch));
	TRY(sbom_props_add(ps, "bosun:source_name", p->source_name));
	TRY(sbom_props_add(ps, "bosun:source_version", p->source_version));
	TRY(sbom_props_add(ps, "bosun:maintainer", p->maintainer));
	TRY(sbom_props_add(ps, "bosun:vendor", p->vendor));
	TRY(sbom_props_add(ps, "bosun:modularity_label", p->modularity));
	TRY(sbom_props_add(ps, "bosun:commit", p->commit));
	TRY(sbom_props_add(ps, "bosun:found_in", p->found_in));
	TRY(sbom_props_add(ps, "bosun:owner", p->owner));
	TRY(sbom_props_add(ps, "bosun:relationship", p->relationship));
	if (p->dev)
		TRY(sbom_props_add(ps, "bosun:dev", "true"));
	const struct layer_info *l = sbom_pkg_layer(c, p);
	if (l) {
		TRY(add_fmt(c, ps, "bosun:layer:index", "%llu", (unsigned long long)p->layer));
		TRY(sbom_props_add(ps, "bosun:layer:diffID", l->diff_id));
		TRY(sbom_props_add(ps, "bosun:layer:digest", l->digest));
	}
	return BOSUN_OK;
}

const char *sbom_pkg_purl(const struct sbom_ctx *c, const struct package *p)
{
	return p->purl ? p->purl : purl_for_package(c->ar, p, &c->a->os);
}
