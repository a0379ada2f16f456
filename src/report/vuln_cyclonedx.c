/* --format cyclonedx for vulnerability reports: the SBOM `bosun sbom`
 * writes (same components, same bom-refs), plus `vulnerabilities[]`, one
 * entry per reported id whose `affects[].ref` are the bom-refs of the
 * affected packages. Each affect lists the installed version as affected
 * and, when there is one, the fixed version as unaffected.
 *
 * Secrets, malware and misconfigurations are not written: CycloneDX's
 * vulnerabilities describe flaws of components, and none of these is one
 * (a key in a file, a USER line of a Dockerfile). A warning says how many
 * reported findings the document leaves out, since they still gate. */
#define SBOM_WRITER_INTERNAL
#define REPORT_WRITER_INTERNAL
#include "report/report.h"

#include <string.h>

#include "util/log.h"
#include "util/strmap.h"

#define MAX_ADVISORIES 16

static const char *cdx_severity(enum vuln_severity s)
{
	switch (s) {
	case SEV_CRITICAL: return "critical";
	case SEV_HIGH: return "high";
	case SEV_MEDIUM: return "medium";
	case SEV_LOW: return "low";
	case SEV_NEGLIGIBLE: return "info";
	default: return "unknown";
	}
}

static const char *cvss_method(const char *vector)
{
	if (vector && strncmp(vector, "CVSS:3.1/", 9) == 0)
		return "CVSSv31";
	if (vector && strncmp(vector, "CVSS:4.0/", 9) == 0)
		return "CVSSv4";
	return "CVSSv3";
}

/* Who names an id, for references[].source. */
static int alias_source(struct arena *ar, json_t *src, const char *id)
{
	if (strncmp(id, "CVE-", 4) == 0) {
		TRY(sbom_jset_str(src, "name", "NVD"));
		return sbom_jset_str(src, "url", arena_printf(ar, "https://nvd.nist.gov/vuln/detail/%s", id));
	}
	if (strncmp(id, "GHSA-", 5) == 0) {
		TRY(sbom_jset_str(src, "name", "GitHub"));
		return sbom_jset_str(src, "url", arena_printf(ar, "https://github.com/advisories/%s", id));
	}
	TRY(sbom_jset_str(src, "name", "OSV"));
	return sbom_jset_str(src, "url", arena_printf(ar, "https://osv.dev/vulnerability/%s", id));
}

static int first_source(json_t *o, const char *csv)
{
	if (!csv || !csv[0])
		return sbom_jset_str(o, "name", "bosun");
	return sbom_jset(o, "name", json_stringn(csv, strcspn(csv, ",")));
}

static int ratings(const struct vuln_match *m, json_t *v)
{
	if (m->severity == SEV_UNKNOWN && m->cvss3 < 0 && m->cvss4 < 0)
		return BOSUN_OK; /* nobody rated it: no ratings rather than an "unknown" one */
	json_t *arr = json_array();
	TRY(sbom_jset(v, "ratings", arr));
	if (m->severity != SEV_UNKNOWN) {
		json_t *r = json_object();
		TRY(sbom_jappend(arr, r));
		json_t *src = json_object();
		TRY(sbom_jset(r, "source", src));
		TRY(sbom_jset_str(src, "name", m->severity_source ? m->severity_source : "bosun"));
		TRY(sbom_jset_str(r, "severity", cdx_severity(m->severity)));
		TRY(sbom_jset_str(r, "method", "other"));
	}
	const struct {
		double score;
		const char *vector;
	} cvss[] = { { m->cvss3, m->cvss3_vector }, { m->cvss4, m->cvss4_vector } };
	for (size_t i = 0; i < 2; i++) {
		if (cvss[i].score < 0)
			continue;
		json_t *c = json_object();
		TRY(sbom_jappend(arr, c));
		json_t *cs = json_object();
		TRY(sbom_jset(c, "source", cs));
		TRY(first_source(cs, m->source));
		TRY(sbom_jset(c, "score", json_real(cvss[i].score)));
		TRY(sbom_jset_str(c, "severity", cdx_severity(match_severity_from_score(cvss[i].score))));
		TRY(sbom_jset_str(c, "method", cvss_method(cvss[i].vector)));
		if (cvss[i].vector)
			TRY(sbom_jset_str(c, "vector", cvss[i].vector));
	}
	return BOSUN_OK;
}

static int prop(json_t *props, const char *name, const char *value)
{
	if (!value)
		return BOSUN_OK;
	json_t *p = json_object();
	TRY(sbom_jappend(props, p));
	TRY(sbom_jset_str(p, "name", name));
	return sbom_jset_str(p, "value", value);
}

/* The parts of an entry that come from the vulnerability itself. */
static int new_vuln(struct arena *ar, const struct report_finding *f, json_t *v)
{
	const struct vuln_match *m = f->m;
	TRY(sbom_jset_str(v, "id", m->id));
	json_t *src = json_object();
	TRY(sbom_jset(v, "source", src));
	TRY(first_source(src, m->source));
	TRY(sbom_jset_str(src, "url", f->url));
	/* references[] are other names of the vulnerability: the aliases, and
	 * the CVEs an erratum fixes (an ALSA is known by them) */
	size_t nrel = m->related_fixed ? m->nrelated : 0;
	if (m->naliases || nrel) {
		json_t *refs = json_array();
		TRY(sbom_jset(v, "references", refs));
		for (size_t i = 0; i < m->naliases + nrel; i++) {
			const char *id = i < m->naliases ? m->aliases[i] : m->related[i - m->naliases];
			json_t *r = json_object();
			TRY(sbom_jappend(refs, r));
			TRY(sbom_jset_str(r, "id", id));
			json_t *rs = json_object();
			TRY(sbom_jset(r, "source", rs));
			TRY(alias_source(ar, rs, id));
		}
	}
	TRY(ratings(m, v));
	TRY(sbom_jset_opt(v, "description", m->title));
	TRY(sbom_jset_opt(v, "detail", m->description));
	size_t nadv = 0;
	json_t *adv = json_array();
	TRY(sbom_jset(v, "advisories", adv));
	for (size_t i = 0; i < m->nreferences && nadv < MAX_ADVISORIES; i++) {
		if (strncmp(m->references[i], "http", 4) != 0 || strpbrk(m->references[i], " \"<>\\^`{|}"))
			continue;
		json_t *a = json_object();
		TRY(sbom_jappend(adv, a));
		TRY(sbom_jset_str(a, "url", m->references[i]));
		nadv++;
	}
	if (nadv == 0)
		json_object_del(v, "advisories");
	const char *pub = report_datetime(ar, m->published);
	if (pub)
		TRY(sbom_jset_str(v, "published", pub));
	json_t *props = json_array();
	TRY(sbom_jset(v, "properties", props));
	if (m->nrelated) {
		struct buf rel = { 0 };
		int rc = BOSUN_OK;
		for (size_t i = 0; rc == BOSUN_OK && i < m->nrelated; i++)
			rc = buf_printf(&rel, "%s%s", i ? "," : "", m->related[i]);
		const char *joined = rc == BOSUN_OK ? arena_strdup(ar, rel.data) : NULL;
		buf_free(&rel);
		if (!joined)
			return BOSUN_ENOMEM;
		TRY(prop(props, "bosun:related", joined));
	}
	if (m->kev) {
		TRY(prop(props, "bosun:kev", "true"));
		TRY(prop(props, "bosun:kev:dateAdded", m->kev_date));
	}
	return sbom_jset(v, "affects", json_array());
}

/* One affected package: its bom-ref and versions; its status and fix
 * become properties keyed by the ref (they differ between packages). */
static int add_affect(struct arena *ar, const struct report_finding *f, const char *ref, json_t *v)
{
	const struct vuln_match *m = f->m;
	json_t *affects = json_object_get(v, "affects");
	json_t *a = json_object();
	TRY(sbom_jappend(affects, a));
	TRY(sbom_jset_str(a, "ref", ref));
	json_t *versions = json_array();
	TRY(sbom_jset(a, "versions", versions));
	json_t *inst = json_object();
	TRY(sbom_jappend(versions, inst));
	TRY(sbom_jset_str(inst, "version", f->pkg->version ? f->pkg->version : m->installed));
	TRY(sbom_jset_str(inst, "status", "affected"));
	if (m->fixed) {
		json_t *fx = json_object();
		TRY(sbom_jappend(versions, fx));
		TRY(sbom_jset_str(fx, "version", m->fixed));
		TRY(sbom_jset_str(fx, "status", "unaffected"));
	}
	json_t *props = json_object_get(v, "properties");
	TRY(prop(props, "bosun:status", arena_printf(ar, "%s %s", affect_status_name(m->status), ref)));
	if (m->fixed)
		TRY(prop(props, "bosun:fixedVersion", arena_printf(ar, "%s %s", m->fixed, ref)));
	return BOSUN_OK;
}

static int vulnerabilities(struct arena *ar, const struct vuln_report *r, json_t *doc, const char **refs,
			   struct strmap *by_id)
{
	json_t *arr = json_array();
	TRY(sbom_jset(doc, "vulnerabilities", arr));
	for (size_t i = 0; i < r->n; i++) {
		const struct report_finding *f = &r->f[i];
		if (f->state != FINDING_REPORTED)
			continue;
		json_t *v = strmap_get(by_id, f->m->id);
		if (!v) {
			v = json_object();
			TRY(sbom_jappend(arr, v));
			TRY(new_vuln(ar, f, v));
			TRY(strmap_put(by_id, f->m->id, v));
		}
		TRY(add_affect(ar, f, refs[f->m->pkg], v));
	}
	for (size_t i = 0; i < json_array_size(arr); i++) {
		json_t *v = json_array_get(arr, i);
		if (json_array_size(json_object_get(v, "properties")) == 0)
			json_object_del(v, "properties");
	}
	return BOSUN_OK;
}

static void warn_left_out(const struct vuln_report *r)
{
	size_t secrets = r->kinds[FINDING_KIND_SECRET].reported, malware = r->kinds[FINDING_KIND_MALWARE].reported,
	       misconfigs = r->kinds[FINDING_KIND_MISCONFIG].reported;
	if (secrets + malware + misconfigs)
		log_warn("CycloneDX has no place for secrets, malware or misconfigurations: %zu secret, %zu malware and %zu "
			 "misconfiguration findings reported are not in this document (they still count for "
			 "--exit-code); use --format json or sarif to see them",
			 secrets, malware, misconfigs);
}

int report_write_cyclonedx(const struct vuln_report *r, const struct sbom_options *o, FILE *out, struct berr *e)
{
	warn_left_out(r);
	struct arena ar = { 0 };
	struct strmap by_id = { 0 };
	struct sbom_ctx c;
	json_t *doc = json_object();
	const char **refs = arena_alloc(&ar, (r->a->npkgs ? r->a->npkgs : 1) * sizeof *refs);
	int rc = doc && refs ? sbom_ctx_init(&c, r->a, &ar, o, true, e) : BOSUN_ENOMEM;
	if (rc == BOSUN_OK)
		rc = sbom_cyclonedx_build(&c, doc, refs, e);
	if (rc == BOSUN_OK && (rc = vulnerabilities(&ar, r, doc, refs, &by_id)) != BOSUN_OK)
		berr_set(e, rc, "building CycloneDX vulnerabilities: %s", bosun_strerror(rc));
	if (rc == BOSUN_OK)
		rc = sbom_jdump(doc, out, e);
	json_decref(doc);
	strmap_free(&by_id);
	arena_free(&ar);
	return rc;
}
