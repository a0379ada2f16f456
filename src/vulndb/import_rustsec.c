/* RustSec advisory-db in its native form: crates/<crate>/RUSTSEC-*.md and
 * rust/<component>/FILE.md, each a ```toml front block ([advisory], [versions],
 * [affected]) followed by Markdown whose first heading is the title.
 *
 * Affected versions are those neither patched nor unaffected (the same
 * reading as rustsec's own OSV export and cargo-audit). Mapping details:
 * docs/feeds-lang.md. */
#include <string.h>

#include "version/version.h"
#include "vulndb/feedfs.h"
#include "vulndb/lang_feed.h"
#include "vulndb/toml_subset.h"

/* Functions named in a note at most; the rest are counted. */
#define NOTE_FUNCTIONS 8

/* The front block and the Markdown after it. */
struct md_parts {
	const char *toml;
	size_t toml_len;
	struct slice body;
};

/* "```toml" on the first line, up to a line that is exactly "```". */
static int split_front_block(struct lang_doc *d, struct md_parts *out)
{
	struct slice rest = slice_make(d->data, d->n), line;
	if (!slice_next_line(&rest, &line) || !slice_eq(slice_trim(line), SLICE_LIT("```toml")))
		return lang_error(d, BOSUN_EFORMAT, NULL, "expected a ```toml front block on the first line");
	out->toml = rest.p;
	for (;;) {
		const char *at = rest.p;
		if (!slice_next_line(&rest, &line))
			return lang_error(d, BOSUN_EFORMAT, NULL, "the ```toml front block is not closed");
		if (slice_eq(line, SLICE_LIT("```"))) {
			out->toml_len = (size_t)(at - out->toml);
			out->body = rest;
			return BOSUN_OK;
		}
	}
}

/* The first non-blank line of the body must be "# Title". */
static int title_and_details(struct lang_doc *d, struct slice body, const char **title, const char **details)
{
	struct slice line = { NULL, 0 };
	size_t lineno = body.p ? feed_line_of(d->data, d->n, (size_t)(body.p - d->data)) : 0;
	bool got;
	while ((got = slice_next_line(&body, &line)) && slice_trim(line).n == 0)
		lineno++;
	line = got ? slice_trim(line) : (struct slice){ NULL, 0 };
	if (line.n < 3 || line.p[0] != '#' || line.p[1] != ' ')
		return feed_error(d->e, BOSUN_EFORMAT, d->file, lineno, "expected a \"# title\" heading after the front block");
	*title = arena_slice(&d->arena, slice_trim(slice_make(line.p + 2, line.n - 2)));
	struct slice rest = slice_trim(body);
	*details = rest.n ? arena_slice(&d->arena, rest) : NULL;
	if (!*title || (rest.n && !*details))
		return lang_error(d, BOSUN_ENOMEM, NULL, "out of memory");
	return BOSUN_OK;
}

static const json_t *table(struct lang_doc *d, const json_t *root, const char *key, bool required, int *rc)
{
	const json_t *t = json_object_get(root, key);
	*rc = BOSUN_OK;
	if (!t && required)
		*rc = lang_error(d, BOSUN_EFORMAT, NULL, "missing [%s] table", key);
	else if (t && !json_is_object(t))
		*rc = lang_error(d, BOSUN_EFORMAT, key, "expected a table");
	return t;
}

/* Identifiers and crate names go into keys and reports: plain ASCII. */
static bool plain_name(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n == 0 || n > max)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
		      c == '_' || c == '.'))
			return false;
	}
	return true;
}

/* "rust" two directories up: rust/std/CVE-....md is about the toolchain. */
static bool is_toolchain(const char *file)
{
	const char *end = strrchr(file, '/');
	if (!end)
		return false;
	const char *p = end;
	while (p > file && p[-1] != '/')
		p--; /* start of the component directory */
	if (p == file)
		return false;
	const char *q = p - 1; /* the '/' before it */
	const char *s = q;
	while (s > file && s[-1] != '/')
		s--;
	return q - s == 4 && memcmp(s, "rust", 4) == 0;
}

/* [affected] os, arch and functions as a note; *linux false when an os list
 * is given without Linux (the advisory cannot apply to a Linux image). */
static int affected_note(struct lang_doc *d, const json_t *aff, const char **note, bool *linux)
{
	*note = NULL;
	*linux = true;
	if (!aff)
		return BOSUN_OK;
	const char **os, **arch;
	size_t nos, narch;
	TRY(lang_str_list(d, aff, "os", false, &os, &nos));
	TRY(lang_str_list(d, aff, "arch", false, &arch, &narch));
	const json_t *fns = json_object_get(aff, "functions");
	if (fns && !json_is_object(fns))
		return lang_error(d, BOSUN_EFORMAT, "functions", "expected a table of paths");
	struct buf b = { 0 };
	int rc = BOSUN_OK;
	if (nos) {
		*linux = false;
		rc = buf_append_str(&b, "os:");
		for (size_t i = 0; i < nos && rc == BOSUN_OK; i++) {
			*linux = *linux || strcmp(os[i], "linux") == 0;
			rc = buf_printf(&b, " %s", os[i]);
		}
	}
	for (size_t i = 0; i < narch && rc == BOSUN_OK; i++)
		rc = buf_printf(&b, "%s%s", i ? " " : (b.len ? "; arch: " : "arch: "), arch[i]);
	size_t nf = 0;
	const char *path;
	const json_t *v;
	json_object_foreach((json_t *)fns, path, v) {
		if (!json_is_array(v)) {
			rc = lang_error(d, BOSUN_EFORMAT, path, "expected a list of versions");
			break;
		}
		if (nf < NOTE_FUNCTIONS)
			rc = buf_printf(&b, "%s%s", nf ? ", " : (b.len ? "; functions: " : "functions: "), path);
		nf++;
		if (rc != BOSUN_OK)
			break;
	}
	if (rc == BOSUN_OK && nf > NOTE_FUNCTIONS)
		rc = buf_printf(&b, " (and %zu more)", nf - NOTE_FUNCTIONS);
	if (rc == BOSUN_OK && b.len && !(*note = arena_strdup(&d->arena, b.data)))
		rc = BOSUN_ENOMEM;
	buf_free(&b);
	if (rc == BOSUN_ENOMEM)
		return lang_error(d, rc, NULL, "out of memory");
	return rc;
}

/* "patched: a, b; unaffected: c" for notes. */
static const char *versions_text(struct lang_doc *d, const char **p, size_t np, const char **u, size_t nu)
{
	struct buf b = { 0 };
	int rc = buf_append_str(&b, "patched:");
	for (size_t i = 0; i < np && rc == BOSUN_OK; i++)
		rc = buf_printf(&b, "%s %s", i ? "," : "", p[i]);
	if (rc == BOSUN_OK && nu)
		rc = buf_append_str(&b, "; unaffected:");
	for (size_t i = 0; i < nu && rc == BOSUN_OK; i++)
		rc = buf_printf(&b, "%s %s", i ? "," : "", u[i]);
	const char *s = rc == BOSUN_OK ? arena_strdup(&d->arena, b.data) : NULL;
	buf_free(&b);
	return s;
}

static int put_affected(struct lang_doc *d, const char *id, const char *package, const json_t *versions,
			const json_t *aff, const char *informational)
{
	const char **patched, **unaffected;
	size_t np, nu;
	TRY(lang_str_list(d, versions, "patched", false, &patched, &np));
	TRY(lang_str_list(d, versions, "unaffected", false, &unaffected, &nu));
	const char *note;
	bool linux;
	TRY(affected_note(d, aff, &note, &linux));
	if (!linux) {
		d->run->st->skipped++; /* e.g. a Windows-only advisory */
		return BOSUN_OK;
	}
	if (informational)
		note = lang_join(d, arena_printf(&d->arena, "informational: %s", informational), note);
	const struct version_scheme *vs = version_scheme_find("cargo");
	if (!vs)
		return lang_error(d, BOSUN_EUNSUPPORTED, NULL, "no cargo version scheme");
	struct cr_ctx c = { CR_CARGO, vs->compare, &d->arena };
	struct cr_set safe, affected;
	int rc = BOSUN_OK;
	for (size_t i = 0; i < np + nu && rc == BOSUN_OK; i++) {
		struct cr_set one;
		bool is_p = i < np;
		rc = cr_parse(&c, is_p ? patched[i] : unaffected[i - np], &one, d->e);
		if (rc == BOSUN_OK)
			rc = i ? cr_union(&c, &safe, &one, &safe, d->e) : (safe = one, BOSUN_OK);
		if (rc != BOSUN_OK)
			return lang_error(d, rc, is_p ? "patched" : "unaffected", "%s", d->e->msg);
	}
	if (np + nu == 0)
		safe = (struct cr_set){ NULL, 0 };
	if ((rc = cr_complement(&c, &safe, &affected, d->e)) != BOSUN_OK)
		return lang_error(d, rc, "patched", "%s", d->e->msg);
	struct lang_affected a = {
		.vuln_id = id,
		.ecosystem = is_toolchain(d->file) ? "rust-toolchain" : "crates.io",
		.package = package,
		.cr = &c,
		.set = &affected,
		.constraint = versions_text(d, patched, np, unaffected, nu),
		.note = note,
	};
	return lang_put_affected(d, &a);
}

static int advisory(struct lang_doc *d, const json_t *root, const char *title, const char *details)
{
	int rc;
	const json_t *adv = table(d, root, "advisory", true, &rc);
	TRY(rc);
	const json_t *versions = table(d, root, "versions", true, &rc);
	TRY(rc);
	const json_t *aff = table(d, root, "affected", false, &rc);
	TRY(rc);
	const char *id, *package, *date, *cvss, *url, *informational, *withdrawn;
	TRY(lang_str(d, adv, "id", true, &id));
	TRY(lang_str(d, adv, "package", true, &package));
	TRY(lang_str(d, adv, "date", true, &date));
	TRY(lang_str(d, adv, "cvss", false, &cvss));
	TRY(lang_str(d, adv, "url", false, &url));
	TRY(lang_str(d, adv, "informational", false, &informational));
	TRY(lang_str(d, adv, "withdrawn", false, &withdrawn));
	if (!plain_name(id, 64))
		return lang_error(d, BOSUN_EFORMAT, "id", "not an advisory id");
	if (!plain_name(package, 128))
		return lang_error(d, BOSUN_EFORMAT, "package", "not a crate name");
	const char **aliases, **refs;
	size_t naliases, nrefs;
	TRY(lang_str_list(d, adv, "aliases", false, &aliases, &naliases));
	TRY(lang_str_list(d, adv, "references", false, &refs, &nrefs));
	lang_note_date(d->run, date);
	/* Withdrawn advisories were filed in error; unmaintained crates and
	 * notices are not vulnerabilities (cargo-audit warns about them). */
	if (withdrawn || (informational && strcmp(informational, "unsound") != 0)) {
		d->run->st->skipped++;
		return BOSUN_OK;
	}
	const char **all_refs = NULL;
	size_t nall = 0, cap = 0;
	if (url)
		TRY(lang_list_add(d, &all_refs, &nall, &cap, url));
	for (size_t i = 0; i < nrefs; i++)
		TRY(lang_list_add(d, &all_refs, &nall, &cap, refs[i]));
	struct vuln_record v = {
		.id = id,
		.summary = title,
		.details = details,
		.published = date,
		.aliases = aliases,
		.naliases = naliases,
		.references = all_refs,
		.nreferences = nall,
	};
	lang_cvss_vectors(cvss, &v.cvss3_vector, &v.cvss4_vector);
	TRY(lang_put_vuln(d, &v));
	return put_affected(d, id, package, versions, aff, informational);
}

int rustsec_parse(struct lang_run *run, const char *file, const char *data, size_t n, struct berr *e)
{
	struct berr local;
	if (!e)
		e = &local;
	struct lang_doc d = { run, file, data, n, { 0 }, e };
	struct md_parts md = { NULL, 0, { NULL, 0 } };
	json_t *root = NULL;
	const char *title = NULL, *details = NULL;
	int rc = memchr(data, '\0', n) ? lang_error(&d, BOSUN_EFORMAT, NULL, "NUL byte") : BOSUN_OK;
	if (rc == BOSUN_OK)
		rc = split_front_block(&d, &md);
	if (rc == BOSUN_OK)
		rc = toml_subset_parse(md.toml, md.toml_len, file, 1, &root, e);
	if (rc == BOSUN_OK)
		rc = title_and_details(&d, md.body, &title, &details);
	if (rc == BOSUN_OK)
		rc = advisory(&d, root, title, details);
	json_decref(root);
	arena_free(&d.arena);
	return rc;
}

/* crates/<crate>/ directories (the osv branch has crates/FILE.json instead). */
static bool rustsec_detect(const char *dir)
{
	char p[4096];
	struct feed_dir list = { 0 };
	if (feed_join(p, sizeof p, dir, "crates", NULL) != BOSUN_OK || !feed_is_dir(p) ||
	    feed_dir_list(p, LANG_MAX_FILES, &list, NULL) != BOSUN_OK)
		return false;
	bool native = list.n > 0 && list.ents[0].is_dir;
	feed_dir_free(&list);
	return native;
}

static int rustsec_import(struct vulndb *db, const char *dir, struct import_stats *st, struct berr *e)
{
	static const char *const md[] = { ".md", NULL };
	static const struct lang_part parts[] = {
		{ "crates", md, rustsec_parse, "README.md" },
		{ "rust", md, rustsec_parse, "README.md" },
	};
	return lang_import(db, dir, "rustsec", "CC0-1.0", parts, 2, st, e);
}

const struct importer importer_rustsec = { "rustsec", rustsec_detect, rustsec_import };
