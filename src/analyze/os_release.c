/* OS detection from os-release and the legacy release files. The parsers
 * are pure (bytes in, struct os_info out) so that tests and fuzzers reach
 * them without an image; the analyzer only gathers the files. */
#include "analyze/os_release.h"

#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "analyze/analyzer.h"
#include "util/err.h"

/* Release files are a few hundred bytes; anything past this is not one. */
#define OS_FILE_MAX (64 * 1024)
/* Longer values are not names or versions. Ignoring them bounds what a
 * hostile file can make us store. */
#define OS_VALUE_MAX 256
/* A version or codename token, e.g. "2023.5.20240916" or "trixie/sid". */
#define OS_TOKEN_MAX 64

/* os-release ID -> normalized family. The family names follow what
 * vulnerability sources call the distribution; variants that share
 * advisories share a family (sles/sled, the SLE Micro rebrands). */
static const struct {
	const char *id;
	const char *family;
} families[] = {
	{ "debian", "debian" },
	{ "ubuntu", "ubuntu" },
	{ "alpine", "alpine" },
	{ "rhel", "redhat" },
	{ "centos", "centos" },
	{ "rocky", "rocky" },
	{ "almalinux", "alma" },
	{ "fedora", "fedora" },
	{ "amzn", "amazon" },
	{ "ol", "oracle" },
	{ "sles", "sles" },
	{ "sled", "sles" },
	{ "sles_sap", "sles" },
	{ "opensuse", "opensuse-leap" }, /* Leap 42.x said "opensuse" */
	{ "opensuse-leap", "opensuse-leap" },
	{ "opensuse-tumbleweed", "opensuse-tumbleweed" },
	{ "sle-micro", "sle-micro" },
	{ "sl-micro", "sle-micro" },
	{ "sle-micro-rancher", "sle-micro" },
	{ "photon", "photon" },
	{ "mariner", "mariner" },
	{ "azurelinux", "azurelinux" },
	{ "wolfi", "wolfi" },
	{ "chainguard", "chainguard" },
	{ "bottlerocket", "bottlerocket" },
	{ "coreos", "coreos" },
	{ "echo", "echo" },
	{ "minimos", "minimos" },
	{ "activestate", "activestate" },
	{ "scientific", "scientific" },
	{ "raspbian", "raspbian" },
	{ "kali", "kali" },
	{ "linuxmint", "linuxmint" },
	{ "openeuler", "openeuler" },
	{ "euleros", "euleros" },
	{ "anolis", "anolis" },
	{ "alinux", "alinux" },
	{ "rhcos", "rhcos" },
	{ "flatcar", "flatcar" },
	{ "arch", "arch" },
	{ "gentoo", "gentoo" },
	{ "nixos", "nixos" },
	{ "void", "void" },
	{ "mageia", "mageia" },
	{ "clear-linux-os", "clear-linux-os" },
};

const char *os_family_for_id(const char *id)
{
	if (!id)
		return NULL;
	for (size_t i = 0; i < sizeof families / sizeof families[0]; i++)
		if (strcmp(families[i].id, id) == 0)
			return families[i].family;
	return NULL;
}

const char *const os_candidate_paths[] = {
	"etc/os-release",
	"usr/lib/os-release",
	"etc/alpine-release",
	/* Specific names before redhat-release: Oracle Linux ships a
	 * redhat-release that claims to be RHEL. */
	"etc/rocky-release",
	"etc/almalinux-release",
	"etc/centos-release",
	"etc/oracle-release",
	"etc/fedora-release",
	"etc/redhat-release",
	"etc/system-release",
	"etc/SuSE-release",
	/* Ubuntu also has a debian_version ("bookworm/sid"), so it goes last. */
	"etc/lsb-release",
	"etc/debian_version",
	NULL,
};

/* ---- small string helpers ---- */

static struct slice clamp(const char *data, size_t len)
{
	return slice_make(data, len > OS_FILE_MAX ? OS_FILE_MAX : len);
}

static bool is_blank(char c) { return c == ' ' || c == '\t'; }

/* Control characters would reach terminals and reports verbatim. */
static char printable(char c) { return (unsigned char)c < 0x20 || c == 0x7f ? '?' : c; }

/* Copies s into the arena with control characters replaced; *dst is left
 * alone (NULL) for an empty or over-long value. */
static int store(struct arena *ar, struct slice s, char **dst)
{
	if (s.n == 0 || s.n > OS_VALUE_MAX)
		return BOSUN_OK;
	char *p = arena_alloc(ar, s.n + 1);
	if (!p)
		return BOSUN_ENOMEM;
	for (size_t i = 0; i < s.n; i++)
		p[i] = printable(s.p[i]);
	p[s.n] = '\0';
	*dst = p;
	return BOSUN_OK;
}

static void lowercase(char *s)
{
	for (; s && *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* A token usable as a version or codename: short, no blanks or controls. */
static bool is_token(struct slice s)
{
	if (s.n == 0 || s.n > OS_TOKEN_MAX)
		return false;
	for (size_t i = 0; i < s.n; i++)
		if ((unsigned char)s.p[i] <= 0x20 || s.p[i] == 0x7f)
			return false;
	return true;
}

static struct slice first_line(const char *data, size_t len)
{
	struct slice rest = clamp(data, len), line = { data, 0 };
	slice_next_line(&rest, &line);
	return slice_trim(line);
}

static const char *path_base(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* ---- os-release ---- */

/* Splits "KEY=VALUE" (blanks around either side allowed, as trivy and the
 * shell-ish files in the wild have them); false for blank lines, comments
 * and lines without '='. */
static bool split_assignment(struct slice line, struct slice *key, struct slice *val)
{
	line = slice_trim(line);
	if (line.n == 0 || line.p[0] == '#')
		return false;
	if (!slice_split(line, '=', key, val))
		return false;
	*key = slice_trim(*key);
	*val = slice_trim(*val);
	return key->n > 0;
}

/* Stores an os-release value with its shell quoting removed: "..." with
 * backslash escapes, '...' literal, bare words with backslash escapes. An
 * unterminated quote takes the rest of the line rather than failing. */
static int store_value(struct arena *ar, struct slice v, char **dst)
{
	char q = 0;
	if (v.n && (v.p[0] == '"' || v.p[0] == '\'')) {
		q = v.p[0];
		v.p++;
		v.n--;
		if (v.n && v.p[v.n - 1] == q)
			v.n--;
	}
	if (v.n == 0 || v.n > OS_VALUE_MAX)
		return BOSUN_OK;
	char tmp[OS_VALUE_MAX];
	size_t n = 0;
	for (size_t i = 0; i < v.n; i++) {
		char c = v.p[i];
		if (c == '\\' && q != '\'' && i + 1 < v.n)
			c = v.p[++i];
		tmp[n++] = c;
	}
	return store(ar, slice_make(tmp, n), dst);
}

struct os_release_raw {
	char *id, *version_id, *version, *name, *pretty_name, *codename, *ubuntu_codename, *id_like;
};

static const struct {
	const char *key;
	size_t off;
} os_release_keys[] = {
	{ "ID", offsetof(struct os_release_raw, id) },
	{ "VERSION_ID", offsetof(struct os_release_raw, version_id) },
	{ "VERSION", offsetof(struct os_release_raw, version) },
	{ "NAME", offsetof(struct os_release_raw, name) },
	{ "PRETTY_NAME", offsetof(struct os_release_raw, pretty_name) },
	{ "VERSION_CODENAME", offsetof(struct os_release_raw, codename) },
	{ "UBUNTU_CODENAME", offsetof(struct os_release_raw, ubuntu_codename) },
	{ "ID_LIKE", offsetof(struct os_release_raw, id_like) },
};

static char **raw_field(struct os_release_raw *raw, struct slice key)
{
	for (size_t i = 0; i < sizeof os_release_keys / sizeof os_release_keys[0]; i++)
		if (slice_eq_cstr(key, os_release_keys[i].key))
			return (char **)((char *)raw + os_release_keys[i].off);
	return NULL;
}

/* The most precise version in text: the first blank-separated token that
 * is version_id itself or extends it by ".N" ("22.04.4" in "22.04.4 LTS",
 * "12.7" from debian_version). Falls back to version_id. */
static int precise_version(struct arena *ar, const char *text, const char *version_id, char **dst)
{
	*dst = (char *)version_id;
	if (!text || !version_id)
		return BOSUN_OK;
	size_t vn = strlen(version_id);
	struct slice rest = slice_cstr(text), tok;
	while (rest.n) {
		rest = slice_trim(rest);
		size_t i = 0;
		while (i < rest.n && !is_blank(rest.p[i]))
			i++;
		tok = slice_make(rest.p, i);
		rest = slice_make(rest.p + i, rest.n - i);
		while (tok.n && (tok.p[tok.n - 1] == ',' || tok.p[tok.n - 1] == ')'))
			tok.n--;
		if (tok.n > vn && tok.p[vn] == '.' && memcmp(tok.p, version_id, vn) == 0 && is_token(tok))
			return store(ar, tok, dst);
	}
	return BOSUN_OK;
}

/* "Plow" from VERSION="9.4 (Plow)": only a single alphabetic word counts,
 * so that Fedora's "42 (Container Image)" is not taken for a codename. */
static int paren_codename(struct arena *ar, const char *version, char **dst)
{
	const char *open = version ? strchr(version, '(') : NULL;
	const char *close = open ? strchr(open, ')') : NULL;
	if (!close || close == open + 1)
		return BOSUN_OK;
	for (const char *c = open + 1; c < close; c++)
		if (!isalpha((unsigned char)*c))
			return BOSUN_OK;
	return store(ar, slice_make(open + 1, (size_t)(close - open - 1)), dst);
}

/* An unknown ID still names a real distribution when it declares a known
 * lineage (ID_LIKE="ubuntu debian"); its family is then its own ID. */
static const char *family_for(const char *id, const char *id_like)
{
	const char *f = os_family_for_id(id);
	if (f || !id || !id_like)
		return f;
	struct slice rest = slice_cstr(id_like), word;
	while (rest.n) {
		rest = slice_trim(rest);
		slice_split(rest, ' ', &word, &rest);
		char w[OS_TOKEN_MAX + 1];
		if (word.n == 0 || word.n > OS_TOKEN_MAX)
			continue;
		memcpy(w, word.p, word.n);
		w[word.n] = '\0';
		if (os_family_for_id(w))
			return id;
	}
	return NULL;
}

int os_release_parse(const char *data, size_t len, struct arena *ar, struct os_info *out)
{
	memset(out, 0, sizeof *out);
	struct os_release_raw raw = { 0 };
	struct slice rest = clamp(data, len), line, key, val;
	while (slice_next_line(&rest, &line)) {
		if (!split_assignment(line, &key, &val))
			continue;
		char **dst = raw_field(&raw, key);
		if (dst)
			TRY(store_value(ar, val, dst));
	}
	lowercase(raw.id);
	out->id = raw.id;
	out->version_id = raw.version_id;
	out->pretty_name = raw.pretty_name ? raw.pretty_name : raw.name;
	out->id_like = raw.id_like;
	out->codename = raw.codename ? raw.codename : raw.ubuntu_codename;
	if (!out->codename)
		TRY(paren_codename(ar, raw.version, &out->codename));
	TRY(precise_version(ar, raw.version, raw.version_id, &out->version));
	out->family = (char *)family_for(out->id, out->id_like);
	out->found = out->family && out->version_id;
	return BOSUN_OK;
}

/* ---- legacy release files ---- */

static int set_found(struct arena *ar, struct os_info *out, const char *id)
{
	out->id = arena_strdup(ar, id);
	if (!out->id)
		return BOSUN_ENOMEM;
	out->family = (char *)os_family_for_id(id);
	out->found = out->family && out->version_id;
	return BOSUN_OK;
}

/* etc/alpine-release: "3.19.1". */
static int parse_alpine(struct slice line, struct arena *ar, struct os_info *out)
{
	if (!is_token(line) || !isdigit((unsigned char)line.p[0]))
		return BOSUN_OK;
	TRY(store(ar, line, &out->version_id));
	out->version = out->version_id;
	return set_found(ar, out, "alpine");
}

/* etc/debian_version: "12.7" for a release, "trixie/sid" for testing. */
static int parse_debian(struct slice line, struct arena *ar, struct os_info *out)
{
	if (!is_token(line))
		return BOSUN_OK;
	TRY(store(ar, line, &out->version));
	if (isdigit((unsigned char)line.p[0])) {
		size_t major = 0;
		while (major < line.n && isdigit((unsigned char)line.p[major]))
			major++;
		TRY(store(ar, slice_make(line.p, major), &out->version_id));
	} else {
		out->version_id = out->version;
		struct slice code, rest;
		slice_split(line, '/', &code, &rest);
		TRY(store(ar, code, &out->codename));
	}
	return set_found(ar, out, "debian");
}

/* etc/lsb-release: DISTRIB_ID=Ubuntu, DISTRIB_RELEASE=22.04, ... */
static int parse_lsb(const char *data, size_t len, struct arena *ar, struct os_info *out)
{
	char *id = NULL;
	struct slice rest = clamp(data, len), line, key, val;
	while (slice_next_line(&rest, &line)) {
		if (!split_assignment(line, &key, &val))
			continue;
		if (slice_eq_cstr(key, "DISTRIB_ID"))
			TRY(store_value(ar, val, &id));
		else if (slice_eq_cstr(key, "DISTRIB_RELEASE"))
			TRY(store_value(ar, val, &out->version_id));
		else if (slice_eq_cstr(key, "DISTRIB_CODENAME"))
			TRY(store_value(ar, val, &out->codename));
		else if (slice_eq_cstr(key, "DISTRIB_DESCRIPTION"))
			TRY(store_value(ar, val, &out->pretty_name));
	}
	if (!id || (out->version_id && !is_token(slice_cstr(out->version_id))))
		return BOSUN_OK;
	lowercase(id);
	TRY(precise_version(ar, out->pretty_name, out->version_id, &out->version));
	return set_found(ar, out, id);
}

/* etc/SuSE-release (SLES 11/12, openSUSE before Leap 15):
 *   SUSE Linux Enterprise Server 12 (x86_64)
 *   VERSION = 12
 *   PATCHLEVEL = 3 */
static int parse_suse(const char *data, size_t len, struct arena *ar, struct os_info *out)
{
	struct slice rest = clamp(data, len), line, key, val, version = { 0 }, patch = { 0 };
	struct slice name = { 0 };
	bool first = true;
	while (slice_next_line(&rest, &line)) {
		if (first) {
			name = slice_trim(line);
			first = false;
			continue;
		}
		if (!split_assignment(line, &key, &val))
			continue;
		if (slice_eq_cstr(key, "VERSION"))
			version = val;
		else if (slice_eq_cstr(key, "PATCHLEVEL"))
			patch = val;
		else if (slice_eq_cstr(key, "CODENAME"))
			TRY(store_value(ar, val, &out->codename));
	}
	const char *id = slice_starts_with(name, "SUSE Linux Enterprise Server") ? "sles"
			 : slice_starts_with(name, "SUSE Linux Enterprise Desktop") ? "sled"
			 : slice_starts_with(name, "openSUSE") ? "opensuse"
			 : NULL;
	if (!id || !is_token(version))
		return BOSUN_OK;
	TRY(store(ar, name, &out->pretty_name));
	char buf[2 * OS_TOKEN_MAX + 2];
	int n = is_token(patch) && !slice_eq_cstr(patch, "0")
			? snprintf(buf, sizeof buf, "%.*s.%.*s", (int)version.n, version.p, (int)patch.n, patch.p)
			: snprintf(buf, sizeof buf, "%.*s", (int)version.n, version.p);
	TRY(store(ar, slice_make(buf, (size_t)n), &out->version_id));
	out->version = out->version_id;
	return set_found(ar, out, id);
}

/* "<Name> release <version> (<codename>)": the distribution is told by the
 * name, most specific first. */
static const struct {
	const char *prefix;
	const char *id;
} rpm_release_names[] = {
	{ "CentOS", "centos" },
	{ "Red Hat Enterprise Linux", "rhel" },
	{ "Rocky Linux", "rocky" },
	{ "AlmaLinux", "almalinux" },
	{ "Fedora", "fedora" },
	{ "Oracle Linux", "ol" },
	{ "Amazon Linux", "amzn" },
	{ "Scientific Linux", "scientific" },
	{ "openEuler", "openeuler" },
	{ "EulerOS", "euleros" },
	{ "Anolis OS", "anolis" },
};

static int parse_rpm_style(struct slice line, struct arena *ar, struct os_info *out)
{
	const char *at = NULL;
	for (size_t i = 0; i + 9 <= line.n && !at; i++)
		if (memcmp(line.p + i, " release ", 9) == 0)
			at = line.p + i;
	if (!at || line.n > OS_VALUE_MAX)
		return BOSUN_OK;
	struct slice name = slice_make(line.p, (size_t)(at - line.p));
	const char *id = NULL;
	for (size_t i = 0; i < sizeof rpm_release_names / sizeof rpm_release_names[0] && !id; i++)
		if (slice_starts_with(name, rpm_release_names[i].prefix))
			id = rpm_release_names[i].id;
	struct slice rest = slice_make(at + 9, line.n - name.n - 9), version, tail;
	slice_split(rest, ' ', &version, &tail); /* tail: " (codename)", if any */
	if (!id || !is_token(version))
		return BOSUN_OK;
	TRY(store(ar, line, &out->pretty_name));
	TRY(store(ar, version, &out->version_id));
	out->version = out->version_id;
	TRY(paren_codename(ar, out->pretty_name, &out->codename));
	return set_found(ar, out, id);
}

int os_legacy_parse(const char *path, const char *data, size_t len, struct arena *ar,
		    struct os_info *out)
{
	memset(out, 0, sizeof *out);
	const char *base = path_base(path);
	size_t bn = strlen(base);
	if (strcmp(base, "alpine-release") == 0)
		return parse_alpine(first_line(data, len), ar, out);
	if (strcmp(base, "debian_version") == 0)
		return parse_debian(first_line(data, len), ar, out);
	if (strcmp(base, "lsb-release") == 0)
		return parse_lsb(data, len, ar, out);
	if (strcmp(base, "SuSE-release") == 0)
		return parse_suse(data, len, ar, out);
	if (bn > 8 && strcmp(base + bn - 8, "-release") == 0 && strcmp(base, "os-release") != 0)
		return parse_rpm_style(first_line(data, len), ar, out);
	return BOSUN_OK;
}

/* ---- combining ---- */

static const struct os_file *find_file(const struct os_file *files, size_t n, const char *path)
{
	for (size_t i = 0; i < n; i++)
		if (files[i].path && strcmp(files[i].path, path) == 0)
			return &files[i];
	return NULL;
}

static bool same_family(const struct os_info *a, const struct os_info *b)
{
	return a->family && b->family && strcmp(a->family, b->family) == 0;
}

static bool extends(const char *longer, const char *shorter)
{
	size_t n = strlen(shorter);
	return strncmp(longer, shorter, n) == 0 && longer[n] == '.';
}

/* Completes an os-release result from the distribution's own legacy file:
 * a missing VERSION_ID (Debian testing), a more precise version (Debian
 * point releases, CentOS "7.9.2009", Amazon "2023.5.20240916"), a missing
 * codename. */
static int complete_from_legacy(const struct os_file *files, size_t n, struct arena *ar,
				struct os_info *out)
{
	for (const char *const *p = os_candidate_paths + 2; *p; p++) {
		const struct os_file *f = find_file(files, n, *p);
		struct os_info legacy;
		if (!f)
			continue;
		TRY(os_legacy_parse(f->path, f->data, f->len, ar, &legacy));
		if (!legacy.found || !same_family(out, &legacy))
			continue;
		if (!out->version_id) {
			out->version_id = legacy.version_id;
			out->version = legacy.version;
		} else if (legacy.version && extends(legacy.version, out->version ? out->version : out->version_id)) {
			out->version = legacy.version;
		}
		if (!out->codename)
			out->codename = legacy.codename;
		break;
	}
	out->found = out->family && out->version_id;
	return BOSUN_OK;
}

/* Debian release from a distroless status.d base-files entry: its version
 * starts with the Debian major ("12.4+deb12u5" -> 12). The minor part
 * lags behind the point release, so only the major is taken. */
static int from_base_files(const struct os_file *f, struct arena *ar, struct os_info *out)
{
	memset(out, 0, sizeof *out);
	struct slice rest = clamp(f->data, f->len), line, key, val, version = { 0 };
	bool is_base_files = false;
	while (slice_next_line(&rest, &line)) {
		if (line.n == 0 || is_blank(line.p[0]) || !slice_split(line, ':', &key, &val))
			continue;
		if (slice_eq_cstr(key, "Package"))
			is_base_files = slice_eq_cstr(slice_trim(val), "base-files");
		else if (slice_eq_cstr(key, "Version"))
			version = slice_trim(val);
	}
	size_t major = 0;
	while (major < version.n && isdigit((unsigned char)version.p[major]))
		major++;
	bool debian = major > 0 && major <= 3 && is_token(version) &&
		      (major == version.n || version.p[major] == '.' || version.p[major] == '+');
	for (size_t i = 0; debian && i + 6 <= version.n; i++)
		if (memcmp(version.p + i, "ubuntu", 6) == 0)
			debian = false;
	if (!is_base_files || !debian)
		return BOSUN_OK;
	TRY(store(ar, slice_make(version.p, major), &out->version_id));
	out->version = out->version_id;
	return set_found(ar, out, "debian");
}

static int set_source(struct arena *ar, struct os_info *out, const char *path)
{
	out->source = arena_strdup(ar, path);
	return out->source ? BOSUN_OK : BOSUN_ENOMEM;
}

int os_detect(const struct os_file *files, size_t n, bool dpkg_status_d, struct arena *ar,
	      struct os_info *out)
{
	memset(out, 0, sizeof *out);
	const struct os_file *osr = find_file(files, n, "etc/os-release");
	if (!osr)
		osr = find_file(files, n, "usr/lib/os-release");
	if (osr) {
		TRY(os_release_parse(osr->data, osr->len, ar, out));
		if (out->family)
			TRY(complete_from_legacy(files, n, ar, out));
		if (out->found)
			return set_source(ar, out, osr->path);
	}
	for (const char *const *p = os_candidate_paths + 2; *p && !out->found; p++) {
		const struct os_file *f = find_file(files, n, *p);
		if (!f)
			continue;
		TRY(os_legacy_parse(f->path, f->data, f->len, ar, out));
		if (out->found)
			TRY(set_source(ar, out, f->path));
	}
	const struct os_file *bf = find_file(files, n, OS_STATUS_D_BASE_FILES);
	if (!out->found && dpkg_status_d && bf) {
		TRY(from_base_files(bf, ar, out));
		if (out->found)
			TRY(set_source(ar, out, bf->path));
	}
	if (!out->found)
		memset(out, 0, sizeof *out);
	out->distroless = dpkg_status_d && !osr;
	return BOSUN_OK;
}

/* ---- the analyzer ---- */

extern const struct analyzer analyzer_os_release;

#define STATUS_D_PREFIX "var/lib/dpkg/status.d/"

/* Called for every tar entry: compare names only. */
static bool wants(const char *path, size_t len)
{
	if (len > sizeof STATUS_D_PREFIX - 1 && memcmp(path, STATUS_D_PREFIX, sizeof STATUS_D_PREFIX - 1) == 0)
		return true;
	if (len < 10 || (path[0] != 'e' && path[0] != 'u'))
		return false;
	for (const char *const *p = os_candidate_paths; *p; p++)
		if (strcmp(path, *p) == 0)
			return true;
	return false;
}

/* Distinct from every BOSUN_* code, so that a stop is not taken for an error. */
#define STOP_FOUND (-1)

static int note_status_d(const struct scan_file *f, void *ctx)
{
	if (strncmp(f->path, STATUS_D_PREFIX, sizeof STATUS_D_PREFIX - 1) != 0)
		return 0;
	*(bool *)ctx = true;
	return STOP_FOUND;
}

static void add_file(const struct scan_view *v, const char *path, struct os_file *files, size_t *n)
{
	const struct scan_file *f = view_final(v, path);
	if (f && f->data)
		files[(*n)++] = (struct os_file){ path, (const char *)f->data, f->size };
}

static int analyze(const struct scan_view *v, struct artifact *a, struct berr *e)
{
	struct os_file files[sizeof os_candidate_paths / sizeof os_candidate_paths[0] + 1];
	size_t n = 0;
	for (const char *const *p = os_candidate_paths; *p; p++)
		add_file(v, *p, files, &n);
	bool status_d = false;
	int rc = view_each_wanted(v, &analyzer_os_release, note_status_d, &status_d);
	if (rc != BOSUN_OK && rc != STOP_FOUND)
		return berr_wrap(e, rc, "os-release");
	if (status_d)
		add_file(v, OS_STATUS_D_BASE_FILES, files, &n);
	struct os_info os;
	if (os_detect(files, n, status_d, &a->arena, &os) != BOSUN_OK)
		return berr_set(e, BOSUN_ENOMEM, "os-release: out of memory");
	a->os = os;
	return BOSUN_OK;
}

const struct analyzer analyzer_os_release = { "os_release", 1, wants, analyze };
