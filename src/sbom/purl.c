/* Package URLs. Encoding follows ECMA-427 ("Character encoding"): only the
 * alphanumerics, ". - _ ~" and ":" stay literal. Type rules follow the purl
 * type definitions for deb, apk and rpm; where Trivy and Syft differ from
 * them, the spec wins (see docs/formats.md). */
#include "sbom/purl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/err.h"

/* ASCII only, whatever the locale: purls are defined on octets. */
static bool ascii_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

static bool purl_literal(unsigned char c)
{
	return ascii_alnum(c) || c == '.' || c == '-' || c == '_' || c == '~' || c == ':';
}

static int encode_n(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < n; i++) {
		if (purl_literal(p[i])) {
			TRY(buf_append(b, &p[i], 1));
			continue;
		}
		char t[3] = { '%', hex[p[i] >> 4], hex[p[i] & 15] };
		TRY(buf_append(b, t, 3));
	}
	return BOSUN_OK;
}

static int encode_into(struct buf *b, const char *s) { return encode_n(b, s, strlen(s)); }

char *purl_encode(struct arena *ar, const char *s)
{
	struct buf b = { 0 };
	char *out = NULL;
	if (encode_into(&b, s ? s : "") == BOSUN_OK)
		out = arena_strndup(ar, b.data ? b.data : "", b.len);
	buf_free(&b);
	return out;
}

/* Namespace segments are encoded one by one; empty segments are dropped
 * (the spec strips them when parsing, so they cannot round-trip). */
static int encode_namespace(struct buf *b, const char *ns)
{
	const char *p = ns;
	while (*p) {
		size_t n = strcspn(p, "/");
		if (n > 0) {
			TRY(encode_n(b, p, n));
			TRY(buf_append(b, "/", 1));
		}
		p += n + (p[n] == '/');
	}
	return BOSUN_OK;
}

static int cmp_qualifier(const void *x, const void *y)
{
	const struct purl_qualifier *a = x, *b = y;
	return strcmp(a->key, b->key);
}

static int encode_qualifiers(struct buf *b, const struct purl_qualifier *q, size_t nq)
{
	struct purl_qualifier sorted[16];
	size_t n = 0;
	for (size_t i = 0; i < nq; i++) {
		if (!q[i].value || !q[i].value[0])
			continue;
		if (n == sizeof sorted / sizeof *sorted)
			return BOSUN_ELIMIT;
		sorted[n++] = q[i];
	}
	qsort(sorted, n, sizeof *sorted, cmp_qualifier);
	for (size_t i = 0; i < n; i++) {
		TRY(buf_append(b, i ? "&" : "?", 1));
		TRY(buf_append_str(b, sorted[i].key));
		TRY(buf_append(b, "=", 1));
		TRY(encode_into(b, sorted[i].value));
	}
	return BOSUN_OK;
}

static int build_into(struct buf *b, const char *type, const char *ns, const char *name,
		      const char *version, const struct purl_qualifier *q, size_t nq)
{
	TRY(buf_append_str(b, "pkg:"));
	for (const char *t = type; *t; t++) {
		char c = ascii_lower(*t);
		TRY(buf_append(b, &c, 1));
	}
	TRY(buf_append(b, "/", 1));
	if (ns)
		TRY(encode_namespace(b, ns));
	TRY(encode_into(b, name));
	if (version && version[0]) {
		TRY(buf_append(b, "@", 1));
		TRY(encode_into(b, version));
	}
	return encode_qualifiers(b, q, nq);
}

char *purl_build(struct arena *ar, const char *type, const char *ns, const char *name,
		 const char *version, const struct purl_qualifier *q, size_t nq)
{
	struct buf b = { 0 };
	char *out = NULL;
	if (build_into(&b, type, ns, name ? name : "", version, q, nq) == BOSUN_OK)
		out = arena_strndup(ar, b.data, b.len);
	buf_free(&b);
	return out;
}

/* ---- which OS a package belongs to ---------------------------------------- */

static bool in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return true;
	return false;
}

/* os-release IDs (and ID_LIKE words) of distributions by native format. An
 * OS not listed is assumed to match any format: a vendor we do not know is
 * still the best namespace for its own packages. */
static const char *const deb_os[] = { "debian", "ubuntu", "linuxmint", "pop", "kali", "raspbian",
	"devuan", "elementary", "neon", "pureos", "parrot", "deepin", "zorin", NULL };
static const char *const apk_os[] = { "alpine", "wolfi", "chainguard", "postmarketos", "adelie", NULL };
static const char *const rpm_os[] = { "rhel", "centos", "fedora", "rocky", "almalinux", "amzn", "ol",
	"sles", "sled", "sles_sap", "sle-micro", "sl-micro", "sle-micro-rancher", "suse", "opensuse",
	"opensuse-leap", "opensuse-tumbleweed", "opensuse-microos", "mariner", "azurelinux", "photon",
	"openeuler", "euleros", "anolis", "alinux", "circle", "eurolinux", "navix", "scientific",
	"rhcos", "mageia", "openmandriva", NULL };

static const char *const *os_list(enum pkg_type t)
{
	switch (t) {
	case PKG_DEB: return deb_os;
	case PKG_APK: return apk_os;
	case PKG_RPM: return rpm_os;
	default: break;
	}
	return NULL;
}

/* Does the word (ID or one word of ID_LIKE) belong to format t's list? */
static bool word_is(const char *w, size_t n, enum pkg_type t)
{
	char tmp[64];
	if (n == 0 || n >= sizeof tmp || !os_list(t))
		return false;
	for (size_t i = 0; i < n; i++)
		tmp[i] = ascii_lower(w[i]);
	tmp[n] = '\0';
	return in_list(tmp, os_list(t));
}

static bool os_is(const struct os_info *os, enum pkg_type t)
{
	if (word_is(os->id, strlen(os->id), t))
		return true;
	for (const char *p = os->id_like ? os->id_like : ""; *p;) {
		size_t n = strcspn(p, " \t,");
		if (word_is(p, n, t))
			return true;
		p += n + (p[n] != '\0');
	}
	return false;
}

bool purl_os_applies(const struct package *p, const struct os_info *os)
{
	/* Language packages belong to an application, not to the OS. */
	if (!pkg_type_is_os(p->type) || !os || !os->found || !os->id || !os->id[0])
		return false;
	if (os_is(os, p->type))
		return true;
	for (int t = 0; t < PKG_TYPE_COUNT; t++)
		if (t != (int)p->type && pkg_type_is_os((enum pkg_type)t) && os_is(os, (enum pkg_type)t))
			return false;
	return true;
}

/* ---- namespaces -------------------------------------------------------------- */

/* rpm vendors whose os-release ID is not the usual vendor name. */
static const char *rpm_vendor_for_id(const char *id)
{
	static const struct { const char *id, *ns; } map[] = {
		{ "rhel", "redhat" }, { "amzn", "amazon" }, { "ol", "oracle" },
		{ "sled", "sles" }, { "sles_sap", "sles" }, { "sle-micro", "sles" }, { "sl-micro", "sles" }, { "sle-micro-rancher", "sles" },
		{ "opensuse-leap", "opensuse" }, { "opensuse-tumbleweed", "opensuse" },
		{ "opensuse-microos", "opensuse" },
	};
	for (size_t i = 0; i < sizeof map / sizeof *map; i++)
		if (strcmp(id, map[i].id) == 0)
			return map[i].ns;
	return id;
}

static bool contains_ci(const char *hay, const char *needle)
{
	return hay && strcasestr(hay, needle) != NULL;
}

/* Without a usable OS, the package's own metadata often names its vendor.
 * Order matters: "openSUSE" before "SUSE". */
static const char *rpm_vendor_guess(const struct package *p)
{
	static const struct { const char *needle, *ns; } map[] = {
		{ "Red Hat", "redhat" }, { "CentOS", "centos" }, { "Fedora", "fedora" },
		{ "Rocky", "rocky" }, { "AlmaLinux", "almalinux" }, { "Amazon", "amazon" },
		{ "Oracle", "oracle" }, { "openSUSE", "opensuse" }, { "SUSE", "sles" },
		{ "Microsoft", "mariner" }, { "VMware", "photon" },
	};
	for (size_t i = 0; i < sizeof map / sizeof *map; i++)
		if (contains_ci(p->vendor, map[i].needle))
			return map[i].ns;
	return "redhat";
}

static const char *deb_vendor_guess(const struct package *p)
{
	if (contains_ci(p->version, "ubuntu") || contains_ci(p->maintainer, "ubuntu.com"))
		return "ubuntu";
	return "debian";
}

static const char *namespace_for(const struct package *p, const struct os_info *os, bool use_os)
{
	if (use_os)
		return p->type == PKG_RPM ? rpm_vendor_for_id(os->id) : os->id;
	switch (p->type) {
	case PKG_DEB: return deb_vendor_guess(p);
	case PKG_APK: return "alpine";
	case PKG_RPM: return rpm_vendor_guess(p);
	default: break;
	}
	return NULL;
}

/* ---- versions and qualifiers -------------------------------------------------- */

/* Length of a leading "N:" epoch prefix, 0 if there is none. */
static size_t epoch_prefix_len(const char *v)
{
	size_t n = 0;
	while (v[n] >= '0' && v[n] <= '9')
		n++;
	return n > 0 && v[n] == ':' ? n + 1 : 0;
}

static int epoch_of(const struct package *p)
{
	if (p->epoch >= 0)
		return p->epoch;
	const char *v = p->version ? p->version : "";
	return epoch_prefix_len(v) ? atoi(v) : -1;
}

/* deb keeps the epoch in the version (spec examples "1:2.4.47-2"); rpm moves
 * it to epoch= (spec: version is version-release); apk has none. */
static char *purl_version(struct arena *ar, const struct package *p)
{
	const char *v = p->version ? p->version : "";
	size_t pre = epoch_prefix_len(v);
	if (p->type == PKG_RPM)
		return arena_strdup(ar, v + pre);
	if (p->type == PKG_DEB && pre == 0 && p->epoch > 0)
		return arena_printf(ar, "%d:%s", p->epoch, v);
	return arena_strdup(ar, v);
}

static char *lower_dup(struct arena *ar, const char *s)
{
	char *d = arena_strdup(ar, s ? s : "");
	for (char *c = d; c && *c; c++)
		*c = ascii_lower(*c);
	return d;
}

/* distro=<id>-<VERSION_ID>, the spec's rpm example form ("fedora-25"), as
 * Syft writes it. Rolling releases without VERSION_ID use the codename. */
static char *distro_for(struct arena *ar, const struct os_info *os)
{
	const char *rel = os->version_id && os->version_id[0] ? os->version_id : os->codename;
	if (rel && rel[0])
		return arena_printf(ar, "%s-%s", os->id, rel);
	return arena_strdup(ar, os->id);
}

/* ---- language packages ------------------------------------------------------ */

/* Where the ecosystem's full name splits into purl namespace and name:
 * npm "@scope/name", Maven "group:artifact", Composer "vendor/package" and
 * Go module paths (the last segment is the name, as the golang type's
 * examples have it). 0 when the whole name is the purl name. */
static size_t lang_ns_len(enum pkg_type t, const char *name)
{
	const char *cut = NULL;
	switch (t) {
	case PKG_NPM: cut = name[0] == '@' ? strchr(name, '/') : NULL; break;
	case PKG_MAVEN: cut = strchr(name, ':'); break;
	case PKG_COMPOSER: cut = strchr(name, '/'); break;
	case PKG_GOLANG: cut = strrchr(name, '/'); break;
	default: break;
	}
	return cut && cut > name && cut[1] ? (size_t)(cut - name) : 0;
}

/* PyPI names are lower-case with '-' for '_' in purls (pypi type rules). */
static void pypi_canonical(char *s)
{
	for (; *s; s++)
		*s = *s == '_' ? '-' : ascii_lower(*s);
}

static char *lang_purl(struct arena *ar, const struct package *p)
{
	const char *full = p->name ? p->name : "";
	size_t nsl = lang_ns_len(p->type, full);
	char *ns = nsl ? arena_strndup(ar, full, nsl) : NULL;
	char *name = arena_strdup(ar, full + (nsl ? nsl + 1 : 0));
	if ((nsl && !ns) || !name)
		return NULL;
	if (p->type == PKG_PYPI)
		pypi_canonical(name);
	const struct purl_qualifier q[] = { { "arch", p->arch } };
	return purl_build(ar, pkg_type_name(p->type), ns, name, p->version, q, 1);
}

char *purl_for_package(struct arena *ar, const struct package *p, const struct os_info *os)
{
	if (!pkg_type_is_os(p->type))
		return lang_purl(ar, p);
	bool use_os = purl_os_applies(p, os);
	struct os_info low = { 0 };
	if (use_os) {
		low = *os;
		low.id = lower_dup(ar, os->id);
		if (!low.id)
			return NULL;
	}
	/* deb and apk names are case-insensitive and must be lower-cased. */
	char *name = p->type == PKG_RPM ? arena_strdup(ar, p->name ? p->name : "") : lower_dup(ar, p->name);
	char *version = purl_version(ar, p);
	char *distro = use_os ? distro_for(ar, &low) : NULL;
	char epoch[16] = "";
	int ep = epoch_of(p);
	if (p->type == PKG_RPM && ep > 0)
		snprintf(epoch, sizeof epoch, "%d", ep);
	if (!name || !version || (use_os && !distro))
		return NULL;
	const struct purl_qualifier q[] = {
		{ "arch", p->arch },
		{ "distro", distro },
		{ "epoch", epoch },
	};
	return purl_build(ar, pkg_type_name(p->type), namespace_for(p, &low, use_os), name, version,
			  q, sizeof q / sizeof *q);
}
