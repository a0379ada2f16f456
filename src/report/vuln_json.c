/* --format json for reports: bosun's SBOM JSON (target, image, os,
 * packages, warnings; docs/bosun-sbom.schema.json) extended with the
 * database's provenance, a summary, the reported vulnerabilities and the
 * suppressed ones, and the secrets, malware and misconfigurations (reported
 * and ignored, each with its state). Specified by docs/bosun-vulns.schema.json and described
 * in docs/vulns-json.md; the same rules: every key always present, null
 * when unknown, no timestamps of the run. */
#define SBOM_WRITER_INTERNAL
#define REPORT_WRITER_INTERNAL
#include "report/report.h"

#include <string.h>

#define VULNS_SCHEMA_VERSION 1

static int strv(json_t *obj, const char *key, const char *const *v, size_t n)
{
	json_t *arr = json_array();
	TRY(sbom_jset(obj, key, arr));
	for (size_t i = 0; i < n; i++)
		TRY(sbom_jappend(arr, sbom_jstr(v[i])));
	return BOSUN_OK;
}

/* "debian-tracker,kev" -> ["debian-tracker", "kev"] */
static int csv_array(json_t *obj, const char *key, const char *csv)
{
	json_t *arr = json_array();
	TRY(sbom_jset(obj, key, arr));
	while (csv && *csv) {
		size_t n = strcspn(csv, ",");
		if (n)
			TRY(sbom_jappend(arr, json_stringn(csv, n)));
		csv += n + (csv[n] == ',');
	}
	return BOSUN_OK;
}

static int database(const struct vuln_report *r, json_t *doc)
{
	if (!r->db)
		return sbom_jset(doc, "database", json_null());
	json_t *d = json_object();
	TRY(sbom_jset(doc, "database", d));
	TRY(sbom_jset_str(d, "path", r->db->path));
	json_t *arr = json_array();
	TRY(sbom_jset(d, "sources", arr));
	for (size_t i = 0; i < r->db->nsources; i++) {
		const struct report_db_source *s = &r->db->sources[i];
		json_t *o = json_object();
		TRY(sbom_jappend(arr, o));
		TRY(sbom_jset_str(o, "name", s->name));
		TRY(sbom_jset_str(o, "snapshot", s->snapshot));
		TRY(sbom_jset_str(o, "importedAt", s->imported_at));
	}
	return BOSUN_OK;
}

static int by_severity(json_t *o, const size_t counts[SEV_COUNT])
{
	json_t *by = json_object();
	TRY(sbom_jset(o, "bySeverity", by));
	for (int sev = SEV_CRITICAL; sev >= SEV_UNKNOWN; sev--)
		TRY(sbom_jset(by, vuln_severity_name((enum vuln_severity)sev), json_integer((json_int_t)counts[sev])));
	return BOSUN_OK;
}

static int kind_counts(json_t *by_kind, const char *key, const struct report_counts *c)
{
	json_t *o = json_object();
	TRY(sbom_jset(by_kind, key, o));
	TRY(sbom_jset(o, "reported", json_integer((json_int_t)c->reported)));
	TRY(sbom_jset(o, "ignored", json_integer((json_int_t)c->ignored)));
	TRY(sbom_jset(o, "filtered", json_integer((json_int_t)c->filtered)));
	return by_severity(o, c->by_severity);
}

/* The totals count every kind (what --exit-code gates on); byKind splits them. */
static int summary(const struct vuln_report *r, json_t *doc)
{
	json_t *s = json_object();
	TRY(sbom_jset(doc, "summary", s));
	TRY(sbom_jset(s, "reported", json_integer((json_int_t)r->reported)));
	TRY(by_severity(s, r->by_severity));
	TRY(sbom_jset(s, "vulnerablePackages", json_integer((json_int_t)r->vulnerable_pkgs)));
	TRY(sbom_jset(s, "ignored", json_integer((json_int_t)r->ignored)));
	TRY(sbom_jset(s, "vex", json_integer((json_int_t)r->vexed)));
	TRY(sbom_jset(s, "filtered", json_integer((json_int_t)r->filtered)));
	json_t *by_kind = json_object();
	TRY(sbom_jset(s, "byKind", by_kind));
	TRY(kind_counts(by_kind, "vulnerabilities", &r->vulns));
	for (int k = 0; k < FINDING_KIND_COUNT; k++)
		TRY(kind_counts(by_kind, report_kind_plural((enum finding_kind)k), &r->kinds[k]));
	return BOSUN_OK;
}

static int package_ref(const struct vuln_report *r, const struct report_finding *f, json_t *o)
{
	const struct package *p = f->pkg;
	json_t *pk = json_object();
	TRY(sbom_jset(o, "package", pk));
	TRY(sbom_jset(pk, "index", json_integer((json_int_t)f->m->pkg)));
	TRY(sbom_jset_str(pk, "type", pkg_type_name(p->type)));
	TRY(sbom_jset_str(pk, "name", p->name));
	TRY(sbom_jset_str(pk, "version", p->version));
	TRY(sbom_jset_str(pk, "sourceName", p->source_name));
	TRY(sbom_jset_str(pk, "sourceVersion", p->source_version));
	TRY(sbom_jset_str(pk, "purl", f->purl));
	TRY(sbom_jset_str(pk, "foundIn", p->found_in));
	const struct layer_info *l = report_pkg_layer(r, p);
	if (!l || !l->diff_id)
		return sbom_jset(pk, "layer", json_null());
	json_t *lo = json_object();
	TRY(sbom_jset(pk, "layer", lo));
	TRY(sbom_jset(lo, "index", json_integer(p->layer)));
	return sbom_jset_str(lo, "diffID", l->diff_id);
}

static int score(json_t *cvss, const char *key, double s, const char *vector)
{
	if (s < 0)
		return sbom_jset(cvss, key, json_null());
	json_t *o = json_object();
	TRY(sbom_jset(cvss, key, o));
	TRY(sbom_jset(o, "score", json_real(s)));
	return sbom_jset_str(o, "vector", vector);
}

static int vex_info(const struct report_finding *f, json_t *o)
{
	const struct vex_statement *st = f->vex;
	if (!st)
		return sbom_jset(o, "vex", json_null());
	json_t *v = json_object();
	TRY(sbom_jset(o, "vex", v));
	TRY(sbom_jset_str(v, "status", vex_status_name(st->status)));
	TRY(sbom_jset_str(v, "justification", st->justification));
	TRY(sbom_jset_str(v, "impactStatement", st->impact));
	TRY(sbom_jset_str(v, "actionStatement", st->action));
	TRY(sbom_jset_str(v, "document", st->file));
	return sbom_jset(v, "statement", json_integer((json_int_t)st->index));
}

static int finding(const struct vuln_report *r, const struct report_finding *f, json_t *o)
{
	const struct vuln_match *m = f->m;
	TRY(sbom_jset_str(o, "id", m->id));
	TRY(strv(o, "aliases", m->aliases, m->naliases));
	TRY(strv(o, "related", m->related, m->nrelated));
	TRY(sbom_jset(o, "relatedFixed", json_boolean(m->related_fixed)));
	TRY(package_ref(r, f, o));
	TRY(sbom_jset_str(o, "installedVersion", m->installed));
	TRY(sbom_jset_str(o, "fixedVersion", m->fixed));
	TRY(sbom_jset_str(o, "status", affect_status_name(m->status)));
	TRY(sbom_jset_str(o, "severity", vuln_severity_name(m->severity)));
	TRY(sbom_jset_str(o, "severitySource", m->severity_source));
	json_t *cvss = json_object();
	TRY(sbom_jset(o, "cvss", cvss));
	TRY(score(cvss, "v3", m->cvss3, m->cvss3_vector));
	TRY(score(cvss, "v4", m->cvss4, m->cvss4_vector));
	if (m->kev) {
		json_t *k = json_object();
		TRY(sbom_jset(o, "kev", k));
		TRY(sbom_jset_str(k, "dateAdded", m->kev_date));
	} else {
		TRY(sbom_jset(o, "kev", json_null()));
	}
	TRY(sbom_jset_str(o, "title", m->title));
	TRY(sbom_jset_str(o, "description", m->description));
	TRY(sbom_jset_str(o, "published", m->published));
	TRY(sbom_jset_str(o, "url", f->url));
	TRY(strv(o, "references", m->references, m->nreferences));
	TRY(sbom_jset_str(o, "ecosystem", m->ecosystem));
	TRY(sbom_jset_str(o, "databasePackage", m->db_package));
	TRY(csv_array(o, "sources", m->source));
	TRY(sbom_jset_str(o, "note", m->note));
	return vex_info(f, o);
}

/* The ignore entry that suppressed a finding; section is the YAML section
 * the entry number counts in (null for the plain form). */
static int ignored_by(const struct vuln_report *r, const struct ignore_entry *en, json_t *s)
{
	TRY(sbom_jset_str(s, "kind", "ignorefile"));
	TRY(sbom_jset_str(s, "file", r->ignores ? r->ignores->path : NULL));
	TRY(sbom_jset_str(s, "section", en->scope == IGNORE_SCOPE_ANY ? NULL : ignore_scope_name(en->scope)));
	TRY(sbom_jset(s, "entry", json_integer((json_int_t)en->line)));
	TRY(sbom_jset_str(s, "reason", en->reason));
	return sbom_jset_str(s, "expires", en->expires[0] ? en->expires : NULL);
}

static int suppressed_by(const struct vuln_report *r, const struct report_finding *f, json_t *o)
{
	json_t *s = json_object();
	TRY(sbom_jset(o, "suppressedBy", s));
	if (f->state == FINDING_VEX) {
		TRY(sbom_jset_str(s, "kind", "vex"));
		TRY(sbom_jset_str(s, "file", f->vex->file));
		TRY(sbom_jset(s, "section", json_null()));
		TRY(sbom_jset(s, "entry", json_integer((json_int_t)f->vex->index)));
		TRY(sbom_jset_str(s, "reason", f->vex->justification ? f->vex->justification : f->vex->impact));
		return sbom_jset(s, "expires", json_null());
	}
	return ignored_by(r, f->ignore, s);
}

static int findings(const struct vuln_report *r, json_t *doc)
{
	json_t *rep = json_array(), *sup = json_array();
	TRY(sbom_jset(doc, "vulnerabilities", rep));
	TRY(sbom_jset(doc, "suppressed", sup));
	for (size_t i = 0; i < r->n; i++) {
		const struct report_finding *f = &r->f[i];
		if (f->state == FINDING_FILTERED)
			continue;
		json_t *o = json_object();
		TRY(sbom_jappend(f->state == FINDING_REPORTED ? rep : sup, o));
		TRY(finding(r, f, o));
		if (f->state != FINDING_REPORTED)
			TRY(suppressed_by(r, f, o));
	}
	return BOSUN_OK;
}

/* ---- secrets, malware, misconfigurations ------------------------------------------ */

static int opt_line(json_t *o, const char *key, unsigned line)
{
	return sbom_jset(o, key, line ? json_integer((json_int_t)line) : json_null());
}

static int item_layer(const struct vuln_report *r, const struct finding *f, json_t *o)
{
	const struct layer_info *l = report_item_layer(r, f);
	if (!l)
		return sbom_jset(o, "layer", json_null());
	json_t *lo = json_object();
	TRY(sbom_jset(o, "layer", lo));
	TRY(sbom_jset(lo, "index", json_integer(f->layer)));
	TRY(sbom_jset_str(lo, "diffID", l->diff_id));
	return sbom_jset_str(lo, "digest", l->digest);
}

static int item(const struct vuln_report *r, const struct report_item *it, json_t *o)
{
	const struct finding *f = it->f;
	TRY(sbom_jset_str(o, "ruleId", f->rule_id));
	TRY(sbom_jset_str(o, "title", f->title));
	TRY(sbom_jset_str(o, "severity", vuln_severity_name((unsigned)f->severity < SEV_COUNT ? f->severity : SEV_UNKNOWN)));
	TRY(sbom_jset_str(o, "message", f->message));
	TRY(sbom_jset_str(o, "path", f->path));
	TRY(opt_line(o, "line", f->line));
	TRY(opt_line(o, "endLine", f->end_line));
	TRY(sbom_jset_str(o, "location", f->location));
	TRY(item_layer(r, f, o));
	TRY(sbom_jset(o, "deleted", json_boolean(f->deleted)));
	TRY(sbom_jset_str(o, "match", f->match));
	TRY(sbom_jset_str(o, "category", f->category));
	TRY(sbom_jset_str(o, "remediation", f->remediation));
	TRY(sbom_jset_str(o, "control", f->control));
	TRY(sbom_jset_str(o, "reference", f->reference));
	TRY(sbom_jset_str(o, "namespace", f->ns));
	TRY(sbom_jset_str(o, "object", f->object));
	TRY(sbom_jset_str(o, "state", it->state == FINDING_IGNORED ? "ignored" : "reported"));
	if (it->state != FINDING_IGNORED)
		return sbom_jset(o, "suppressedBy", json_null());
	json_t *s = json_object();
	TRY(sbom_jset(o, "suppressedBy", s));
	return ignored_by(r, it->ignore, s);
}

/* One array per kind, always present; filtered findings are counted only,
 * as filtered vulnerabilities are. */
static int items(const struct vuln_report *r, json_t *doc)
{
	json_t *arr[FINDING_KIND_COUNT];
	for (int k = 0; k < FINDING_KIND_COUNT; k++) {
		arr[k] = json_array();
		TRY(sbom_jset(doc, report_kind_plural((enum finding_kind)k), arr[k]));
	}
	for (size_t i = 0; i < r->nitems; i++) {
		const struct report_item *it = &r->items[i];
		if (it->state == FINDING_FILTERED || (unsigned)it->f->kind >= FINDING_KIND_COUNT)
			continue;
		json_t *o = json_object();
		TRY(sbom_jappend(arr[it->f->kind], o));
		TRY(item(r, it, o));
	}
	return BOSUN_OK;
}

/* The SBOM's warnings array, with the matching and policy warnings after
 * the scan's. */
static int warnings(const struct vuln_report *r, json_t *doc)
{
	json_t *arr = json_object_get(doc, "warnings");
	if (!json_is_array(arr)) {
		arr = json_array();
		TRY(sbom_jset(doc, "warnings", arr));
	}
	json_incref(arr);
	json_object_del(doc, "warnings"); /* moved last, after the findings */
	TRY(sbom_jset(doc, "warnings", arr));
	for (size_t i = 0; i < r->nwarnings; i++)
		TRY(sbom_jappend(arr, sbom_jstr(r->warnings[i])));
	return BOSUN_OK;
}

static int build(const struct vuln_report *r, json_t *doc)
{
	TRY(sbom_jset(doc, "schemaVersion", json_integer(VULNS_SCHEMA_VERSION)));
	/* false: no vulnerability scan ran (`--scanners secret`, `bosun config`);
	 * vulnerabilities[] and suppressed[] are then empty, not "none found" */
	TRY(sbom_jset(doc, "vulnerabilityScan", json_boolean(r->vulns_scanned)));
	TRY(database(r, doc));
	TRY(summary(r, doc));
	TRY(findings(r, doc));
	TRY(items(r, doc));
	return warnings(r, doc);
}

int report_write_json(const struct vuln_report *r, const struct sbom_options *o, FILE *out, struct berr *e)
{
	struct arena ar = { 0 };
	struct sbom_ctx c;
	json_t *doc = json_object();
	int rc = doc ? sbom_ctx_init(&c, r->a, &ar, o, false, e) : BOSUN_ENOMEM;
	if (rc == BOSUN_OK)
		rc = sbom_json_build(&c, doc, e);
	if (rc == BOSUN_OK && (rc = build(r, doc)) != BOSUN_OK)
		berr_set(e, rc, "building JSON report: %s", bosun_strerror(rc));
	if (rc == BOSUN_OK)
		rc = sbom_jdump(doc, out, e);
	json_decref(doc);
	arena_free(&ar);
	return rc;
}
