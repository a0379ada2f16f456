/* Debian security tracker: data/CVE/list joined with data/DSA/list and
 * data/DLA/list as the tracker's git repository holds them, the tracker's
 * JSON export, and debian-security-support's lists.
 *
 * The CVE list is parsed as a stream of entries over slices of the file;
 * each entry is joined with the advisory fixes for its CVE, resolved into one
 * record per (release, source package) and handed to the sink, so memory
 * stays bounded by one entry plus the (small) advisory tables. Which release
 * gets which status: docs/feeds-distro.md. */
#include "vulndb/distro_feed.h"

#include <ctype.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/json.h"
#include "util/strmap.h"
#include "version/version.h"

/* Hostile-input bounds; real entries are far below (CVE-2023-44487, among
 * the largest, has 22 package lines and 12 cross references). */
#define DEB_MAX_NOTES 1024
#define DEB_MAX_XREFS 1024
#define DEB_MAX_TOKEN 256
#define DEB_MAX_DESC 4096
#define DEB_MAX_FIXES 1000000
#define DEB_MAX_CVE_FIXES 256
#define DEB_MAX_REFS 8
#define DEB_MAX_SUPPORT 100000
#define DEB_MAX_PATTERNS 1000
#define DEB_JSON_DEPTH 16

/* ---- releases ----------------------------------------------------------- */

/* Codenames and the database keys of their releases ("debian:<major>", as
 * os-release's VERSION_ID gives it). `major` is 0 where no support list can
 * name the release. */
struct deb_release {
	const char *codename, *key;
	int major;
};

static const struct deb_release releases[] = {
	{ "buzz", "debian:1.1", 0 },     { "rex", "debian:1.2", 0 },      { "bo", "debian:1.3", 0 },
	{ "hamm", "debian:2.0", 0 },     { "slink", "debian:2.1", 0 },    { "potato", "debian:2.2", 0 },
	{ "woody", "debian:3.0", 0 },    { "sarge", "debian:3.1", 0 },    { "etch", "debian:4.0", 0 },
	{ "lenny", "debian:5", 5 },      { "squeeze", "debian:6", 6 },    { "wheezy", "debian:7", 7 },
	{ "jessie", "debian:8", 8 },     { "stretch", "debian:9", 9 },    { "buster", "debian:10", 10 },
	{ "bullseye", "debian:11", 11 }, { "bookworm", "debian:12", 12 }, { "trixie", "debian:13", 13 },
	{ "forky", "debian:14", 14 },    { "duke", "debian:15", 15 },     { "sid", "debian:sid", 0 },
};
#define NRELEASES ((int)(sizeof releases / sizeof releases[0]))
#define REL_SID (NRELEASES - 1)
#define REL_UNSTABLE (-1) /* a line without [release]: unstable */
#define REL_UNKNOWN (-2)  /* a release we have no key for (experimental, ...) */

static int release_find(struct slice name)
{
	if (slice_eq_cstr(name, "unstable"))
		return REL_SID;
	for (int i = 0; i < NRELEASES; i++)
		if (slice_eq_cstr(name, releases[i].codename))
			return i;
	return REL_UNKNOWN;
}

/* Without config.json: the releases the tracker has tracked (those with
 * suite members in its config), lenny to forky. */
static uint32_t default_tracked(void)
{
	uint32_t m = 0;
	for (int i = release_find(SLICE_LIT("lenny")); i <= release_find(SLICE_LIT("forky")); i++)
		m |= 1u << i;
	return m;
}

/* ---- annotations -------------------------------------------------------- */

enum deb_kind {
	K_FIXED, /* "- pkg VERSION" */
	K_UNFIXED,
	K_NOT_AFFECTED,
	K_REMOVED,
	K_EOL,
	K_NO_DSA,
	K_POSTPONED,
	K_IGNORED,
	K_UNDETERMINED,
	K_ITP, /* intent to package: not in the archive yet */
};

static const struct {
	const char *name;
	enum deb_kind kind;
} kinds[] = {
	{ "unfixed", K_UNFIXED },   { "not-affected", K_NOT_AFFECTED }, { "removed", K_REMOVED },
	{ "end-of-life", K_EOL },   { "no-dsa", K_NO_DSA },             { "postponed", K_POSTPONED },
	{ "ignored", K_IGNORED },   { "undetermined", K_UNDETERMINED }, { "itp", K_ITP },
};

/* One package line of an entry ("[bookworm] - expat 2.5.0-1+deb12u2"), or a
 * fix joined from an advisory list. Slices point into the feed's buffer. */
struct deb_note {
	int release; /* index into releases[], REL_UNSTABLE or REL_UNKNOWN */
	struct slice package, version, comment;
	enum deb_kind kind;
	enum vuln_severity urgency;
	bool has_urgency, eol_urgency;
	unsigned long bug;    /* first Debian bug number, for TEMP- names */
	const char *advisory; /* "DSA-5673-1" when joined from an advisory list */
	const char *date;     /* that advisory's date: the oldest fix wins */
};

/* Where we are, for error messages. */
struct pos {
	const char *file;
	size_t line;
};

static bool is_pkg_char(char c) { return isalnum((unsigned char)c) || c == ':' || c == '.' || c == '+' || c == '-'; }
static bool is_ver_char(char c) { return is_pkg_char(c) || c == '~'; }
static bool is_ws(char c) { return c == ' ' || c == '\t'; }
static bool is_id_char(char c) { return isdigit((unsigned char)c) || c == '-'; }

static struct slice skip_ws(struct slice s)
{
	while (s.n && is_ws(s.p[0])) {
		s.p++;
		s.n--;
	}
	return s;
}

static struct slice take_while(struct slice *s, bool (*ok)(char))
{
	size_t i = 0;
	while (i < s->n && ok(s->p[i]))
		i++;
	struct slice t = slice_make(s->p, i);
	s->p += i;
	s->n -= i;
	return t;
}

/* The tracker's urgencies, plus the "**" marks its NVD-derived values carry
 * in the JSON export. */
static bool urgency_parse(struct slice u, enum vuln_severity *sev, bool *eol)
{
	while (u.n && u.p[u.n - 1] == '*')
		u.n--;
	*eol = false;
	if (slice_eq_cstr(u, "unimportant"))
		*sev = SEV_NEGLIGIBLE;
	else if (slice_eq_cstr(u, "low"))
		*sev = SEV_LOW;
	else if (slice_eq_cstr(u, "medium"))
		*sev = SEV_MEDIUM;
	else if (slice_eq_cstr(u, "high"))
		*sev = SEV_HIGH;
	else if (slice_eq_cstr(u, "not yet assigned"))
		*sev = SEV_UNKNOWN;
	else if (slice_eq_cstr(u, "end-of-life")) {
		*sev = SEV_UNKNOWN;
		*eol = true;
	} else
		return false;
	return true;
}

/* "(low; bug #816320)": urgency and bug numbers; anything else is kept as
 * the comment (the tracker itself refuses it, but a note is worth more
 * than an aborted import). */
static void parse_note_terms(struct slice text, struct deb_note *n)
{
	struct slice rest = text, term;
	bool other = false;
	while (rest.n) {
		slice_split(rest, ';', &term, &rest);
		term = slice_trim(term);
		enum vuln_severity sev;
		bool eol;
		if (urgency_parse(term, &sev, &eol)) {
			n->urgency = sev;
			n->has_urgency = !eol && sev != SEV_UNKNOWN;
			n->eol_urgency = eol;
		} else if (slice_starts_with(term, "bug #")) {
			unsigned long bug = 0;
			for (size_t i = 5; i < term.n && isdigit((unsigned char)term.p[i]) && bug < 100000000; i++)
				bug = bug * 10 + (unsigned long)(term.p[i] - '0');
			if (!n->bug)
				n->bug = bug;
		} else if (term.n && !slice_eq_cstr(term, "bug filed"))
			other = true;
	}
	if (other)
		n->comment = text;
}

/* Parses "(text)" running to the end of s; false if s is not that. */
static bool take_parens(struct slice s, struct slice *inner)
{
	if (s.n < 2 || s.p[0] != '(' || s.p[s.n - 1] != ')')
		return false;
	*inner = slice_make(s.p + 1, s.n - 2);
	return true;
}

static int parse_release_prefix(struct slice *s, int *release, struct pos at, struct berr *e)
{
	*release = REL_UNSTABLE;
	if (!s->n || s->p[0] != '[')
		return BOSUN_OK;
	const char *close = memchr(s->p, ']', s->n);
	if (!close)
		return feed_error(e, BOSUN_EFORMAT, at.file, at.line, "unterminated [release]");
	struct slice name = slice_make(s->p + 1, (size_t)(close - s->p - 1));
	if (!name.n || name.n > 32)
		return feed_error(e, BOSUN_EFORMAT, at.file, at.line, "bad release name");
	for (size_t i = 0; i < name.n; i++)
		if (!islower((unsigned char)name.p[i]) && name.p[i] != '-')
			return feed_error(e, BOSUN_EFORMAT, at.file, at.line, "bad release name '%.*s'",
					  (int)name.n, name.p);
	*release = release_find(name);
	*s = slice_make(close + 1, s->n - name.n - 2);
	if (!s->n || !is_ws(s->p[0]))
		return feed_error(e, BOSUN_EFORMAT, at.file, at.line, "expected ' - package' after [release]");
	*s = skip_ws(*s);
	return BOSUN_OK;
}

static int parse_special(struct slice *rest, struct deb_note *n, struct pos at, struct berr *e)
{
	const char *close = memchr(rest->p, '>', rest->n);
	if (!close)
		return feed_error(e, BOSUN_EFORMAT, at.file, at.line, "unterminated <special version>");
	struct slice name = slice_make(rest->p + 1, (size_t)(close - rest->p - 1));
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (slice_eq_cstr(name, kinds[i].name)) {
			n->kind = kinds[i].kind;
			*rest = slice_make(close + 1, rest->n - name.n - 2);
			return BOSUN_OK;
		}
	return feed_error(e, BOSUN_EFORMAT, at.file, at.line, "invalid special version <%.*s>",
			  (int)(name.n > 64 ? 64 : name.n), name.p);
}

/* "[release] - package VERSION|<kind> (notes)" after the indentation. */
static int parse_package_line(struct slice s, struct deb_note *n, struct pos at, struct berr *e)
{
	*n = (struct deb_note){ .kind = K_UNFIXED };
	TRY(parse_release_prefix(&s, &n->release, at, e));
	if (s.n < 2 || s.p[0] != '-' || !is_ws(s.p[1]))
		return feed_error(e, BOSUN_EFORMAT, at.file, at.line, "expected '- package'");
	s = skip_ws(slice_make(s.p + 1, s.n - 1));
	n->package = take_while(&s, is_pkg_char);
	if (n->package.n > DEB_MAX_TOKEN)
		return feed_error(e, BOSUN_ELIMIT, at.file, at.line, "package name longer than %d bytes", DEB_MAX_TOKEN);
	if (!n->package.n || (s.n && !is_ws(s.p[0])))
		return feed_error(e, BOSUN_EFORMAT, at.file, at.line, "bad package name");
	s = skip_ws(s);
	struct slice notes = { 0 };
	if (s.n && s.p[0] == '<') {
		TRY(parse_special(&s, n, at, e));
		s = skip_ws(s);
	} else if (s.n && s.p[0] != '(') {
		n->version = take_while(&s, is_ver_char);
		if (n->version.n > DEB_MAX_TOKEN)
			return feed_error(e, BOSUN_ELIMIT, at.file, at.line, "version longer than %d bytes", DEB_MAX_TOKEN);
		if (!n->version.n || (s.n && !is_ws(s.p[0])))
			return feed_error(e, BOSUN_EFORMAT, at.file, at.line, "bad version");
		n->kind = K_FIXED;
		s = skip_ws(s);
	}
	if (s.n && !take_parens(s, &notes))
		return feed_error(e, BOSUN_EFORMAT, at.file, at.line, "expected '(notes)' at the end of the line");
	switch (n->kind) {
	case K_NOT_AFFECTED:
	case K_EOL:
	case K_NO_DSA:
	case K_POSTPONED:
	case K_IGNORED: n->comment = notes; break; /* free text: the reason */
	default: parse_note_terms(notes, n); break;
	}
	if ((n->kind == K_NO_DSA || n->kind == K_IGNORED || n->kind == K_POSTPONED) && n->release == REL_UNSTABLE)
		return feed_error(e, BOSUN_EFORMAT, at.file, at.line, "<no-dsa>/<ignored>/<postponed> need a [release]");
	return BOSUN_OK;
}

/* ---- the tracker's side tables ---------------------------------------- */

/* A CVE named by an advisory list: its fixes, linked through deb_fix.next. */
struct deb_cve {
	const char *id;
	long first; /* index into fixes, -1 if none */
	unsigned nfixes;
	bool emitted;
};

struct deb_fix {
	struct deb_note note;
	long next;
};

/* One line of security-support-ended / -limited. */
struct deb_support {
	int major;
	bool limited;
	bool prefix; /* "golang.*": the lists' only regex form */
	struct slice pattern, version, date, reason;
};

struct debian_tracker {
	struct arena arena;
	struct strmap cves; /* CVE id -> struct deb_cve (advisory-named CVEs) */
	struct deb_cve **cve_order;
	size_t ncves, cap_cves;
	struct deb_fix *fixes;
	size_t nfixes, cap_fixes;
	struct strmap emitted;   /* ids already written: duplicates are skipped */
	struct strmap support;   /* "major:package" -> struct deb_support, exact names */
	struct deb_support **support_prefix;
	size_t nprefix, cap_prefix;
	size_t nsupport;
	uint32_t tracked; /* releases[] bits that follow the unstable line */
	char snapshot[11];
};

int debian_tracker_new(struct debian_tracker **out)
{
	struct debian_tracker *t = calloc(1, sizeof *t);
	if (!t)
		return BOSUN_ENOMEM;
	t->tracked = default_tracked();
	*out = t;
	return BOSUN_OK;
}

void debian_tracker_free(struct debian_tracker *t)
{
	if (!t)
		return;
	strmap_free(&t->cves);
	strmap_free(&t->emitted);
	strmap_free(&t->support);
	free(t->cve_order);
	free(t->fixes);
	free(t->support_prefix);
	arena_free(&t->arena);
	free(t);
}

const char *debian_tracker_snapshot(const struct debian_tracker *t) { return t->snapshot; }

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return BOSUN_OK;
	size_t c = *cap ? *cap * 2 : 64;
	while (c < need)
		c *= 2;
	void *q = realloc(*p, c * size);
	if (!q)
		return BOSUN_ENOMEM;
	*p = q;
	*cap = c;
	return BOSUN_OK;
}

static int cve_get(struct debian_tracker *t, struct slice id, struct deb_cve **out)
{
	struct deb_cve *c = strmap_getn(&t->cves, id.p, id.n);
	if (!c) {
		c = arena_alloc(&t->arena, sizeof *c);
		char *key = arena_slice(&t->arena, id);
		if (!c || !key)
			return BOSUN_ENOMEM;
		*c = (struct deb_cve){ key, -1, 0, false };
		TRY(grow((void **)&t->cve_order, &t->cap_cves, t->ncves + 1, sizeof *t->cve_order));
		TRY(strmap_put(&t->cves, key, c));
		t->cve_order[t->ncves++] = c;
	}
	*out = c;
	return BOSUN_OK;
}

static int add_fix(struct debian_tracker *t, struct slice cve, const struct deb_note *n, struct pos at,
		   struct berr *e)
{
	if (t->nfixes >= DEB_MAX_FIXES)
		return feed_error(e, BOSUN_ELIMIT, at.file, at.line, "more than %d advisory fixes", DEB_MAX_FIXES);
	struct deb_cve *c;
	if (cve_get(t, cve, &c) != BOSUN_OK ||
	    grow((void **)&t->fixes, &t->cap_fixes, t->nfixes + 1, sizeof *t->fixes) != BOSUN_OK)
		return berr_set(e, BOSUN_ENOMEM, "%s: out of memory", at.file);
	/* each entry's join compares its fixes pairwise: few per CVE are
	 * allowed (the real lists have at most a handful) */
	if (++c->nfixes > DEB_MAX_CVE_FIXES)
		return feed_error(e, BOSUN_ELIMIT, at.file, at.line, "more than %d advisory fixes for %s",
				  DEB_MAX_CVE_FIXES, c->id);
	t->fixes[t->nfixes] = (struct deb_fix){ *n, c->first };
	c->first = (long)t->nfixes++;
	return BOSUN_OK;
}

/* ---- advisory lists (data/DSA/list, data/DLA/list) ------------------------ */

static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
				      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

static bool all_digits(struct slice s)
{
	for (size_t i = 0; i < s.n; i++)
		if (!isdigit((unsigned char)s.p[i]))
			return false;
	return s.n > 0;
}

/* "[29 Mar 2023] DSA-5380-1 xorg-server - security update" */
static int parse_advisory_header(struct slice l, const char *kind, char date[11], struct slice *id, struct pos at,
				 struct berr *e)
{
	size_t k = strlen(kind);
	if (l.n < 14 || l.p[0] != '[' || l.p[3] != ' ' || l.p[7] != ' ' || l.p[12] != ']' || l.p[13] != ' ' ||
	    !all_digits(slice_make(l.p + 1, 2)) || !all_digits(slice_make(l.p + 8, 4)))
		return feed_error(e, BOSUN_EFORMAT, at.file, at.line, "expected '[DD Mon YYYY] %s-N' header", kind);
	int month = 0;
	for (int i = 0; i < 12; i++)
		if (memcmp(l.p + 4, months[i], 3) == 0)
			month = i + 1;
	if (!month)
		return feed_error(e, BOSUN_EFORMAT, at.file, at.line, "invalid month name '%.3s'", l.p + 4);
	/* "YYYY-MM-DD" */
	memcpy(date, l.p + 8, 4);
	date[4] = date[7] = '-';
	date[5] = (char)('0' + month / 10);
	date[6] = (char)('0' + month % 10);
	memcpy(date + 8, l.p + 1, 2);
	date[10] = '\0';
	struct slice s = slice_make(l.p + 14, l.n - 14);
	if (s.n <= k || memcmp(s.p, kind, k) != 0 || s.p[k] != '-')
		return feed_error(e, BOSUN_EFORMAT, at.file, at.line, "expected a %s id", kind);
	struct slice rest = slice_make(s.p + k + 1, s.n - k - 1);
	struct slice num = take_while(&rest, is_id_char);
	*id = slice_make(s.p, k + 1 + num.n);
	/* DSA-1234 or DSA-1234-1 */
	struct slice a, b;
	bool two = slice_split(num, '-', &a, &b);
	if (!all_digits(a) || (two && !all_digits(b)) || (rest.n && !is_ws(rest.p[0])))
		return feed_error(e, BOSUN_EFORMAT, at.file, at.line, "bad %s id '%.*s'", kind, (int)id->n, id->p);
	return BOSUN_OK;
}

/* "{CVE-2024-1 DSA-5673-1}": the ids, checked like the tracker checks them. */
static bool xref_valid(struct slice x)
{
	struct slice rest, a, b;
	if (slice_starts_with(x, "CVE-")) {
		rest = slice_make(x.p + 4, x.n - 4);
		return slice_split(rest, '-', &a, &b) && a.n == 4 && all_digits(a) && b.n >= 4 && all_digits(b);
	}
	if (slice_starts_with(x, "VU#"))
		return x.n == 9 && all_digits(slice_make(x.p + 3, 6));
	const char *pfx[] = { "DSA-", "DLA-", "DTSA-" };
	for (size_t i = 0; i < 3; i++) {
		size_t k = strlen(pfx[i]);
		if (!slice_starts_with(x, pfx[i]))
			continue;
		rest = slice_make(x.p + k, x.n - k);
		bool two = slice_split(rest, '-', &a, &b);
		return all_digits(a) && (!two || all_digits(b));
	}
	return false;
}

/* Calls fn for each id of a "{...}" line. */
static int each_xref(struct slice l, struct pos at, int (*fn)(void *, struct slice, struct pos, struct berr *),
		     void *ctx, struct berr *e)
{
	if (l.n < 2 || l.p[l.n - 1] != '}')
		return feed_error(e, BOSUN_EFORMAT, at.file, at.line, "expected cross reference '{...}'");
	struct slice s = slice_make(l.p + 1, l.n - 2);
	for (;;) {
		s = skip_ws(s);
		if (!s.n)
			break;
		size_t i = 0;
		while (i < s.n && !is_ws(s.p[i]))
			i++;
		struct slice x = slice_make(s.p, i);
		s = slice_make(s.p + i, s.n - i);
		if (!xref_valid(x))
			return feed_error(e, BOSUN_EFORMAT, at.file, at.line, "invalid cross reference '%.*s'",
					  (int)(x.n > 64 ? 64 : x.n), x.p);
		TRY(fn(ctx, x, at, e));
	}
	return BOSUN_OK;
}

/* One advisory being read: its CVEs and package lines. */
struct adv_entry {
	struct slice id;
	char date[11];
	struct slice cves[DEB_MAX_XREFS];
	size_t ncves;
	struct deb_note notes[256]; /* the real lists have at most 20 */
	size_t nnotes;
	bool open;
};

static int adv_xref(void *ctx, struct slice x, struct pos at, struct berr *e)
{
	struct adv_entry *a = ctx;
	if (!slice_starts_with(x, "CVE-"))
		return BOSUN_OK;
	if (a->ncves >= DEB_MAX_XREFS)
		return feed_error(e, BOSUN_ELIMIT, at.file, at.line, "more than %d CVEs in one advisory", DEB_MAX_XREFS);
	a->cves[a->ncves++] = x;
	return BOSUN_OK;
}

static int adv_finish(struct debian_tracker *t, struct adv_entry *a, struct pos at, struct berr *e)
{
	if (!a->open)
		return BOSUN_OK;
	a->open = false;
	const char *id = NULL, *date = NULL;
	for (size_t i = 0; i < a->nnotes; i++) {
		/* Only release lines fix a release; unknown releases have no key. */
		if (a->notes[i].release < 0)
			continue;
		if (!id) {
			id = arena_slice(&t->arena, a->id);
			date = arena_strdup(&t->arena, a->date);
			if (!id || !date)
				return berr_set(e, BOSUN_ENOMEM, "%s: out of memory", at.file);
		}
		a->notes[i].advisory = id;
		a->notes[i].date = date;
		for (size_t c = 0; c < a->ncves; c++)
			TRY(add_fix(t, a->cves[c], &a->notes[i], at, e));
	}
	if (strcmp(a->date, t->snapshot) > 0)
		memcpy(t->snapshot, a->date, 11);
	return BOSUN_OK;
}

static int adv_annotation(struct adv_entry *a, struct slice r, struct pos at, struct berr *e)
{
	if (r.p[0] == '{')
		return each_xref(r, at, adv_xref, a, e);
	if (r.p[0] == '[' || r.p[0] == '-') {
		if (a->nnotes >= sizeof a->notes / sizeof a->notes[0])
			return feed_error(e, BOSUN_ELIMIT, at.file, at.line, "too many package lines in one advisory");
		return parse_package_line(r, &a->notes[a->nnotes++], at, e);
	}
	if (slice_starts_with(r, "NOTE:") || slice_starts_with(r, "TODO:"))
		return BOSUN_OK;
	return feed_error(e, BOSUN_EFORMAT, at.file, at.line, "expected advisory annotation");
}

int debian_tracker_add_advisories(struct debian_tracker *t, const char *file, const char *kind, const char *data,
				  size_t n, struct berr *e)
{
	struct adv_entry *a = calloc(1, sizeof *a);
	if (!a)
		return berr_set(e, BOSUN_ENOMEM, "%s: out of memory", file);
	struct slice rest = slice_make(data, n), l;
	struct pos at = { file, 0 };
	int rc = BOSUN_OK;
	while (rc == BOSUN_OK && slice_next_line(&rest, &l)) {
		at.line++;
		if ((rc = feed_check_line(l, file, at.line, e)) != BOSUN_OK)
			break;
		struct slice r = slice_trim(l);
		if (!r.n || slice_starts_with(l, "--"))
			continue;
		if (is_ws(l.p[0])) {
			rc = a->open ? adv_annotation(a, r, at, e)
				     : feed_error(e, BOSUN_EFORMAT, file, at.line, "annotation outside an entry");
			continue;
		}
		if ((rc = adv_finish(t, a, at, e)) != BOSUN_OK)
			break;
		a->ncves = a->nnotes = 0;
		rc = parse_advisory_header(r, kind, a->date, &a->id, at, e);
		a->open = rc == BOSUN_OK;
	}
	if (rc == BOSUN_OK)
		rc = adv_finish(t, a, at, e);
	free(a);
	return rc;
}

/* ---- config.json and debian-security-support ------------------------------ */

int debian_tracker_add_config(struct debian_tracker *t, const char *file, const char *data, size_t n,
			      struct berr *e)
{
	json_t *root;
	TRY(json_parse_bounded(data, n, DEB_JSON_DEPTH, file, &root, e));
	json_t *d = json_object_get(root, "distributions");
	if (!json_is_object(d)) {
		json_decref(root);
		return feed_error(e, BOSUN_EFORMAT, file, 0, "no \"distributions\" object");
	}
	uint32_t m = 0;
	const char *name;
	json_t *v;
	json_object_foreach(d, name, v)
	{
		int r = release_find(slice_cstr(name));
		/* Releases with suite members are the ones the tracker tracks;
		 * potato..etch are listed empty. */
		if (r >= 0 && r != REL_SID && json_is_object(json_object_get(v, "members")))
			m |= 1u << r;
	}
	json_decref(root);
	if (m)
		t->tracked = m;
	return BOSUN_OK;
}

static struct slice next_field(struct slice *s)
{
	*s = skip_ws(*s);
	size_t i = 0;
	while (i < s->n && !is_ws(s->p[i]))
		i++;
	struct slice f = slice_make(s->p, i);
	*s = slice_make(s->p + i, s->n - i);
	return f;
}

static int support_add(struct debian_tracker *t, struct deb_support *sp, struct pos at, struct berr *e)
{
	if (++t->nsupport > DEB_MAX_SUPPORT)
		return feed_error(e, BOSUN_ELIMIT, at.file, at.line, "more than %d support lines", DEB_MAX_SUPPORT);
	struct deb_support *copy = arena_alloc(&t->arena, sizeof *copy);
	if (!copy)
		return BOSUN_ENOMEM;
	*copy = *sp;
	if (sp->prefix) {
		/* every record scans these: few are allowed (the real lists have 4) */
		if (t->nprefix >= DEB_MAX_PATTERNS)
			return feed_error(e, BOSUN_ELIMIT, at.file, at.line, "more than %d 'name.*' patterns",
					  DEB_MAX_PATTERNS);
		TRY(grow((void **)&t->support_prefix, &t->cap_prefix, t->nprefix + 1, sizeof *t->support_prefix));
		t->support_prefix[t->nprefix++] = copy;
		return BOSUN_OK;
	}
	char *key = arena_printf(&t->arena, "%d%c:%.*s", sp->major, sp->limited ? 'l' : 'e', (int)sp->pattern.n,
				 sp->pattern.p);
	if (!key)
		return BOSUN_ENOMEM;
	return strmap_put(&t->support, key, copy);
}

int debian_tracker_add_support(struct debian_tracker *t, const char *file, int major, bool limited,
			       const char *data, size_t n, struct berr *e)
{
	struct slice rest = slice_make(data, n), l;
	struct pos at = { file, 0 };
	while (slice_next_line(&rest, &l)) {
		at.line++;
		TRY(feed_check_line(l, file, at.line, e));
		struct slice s = slice_trim(l);
		if (!s.n || s.p[0] == '#')
			continue;
		struct deb_support sp = { .major = major, .limited = limited };
		sp.pattern = next_field(&s);
		if (!limited) {
			sp.version = next_field(&s);
			sp.date = next_field(&s);
			if (!sp.date.n)
				return feed_error(e, BOSUN_EFORMAT, file, at.line, "expected 'package version date [details]'");
		}
		sp.reason = slice_trim(s);
		if (sp.pattern.n > DEB_MAX_TOKEN)
			return feed_error(e, BOSUN_ELIMIT, file, at.line, "package name longer than %d bytes",
					  DEB_MAX_TOKEN);
		if (sp.pattern.n > 2 && slice_eq_cstr(slice_make(sp.pattern.p + sp.pattern.n - 2, 2), ".*")) {
			sp.prefix = true;
			sp.pattern.n -= 2;
		}
		int rc = support_add(t, &sp, at, e);
		if (rc == BOSUN_ENOMEM)
			return berr_set(e, rc, "%s: out of memory", file);
		TRY(rc);
	}
	return BOSUN_OK;
}

static const struct deb_support *support_find(const struct debian_tracker *t, int major, bool limited,
					      const char *pkg)
{
	if (!major || !t->nsupport)
		return NULL;
	char key[DEB_MAX_TOKEN + 16];
	snprintf(key, sizeof key, "%d%c:%s", major, limited ? 'l' : 'e', pkg);
	const struct deb_support *sp = strmap_get(&t->support, key);
	if (sp)
		return sp;
	for (size_t i = 0; i < t->nprefix; i++) {
		sp = t->support_prefix[i];
		if (sp->major == major && sp->limited == limited && strncmp(pkg, sp->pattern.p, sp->pattern.n) == 0)
			return sp;
	}
	return NULL;
}

/* ---- resolving an entry into records ------------------------------------ */

/* What one entry resolves to, before the sink sees it. */
struct emit {
	struct debian_tracker *t;
	const struct feed_sink *s;
	struct import_stats *st;
	struct arena scratch; /* this entry's strings */
	const char *id;
	const char *pkg;
	const char *file;
};

static enum affect_status kind_status(enum deb_kind k)
{
	switch (k) {
	case K_FIXED: return AFFECT_FIXED;
	case K_NOT_AFFECTED: return AFFECT_NOT_AFFECTED;
	case K_EOL: return AFFECT_END_OF_LIFE;
	case K_NO_DSA: return AFFECT_NO_DSA;
	case K_POSTPONED: return AFFECT_POSTPONED;
	case K_IGNORED: return AFFECT_WONT_FIX;
	case K_UNDETERMINED: return AFFECT_UNDETERMINED;
	case K_UNFIXED:
	case K_REMOVED:
	case K_ITP: break;
	}
	return AFFECT_UNFIXED;
}

static bool status_open(enum affect_status s)
{
	return s != AFFECT_FIXED && s != AFFECT_NOT_AFFECTED && s != AFFECT_END_OF_LIFE;
}

/* The note stored with a record: why the status is what it is. */
static const char *record_note(struct emit *m, const struct deb_note *n, bool follows)
{
	struct slice c = n->comment;
	if (n->kind == K_REMOVED)
		c = SLICE_LIT("package removed from unstable");
	const char *adv = n->advisory;
	if (follows)
		return c.n ? arena_printf(&m->scratch, "as in unstable: %.*s", (int)c.n, c.p) : "as in unstable";
	if (adv)
		return c.n ? arena_printf(&m->scratch, "%s: %.*s", adv, (int)c.n, c.p) : adv;
	return c.n ? arena_slice(&m->scratch, c) : NULL;
}

/* Whether a fix at `fixed` came while the release was still supported:
 * at or below the last supported version. Unparseable versions say no. */
static bool fixed_in_support(const char *fixed, struct slice last)
{
	const struct version_scheme *deb = version_scheme_find("deb");
	char lv[DEB_MAX_TOKEN + 1];
	int cmp;
	if (!deb || !fixed || !last.n || last.n > DEB_MAX_TOKEN)
		return false;
	memcpy(lv, last.p, last.n);
	lv[last.n] = '\0';
	return deb->compare(fixed, lv, &cmp) == BOSUN_OK && cmp <= 0;
}

/* debian-security-support: a release whose support for the package ended
 * gets no more fixes, so what would stay open, or wait for a fix that only
 * unstable has (above the last supported version), is end-of-life; a
 * limited package keeps its status and gains the reason. */
static const char *apply_support(struct emit *m, int rel, enum affect_status *st, bool follows, const char *fixed,
				 const char *note)
{
	int major = releases[rel].major;
	const struct deb_support *sp = support_find(m->t, major, false, m->pkg);
	bool eol = sp && (status_open(*st) ||
			  (follows && *st == AFFECT_FIXED && !fixed_in_support(fixed, sp->version)));
	if (eol) {
		*st = AFFECT_END_OF_LIFE;
		return arena_printf(&m->scratch, "security support ended %.*s (last supported version %.*s)%s%.*s%s%s",
				    (int)sp->date.n, sp->date.p, (int)sp->version.n, sp->version.p,
				    sp->reason.n ? ": " : "", (int)sp->reason.n, sp->reason.p, note ? "; " : "",
				    note ? note : "");
	}
	sp = support_find(m->t, major, true, m->pkg);
	if (sp && status_open(*st))
		return arena_printf(&m->scratch, "%s%slimited security support%s%.*s", note ? note : "",
				    note ? "; " : "", sp->reason.n ? ": " : "", (int)sp->reason.n, sp->reason.p);
	return note;
}

static int put_record(struct emit *m, int rel, enum affect_status status, enum vuln_severity sev,
		      const char *fixed, const char *note, bool follows, struct berr *e)
{
	note = apply_support(m, rel, &status, follows, fixed, note);
	struct affect_range range = { .fixed = fixed };
	struct affected_record r = {
		.vuln_id = m->id,
		.ecosystem = releases[rel].key,
		.package = m->pkg,
		.status = status,
		.severity = sev,
		.ranges = status == AFFECT_FIXED ? &range : NULL,
		.nranges = status == AFFECT_FIXED ? 1 : 0,
		.note = note,
	};
	TRY(m->s->affected(m->s->ctx, &r, e));
	m->st->affected++;
	return BOSUN_OK;
}

/* One release's record from a package line; `u` is the package's unstable
 * line (urgency falls back to it), follows says the line is u itself
 * standing in for a release without its own line. */
static int emit_note(struct emit *m, int rel, const struct deb_note *n, const struct deb_note *u, bool follows,
		     struct berr *e)
{
	enum affect_status st = kind_status(n->kind);
	enum vuln_severity sev = n->has_urgency ? n->urgency : u && u->has_urgency ? u->urgency : SEV_UNKNOWN;
	if ((n->eol_urgency || (!n->has_urgency && u && u->eol_urgency && follows)) && status_open(st))
		st = AFFECT_END_OF_LIFE;
	const char *fixed = NULL;
	if (st == AFFECT_FIXED && !(fixed = arena_slice(&m->scratch, n->version)))
		return berr_set(e, BOSUN_ENOMEM, "out of memory");
	const char *note = record_note(m, n, follows);
	return put_record(m, rel, st, sev, fixed, note, follows, e);
}

static int note_cmp(const void *a, const void *b)
{
	const struct deb_note *x = a, *y = b;
	size_t k = x->package.n < y->package.n ? x->package.n : y->package.n;
	int c = memcmp(x->package.p, y->package.p, k);
	if (c)
		return c;
	if (x->package.n != y->package.n)
		return x->package.n < y->package.n ? -1 : 1;
	return (x->release > y->release) - (x->release < y->release);
}

/* All records of one source package: notes[0..n) share the package. */
static int emit_package(struct emit *m, const struct deb_note *notes, size_t n, struct berr *e)
{
	const struct deb_note *u = NULL;
	for (size_t i = 0; i < n && !u; i++)
		if (notes[i].release == REL_UNSTABLE)
			u = &notes[i];
	if (u && u->kind == K_ITP)
		return BOSUN_OK; /* not in Debian yet: nothing can match */
	if (!(m->pkg = arena_slice(&m->scratch, notes[0].package)))
		return berr_set(e, BOSUN_ENOMEM, "out of memory");
	uint32_t done = 0;
	for (size_t i = 0; i < n; i++) {
		int rel = notes[i].release;
		if (rel < 0 || (done & (1u << rel)))
			continue; /* unstable line, unknown release, or a duplicate line */
		TRY(emit_note(m, rel, &notes[i], u, false, e));
		done |= 1u << rel;
	}
	if (!u)
		return BOSUN_OK;
	if (!(done & (1u << REL_SID)))
		TRY(emit_note(m, REL_SID, u, u, false, e));
	for (int rel = 0; rel < REL_SID; rel++)
		if ((m->t->tracked & (1u << rel)) && !(done & (1u << rel)))
			TRY(emit_note(m, rel, u, u, true, e));
	return BOSUN_OK;
}

/* One entry: its own lines plus the advisory fixes for releases it has no
 * own line for (the tracker leaves DSA-fixed stable releases out of the CVE
 * list). Several advisories naming the CVE for one release: the oldest
 * wins, as the first update that fixed it (a later one re-listing the CVE
 * is a regression fix or a newer upstream release, e.g. chromium's DSA-5230-1
 * and DSA-5244-1 both list CVE-2022-3201). */
struct entry_notes {
	struct deb_note *v;
	size_t n, cap;
};

static int push_note(struct entry_notes *en, const struct deb_note *n)
{
	TRY(grow((void **)&en->v, &en->cap, en->n + 1, sizeof *en->v));
	en->v[en->n++] = *n;
	return BOSUN_OK;
}

static int join_fixes(struct debian_tracker *t, const struct deb_cve *c, struct entry_notes *en, size_t own)
{
	for (long i = c ? c->first : -1; i >= 0; i = t->fixes[i].next) {
		const struct deb_note *f = &t->fixes[i].note;
		size_t j;
		for (j = 0; j < en->n; j++)
			if (en->v[j].release == f->release && slice_eq(en->v[j].package, f->package))
				break;
		if (j == en->n)
			TRY(push_note(en, f));
		else if (j >= own && strcmp(f->date, en->v[j].date) < 0)
			en->v[j] = *f;
	}
	return BOSUN_OK;
}

/* Appends a tracker URL for id unless refs holds it already. */
static void add_ref(struct emit *m, const char **refs, size_t *n, struct slice id)
{
	if (*n >= DEB_MAX_REFS)
		return;
	const char *url = arena_printf(&m->scratch, "https://security-tracker.debian.org/tracker/%.*s", (int)id.n, id.p);
	for (size_t i = 0; url && i < *n; i++)
		if (strcmp(refs[i], url) == 0)
			return;
	if (url)
		refs[(*n)++] = url;
}

static int put_vuln(struct emit *m, struct slice desc, const struct slice *xrefs, size_t nxrefs,
		    const struct entry_notes *en, struct berr *e)
{
	const char *refs[DEB_MAX_REFS];
	size_t nrefs = 0;
	add_ref(m, refs, &nrefs, slice_cstr(m->id));
	for (size_t i = 0; i < nxrefs; i++)
		if (!slice_starts_with(xrefs[i], "CVE-"))
			add_ref(m, refs, &nrefs, xrefs[i]);
	for (size_t i = 0; i < en->n; i++)
		if (en->v[i].advisory)
			add_ref(m, refs, &nrefs, slice_cstr(en->v[i].advisory));
	if (desc.n > DEB_MAX_DESC)
		desc.n = DEB_MAX_DESC;
	struct vuln_record v = {
		.id = m->id,
		.summary = desc.n ? arena_slice(&m->scratch, desc) : NULL,
		.references = refs,
		.nreferences = nrefs,
	};
	TRY(m->s->vuln(m->s->ctx, &v, e));
	m->st->vulns++;
	return BOSUN_OK;
}

/* Marks id written; false when it already was (a second list naming it). */
static int mark_emitted(struct debian_tracker *t, const char *id, bool *fresh)
{
	*fresh = !strmap_get(&t->emitted, id);
	if (!*fresh)
		return BOSUN_OK;
	char *key = arena_strdup(&t->arena, id);
	if (!key)
		return BOSUN_ENOMEM;
	return strmap_put(&t->emitted, key, key);
}

/* Writes one entry (own lines plus joins) through the sink. */
static int emit_entry(struct emit *m, struct slice desc, const struct slice *xrefs, size_t nxrefs,
		      struct entry_notes *en, struct berr *e)
{
	bool fresh;
	if (mark_emitted(m->t, m->id, &fresh) != BOSUN_OK)
		return berr_set(e, BOSUN_ENOMEM, "out of memory");
	if (!fresh) {
		m->st->skipped++;
		return BOSUN_OK;
	}
	struct deb_cve *c = strmap_get(&m->t->cves, m->id);
	if (c)
		c->emitted = true;
	if (join_fixes(m->t, c, en, en->n) != BOSUN_OK)
		return berr_set(e, BOSUN_ENOMEM, "out of memory");
	TRY(put_vuln(m, desc, xrefs, nxrefs, en, e));
	if (en->n) /* qsort's base may not be NULL */
		qsort(en->v, en->n, sizeof *en->v, note_cmp);
	for (size_t i = 0; i < en->n;) {
		size_t j = i + 1;
		while (j < en->n && slice_eq(en->v[j].package, en->v[i].package))
			j++;
		TRY(emit_package(m, en->v + i, j - i, e));
		i = j;
	}
	return BOSUN_OK;
}

/* ---- data/CVE/list ------------------------------------------------------ */

struct cve_entry {
	struct slice id, desc;
	size_t line;
	bool open, reserved, rejected, nfu, temp;
	struct entry_notes notes;
	struct slice xrefs[DEB_MAX_XREFS];
	size_t nxrefs;
};

static int cve_xref(void *ctx, struct slice x, struct pos at, struct berr *e)
{
	struct cve_entry *c = ctx;
	if (c->nxrefs >= DEB_MAX_XREFS)
		return feed_error(e, BOSUN_ELIMIT, at.file, at.line, "more than %d cross references", DEB_MAX_XREFS);
	c->xrefs[c->nxrefs++] = x;
	return BOSUN_OK;
}

static bool is_cve_id(struct slice id, bool *temp)
{
	struct slice a, b;
	*temp = false;
	if (slice_starts_with(id, "TEMP-")) {
		*temp = false; /* already a tracker-made name */
		return id.n > 5;
	}
	if (!slice_starts_with(id, "CVE-") || !slice_split(slice_make(id.p + 4, id.n - 4), '-', &a, &b))
		return false;
	if (a.n != 4 || !all_digits(a))
		return false;
	if (slice_eq_cstr(b, "XXXX")) {
		*temp = true;
		return true;
	}
	return b.n >= 4 && all_digits(b);
}

/* "CVE-2024-2961 (The iconv() function ...)" or "CVE-2023-7008 [text]". */
static int parse_cve_header(struct slice l, struct cve_entry *c, struct pos at, struct berr *e)
{
	size_t i = 0;
	while (i < l.n && !is_ws(l.p[i]))
		i++;
	c->id = slice_make(l.p, i);
	if (c->id.n > 64 || !is_cve_id(c->id, &c->temp))
		return feed_error(e, BOSUN_EFORMAT, at.file, at.line, "expected CVE record, got '%.*s'",
				  (int)(c->id.n > 64 ? 64 : c->id.n), c->id.p);
	struct slice d = slice_trim(slice_make(l.p + i, l.n - i));
	if (d.n && (d.p[0] == '(' || d.p[0] == '[')) {
		char close = d.p[0] == '(' ? ')' : ']';
		if (d.n < 2 || d.p[d.n - 1] != close)
			return feed_error(e, BOSUN_EFORMAT, at.file, at.line, "missing closing '%c' in the description",
					  close);
		d = slice_make(d.p + 1, d.n - 2);
	}
	c->desc = d;
	c->line = at.line;
	c->open = true;
	return BOSUN_OK;
}

static int cve_annotation(struct cve_entry *c, struct slice r, struct pos at, struct berr *e)
{
	if (r.p[0] == '{')
		return each_xref(r, at, cve_xref, c, e);
	if (r.p[0] == '[' || r.p[0] == '-') {
		if (c->notes.n >= DEB_MAX_NOTES)
			return feed_error(e, BOSUN_ELIMIT, at.file, at.line, "more than %d package lines in one entry",
					  DEB_MAX_NOTES);
		struct deb_note n;
		TRY(parse_package_line(r, &n, at, e));
		if (push_note(&c->notes, &n) != BOSUN_OK)
			return berr_set(e, BOSUN_ENOMEM, "out of memory");
		return BOSUN_OK;
	}
	if (slice_starts_with(r, "NOT-FOR-US:"))
		c->nfu = true;
	else if (slice_eq_cstr(r, "RESERVED") || slice_eq_cstr(r, "NOTE: reserved"))
		c->reserved = true;
	else if (slice_eq_cstr(r, "REJECTED") || slice_eq_cstr(r, "NOTE: rejected"))
		c->rejected = true;
	else if (!slice_starts_with(r, "NOTE:") && !slice_starts_with(r, "TODO:"))
		return feed_error(e, BOSUN_EFORMAT, at.file, at.line, "expected CVE annotation, got '%.*s'",
				  (int)(r.n > 64 ? 64 : r.n), r.p);
	return BOSUN_OK;
}

/* The tracker's name for "CVE-YYYY-XXXX" entries: TEMP-<first bug, 7
 * digits>-<first 6 hex digits of md5(description), upper case>. */
static int temp_name(struct cve_entry *c, struct arena *a, const char **out)
{
	unsigned long bug = 0;
	for (size_t i = 0; i < c->notes.n && !bug; i++)
		bug = c->notes.v[i].bug;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	if (!EVP_Digest(c->desc.p, c->desc.n, md, &mdlen, EVP_md5(), NULL))
		return BOSUN_ENOMEM;
	*out = arena_printf(a, "TEMP-%07lu-%02X%02X%02X", bug, md[0], md[1], md[2]);
	return *out ? BOSUN_OK : BOSUN_ENOMEM;
}

static int cve_finish(struct emit *m, struct cve_entry *c, struct berr *e)
{
	if (!c->open)
		return BOSUN_OK;
	c->open = false;
	/* Entries without package data are not about Debian packages. */
	if (c->nfu || c->rejected || (c->reserved && !c->notes.n) || !c->notes.n) {
		m->st->skipped++;
		return BOSUN_OK;
	}
	int rc = c->temp ? temp_name(c, &m->scratch, &m->id)
			 : ((m->id = arena_slice(&m->scratch, c->id)) ? BOSUN_OK : BOSUN_ENOMEM);
	if (rc == BOSUN_OK)
		rc = emit_entry(m, c->desc, c->xrefs, c->nxrefs, &c->notes, e);
	else
		berr_set(e, rc, "out of memory");
	arena_free(&m->scratch);
	if (rc != BOSUN_OK && e && !strstr(e->msg, m->file))
		berr_wrap(e, rc, "%s:%zu: %.*s", m->file, c->line, (int)c->id.n, c->id.p);
	return rc;
}

static int cve_line(struct emit *m, struct cve_entry *c, struct slice l, struct pos at, struct berr *e)
{
	TRY(feed_check_line(l, at.file, at.line, e));
	struct slice r = slice_trim(l);
	if (!r.n || slice_starts_with(l, "--"))
		return BOSUN_OK;
	if (is_ws(l.p[0])) {
		if (!c->open)
			return feed_error(e, BOSUN_EFORMAT, at.file, at.line, "annotation outside an entry");
		return cve_annotation(c, r, at, e);
	}
	TRY(cve_finish(m, c, e));
	c->notes.n = c->nxrefs = 0;
	c->reserved = c->rejected = c->nfu = false;
	/* Claims and the STOP marker are editing aids in the file. */
	if (slice_starts_with(r, "begin claimed by ") || slice_starts_with(r, "end claimed by ") ||
	    slice_starts_with(r, "STOP:"))
		return BOSUN_OK;
	return parse_cve_header(r, c, at, e);
}

int debian_tracker_emit_cve_list(struct debian_tracker *t, const char *file, const char *data, size_t n,
				 const struct feed_sink *s, struct import_stats *st, struct berr *e)
{
	struct cve_entry *c = calloc(1, sizeof *c);
	if (!c)
		return berr_set(e, BOSUN_ENOMEM, "%s: out of memory", file);
	struct emit m = { .t = t, .s = s, .st = st, .file = file };
	struct slice rest = slice_make(data, n), l;
	struct pos at = { file, 0 };
	int rc = BOSUN_OK;
	while (rc == BOSUN_OK && slice_next_line(&rest, &l)) {
		at.line++;
		rc = cve_line(&m, c, l, at, e);
	}
	if (rc == BOSUN_OK)
		rc = cve_finish(&m, c, e);
	arena_free(&m.scratch);
	free(c->notes.v);
	free(c);
	return rc;
}

int debian_tracker_emit_advisory_only(struct debian_tracker *t, const struct feed_sink *s,
				      struct import_stats *st, struct berr *e)
{
	struct emit m = { .t = t, .s = s, .st = st, .file = "advisory lists" };
	struct entry_notes en = { 0 };
	int rc = BOSUN_OK;
	for (size_t i = 0; i < t->ncves && rc == BOSUN_OK; i++) {
		if (t->cve_order[i]->emitted)
			continue;
		m.id = t->cve_order[i]->id;
		en.n = 0;
		rc = emit_entry(&m, (struct slice){ 0 }, NULL, 0, &en, e);
		arena_free(&m.scratch);
	}
	free(en.v);
	return rc;
}

/* ---- the JSON export ---------------------------------------------------- */

/* jansson keeps no positions: point at the first mention of the key. */
static int json_error_at(struct berr *e, const char *file, const char *data, size_t n, const char *key,
			 const char *what)
{
	size_t line = 0;
	if (key) {
		char needle[DEB_MAX_TOKEN + 4];
		snprintf(needle, sizeof needle, "\"%s\"", key);
		const char *hit = memmem(data, n, needle, strlen(needle));
		if (hit)
			line = feed_line_of(data, n, (size_t)(hit - data));
	}
	return feed_error(e, BOSUN_EFORMAT, file, line, "%s%s%s", key ? key : "", key ? ": " : "", what);
}

/* Keys and versions of the export are one word of printable characters. */
static bool json_token(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if ((unsigned char)s[n] <= 0x20 || s[n] == 0x7f || n >= DEB_MAX_TOKEN)
			return false;
	return n > 0;
}

struct json_ctx {
	struct emit *m;
	const char *file, *data;
	size_t n;
};

static int json_release(struct json_ctx *j, const char *codename, json_t *r, struct berr *e)
{
	struct emit *m = j->m;
	int rel = release_find(slice_cstr(codename));
	if (rel < 0)
		return BOSUN_OK;
	if (!json_is_object(r))
		return json_error_at(e, j->file, j->data, j->n, m->id, "release is not an object");
	const char *status = json_str(r, "status"), *fixed = json_str(r, "fixed_version");
	const char *urg = json_str(r, "urgency"), *nodsa = json_str(r, "nodsa");
	const char *reason = json_str(r, "nodsa_reason");
	enum vuln_severity sev = SEV_UNKNOWN;
	bool eol = false;
	if (urg)
		urgency_parse(slice_cstr(urg), &sev, &eol);
	enum affect_status st;
	const char *note = nodsa && *nodsa ? nodsa : NULL;
	if (!status)
		return json_error_at(e, j->file, j->data, j->n, m->id, "release without a \"status\" string");
	if (strcmp(status, "resolved") == 0) {
		if (!fixed || !json_token(fixed))
			return json_error_at(e, j->file, j->data, j->n, m->id, "resolved without a \"fixed_version\"");
		st = strcmp(fixed, "0") == 0 ? AFFECT_NOT_AFFECTED : AFFECT_FIXED;
	} else if (strcmp(status, "open") == 0) {
		st = reason && strcmp(reason, "ignored") == 0	  ? AFFECT_WONT_FIX
		     : reason && strcmp(reason, "postponed") == 0 ? AFFECT_POSTPONED
		     : nodsa				  ? AFFECT_NO_DSA
							  : AFFECT_UNFIXED;
		if (eol)
			st = AFFECT_END_OF_LIFE;
	} else if (strcmp(status, "undetermined") == 0)
		st = AFFECT_UNDETERMINED;
	else
		return json_error_at(e, j->file, j->data, j->n, m->id, "unknown release status");
	return put_record(m, rel, st, sev, st == AFFECT_FIXED ? fixed : NULL, note, false, e);
}

static int json_cve(struct json_ctx *j, const char *id, json_t *v, struct berr *e)
{
	struct emit *m = j->m;
	m->id = id;
	if (!json_token(id))
		return json_error_at(e, j->file, j->data, j->n, NULL, "bad CVE id (not one word)");
	if (!json_is_object(v))
		return json_error_at(e, j->file, j->data, j->n, id, "entry is not an object");
	json_t *rels = json_object_get(v, "releases");
	if (rels && !json_is_object(rels))
		return json_error_at(e, j->file, j->data, j->n, id, "\"releases\" is not an object");
	bool fresh;
	if (mark_emitted(m->t, id, &fresh) != BOSUN_OK)
		return berr_set(e, BOSUN_ENOMEM, "out of memory");
	if (fresh) {
		const char *d = json_str(v, "description");
		struct entry_notes none = { 0 };
		TRY(put_vuln(m, slice_cstr(d), NULL, 0, &none, e));
	}
	const char *codename;
	json_t *r;
	json_object_foreach(rels, codename, r)
	{
		TRY(json_release(j, codename, r, e));
	}
	return BOSUN_OK;
}

int debian_tracker_emit_json(struct debian_tracker *t, const char *file, const char *data, size_t n,
			     const struct feed_sink *s, struct import_stats *st, struct berr *e)
{
	json_t *root;
	TRY(json_parse_bounded(data, n, DEB_JSON_DEPTH, file, &root, e));
	struct emit m = { .t = t, .s = s, .st = st, .file = file };
	struct json_ctx j = { &m, file, data, n };
	int rc = BOSUN_OK;
	if (!json_is_object(root))
		rc = feed_error(e, BOSUN_EFORMAT, file, 1, "expected an object of source packages");
	const char *pkg;
	json_t *cves;
	json_object_foreach(root, pkg, cves)
	{
		if (rc != BOSUN_OK)
			break;
		if (!json_is_object(cves) || !json_token(pkg)) {
			rc = json_error_at(e, file, data, n, pkg, "package is not an object of CVEs");
			break;
		}
		const char *id;
		json_t *v;
		json_object_foreach(cves, id, v)
		{
			m.pkg = pkg;
			if ((rc = json_cve(&j, id, v, e)) != BOSUN_OK)
				break;
			arena_free(&m.scratch);
		}
	}
	arena_free(&m.scratch);
	json_decref(root);
	return rc;
}
