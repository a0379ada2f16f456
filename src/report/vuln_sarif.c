/* --format sarif: SARIF 2.1.0 as GitHub code scanning reads it. One rule
 * per vulnerability id, one result per (package, vulnerability), located at
 * the package database the package was read from (var/lib/dpkg/status),
 * with the image layer that introduced it in the result's properties.
 * Secrets, malware and misconfigurations in the same run: one rule per rule
 * id, one result per reported finding, located at the file and line inside
 * the image or tree (image config findings, which have no file, at the
 * pseudo-file "image-config" with a logical location such as
 * "config.User").
 *
 * GitHub ranks alerts by the rule's `security-severity` property (a CVSS-
 * like number); it is derived from bosun's reported severity, not from a
 * raw CVSS score, so that code scanning and `--format table` agree. */
#define SBOM_WRITER_INTERNAL
#define REPORT_WRITER_INTERNAL
#include "report/report.h"

#include <string.h>

#include "util/strmap.h"
#include "util/version.h"

static const char *level_of(enum vuln_severity s)
{
	switch (s) {
	case SEV_CRITICAL:
	case SEV_HIGH: return "error";
	case SEV_MEDIUM: return "warning";
	default: return "note";
	}
}

/* The middle of GitHub's band for each severity; NULL for unknown. */
static const char *security_severity(enum vuln_severity s)
{
	switch (s) {
	case SEV_CRITICAL: return "9.5";
	case SEV_HIGH: return "8.0";
	case SEV_MEDIUM: return "5.5";
	case SEV_LOW: return "2.0";
	case SEV_NEGLIGIBLE: return "0.5";
	default: return NULL;
	}
}

/* A relative URI reference for a path: everything but unreserved
 * characters and '/' percent-encoded. */
static char *uri_path(struct arena *ar, const char *path)
{
	struct buf b = { 0 };
	int rc = BOSUN_OK;
	while (*path == '/')
		path++;
	for (const unsigned char *p = (const unsigned char *)path; *p && rc == BOSUN_OK; p++) {
		bool plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
			     strchr("-._~/", *p);
		rc = plain ? buf_append(&b, p, 1) : buf_printf(&b, "%%%02X", *p);
	}
	char *out = rc == BOSUN_OK ? arena_strndup(ar, b.data ? b.data : "", b.len) : NULL;
	buf_free(&b);
	return out;
}

struct rule {
	json_t *obj;
	enum vuln_severity sev;
	size_t index;
	const struct vuln_match *m; /* the first finding of the rule's id (vulnerabilities) */
	const struct finding *f;    /* the first finding of the rule's id (other kinds) */
};

static int text(json_t *o, const char *key, const char *s)
{
	json_t *m = json_object();
	TRY(sbom_jset(o, key, m));
	return sbom_jset_str(m, "text", s);
}

static int new_rule(struct arena *ar, const struct report_finding *f, json_t *rules, struct rule *r)
{
	const struct vuln_match *m = f->m;
	r->obj = json_object();
	TRY(sbom_jappend(rules, r->obj));
	TRY(sbom_jset_str(r->obj, "id", m->id));
	TRY(sbom_jset_str(r->obj, "name", "OsPackageVulnerability"));
	const char *title = m->title ? m->title : m->id;
	TRY(text(r->obj, "shortDescription", report_clean(ar, title, 200)));
	TRY(text(r->obj, "fullDescription", m->description ? m->description : title));
	TRY(sbom_jset_str(r->obj, "helpUri", f->url));
	json_t *help = json_object();
	TRY(sbom_jset(r->obj, "help", help));
	TRY(sbom_jset_str(help, "text", arena_printf(ar, "Vulnerability %s\n%s\n%s", m->id, title, f->url)));
	TRY(sbom_jset_str(help, "markdown", arena_printf(ar, "**Vulnerability %s**\n\n%s\n\n[%s](%s)", m->id,
							 report_clean(ar, title, 500), m->id, f->url)));
	return BOSUN_OK;
}

/* Rule properties once every result is known: the worst severity wins. */
static int finish_rule(struct rule *r)
{
	json_t *cfg = json_object();
	TRY(sbom_jset(r->obj, "defaultConfiguration", cfg));
	TRY(sbom_jset_str(cfg, "level", level_of(r->sev)));
	json_t *props = json_object();
	TRY(sbom_jset(r->obj, "properties", props));
	json_t *tags = json_array();
	TRY(sbom_jset(props, "tags", tags));
	if (r->f) { /* tags: the kind, then what GitHub can filter on */
		TRY(sbom_jappend(tags, json_string(finding_kind_name(r->f->kind))));
		TRY(sbom_jappend(tags, json_string("security")));
		if (r->f->category)
			TRY(sbom_jappend(tags, sbom_jstr(r->f->category)));
		if (r->f->control)
			TRY(sbom_jappend(tags, sbom_jstr(r->f->control)));
		TRY(sbom_jset_str(props, "precision", r->f->kind == FINDING_KIND_MISCONFIG ? "very-high" : "high"));
		const char *ss = security_severity(r->sev);
		return ss ? sbom_jset_str(props, "security-severity", ss) : BOSUN_OK;
	}
	TRY(sbom_jappend(tags, json_string("vulnerability")));
	TRY(sbom_jappend(tags, json_string("security")));
	TRY(sbom_jappend(tags, json_string(vuln_severity_name(r->sev))));
	TRY(sbom_jset_str(props, "precision", "very-high"));
	/* an erratum's CVEs (AlmaLinux names them only here), or similar issues */
	if (r->m && r->m->nrelated) {
		json_t *rel = json_array();
		TRY(sbom_jset(props, "related", rel));
		for (size_t i = 0; i < r->m->nrelated; i++)
			TRY(sbom_jappend(rel, json_string(r->m->related[i])));
	}
	const char *ss = security_severity(r->sev);
	return ss ? sbom_jset_str(props, "security-severity", ss) : BOSUN_OK;
}

static int result_properties(const struct vuln_report *rep, const struct report_finding *f, json_t *res)
{
	const struct vuln_match *m = f->m;
	json_t *p = json_object();
	TRY(sbom_jset(res, "properties", p));
	TRY(sbom_jset_str(p, "purl", f->purl));
	TRY(sbom_jset_str(p, "packageName", f->pkg->name));
	TRY(sbom_jset_str(p, "installedVersion", f->pkg->version));
	if (m->fixed)
		TRY(sbom_jset_str(p, "fixedVersion", m->fixed));
	TRY(sbom_jset_str(p, "status", affect_status_name(m->status)));
	TRY(sbom_jset_str(p, "severity", vuln_severity_name(m->severity)));
	TRY(sbom_jset(p, "knownExploited", json_boolean(m->kev)));
	const struct layer_info *l = report_pkg_layer(rep, f->pkg);
	if (l && l->diff_id) {
		json_t *lo = json_object();
		TRY(sbom_jset(p, "layer", lo));
		TRY(sbom_jset(lo, "index", json_integer(f->pkg->layer)));
		TRY(sbom_jset_str(lo, "diffID", l->diff_id));
		if (l->digest)
			TRY(sbom_jset_str(lo, "digest", l->digest));
	}
	return BOSUN_OK;
}

static int location(struct arena *ar, const struct report_finding *f, json_t *res)
{
	json_t *locs = json_array();
	TRY(sbom_jset(res, "locations", locs));
	json_t *loc = json_object();
	TRY(sbom_jappend(locs, loc));
	json_t *phys = json_object();
	TRY(sbom_jset(loc, "physicalLocation", phys));
	json_t *art = json_object();
	TRY(sbom_jset(phys, "artifactLocation", art));
	const char *uri = uri_path(ar, f->pkg->found_in && f->pkg->found_in[0] ? f->pkg->found_in : "unknown");
	TRY(sbom_jset_str(art, "uri", uri));
	TRY(sbom_jset_str(art, "uriBaseId", "ROOTPATH"));
	/* GitHub needs a region; the package database has no line to point at. */
	json_t *region = json_object();
	TRY(sbom_jset(phys, "region", region));
	TRY(sbom_jset(region, "startLine", json_integer(1)));
	TRY(sbom_jset(region, "startColumn", json_integer(1)));
	TRY(sbom_jset(region, "endLine", json_integer(1)));
	TRY(sbom_jset(region, "endColumn", json_integer(1)));
	return text(loc, "message", arena_printf(ar, "%s@%s", f->pkg->name, f->pkg->version));
}

static int result(struct arena *ar, const struct vuln_report *rep, const struct report_finding *f,
		  const struct rule *r, json_t *results)
{
	const struct vuln_match *m = f->m;
	json_t *res = json_object();
	TRY(sbom_jappend(results, res));
	TRY(sbom_jset_str(res, "ruleId", m->id));
	TRY(sbom_jset(res, "ruleIndex", json_integer((json_int_t)r->index)));
	TRY(sbom_jset_str(res, "level", level_of(m->severity)));
	const char *msg = arena_printf(ar,
				       "Package: %s\nInstalled Version: %s\nVulnerability: %s\nSeverity: %s\nStatus: "
				       "%s\nFixed Version: %s\nLink: [%s](%s)",
				       f->pkg->name, f->pkg->version ? f->pkg->version : "", m->id,
				       vuln_severity_name(m->severity), affect_status_name(m->status),
				       m->fixed ? m->fixed : "none", m->id, f->url);
	TRY(text(res, "message", msg));
	TRY(location(ar, f, res));
	return result_properties(rep, f, res);
}

/* ---- secrets, malware, misconfigurations ------------------------------------------ */

static const char *rule_name(enum finding_kind k)
{
	switch (k) {
	case FINDING_KIND_SECRET: return "Secret";
	case FINDING_KIND_MALWARE: return "Malware";
	default: return "Misconfiguration";
	}
}

static bool is_url(const char *s)
{
	return s && (strncmp(s, "https://", 8) == 0 || strncmp(s, "http://", 7) == 0) && !strpbrk(s, " \t\r\n\"<>");
}

static int new_item_rule(struct arena *ar, const char *id, const struct finding *f, json_t *rules, struct rule *r)
{
	r->obj = json_object();
	TRY(sbom_jappend(rules, r->obj));
	TRY(sbom_jset_str(r->obj, "id", id));
	TRY(sbom_jset_str(r->obj, "name", rule_name(f->kind)));
	const char *title = report_clean(ar, f->title ? f->title : f->rule_id, 200);
	TRY(text(r->obj, "shortDescription", title));
	/* what to do, and the control the rule implements */
	const char *full = f->remediation && f->control ? arena_printf(ar, "%s (%s)", f->remediation, f->control)
			   : f->remediation			 ? f->remediation
			   : f->control				 ? arena_printf(ar, "%s (%s)", title, f->control)
								 : title;
	TRY(text(r->obj, "fullDescription", full));
	if (is_url(f->reference))
		TRY(sbom_jset_str(r->obj, "helpUri", f->reference));
	/* help: the title, then what to do, the control and the reference, each when known */
	const char *rem = f->remediation ? report_clean(ar, f->remediation, 1000) : NULL;
	const char *ctl = f->control ? report_clean(ar, f->control, 200) : NULL;
	const char *ref = is_url(f->reference) ? f->reference : NULL;
	const char *txt = arena_printf(ar, "%s %s: %s", rule_name(f->kind), f->rule_id, title);
	const char *md = arena_printf(ar, "**%s %s**: %s", rule_name(f->kind), f->rule_id, title);
	if (rem) {
		txt = arena_printf(ar, "%s\n%s", txt, rem);
		md = arena_printf(ar, "%s\n\n%s", md, rem);
	}
	if (ctl) {
		txt = arena_printf(ar, "%s\nControl: %s", txt, ctl);
		md = arena_printf(ar, "%s\n\nControl: %s", md, ctl);
	}
	if (ref) {
		txt = arena_printf(ar, "%s\n%s", txt, ref);
		md = arena_printf(ar, "%s\n\n<%s>", md, ref);
	}
	json_t *help = json_object();
	TRY(sbom_jset(r->obj, "help", help));
	TRY(sbom_jset_str(help, "text", txt));
	return sbom_jset_str(help, "markdown", md);
}

/* The rule of a finding: by its rule id, unless a vulnerability or a
 * finding of another kind has that id already; then "KIND:RULE" (and a
 * number after that in the unlikely case that is taken too), so that SARIF
 * rule ids stay unique. */
static int item_rule(struct arena *ar, const struct finding *f, json_t *rules, struct strmap *by_id, struct rule **out)
{
	const char *rid = f->rule_id && f->rule_id[0] ? f->rule_id : "unknown";
	const char *id = rid;
	for (unsigned n = 0;; n++) {
		if (n == 1)
			id = arena_printf(ar, "%s:%s", finding_kind_name(f->kind), rid);
		else if (n > 1)
			id = arena_printf(ar, "%s:%s:%u", finding_kind_name(f->kind), rid, n);
		if (!id)
			return BOSUN_ENOMEM;
		struct rule *r = strmap_get(by_id, id);
		if (r && r->f && r->f->kind == f->kind) {
			*out = r;
			return BOSUN_OK;
		}
		if (!r)
			break;
	}
	struct rule *r = arena_alloc(ar, sizeof *r);
	if (!r)
		return BOSUN_ENOMEM;
	memset(r, 0, sizeof *r);
	r->sev = f->severity;
	r->f = f;
	r->index = json_array_size(rules);
	TRY(new_item_rule(ar, id, f, rules, r));
	TRY(strmap_put(by_id, id, r));
	*out = r;
	return BOSUN_OK;
}

static int region(json_t *phys, unsigned line, unsigned end_line)
{
	/* GitHub needs a region; a finding without a line points at line 1. */
	json_t *reg = json_object();
	TRY(sbom_jset(phys, "region", reg));
	TRY(sbom_jset(reg, "startLine", json_integer(line ? line : 1)));
	if (line && end_line >= line)
		TRY(sbom_jset(reg, "endLine", json_integer(end_line)));
	return BOSUN_OK;
}

/* Where a finding is: its file (or "image-config", or the target for a
 * finding outside any file), line and, for a place inside a document
 * (config.User, a Kubernetes object), a logical location. */
static int item_location(struct arena *ar, const struct vuln_report *rep, const struct finding *f, json_t *res)
{
	json_t *locs = json_array();
	TRY(sbom_jset(res, "locations", locs));
	json_t *loc = json_object();
	TRY(sbom_jappend(locs, loc));
	json_t *phys = json_object();
	TRY(sbom_jset(loc, "physicalLocation", phys));
	json_t *art = json_object();
	TRY(sbom_jset(phys, "artifactLocation", art));
	const char *where = f->path && f->path[0] ? f->path
			    : f->category && strcmp(f->category, "image") == 0 ? "image-config"
			    : rep->a->target && rep->a->target[0]		  ? rep->a->target
									  : "unknown";
	const char *uri = uri_path(ar, where);
	if (!uri)
		return BOSUN_ENOMEM;
	TRY(sbom_jset_str(art, "uri", uri[0] ? uri : "unknown"));
	TRY(sbom_jset_str(art, "uriBaseId", "ROOTPATH"));
	TRY(region(phys, f->line, f->end_line));
	const char *logical = f->location ? f->location
			      : f->object  ? arena_printf(ar, "%s%s%s", f->ns ? f->ns : "", f->ns ? "/" : "", f->object)
					   : NULL;
	if (logical) {
		json_t *lls = json_array();
		TRY(sbom_jset(loc, "logicalLocations", lls));
		json_t *ll = json_object();
		TRY(sbom_jappend(lls, ll));
		TRY(sbom_jset_str(ll, "fullyQualifiedName", logical));
		TRY(sbom_jset_str(ll, "kind", f->object ? "resource" : "element"));
	}
	return BOSUN_OK;
}

static int item_properties(const struct vuln_report *rep, const struct finding *f, json_t *res)
{
	json_t *p = json_object();
	TRY(sbom_jset(res, "properties", p));
	TRY(sbom_jset_str(p, "kind", finding_kind_name(f->kind)));
	TRY(sbom_jset_str(p, "severity", vuln_severity_name(f->severity)));
	if (f->category)
		TRY(sbom_jset_str(p, "category", f->category));
	if (f->match)
		TRY(sbom_jset_str(p, "match", f->match));
	if (f->ns)
		TRY(sbom_jset_str(p, "namespace", f->ns));
	if (f->object)
		TRY(sbom_jset_str(p, "object", f->object));
	TRY(sbom_jset(p, "deleted", json_boolean(f->deleted)));
	const struct layer_info *l = report_item_layer(rep, f);
	if (l) {
		json_t *lo = json_object();
		TRY(sbom_jset(p, "layer", lo));
		TRY(sbom_jset(lo, "index", json_integer(f->layer)));
		if (l->diff_id)
			TRY(sbom_jset_str(lo, "diffID", l->diff_id));
		if (l->digest)
			TRY(sbom_jset_str(lo, "digest", l->digest));
	}
	return BOSUN_OK;
}

static int item_result(struct arena *ar, const struct vuln_report *rep, const struct finding *f, const struct rule *r,
		       const char *rule_id, json_t *results)
{
	json_t *res = json_object();
	TRY(sbom_jappend(results, res));
	TRY(sbom_jset_str(res, "ruleId", rule_id));
	TRY(sbom_jset(res, "ruleIndex", json_integer((json_int_t)r->index)));
	TRY(sbom_jset_str(res, "level", level_of(f->severity)));
	const char *msg = f->message ? f->message : f->title ? f->title : f->rule_id ? f->rule_id : "finding";
	if (f->layer >= 0)
		msg = arena_printf(ar, "%s (layer %d%s)", msg, f->layer, f->deleted ? ", deleted in a later layer" : "");
	TRY(text(res, "message", msg));
	TRY(item_location(ar, rep, f, res));
	return item_properties(rep, f, res);
}

static int items(struct arena *ar, const struct vuln_report *rep, json_t *rules, json_t *results, struct strmap *by_id)
{
	for (size_t i = 0; i < rep->nitems; i++) {
		const struct report_item *it = &rep->items[i];
		if (it->state != FINDING_REPORTED)
			continue;
		const struct finding *f = it->f;
		struct rule *r;
		TRY(item_rule(ar, f, rules, by_id, &r));
		if (f->severity > r->sev && (unsigned)f->severity < SEV_COUNT)
			r->sev = f->severity;
		TRY(item_result(ar, rep, f, r, json_string_value(json_object_get(r->obj, "id")), results));
	}
	return BOSUN_OK;
}

static int driver(json_t *run, json_t **rules)
{
	json_t *tool = json_object();
	TRY(sbom_jset(run, "tool", tool));
	json_t *drv = json_object();
	TRY(sbom_jset(tool, "driver", drv));
	TRY(sbom_jset_str(drv, "name", "bosun"));
	TRY(sbom_jset_str(drv, "fullName", "bosun container security scanner"));
	TRY(sbom_jset_str(drv, "version", BOSUN_VERSION));
	TRY(sbom_jset_str(drv, "semanticVersion", BOSUN_VERSION));
	*rules = json_array();
	return sbom_jset(drv, "rules", *rules);
}

static int build(struct arena *ar, const struct vuln_report *rep, json_t *doc, struct strmap *by_id)
{
	TRY(sbom_jset_str(doc, "$schema", "https://json.schemastore.org/sarif-2.1.0.json"));
	TRY(sbom_jset_str(doc, "version", "2.1.0"));
	json_t *runs = json_array();
	TRY(sbom_jset(doc, "runs", runs));
	json_t *run = json_object();
	TRY(sbom_jappend(runs, run));
	json_t *rules;
	TRY(driver(run, &rules));
	json_t *results = json_array();
	TRY(sbom_jset(run, "results", results));
	for (size_t i = 0; i < rep->n; i++) {
		const struct report_finding *f = &rep->f[i];
		if (f->state != FINDING_REPORTED)
			continue;
		struct rule *r = strmap_get(by_id, f->m->id);
		if (!r) {
			if (!(r = arena_alloc(ar, sizeof *r)))
				return BOSUN_ENOMEM;
			memset(r, 0, sizeof *r);
			r->sev = f->m->severity;
			r->m = f->m;
			r->index = json_array_size(rules);
			TRY(new_rule(ar, f, rules, r));
			TRY(strmap_put(by_id, f->m->id, r));
		}
		if (f->m->severity > r->sev)
			r->sev = f->m->severity;
		TRY(result(ar, rep, f, r, results));
	}
	TRY(items(ar, rep, rules, results, by_id));
	for (size_t i = 0; i < by_id->cap; i++)
		if (by_id->slots[i].key)
			TRY(finish_rule(by_id->slots[i].value));
	json_t *base = json_object();
	TRY(sbom_jset(run, "originalUriBaseIds", base));
	json_t *root = json_object();
	TRY(sbom_jset(base, "ROOTPATH", root));
	TRY(sbom_jset_str(root, "uri", "file:///"));
	return sbom_jset_str(run, "columnKind", "utf16CodeUnits");
}

int report_write_sarif(const struct vuln_report *r, FILE *out, struct berr *e)
{
	struct arena ar = { 0 };
	struct strmap by_id = { 0 };
	json_t *doc = json_object();
	int rc = doc ? build(&ar, r, doc, &by_id) : BOSUN_ENOMEM;
	if (rc == BOSUN_OK)
		rc = sbom_jdump(doc, out, e);
	else
		berr_set(e, rc, "building SARIF: %s", bosun_strerror(rc));
	json_decref(doc);
	strmap_free(&by_id);
	arena_free(&ar);
	return rc;
}
