/* Java project files (fs: mode): pom.xml and gradle.lockfile. Also the
 * license lookup in the pom.xml that Maven embeds in jars.
 *
 * pom.xml is read with a small XML reader written for it: elements, text,
 * CDATA, comments, processing instructions and the five predefined
 * entities plus character references. A DOCTYPE (and with it every DTD and
 * entity definition) is refused, so there is nothing to expand; size,
 * element count, nesting depth and text length are bounded. The tree lives
 * in a scratch arena that dies after each file. */
#include "analyze/java.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/langpkg.h"
#include "util/err.h"
#include "util/strmap.h"

#define XML_MAX_BYTES (4u << 20) /* real POMs are < 200 KB */
#define XML_MAX_NODES 100000
#define XML_MAX_DEPTH 64
#define XML_TEXT_MAX 4096        /* text kept per element; values we read are short */
#define XML_TEXT_SEGMENTS 16     /* text pieces (split by comments, CDATA) joined per element */
#define POM_PARENT_DEPTH 4       /* local parent POMs followed */
#define POM_EXPAND_DEPTH 8       /* ${a} -> ${b} -> ... */
#define POM_VALUE_MAX 512
#define POM_SUBSTITUTIONS 64    /* ${} lookups for one value */
#define POM_MAX_LICENSES 8

/* ---- XML --------------------------------------------------------------------- */

struct xnode {
	const char *name; /* local name: a "pom:" prefix is dropped */
	char *text;       /* character data directly inside, NULL if none */
	size_t text_len;
	unsigned nseg;
	struct xnode *parent, *child, *last, *next;
};

struct xparser {
	struct arena *ar;
	const char *p, *end;
	struct xnode *cur;
	size_t nodes;
	int depth;
	const char *err;
};

static bool xml_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

static const char *find(const char *p, const char *end, const char *needle)
{
	size_t n = strlen(needle);
	if ((size_t)(end - p) < n)
		return NULL;
	return memmem(p, (size_t)(end - p), needle, n);
}

static size_t put_utf8(char *out, unsigned long cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* One entity reference at s (after '&', up to ';'): the decoded bytes into
 * out, the length of the reference into *used; 0 when it is not one we
 * know (then '&' stays as it is). */
static size_t entity(const char *s, const char *end, char *out, size_t *used)
{
	static const struct {
		const char *name;
		char c;
	} named[] = { { "lt;", '<' }, { "gt;", '>' }, { "amp;", '&' }, { "quot;", '"' }, { "apos;", '\'' } };
	for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
		size_t n = strlen(named[i].name);
		if ((size_t)(end - s) >= n && memcmp(s, named[i].name, n) == 0) {
			*out = named[i].c;
			*used = n;
			return 1;
		}
	}
	if (s >= end || *s != '#')
		return 0;
	const char *q = s + 1;
	bool hex = q < end && (*q == 'x' || *q == 'X');
	q += hex;
	unsigned long cp = 0;
	size_t digits = 0;
	for (; q < end && *q != ';' && digits < 8; q++, digits++) {
		int d = (*q >= '0' && *q <= '9') ? *q - '0'
			: hex && (*q | 0x20) >= 'a' && (*q | 0x20) <= 'f' ? (*q | 0x20) - 'a' + 10
									 : -1;
		if (d < 0)
			return 0;
		cp = cp * (hex ? 16 : 10) + (unsigned long)d;
	}
	if (q >= end || *q != ';' || !digits || cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	*used = (size_t)(q + 1 - s);
	return put_utf8(out, cp);
}

/* Appends character data to the current element (bounded). */
static int add_text(struct xparser *x, const char *s, size_t n, bool decode)
{
	struct xnode *c = x->cur;
	size_t k = 0;
	while (k < n && xml_space(s[k]))
		k++;
	if (k == n && !c->text)
		return BOSUN_OK; /* indentation between elements */
	if (c->nseg >= XML_TEXT_SEGMENTS || c->text_len >= XML_TEXT_MAX)
		return BOSUN_OK;
	/* Decoding never lengthens text (an entity is longer than its bytes). */
	size_t room = XML_TEXT_MAX - c->text_len;
	size_t limit = c->text_len + (n < room ? n : room);
	char *t = arena_alloc(x->ar, limit + 1);
	if (!t)
		return BOSUN_ENOMEM;
	if (c->text_len)
		memcpy(t, c->text, c->text_len);
	size_t len = c->text_len;
	for (size_t i = 0; i < n && len < limit;) {
		char buf[4];
		size_t used = 0, m = 0;
		if (decode && s[i] == '&')
			m = entity(s + i + 1, s + n, buf, &used);
		if (m && len + m <= limit) {
			memcpy(t + len, buf, m);
			len += m;
			i += 1 + used;
		} else {
			t[len++] = s[i++];
		}
	}
	t[len] = '\0';
	c->text = t;
	c->text_len = len;
	c->nseg++;
	return BOSUN_OK;
}

static int open_element(struct xparser *x, const char *name, size_t n, bool empty)
{
	if (++x->nodes > XML_MAX_NODES) {
		x->err = "too many elements";
		return BOSUN_OK;
	}
	if (x->depth >= XML_MAX_DEPTH) {
		x->err = "elements nested too deep";
		return BOSUN_OK;
	}
	const char *colon = memchr(name, ':', n);
	if (colon) {
		n -= (size_t)(colon + 1 - name);
		name = colon + 1;
	}
	struct xnode *e = arena_alloc(x->ar, sizeof *e);
	if (!e)
		return BOSUN_ENOMEM;
	memset(e, 0, sizeof *e);
	if (!(e->name = arena_strndup(x->ar, name, n)))
		return BOSUN_ENOMEM;
	e->parent = x->cur;
	if (x->cur->last)
		x->cur->last->next = e;
	else
		x->cur->child = e;
	x->cur->last = e;
	if (!empty) {
		x->cur = e;
		x->depth++;
	}
	return BOSUN_OK;
}

static bool name_char(char c) { return !xml_space(c) && c != '/' && c != '>' && c != '=' && c != '<'; }

/* <name attr="v" ...> or <name .../>; attributes are skipped. */
static int tag_open(struct xparser *x)
{
	const char *p = x->p + 1, *end = x->end, *name = p;
	while (p < end && name_char(*p))
		p++;
	size_t n = (size_t)(p - name);
	for (;;) {
		while (p < end && xml_space(*p))
			p++;
		if (p >= end || *p == '<' || n == 0) {
			x->err = "malformed start tag";
			return BOSUN_OK;
		}
		if (*p == '>' || (*p == '/' && p + 1 < end && p[1] == '>')) {
			bool empty = *p == '/';
			x->p = p + 1 + empty;
			return open_element(x, name, n, empty);
		}
		while (p < end && name_char(*p))
			p++;
		while (p < end && xml_space(*p))
			p++;
		if (p >= end || *p != '=') {
			x->err = "malformed attribute";
			return BOSUN_OK;
		}
		p++;
		while (p < end && xml_space(*p))
			p++;
		if (p >= end || (*p != '"' && *p != '\'')) {
			x->err = "unquoted attribute";
			return BOSUN_OK;
		}
		const char *q = memchr(p + 1, *p, (size_t)(end - p - 1));
		if (!q) {
			x->err = "unterminated attribute";
			return BOSUN_OK;
		}
		p = q + 1;
	}
}

static void tag_close(struct xparser *x)
{
	const char *p = x->p + 2, *name = p;
	while (p < x->end && name_char(*p))
		p++;
	size_t n = (size_t)(p - name);
	const char *colon = memchr(name, ':', n);
	if (colon) {
		n -= (size_t)(colon + 1 - name);
		name = colon + 1;
	}
	while (p < x->end && xml_space(*p))
		p++;
	if (p >= x->end || *p != '>' || !x->cur->parent || strlen(x->cur->name) != n ||
	    memcmp(x->cur->name, name, n) != 0) {
		x->err = "mismatched end tag";
		return;
	}
	x->p = p + 1;
	x->cur = x->cur->parent;
	x->depth--;
}

/* Skips "<?...?>" and "<!--...-->"; takes "<![CDATA[...]]>" as text. */
static int special(struct xparser *x, const char *open, const char *close, bool text)
{
	const char *start = x->p + strlen(open);
	const char *q = find(start, x->end, close);
	if (!q) {
		x->err = "unterminated markup";
		return BOSUN_OK;
	}
	x->p = q + strlen(close);
	return text && x->cur->parent ? add_text(x, start, (size_t)(q - start), false) : BOSUN_OK;
}

static bool starts(const struct xparser *x, const char *s)
{
	size_t n = strlen(s);
	return (size_t)(x->end - x->p) >= n && memcmp(x->p, s, n) == 0;
}

/* Parses into a tree under a nameless document node. *err is NULL or why
 * the document was refused. BOSUN_OK or BOSUN_ENOMEM. */
static int xml_parse(struct arena *ar, const char *s, size_t n, struct xnode **doc, const char **err)
{
	struct xparser x = { .ar = ar, .p = s, .end = s + n };
	*doc = NULL;
	*err = NULL;
	if (n > XML_MAX_BYTES) {
		*err = "file too large";
		return BOSUN_OK;
	}
	if (n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		x.p += 3;
	struct xnode *root = arena_alloc(ar, sizeof *root);
	if (!root)
		return BOSUN_ENOMEM;
	memset(root, 0, sizeof *root);
	root->name = "";
	x.cur = root;
	while (x.p < x.end && !x.err) {
		if (*x.p != '<') {
			const char *lt = memchr(x.p, '<', (size_t)(x.end - x.p));
			const char *stop = lt ? lt : x.end;
			if (x.cur->parent)
				TRY(add_text(&x, x.p, (size_t)(stop - x.p), true));
			x.p = stop;
		} else if (starts(&x, "<?")) {
			TRY(special(&x, "<?", "?>", false));
		} else if (starts(&x, "<!--")) {
			TRY(special(&x, "<!--", "-->", false));
		} else if (starts(&x, "<![CDATA[")) {
			TRY(special(&x, "<![CDATA[", "]]>", true));
		} else if (starts(&x, "<!")) {
			x.err = "DOCTYPE and DTDs are not accepted";
		} else if (starts(&x, "</")) {
			tag_close(&x);
		} else {
			TRY(tag_open(&x));
		}
	}
	if (!x.err && x.cur != root)
		x.err = "unclosed element";
	if (!x.err && !root->child)
		x.err = "no element";
	*err = x.err;
	if (!x.err)
		*doc = root;
	return BOSUN_OK;
}

static const struct xnode *xchild(const struct xnode *n, const char *name)
{
	for (const struct xnode *c = n ? n->child : NULL; c; c = c->next)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

static struct slice xtext(const struct xnode *n)
{
	return n && n->text ? slice_trim(slice_make(n->text, n->text_len)) : slice_make("", 0);
}

static struct slice xchild_text(const struct xnode *n, const char *name) { return xtext(xchild(n, name)); }

/* ---- embedded pom.xml: licenses ------------------------------------------------------ */

int java_pom_licenses(struct arena *ar, const char *xml, size_t n, char **out)
{
	*out = NULL;
	struct arena tmp = { 0 };
	struct xnode *doc;
	const char *err;
	int rc = xml_parse(&tmp, xml, n, &doc, &err);
	struct buf b = { 0 };
	const struct xnode *lics = doc ? xchild(xchild(doc, "project"), "licenses") : NULL;
	size_t count = 0;
	for (const struct xnode *l = lics ? lics->child : NULL; !rc && l && count < POM_MAX_LICENSES; l = l->next) {
		if (strcmp(l->name, "license") != 0)
			continue;
		struct slice name = xchild_text(l, "name");
		if (!name.n) {
			const char *id = java_license_id(xchild_text(l, "url"));
			name = id ? slice_cstr(id) : name;
		}
		if (!name.n || name.n > 512)
			continue;
		count++;
		if (b.len)
			rc = buf_append_str(&b, JAVA_LICENSE_SEP);
		if (!rc)
			rc = buf_append(&b, name.p, name.n);
	}
	if (!rc && b.len) {
		for (size_t i = 0; i < b.len; i++)
			if ((unsigned char)b.data[i] < 0x20 || b.data[i] == 0x7f)
				b.data[i] = ' ';
		if (!(*out = arena_strndup(ar, b.data, b.len)))
			rc = BOSUN_ENOMEM;
	}
	buf_free(&b);
	arena_free(&tmp);
	return rc;
}

/* ---- pom.xml in a project tree ------------------------------------------------------------ */

struct pom {
	const struct xnode *project, *parent_el;
	struct pom *parent; /* the parent POM when it is in the tree */
	const char *path;
	struct strmap props; /* <properties>: name -> element (a repeated name: the last) */
	struct pom *next;    /* every POM of the context, to free the maps */
};

struct pomctx {
	const struct scan_view *v;
	struct arena ar; /* trees and paths of this pom.xml and its parents */
	struct langpkg_file lf;
	struct pom *poms;
	struct strmap managed; /* "group:artifact" -> <dependency> of dependencyManagement */
	bool managed_built;
	int budget; /* ${} substitutions left for the value being expanded */
};

static void pomctx_free(struct pomctx *c)
{
	for (struct pom *p = c->poms; p; p = p->next)
		strmap_free(&p->props);
	strmap_free(&c->managed);
	arena_free(&c->ar);
}

/* dir(path)/rel, normalized; a directory gets "/pom.xml". */
static bool parent_path(const char *path, struct slice rel, char *out, size_t cap)
{
	char tmp[4096];
	const char *slash = strrchr(path, '/');
	int n = snprintf(tmp, sizeof tmp, "%.*s%s%.*s", slash ? (int)(slash - path) : 0, path, slash ? "/" : "",
			 (int)rel.n, rel.p);
	if (n < 0 || (size_t)n >= sizeof tmp)
		return false;
	/* normalize: drop "." and "", resolve ".." */
	size_t len = 0;
	char *save = NULL;
	for (char *c = strtok_r(tmp, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		if (strcmp(c, ".") == 0)
			continue;
		if (strcmp(c, "..") == 0) {
			if (len == 0)
				return false; /* outside the tree */
			while (len > 0 && out[len - 1] != '/')
				len--;
			if (len > 0)
				len--;
			continue;
		}
		size_t cl = strlen(c);
		if (len + 1 + cl + 9 >= cap)
			return false;
		if (len)
			out[len++] = '/';
		memcpy(out + len, c, cl);
		len += cl;
	}
	out[len] = '\0';
	if (len < 4 || strcmp(out + len - 4, ".xml") != 0) {
		if (len + 9 >= cap)
			return false;
		memcpy(out + len, len ? "/pom.xml" : "pom.xml", len ? 9 : 8);
	}
	return true;
}

static int load_pom(struct pomctx *c, const char *path, const unsigned char *p, size_t n, int depth,
		    struct pom **out);

/* <parent> with a <relativePath> (default ../pom.xml) that holds a POM of
 * the same artifactId: its properties and dependencyManagement apply. */
static int load_parent(struct pomctx *c, struct pom *pom, int depth)
{
	if (!c->v || !pom->parent_el || depth >= POM_PARENT_DEPTH)
		return BOSUN_OK;
	const struct xnode *relp = xchild(pom->parent_el, "relativePath");
	struct slice rel = relp ? xtext(relp) : SLICE_LIT("../pom.xml");
	char ppath[4096];
	if (!rel.n || !parent_path(pom->path, rel, ppath, sizeof ppath) || strcmp(ppath, pom->path) == 0)
		return BOSUN_OK;
	const struct scan_file *f = view_final(c->v, ppath);
	if (!f || !f->data)
		return BOSUN_OK;
	struct pom *par = NULL;
	TRY(load_pom(c, ppath, f->data, f->size, depth + 1, &par));
	if (par && slice_eq(xchild_text(par->project, "artifactId"), xchild_text(pom->parent_el, "artifactId")))
		pom->parent = par;
	return BOSUN_OK;
}

static int load_pom(struct pomctx *c, const char *path, const unsigned char *p, size_t n, int depth,
		    struct pom **out)
{
	*out = NULL;
	struct xnode *doc;
	const char *err;
	TRY(xml_parse(&c->ar, (const char *)p, n, &doc, &err));
	const struct xnode *project = doc ? xchild(doc, "project") : NULL;
	if (!project) {
		if (depth == 0)
			langpkg_warn(&c->lf, "not a POM: %s", err ? err : "no <project> element");
		return BOSUN_OK;
	}
	struct pom *pom = arena_alloc(&c->ar, sizeof *pom);
	if (!pom)
		return BOSUN_ENOMEM;
	memset(pom, 0, sizeof *pom);
	pom->next = c->poms;
	c->poms = pom;
	pom->project = project;
	pom->parent_el = xchild(project, "parent");
	if (!(pom->path = arena_strdup(&c->ar, path)))
		return BOSUN_ENOMEM;
	const struct xnode *props = xchild(project, "properties");
	for (const struct xnode *e = props ? props->child : NULL; e; e = e->next)
		TRY(strmap_put(&pom->props, e->name, (void *)e));
	TRY(load_parent(c, pom, depth));
	*out = pom;
	return BOSUN_OK;
}

/* The POM's own coordinates; groupId and version may come from <parent>. */
static struct slice own(const struct pom *pom, const char *field)
{
	struct slice s = xchild_text(pom->project, field);
	return s.n || strcmp(field, "artifactId") == 0 ? s : xchild_text(pom->parent_el, field);
}

/* A property as Maven's model interpolation sees it: project.* from the
 * POM being read (leaf), <properties> from it and then its parents. */
static bool lookup(const struct pom *leaf, struct slice key, struct slice *val)
{
	static const struct {
		const char *key, *field;
		bool parent;
	} builtins[] = {
		{ "project.version", "version", false },	{ "pom.version", "version", false },
		{ "version", "version", false },		{ "project.groupId", "groupId", false },
		{ "pom.groupId", "groupId", false },		{ "groupId", "groupId", false },
		{ "project.artifactId", "artifactId", false },	{ "pom.artifactId", "artifactId", false },
		{ "artifactId", "artifactId", false },		{ "project.parent.version", "version", true },
		{ "parent.version", "version", true },		{ "project.parent.groupId", "groupId", true },
		{ "parent.groupId", "groupId", true },		{ "project.parent.artifactId", "artifactId", true },
	};
	for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++) {
		if (!slice_eq_cstr(key, builtins[i].key))
			continue;
		*val = builtins[i].parent ? xchild_text(leaf->parent_el, builtins[i].field) : own(leaf, builtins[i].field);
		return val->n > 0;
	}
	for (const struct pom *p = leaf; p; p = p->parent) {
		const struct xnode *e = strmap_getn(&p->props, key.p, key.n);
		if (e) {
			*val = xtext(e);
			return true;
		}
	}
	return false;
}

/* Expands ${...} in s into out; false when something does not resolve
 * locally, the result is unreasonably long, or it takes more than
 * POM_SUBSTITUTIONS lookups (${a} = "${b}${b}", ${b} = "${c}${c}", ...). */
static bool expand(struct pomctx *c, const struct pom *leaf, struct slice s, struct buf *out, int depth)
{
	if (depth > POM_EXPAND_DEPTH)
		return false;
	for (size_t i = 0; i < s.n;) {
		if (s.p[i] == '$' && i + 1 < s.n && s.p[i + 1] == '{') {
			const char *close = memchr(s.p + i + 2, '}', s.n - i - 2);
			struct slice val;
			if (!close || c->budget-- <= 0 ||
			    !lookup(leaf, slice_make(s.p + i + 2, (size_t)(close - s.p - i - 2)), &val) ||
			    !expand(c, leaf, val, out, depth + 1))
				return false;
			i = (size_t)(close - s.p) + 1;
		} else {
			if (buf_append(out, s.p + i, 1) != BOSUN_OK)
				return false;
			i++;
		}
		if (out->len > POM_VALUE_MAX)
			return false;
	}
	return true;
}

static bool expand_str(struct pomctx *c, const struct pom *leaf, struct slice s, char *dst, size_t cap)
{
	struct buf b = { 0 };
	c->budget = POM_SUBSTITUTIONS;
	bool ok = expand(c, leaf, slice_trim(s), &b, 0) && b.len && b.len < cap;
	if (ok)
		memcpy(dst, b.data, b.len + 1);
	buf_free(&b);
	return ok;
}

/* <dependencyManagement> of the leaf and its parents, by "group:artifact";
 * the nearest POM wins, as in Maven. Built once, when first needed. */
static int build_managed(struct pomctx *c, const struct pom *leaf)
{
	c->managed_built = true;
	char g[POM_VALUE_MAX + 1], a[POM_VALUE_MAX + 1];
	for (const struct pom *p = leaf; p; p = p->parent) {
		const struct xnode *deps = xchild(xchild(p->project, "dependencyManagement"), "dependencies");
		for (const struct xnode *d = deps ? deps->child : NULL; d; d = d->next) {
			if (strcmp(d->name, "dependency") != 0 || !expand_str(c, leaf, xchild_text(d, "groupId"), g, sizeof g) ||
			    !expand_str(c, leaf, xchild_text(d, "artifactId"), a, sizeof a))
				continue;
			char *key = arena_printf(&c->ar, "%s:%s", g, a);
			if (!key)
				return BOSUN_ENOMEM;
			if (!strmap_get(&c->managed, key))
				TRY(strmap_put(&c->managed, key, (void *)d));
		}
	}
	return BOSUN_OK;
}

/* A literal version: no property left and no range ("[1.0,2.0)"). */
static bool literal_version(const char *v)
{
	return *v && !strpbrk(v, "[]()${},");
}

static int one_dependency(struct pomctx *c, const struct pom *pom, const struct xnode *d, const struct strmap *local)
{
	char g[POM_VALUE_MAX + 1], a[POM_VALUE_MAX + 1], v[POM_VALUE_MAX + 1], scope[64] = "";
	if (!expand_str(c, pom, xchild_text(d, "groupId"), g, sizeof g) ||
	    !expand_str(c, pom, xchild_text(d, "artifactId"), a, sizeof a)) {
		langpkg_warn(&c->lf, "a dependency without a resolvable groupId or artifactId: skipped");
		return BOSUN_OK;
	}
	char name[2 * POM_VALUE_MAX + 2];
	snprintf(name, sizeof name, "%s:%s", g, a);
	struct slice vs = xchild_text(d, "version");
	if (!vs.n) {
		if (!c->managed_built)
			TRY(build_managed(c, pom));
		vs = xchild_text(strmap_get(&c->managed, name), "version");
	}
	if (!vs.n) {
		langpkg_warn(&c->lf, "%s: no version here or in a local parent's dependencyManagement: skipped", name);
		return BOSUN_OK;
	}
	if (!expand_str(c, pom, vs, v, sizeof v) || !literal_version(v)) {
		langpkg_warn(&c->lf, "%s: version \"%.*s\" does not resolve to a literal version offline: skipped", name,
			     (int)(vs.n > 64 ? 64 : vs.n), vs.p);
		return BOSUN_OK;
	}
	expand_str(c, pom, xchild_text(d, "scope"), scope, sizeof scope);
	if (strcmp(scope, "import") == 0)
		return BOSUN_OK;
	if (local && strmap_get(local, name))
		return BOSUN_OK; /* a module of this project, not a dependency to match */
	struct package *p;
	TRY(langpkg_add(&c->lf, PKG_MAVEN, slice_cstr(name), slice_cstr(v), &p));
	if (p) {
		p->relationship = "direct";
		p->dev = strcmp(scope, "test") == 0;
	}
	return BOSUN_OK;
}

int java_pom_dependencies(const struct scan_view *v, const char *path, const unsigned char *p, size_t n,
			  const struct strmap *local, struct artifact *a)
{
	struct pomctx c = { .v = v };
	langpkg_begin(&c.lf, a, "pom.xml", path);
	struct pom *pom = NULL;
	int rc = load_pom(&c, path, p, n, 0, &pom);
	const struct xnode *deps = pom ? xchild(pom->project, "dependencies") : NULL;
	for (const struct xnode *d = deps ? deps->child : NULL; !rc && d; d = d->next)
		if (strcmp(d->name, "dependency") == 0)
			rc = one_dependency(&c, pom, d, local);
	langpkg_end(&c.lf);
	pomctx_free(&c);
	return rc;
}

/* "group:artifact" of a POM in the tree, into the set of local modules. */
static int add_local_module(const struct scan_view *v, const struct scan_file *f, struct strmap *local,
			    struct arena *keys, struct artifact *a)
{
	struct pomctx c = { .v = v };
	langpkg_begin(&c.lf, a, "pom.xml", f->path);
	c.lf.warnings = LANGPKG_MAX_WARNINGS + 1; /* the second pass warns */
	struct pom *pom = NULL;
	int rc = load_pom(&c, f->path, f->data, f->size, 0, &pom);
	char g[POM_VALUE_MAX + 1], art[POM_VALUE_MAX + 1];
	if (!rc && pom && expand_str(&c, pom, own(pom, "groupId"), g, sizeof g) &&
	    expand_str(&c, pom, own(pom, "artifactId"), art, sizeof art)) {
		char *key = arena_printf(keys, "%s:%s", g, art);
		rc = key ? strmap_put(local, key, key) : BOSUN_ENOMEM;
	}
	pomctx_free(&c);
	return rc;
}

/* ---- gradle.lockfile ---------------------------------------------------------------------- */

static bool all_test_configurations(struct slice confs)
{
	struct slice one;
	bool any = false;
	while (confs.n) {
		if (!slice_split(confs, ',', &one, &confs))
			confs = slice_make("", 0);
		one = slice_trim(one);
		if (!one.n)
			continue;
		if (!slice_starts_with(one, "test"))
			return false;
		any = true;
	}
	return any;
}

int java_gradle_lockfile(const char *path, const unsigned char *p, size_t n, struct artifact *a)
{
	struct langpkg_file lf;
	langpkg_begin(&lf, a, "gradle.lockfile", path);
	struct slice rest = slice_make((const char *)p, n), line;
	int rc = BOSUN_OK;
	while (!rc && slice_next_line(&rest, &line)) {
		line = slice_trim(line);
		if (!line.n || line.p[0] == '#')
			continue;
		struct slice coord, confs;
		if (!slice_split(line, '=', &coord, &confs))
			confs = slice_make("", 0);
		if (slice_eq_cstr(coord, "empty"))
			continue; /* configurations without dependencies */
		struct slice g, a2, ver, tail;
		if (!slice_split(coord, ':', &g, &tail) || !slice_split(tail, ':', &a2, &ver) || memchr(ver.p, ':', ver.n) ||
		    !g.n || !a2.n) {
			langpkg_warn(&lf, "line \"%.*s\" is not group:artifact:version", (int)(line.n > 64 ? 64 : line.n),
				     line.p);
			continue;
		}
		char name[2 * LANGPKG_NAME_MAX + 2];
		if (g.n + a2.n + 1 >= sizeof name) {
			langpkg_warn(&lf, "name too long: skipped");
			continue;
		}
		snprintf(name, sizeof name, "%.*s:%.*s", (int)g.n, g.p, (int)a2.n, a2.p);
		struct package *pkg;
		rc = langpkg_add(&lf, PKG_MAVEN, slice_cstr(name), ver, &pkg);
		if (!rc && pkg)
			pkg->dev = all_test_configurations(confs);
	}
	langpkg_end(&lf);
	return rc;
}

/* ---- the analyze() hook ---------------------------------------------------------------------- */

struct project {
	const struct scan_view *v;
	struct artifact *a;
	struct strmap local;
	struct arena keys;
	bool second;
};

static bool is_pom(const char *path) { return strcmp(langpkg_basename(path), "pom.xml") == 0; }

static int project_file(const struct scan_file *f, void *ctx)
{
	struct project *pr = ctx;
	if (!pr->second)
		return is_pom(f->path) ? add_local_module(pr->v, f, &pr->local, &pr->keys, pr->a) : BOSUN_OK;
	if (is_pom(f->path))
		return java_pom_dependencies(pr->v, f->path, f->data, f->size, &pr->local, pr->a);
	return java_gradle_lockfile(f->path, f->data, f->size, pr->a);
}

int java_project_analyze(const struct scan_view *v, struct artifact *a, struct berr *e)
{
	if (!view_is_project(v))
		return BOSUN_OK; /* images: what is installed counts, i.e. the jars */
	struct project pr = { .v = v, .a = a };
	int rc = view_each_wanted(v, &analyzer_java, project_file, &pr);
	pr.second = true;
	if (!rc)
		rc = view_each_wanted(v, &analyzer_java, project_file, &pr);
	strmap_free(&pr.local);
	arena_free(&pr.keys);
	return rc ? berr_set(e, rc, "java: out of memory") : BOSUN_OK;
}
