/* Java archives: the Maven coordinates of every .jar/.war/.ear/.par (and
 * Jenkins .hpi/.jpi) in the image, read while the layer walk streams the
 * file through zipstream.c. Nothing is captured whole or extracted: only
 * pom.properties and embedded pom.xml members (at most 64 KiB each) are
 * collected, MANIFEST.MF is parsed as it inflates, and nested archives are
 * read by nested readers.
 *
 * Per archive (outer or nested), after Trivy's jar parser, offline:
 *  1. every valid pom.properties is a package "groupId:artifactId" (shaded
 *     jars carry several); duplicates with Maven-equal versions collapse;
 *  2. only when there is none, MANIFEST.MF's main section, then the file
 *     name ("name-1.2.jar" -> "name" 1.2, no group: Trivy asks Maven
 *     Central for it, bosun never goes online);
 *  3. licenses: embedded META-INF/maven/G/A/pom.xml for G:A, then the
 *     manifest's Jenkins Plugin-License-Name* or OSGi Bundle-License for the
 *     archive's single package.
 * found_in is the archive's path, "outer.jar!/BOOT-INF/lib/inner.jar" when
 * nested. docs/analyzers-java.md has the details and where bosun differs. */
#include "analyze/java.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "sbom/writer.h"
#include "util/err.h"
#include "version/version.h"

#define CAPTURE_MAX (64 * 1024)   /* pom.properties, embedded pom.xml */
#define MANIFEST_MAX (10u << 20)  /* MANIFEST.MF bytes looked at (Trivy's bound) */
#define MF_LINE_MAX 4096          /* one unfolded manifest attribute; longer ones are not ours */
#define FIELD_MAX 256             /* groupId, artifactId, manifest names */
#define VERSION_MAX 128
#define LICENSE_MAX 512
#define MAX_LICENSES 8            /* per package */
#define MAX_POMS 64               /* embedded pom.xml licenses kept per archive */
#define MAX_PACKAGES 2048         /* per outer file; real fat jars have hundreds */
#define MAX_WARNINGS 8            /* per outer file */
#define PATH_LEN_MAX 4000         /* found_in; scan.c splits it in a 4096-byte buffer */
/* Everything kept for one file in the image (packages, licenses, paths);
 * with the limits above real files need a few KB. */
#define ARENA_MAX (8u << 20)

/* ---- names ------------------------------------------------------------------ */

static bool ends_with_ci(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);
	return len >= n && strncasecmp(s + len - n, suffix, n) == 0;
}

bool java_archive_name(const char *name, size_t len)
{
	static const char *const exts[] = { ".jar", ".war", ".ear", ".par", ".hpi", ".jpi" };
	if (len <= 4)
		return false;
	for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++)
		if (ends_with_ci(name, len, exts[i]))
			return true;
	return false;
}

static bool in_name_class(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
	       c == '-';
}

static bool is_re_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'; }

bool java_name_from_file(const char *base, struct slice *artifact, struct slice *version)
{
	size_t n = strlen(base);
	if (n < 6 || memcmp(base + n - 3, "jar", 3) != 0 || base[n - 4] == '\n')
		return false;
	size_t end = n - 4; /* the version ends before ".jar" (any byte, then "jar") */
	size_t bad = 0;     /* first byte outside [a-zA-Z0-9._-] */
	while (bad < n && in_name_class(base[bad]))
		bad++;
	/* Greedy: the last '-' that works. The version (i+1 .. end) has no
	 * whitespace, so a space at or after i+1 rules out every earlier i. */
	size_t lo = 1;
	for (size_t k = 0; k < end; k++)
		if (is_re_space(base[k]))
			lo = k + 1;
	for (size_t i = end - 1; i >= lo && i >= 1; i--) {
		if (base[i] != '-' || base[i + 1] < '0' || base[i + 1] > '9' || i + 1 >= end)
			continue;
		if (bad < i - 1 || base[i - 1] == '-' || base[i - 1] == '*')
			continue;
		*artifact = slice_make(base, i);
		*version = slice_make(base + i + 1, end - i - 1);
		return true;
	}
	return false;
}

/* ---- state ------------------------------------------------------------------- */

enum mf_attr {
	MF_IMPL_TITLE,
	MF_IMPL_VERSION,
	MF_IMPL_VENDOR,
	MF_IMPL_VENDOR_ID,
	MF_SPEC_TITLE,
	MF_SPEC_VERSION,
	MF_SPEC_VENDOR,
	MF_BUNDLE_NAME,
	MF_BUNDLE_VERSION,
	MF_BUNDLE_SYMBOLIC_NAME,
	MF_BUNDLE_LICENSE,
	MF_COUNT
};

static const char *const mf_names[MF_COUNT] = {
	[MF_IMPL_TITLE] = "Implementation-Title",
	[MF_IMPL_VERSION] = "Implementation-Version",
	[MF_IMPL_VENDOR] = "Implementation-Vendor",
	[MF_IMPL_VENDOR_ID] = "Implementation-Vendor-Id",
	[MF_SPEC_TITLE] = "Specification-Title",
	[MF_SPEC_VERSION] = "Specification-Version",
	[MF_SPEC_VENDOR] = "Specification-Vendor",
	[MF_BUNDLE_NAME] = "Bundle-Name",
	[MF_BUNDLE_VERSION] = "Bundle-Version",
	[MF_BUNDLE_SYMBOLIC_NAME] = "Bundle-SymbolicName",
	[MF_BUNDLE_LICENSE] = "Bundle-License",
};

/* MANIFEST.MF's main section, parsed as it arrives: lines end with CR, LF
 * or CRLF, a line starting with one space continues the previous one, and
 * the first empty line ends the section (what follows describes entries). */
struct manifest {
	char attr[MF_COUNT][LICENSE_MAX + 1]; /* "" when absent */
	char plugin_lic[MAX_LICENSES][LICENSE_MAX + 1];
	size_t nplugin;
	char line[MF_LINE_MAX];
	size_t len;
	uint64_t bytes;
	bool overflow, have_line, at_bol, cr, ended;
};

struct jstream;

/* One archive: the outer file, or one nested in it. */
struct jar {
	struct jstream *js;
	struct jar *next; /* live archives of the stream (at most depth + 1) */
	char *path;       /* its path: "a.jar", "a.jar!/lib/b.jar" (malloc) */
	char *found_in;   /* the same in js->found's arena, made with the first package */
	const char *base; /* its file name, inside path */
	enum { CUR_NONE, CUR_PROPS, CUR_POM, CUR_MANIFEST } cur;
	char cur_ga[2 * FIELD_MAX + 2]; /* CUR_POM: "group:artifact" of META-INF/maven/G/A/pom.xml */
	struct buf cap;
	bool cap_over;
	size_t *pkgs;     /* indexes into js->found.pkgs */
	size_t npkgs, cap_pkgs;
	struct {
		char *ga, *license;
	} poms[MAX_POMS];
	size_t npoms;
	struct manifest mf;
	bool have_manifest;
};

struct jstream {
	struct artifact found; /* packages and warnings of this file, silent */
	struct zs_reader *zr;
	struct jar *root;
	struct jar *live;
	size_t warnings, added;
	bool full;
};

static void jwarn(struct jar *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void jwarn(struct jar *j, const char *fmt, ...)
{
	if (j->js->warnings++ >= MAX_WARNINGS)
		return;
	char msg[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	for (char *c = msg; *c; c++) /* member names come from the archive */
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	artifact_warn(&j->js->found, "java: %s: %s", j->path, msg);
}

/* ---- packages ---------------------------------------------------------------- */

static bool printable(struct slice s, size_t max, bool spaces)
{
	if (s.n == 0 || s.n > max)
		return false;
	for (size_t i = 0; i < s.n; i++) {
		unsigned char c = (unsigned char)s.p[i];
		if (c < 0x20 || c == 0x7f || (c == ' ' && !spaces))
			return false;
	}
	return true;
}

static int add_package(struct jar *j, struct slice group, struct slice artifact, struct slice version)
{
	struct jstream *js = j->js;
	if (js->added >= MAX_PACKAGES) {
		if (!js->full)
			jwarn(j, "more than %d packages in one file: the rest is ignored", MAX_PACKAGES);
		js->full = true;
		return BOSUN_OK;
	}
	if (j->npkgs == j->cap_pkgs) {
		size_t cap = j->cap_pkgs ? j->cap_pkgs * 2 : 8;
		size_t *p = realloc(j->pkgs, cap * sizeof *p);
		if (!p)
			return BOSUN_ENOMEM;
		j->pkgs = p;
		j->cap_pkgs = cap;
	}
	struct arena *ar = &js->found.arena;
	if (!j->found_in && !(j->found_in = arena_strdup(ar, j->path)))
		return BOSUN_ENOMEM;
	struct package *p = artifact_add_package(&js->found);
	if (!p)
		return BOSUN_ENOMEM;
	p->type = PKG_MAVEN;
	p->found_in = j->found_in;
	p->name = group.n ? arena_printf(ar, "%.*s:%.*s", (int)group.n, group.p, (int)artifact.n, artifact.p)
			  : arena_slice(ar, artifact);
	p->version = arena_slice(ar, version);
	if (!p->name || !p->version)
		return BOSUN_ENOMEM;
	j->pkgs[j->npkgs++] = js->found.npkgs - 1;
	js->added++;
	return BOSUN_OK;
}

static struct package *pkg_at(struct jar *j, size_t i)
{
	struct package *p = &j->js->found.pkgs[j->pkgs[i]];
	return p->name ? p : NULL; /* NULL: dropped as a duplicate */
}

/* Trivy keeps one of "2.17" and "2.17.0" in the same archive: Maven
 * compares them equal. */
static bool same_version(const char *a, const char *b)
{
	if (strcmp(a, b) == 0)
		return true;
	const struct version_scheme *mvn = version_scheme_find("maven");
	int cmp = 1;
	return mvn && mvn->compare(a, b, &cmp) == BOSUN_OK && cmp == 0;
}

static void drop_duplicates(struct jar *j)
{
	for (size_t i = 0; i < j->npkgs; i++) {
		struct package *a = pkg_at(j, i);
		for (size_t k = i + 1; a && k < j->npkgs; k++) {
			struct package *b = pkg_at(j, k);
			if (b && strcmp(a->name, b->name) == 0 && same_version(a->version, b->version))
				b->name = NULL;
		}
	}
}

static size_t live_packages(struct jar *j, struct package **only)
{
	size_t n = 0;
	for (size_t i = 0; i < j->npkgs; i++) {
		struct package *p = pkg_at(j, i);
		if (p) {
			*only = p;
			n++;
		}
	}
	return n;
}

/* ---- pom.properties ---------------------------------------------------------- */

/* key=value (or key: value, as java.util.Properties allows) after trimming;
 * '#' and '!' start comments. Maven writes groupId, artifactId, version. */
static int parse_pom_properties(struct jar *j)
{
	struct slice rest = slice_make(j->cap.data ? j->cap.data : "", j->cap.len), line;
	struct slice g = { 0 }, a = { 0 }, v = { 0 };
	while (slice_next_line(&rest, &line)) {
		line = slice_trim(line);
		if (!line.n || line.p[0] == '#' || line.p[0] == '!')
			continue;
		size_t k = 0;
		while (k < line.n && line.p[k] != '=' && line.p[k] != ':')
			k++;
		if (k == line.n)
			continue;
		struct slice key = slice_trim(slice_make(line.p, k));
		struct slice val = slice_trim(slice_make(line.p + k + 1, line.n - k - 1));
		if (slice_eq_cstr(key, "groupId"))
			g = val;
		else if (slice_eq_cstr(key, "artifactId"))
			a = val;
		else if (slice_eq_cstr(key, "version"))
			v = val;
	}
	if (!g.n || !a.n || !v.n)
		return BOSUN_OK; /* Trivy's Valid(): all three or nothing */
	if (!printable(g, FIELD_MAX, false) || !printable(a, FIELD_MAX, false) || !printable(v, VERSION_MAX, false)) {
		jwarn(j, "pom.properties with an unusable groupId, artifactId or version: skipped");
		return BOSUN_OK;
	}
	return add_package(j, g, a, v);
}

/* META-INF/maven/G/A/pom.xml -> "G:A" into out; false if the path is not
 * that (or G:A does not fit). */
static bool embedded_pom_ga(const char *name, size_t len, char *out, size_t cap)
{
	static const char pre[] = "META-INF/maven/", suf[] = "/pom.xml";
	size_t np = sizeof pre - 1, ns = sizeof suf - 1;
	if (len <= np + ns || strncmp(name, pre, np) != 0 || strcmp(name + len - ns, suf) != 0)
		return false;
	const char *g = name + np;
	size_t glen = len - np - ns;
	const char *slash = memchr(g, '/', glen);
	if (!slash || slash == g || (size_t)(slash - g) + 1 >= glen || glen >= cap)
		return false;
	size_t gl = (size_t)(slash - g);
	snprintf(out, cap, "%.*s:%.*s", (int)gl, g, (int)(glen - gl - 1), slash + 1);
	return true;
}

/* ---- MANIFEST.MF ---------------------------------------------------------------- */

static void set_value(char *dst, struct slice s)
{
	memcpy(dst, s.p, s.n);
	dst[s.n] = '\0';
}

/* One unfolded "Name: value" line of the main section. As Trivy does,
 * values that are empty or start with '%' (localized, "%bundleName") are
 * ignored; names compare without case, as java.util.jar does. */
static int mf_attribute(struct jar *j)
{
	struct manifest *mf = &j->mf;
	if (!mf->have_line || mf->overflow)
		return BOSUN_OK;
	struct slice line = slice_make(mf->line, mf->len), name, value;
	if (!slice_split(line, ':', &name, &value))
		return BOSUN_OK;
	value = slice_trim(value);
	if (!value.n || value.p[0] == '%')
		return BOSUN_OK;
	if (!printable(value, LICENSE_MAX, true))
		return BOSUN_OK;
	static const char plugin[] = "Plugin-License-Name";
	size_t pl = sizeof plugin - 1;
	if (name.n >= pl && strncasecmp(name.p, plugin, pl) == 0 && (name.n == pl || name.p[pl] == '-')) {
		if (mf->nplugin < MAX_LICENSES)
			set_value(mf->plugin_lic[mf->nplugin++], value);
		return BOSUN_OK;
	}
	for (int i = 0; i < MF_COUNT; i++)
		if (strlen(mf_names[i]) == name.n && strncasecmp(name.p, mf_names[i], name.n) == 0)
			set_value(mf->attr[i], value);
	return BOSUN_OK;
}

static int mf_line_end(struct jar *j)
{
	struct manifest *mf = &j->mf;
	if (mf->at_bol) { /* an empty line: the main section is over */
		TRY(mf_attribute(j));
		mf->have_line = false;
		mf->ended = true;
	}
	mf->at_bol = true;
	return BOSUN_OK;
}

static int mf_byte(struct jar *j, char c)
{
	struct manifest *mf = &j->mf;
	if (mf->cr) {
		mf->cr = false;
		if (c == '\n')
			return BOSUN_OK; /* the LF of a CRLF */
	}
	if (c == '\r' || c == '\n') {
		mf->cr = c == '\r';
		return mf_line_end(j);
	}
	if (mf->at_bol) {
		mf->at_bol = false;
		if (c == ' ' && mf->have_line)
			return BOSUN_OK; /* continuation: the one space is not part of the value */
		TRY(mf_attribute(j));
		mf->have_line = true;
		mf->len = 0;
		mf->overflow = false;
	}
	if (mf->len + 1 < sizeof mf->line)
		mf->line[mf->len++] = c;
	else
		mf->overflow = true;
	return BOSUN_OK;
}

static int mf_feed(struct jar *j, const unsigned char *p, size_t n)
{
	struct manifest *mf = &j->mf;
	for (size_t i = 0; i < n && !mf->ended; i++)
		TRY(mf_byte(j, (char)p[i]));
	mf->bytes += n;
	return mf->ended || mf->bytes > MANIFEST_MAX ? ZS_ENOUGH : BOSUN_OK;
}

static struct slice mf_value(const struct jar *j, enum mf_attr a)
{
	return slice_trim(slice_cstr(j->mf.attr[a]));
}

static struct slice first_of(const struct jar *j, enum mf_attr a, enum mf_attr b, enum mf_attr c)
{
	struct slice s = mf_value(j, a);
	if (!s.n)
		s = mf_value(j, b);
	if (!s.n)
		s = mf_value(j, c);
	return s;
}

/* Trivy's order: group from Implementation-Vendor-Id, Bundle-SymbolicName
 * up to its last '.', Implementation-Vendor, Specification-Vendor; artifact
 * from Implementation-Title, Specification-Title, Bundle-Name; version from
 * Implementation-Version, Specification-Version, Bundle-Version. OSGi
 * directives (";singleton:=true") are cut off the symbolic name first. */
static bool manifest_gav(const struct jar *j, struct slice *g, struct slice *a, struct slice *v)
{
	*g = mf_value(j, MF_IMPL_VENDOR_ID);
	if (!g->n) {
		struct slice bsn = mf_value(j, MF_BUNDLE_SYMBOLIC_NAME), rest;
		slice_split(bsn, ';', &bsn, &rest);
		bsn = slice_trim(bsn);
		size_t dot = bsn.n;
		while (dot > 0 && bsn.p[dot - 1] != '.')
			dot--;
		*g = dot > 1 ? slice_make(bsn.p, dot - 1) : bsn;
	}
	if (!g->n)
		*g = first_of(j, MF_IMPL_VENDOR, MF_SPEC_VENDOR, MF_SPEC_VENDOR);
	*a = first_of(j, MF_IMPL_TITLE, MF_SPEC_TITLE, MF_BUNDLE_NAME);
	*v = first_of(j, MF_IMPL_VERSION, MF_SPEC_VERSION, MF_BUNDLE_VERSION);
	return printable(*g, FIELD_MAX, true) && printable(*a, FIELD_MAX, true) && printable(*v, VERSION_MAX, true);
}

/* Bundle-License: "id-or-url;link=...;description=..., ..." with quoted
 * values; only entries that resolve to an SPDX id count. */
static size_t bundle_licenses(struct slice h, struct slice *out, size_t max)
{
	size_t n = 0, start = 0;
	bool quoted = false;
	for (size_t i = 0; i <= h.n && n < max; i++) {
		char c = i < h.n ? h.p[i] : ',';
		if (c == '\\' && quoted) {
			i++;
			continue;
		}
		if (c == '"')
			quoted = !quoted;
		if (c != ',' || (quoted && i < h.n))
			continue;
		struct slice entry = slice_make(h.p + start, i - start), name, attrs;
		start = i + 1;
		slice_split(entry, ';', &name, &attrs);
		name = slice_trim(name);
		if (name.n >= 2 && name.p[0] == '"' && name.p[name.n - 1] == '"')
			name = slice_make(name.p + 1, name.n - 2);
		const char *id = java_license_id(name);
		/* link=URL names the license when the id is free text */
		while (!id && attrs.n) {
			struct slice attr, more;
			if (!slice_split(attrs, ';', &attr, &more))
				more = slice_make("", 0);
			struct slice k, val;
			if (slice_split(attr, '=', &k, &val) && slice_eq_cstr(slice_trim(k), "link")) {
				val = slice_trim(val);
				if (val.n >= 2 && val.p[0] == '"' && val.p[val.n - 1] == '"')
					val = slice_make(val.p + 1, val.n - 2);
				id = java_license_id(val);
			}
			attrs = more;
		}
		if (id)
			out[n++] = slice_cstr(id);
	}
	return n;
}

static int join_licenses(struct arena *ar, const struct slice *items, size_t n, char **out)
{
	struct buf b = { 0 };
	int rc = BOSUN_OK;
	for (size_t i = 0; i < n && !rc; i++) {
		if (b.len + items[i].n > LICENSE_MAX * 2)
			break;
		if (b.len)
			rc = buf_append_str(&b, JAVA_LICENSE_SEP);
		if (!rc)
			rc = buf_append(&b, items[i].p, items[i].n);
	}
	if (!rc && b.len && !(*out = arena_strndup(ar, b.data, b.len)))
		rc = BOSUN_ENOMEM;
	buf_free(&b);
	return rc;
}

static int manifest_license(struct jar *j, char **out)
{
	struct slice items[MAX_LICENSES];
	size_t n = 0;
	for (size_t i = 0; i < j->mf.nplugin; i++)
		items[n++] = slice_cstr(j->mf.plugin_lic[i]);
	if (!n)
		n = bundle_licenses(mf_value(j, MF_BUNDLE_LICENSE), items, MAX_LICENSES);
	return join_licenses(&j->js->found.arena, items, n, out);
}

/* ---- one archive done ------------------------------------------------------------- */

static int fallback_package(struct jar *j)
{
	struct slice g, a, v;
	if (j->have_manifest && manifest_gav(j, &g, &a, &v))
		return add_package(j, g, a, v);
	if (java_name_from_file(j->base, &a, &v) && printable(a, FIELD_MAX, false) && printable(v, VERSION_MAX, false))
		return add_package(j, slice_make("", 0), a, v);
	return BOSUN_OK;
}

/* Decides the archive's packages once all of it has been seen. A cut-short
 * archive keeps what pom.properties said but gets no fallback: the
 * pom.properties that would have ruled it out may be in the missing part. */
static int jar_finish(struct jar *j, bool complete)
{
	drop_duplicates(j);
	for (size_t i = 0; i < j->npkgs; i++) {
		struct package *p = pkg_at(j, i);
		for (size_t k = 0; p && !p->license && k < j->npoms; k++)
			if (strcmp(j->poms[k].ga, p->name) == 0)
				p->license = j->poms[k].license;
	}
	struct package *only = NULL;
	if (complete && live_packages(j, &only) == 0)
		TRY(fallback_package(j));
	if (live_packages(j, &only) == 1 && !only->license)
		TRY(manifest_license(j, &only->license));
	return BOSUN_OK;
}

static struct jar *jar_new(struct jstream *js, const char *path, size_t len)
{
	struct jar *j = calloc(1, sizeof *j);
	if (!j)
		return NULL;
	j->js = js;
	j->path = strndup(path, len);
	if (!j->path) {
		free(j);
		return NULL;
	}
	const char *sep = strrchr(j->path, '/');
	j->base = sep ? sep + 1 : j->path;
	j->mf.at_bol = true;
	j->next = js->live;
	js->live = j;
	return j;
}

static void jar_free(struct jar *j)
{
	struct jar **pp = &j->js->live;
	while (*pp && *pp != j)
		pp = &(*pp)->next;
	if (*pp)
		*pp = j->next;
	buf_free(&j->cap);
	free(j->pkgs);
	free(j->path);
	free(j);
}

/* ---- the zip visitor ----------------------------------------------------------------- */

/* The limits above bound what one file can make us keep; this is the
 * backstop should they ever combine into more than ARENA_MAX. */
static bool over_memory(struct jar *j)
{
	struct jstream *js = j->js;
	if (js->found.arena.total <= ARENA_MAX)
		return false;
	if (!js->full)
		jwarn(j, "more than %u bytes of results for one file: the rest is not read", ARENA_MAX);
	js->full = true;
	return true;
}

static enum zs_action on_member(void *ctx, const struct zs_member *m)
{
	struct jar *j = ctx;
	const char *name = m->name;
	size_t len = m->name_len;
	if (!len || name[len - 1] == '/' || over_memory(j))
		return ZS_SKIP;
	const char *slash = strrchr(name, '/');
	const char *base = slash ? slash + 1 : name;
	j->cur = CUR_NONE;
	buf_reset(&j->cap);
	j->cap_over = false;
	if (strcmp(base, "pom.properties") == 0) {
		if (m->sizes_known && m->usize > CAPTURE_MAX) {
			jwarn(j, "%s: %llu bytes is too large for a pom.properties: skipped", name,
			      (unsigned long long)m->usize);
			return ZS_SKIP;
		}
		j->cur = CUR_PROPS;
		return ZS_READ;
	}
	if (strcasecmp(name, "META-INF/MANIFEST.MF") == 0 && !j->have_manifest) {
		struct manifest *mf = &j->mf; /* a second copy after a damaged one starts afresh */
		mf->at_bol = true;
		mf->have_line = mf->ended = mf->cr = false;
		mf->bytes = 0;
		j->cur = CUR_MANIFEST;
		return ZS_READ;
	}
	if (strcmp(base, "pom.xml") == 0 && j->npoms < MAX_POMS && (!m->sizes_known || m->usize <= CAPTURE_MAX)) {
		if (!embedded_pom_ga(name, len, j->cur_ga, sizeof j->cur_ga))
			return ZS_SKIP;
		j->cur = CUR_POM;
		return ZS_READ;
	}
	return java_archive_name(name, len) ? ZS_NEST : ZS_SKIP;
}

static int on_data(void *ctx, const unsigned char *p, size_t n)
{
	struct jar *j = ctx;
	if (j->cur == CUR_MANIFEST)
		return mf_feed(j, p, n);
	if (j->cap.len + n > CAPTURE_MAX) {
		j->cap_over = true;
		return ZS_ENOUGH;
	}
	return buf_append(&j->cap, p, n);
}

static int on_member_end(void *ctx, bool complete)
{
	struct jar *j = ctx;
	int cur = j->cur;
	j->cur = CUR_NONE;
	if (cur == CUR_MANIFEST) {
		if (!j->mf.ended)
			TRY(mf_attribute(j)); /* the last line of a manifest without a blank line */
		j->have_manifest = complete;
		return BOSUN_OK;
	}
	if (!complete)
		return BOSUN_OK; /* zipstream warned */
	if (cur == CUR_PROPS) {
		if (j->cap_over) {
			jwarn(j, "a pom.properties of more than %d bytes: skipped", CAPTURE_MAX);
			return BOSUN_OK;
		}
		return parse_pom_properties(j);
	}
	if (cur == CUR_POM && !j->cap_over && j->npoms < MAX_POMS) {
		char *lic = NULL;
		TRY(java_pom_licenses(&j->js->found.arena, j->cap.data ? j->cap.data : "", j->cap.len, &lic));
		if (lic) {
			if (!(j->poms[j->npoms].ga = arena_strdup(&j->js->found.arena, j->cur_ga)))
				return BOSUN_ENOMEM;
			j->poms[j->npoms++].license = lic;
		}
	}
	return BOSUN_OK;
}

static int on_nest_begin(void *ctx, const struct zs_member *m, void **child)
{
	struct jar *j = ctx;
	*child = NULL;
	const char *name = m->name;
	while (*name == '/')
		name++;
	size_t plen = strlen(j->path), nlen = strlen(name);
	if (plen + 2 + nlen > PATH_LEN_MAX) {
		jwarn(j, "nested archive path longer than %d bytes: not read", PATH_LEN_MAX);
		return BOSUN_OK;
	}
	/* The outer path must stay as the walker gave it (the scan looks it
	 * up); member names from the archive lose their control bytes. */
	struct buf path = { 0 };
	int rc = buf_printf(&path, "%s!/%s", j->path, name);
	for (size_t i = plen + 2; !rc && i < path.len; i++)
		if ((unsigned char)path.data[i] < 0x20 || path.data[i] == 0x7f)
			path.data[i] = '?';
	struct jar *c = rc ? NULL : jar_new(j->js, path.data, path.len);
	buf_free(&path);
	if (!c)
		return BOSUN_ENOMEM;
	*child = c;
	return BOSUN_OK;
}

static int on_nest_end(void *ctx, void *child, bool complete)
{
	(void)ctx;
	struct jar *c = child;
	int rc = jar_finish(c, complete);
	jar_free(c);
	return rc;
}

static void on_warn(void *ctx, const char *msg)
{
	jwarn(ctx, "%s", msg);
}

static const struct zs_visitor visitor = {
	.member = on_member,
	.data = on_data,
	.member_end = on_member_end,
	.nest_begin = on_nest_begin,
	.nest_end = on_nest_end,
	.warn = on_warn,
};

/* ---- one file ----------------------------------------------------------------------- */

static void stream_free(struct jstream *js)
{
	while (js->live)
		jar_free(js->live);
	zs_free(js->zr);
	artifact_free(&js->found);
	free(js);
}

static struct jstream *stream_new(const char *path, const struct zs_limits *lim)
{
	struct jstream *js = calloc(1, sizeof *js);
	if (!js)
		return NULL;
	artifact_init(&js->found);
	js->found.silent = true;
	js->root = jar_new(js, path, strlen(path));
	if (!js->root || zs_new(lim, &visitor, js->root, &js->zr) != BOSUN_OK) {
		stream_free(js);
		return NULL;
	}
	return js;
}

/* Ends the reader and hands the packages and warnings to out. */
static int stream_close(struct jstream *js, struct artifact *out)
{
	bool complete = false;
	int rc = zs_finish(js->zr, &complete);
	if (!rc && js->root) {
		rc = jar_finish(js->root, complete);
		jar_free(js->root);
		js->root = NULL;
	}
	for (size_t i = 0; !rc && i < js->found.npkgs; i++)
		if (js->found.pkgs[i].name && !artifact_copy_package(out, &js->found.pkgs[i]))
			rc = BOSUN_ENOMEM;
	for (size_t i = 0; i < js->found.nwarnings; i++)
		artifact_warn(out, "%s", js->found.warnings[i]);
	if (js->warnings > MAX_WARNINGS)
		artifact_warn(out, "java: %zu more warnings for this file not shown", js->warnings - MAX_WARNINGS);
	stream_free(js);
	return rc;
}

int java_scan_archive(const char *path, const unsigned char *p, size_t n, const struct zs_limits *lim,
		      struct artifact *a)
{
	struct jstream *js = stream_new(path, lim);
	if (!js)
		return BOSUN_ENOMEM;
	int rc = zs_feed(js->zr, p, n);
	if (rc) {
		stream_free(js);
		return rc;
	}
	return stream_close(js, a);
}

/* ---- the analyzer -------------------------------------------------------------------- */

static bool java_wants(const char *path, size_t len)
{
	const char *slash = memrchr(path, '/', len);
	const char *base = slash ? slash + 1 : path;
	size_t blen = len - (size_t)(base - path);
	return (blen == 7 && memcmp(base, "pom.xml", 7) == 0) ||
	       (blen == 15 && memcmp(base, "gradle.lockfile", 15) == 0);
}

static bool java_stream_wants(const struct stream_file *f)
{
	return S_ISREG(f->mode) && f->size >= 22 && java_archive_name(f->path, strlen(f->path));
}

/* A zip starts with a local header (or, empty, with the end record); an
 * executable jar starts with its launch script ("#!") and the zip after it. */
static void *java_stream_begin(const struct stream_file *f, const unsigned char *head, size_t len)
{
	if (len < 4)
		return NULL;
	bool zip = head[0] == 'P' && head[1] == 'K' &&
		   ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6) || (head[2] == 7 && head[3] == 8));
	bool script = head[0] == '#' && head[1] == '!';
	if (!zip && !script)
		return NULL;
	return stream_new(f->path, NULL);
}

static int java_stream_data(void *state, const unsigned char *p, size_t n)
{
	struct jstream *js = state;
	TRY(zs_feed(js->zr, p, n));
	return zs_done(js->zr) ? STREAM_DONE : BOSUN_OK;
}

static int java_stream_end(void *state, bool complete, struct artifact *out, struct berr *e)
{
	(void)complete; /* the reader knows whether it saw the whole archive */
	int rc = stream_close(state, out);
	return rc ? berr_set(e, rc, "java: out of memory") : BOSUN_OK;
}

static int java_analyze(const struct scan_view *v, struct artifact *a, struct berr *e)
{
	return java_project_analyze(v, a, e);
}

const struct analyzer analyzer_java = {
	.name = "java",
	.version = 1,
	.wants = java_wants,
	.analyze = java_analyze,
	.stream_wants = java_stream_wants,
	.stream_begin = java_stream_begin,
	.stream_data = java_stream_data,
	.stream_end = java_stream_end,
};

/* ---- licenses --------------------------------------------------------------------------- */

const char *java_license_id(struct slice s)
{
	s = slice_trim(s);
	if (!s.n || s.n > LICENSE_MAX)
		return NULL;
	const char *id = spdx_license_id(s.p, s.n);
	if (id)
		return id;
	/* The URLs of the licenses Java libraries use most, as the SPDX list's
	 * seeAlso gives them; scheme, "www." and a trailing '/' ignored. */
	static const struct {
		const char *url, *id;
	} urls[] = {
		{ "apache.org/licenses/LICENSE-2.0", "Apache-2.0" },
		{ "apache.org/licenses/LICENSE-2.0.txt", "Apache-2.0" },
		{ "apache.org/licenses/LICENSE-2.0.html", "Apache-2.0" },
		{ "opensource.org/licenses/Apache-2.0", "Apache-2.0" },
		{ "opensource.org/licenses/MIT", "MIT" },
		{ "opensource.org/licenses/mit-license.php", "MIT" },
		{ "opensource.org/licenses/BSD-2-Clause", "BSD-2-Clause" },
		{ "opensource.org/licenses/BSD-3-Clause", "BSD-3-Clause" },
		{ "opensource.org/licenses/EPL-1.0", "EPL-1.0" },
		{ "opensource.org/licenses/EPL-2.0", "EPL-2.0" },
		{ "eclipse.org/legal/epl-v10.html", "EPL-1.0" },
		{ "eclipse.org/legal/epl-2.0", "EPL-2.0" },
		{ "eclipse.org/legal/epl-v20.html", "EPL-2.0" },
		{ "eclipse.org/org/documents/edl-v10.php", "BSD-3-Clause" },
		{ "opensource.org/licenses/CDDL-1.0", "CDDL-1.0" },
		{ "mozilla.org/MPL/2.0", "MPL-2.0" },
	};
	struct slice u = s;
	if (u.n > 8 && strncasecmp(u.p, "https://", 8) == 0)
		u = slice_make(u.p + 8, u.n - 8);
	else if (u.n > 7 && strncasecmp(u.p, "http://", 7) == 0)
		u = slice_make(u.p + 7, u.n - 7);
	else
		return NULL;
	if (u.n > 4 && strncasecmp(u.p, "www.", 4) == 0)
		u = slice_make(u.p + 4, u.n - 4);
	while (u.n && u.p[u.n - 1] == '/')
		u.n--;
	for (size_t i = 0; i < sizeof urls / sizeof urls[0]; i++)
		if (strlen(urls[i].url) == u.n && strncasecmp(urls[i].url, u.p, u.n) == 0)
			return urls[i].id;
	return NULL;
}
