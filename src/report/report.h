/* Reports: the vulnerability matches of one artifact and its other
 * findings (secrets, malware, misconfigurations: a->findings) after policy
 * (severity and status filters, ignore files, VEX), written as a table,
 * bosun JSON (docs/bosun-vulns.schema.json), SARIF 2.1.0 or CycloneDX 1.6
 * with vulnerabilities (findings of other kinds have no place there). A
 * report is a pure function of (artifact, matches, policy); gating (the
 * exit code) reads only its counts. */
#ifndef BOSUN_REPORT_REPORT_H
#define BOSUN_REPORT_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "match/match.h"
#include "policy/ignore.h"
#include "policy/vex.h"
#include "sbom/artifact.h"
#include "sbom/writer.h"

#define SEV_COUNT (SEV_CRITICAL + 1)

struct report_policy {
	unsigned severities;    /* bit (1u << enum vuln_severity) per reported severity; 0 = all */
	bool ignore_unfixed;    /* drop findings without a fixed version */
	unsigned statuses;      /* bit (1u << enum affect_status) per status to drop */
	const struct ignore_list *ignores; /* may be NULL */
	const struct vex_set *vex;         /* may be NULL */
	/* Bit (1u << enum finding_kind) per kind whose scanner ran, so that the
	 * table can say "no secrets found"; 0 = unknown: a kind's section is
	 * shown only when it has findings. Not a filter. */
	unsigned finding_kinds;
};

/* "LOW,HIGH" -> bits; BOSUN_EUSAGE naming the bad word in e. */
int report_parse_severities(const char *list, unsigned *out, struct berr *e);
/* "will_not_fix,no-dsa" -> bits (dashes and underscores alike). */
int report_parse_statuses(const char *list, unsigned *out, struct berr *e);

enum finding_state {
	FINDING_REPORTED,  /* counts for gating */
	FINDING_FILTERED,  /* --severity, --ignore-unfixed, --ignore-status */
	FINDING_IGNORED,   /* an ignore file entry */
	FINDING_VEX,       /* a VEX statement not_affected / fixed (vulnerabilities only) */
};

/* A secret, malware or misconfiguration finding after policy: --severity
 * filters it, an ignore entry (ignore_match_finding) suppresses it. */
struct report_item {
	const struct finding *f;             /* in a->findings */
	enum finding_state state;            /* REPORTED, FILTERED or IGNORED */
	const struct ignore_entry *ignore;   /* FINDING_IGNORED */
};

/* Counts of one kind of finding. */
struct report_counts {
	size_t reported, filtered, ignored;
	size_t by_severity[SEV_COUNT];       /* reported only */
};

struct report_finding {
	const struct vuln_match *m;
	const struct package *pkg;
	enum finding_state state;
	const struct ignore_entry *ignore;   /* FINDING_IGNORED */
	const struct vex_statement *vex;     /* the deciding statement, also when it does not suppress */
	const char *purl;                    /* the package's purl */
	const char *url;                     /* where the vulnerability is described */
};

/* The database the matches came from, for the report's provenance. */
struct report_db_source {
	const char *name, *snapshot, *imported_at;
};
struct report_db {
	const char *path;
	const struct report_db_source *sources;
	size_t nsources;
};

struct vuln_report {
	const struct artifact *a;
	const struct match_result *mr;      /* never NULL (empty when no vulnerability scan ran) */
	bool vulns_scanned;                 /* report_build got a match result */
	const struct report_db *db;         /* may be NULL */
	const struct ignore_list *ignores;  /* for messages */
	struct report_finding *f;           /* every match, in match order */
	size_t n;
	struct report_item *items;          /* every finding of a->findings, in its order */
	size_t nitems;
	/* Every kind together: `reported` is what --exit-code gates on. */
	size_t reported, filtered, ignored, vexed;
	size_t by_severity[SEV_COUNT];      /* reported findings only */
	/* The same per kind: vulnerabilities, and a->findings per finding_kind. */
	struct report_counts vulns;
	struct report_counts kinds[FINDING_KIND_COUNT];
	/* Bit per finding kind the table has a section for: the policy's
	 * finding_kinds (scanned) and every kind with a finding. */
	unsigned finding_kinds;
	size_t vulnerable_pkgs;             /* packages with a reported vulnerability */
	char **warnings;                    /* matching warnings, then expired ignore entries */
	size_t nwarnings;
	struct arena arena;
};

/* Applies the policy to every match and to the artifact's findings
 * (a->findings: secrets, malware, misconfigurations). mr == NULL when no
 * vulnerability scan ran (findings only).  The report points into a, mr, db and
 * the policy's lists, which must outlive it. */
int report_build(const struct artifact *a, const struct match_result *mr, const struct report_db *db,
		 const struct report_policy *p, struct vuln_report *out, struct berr *e);
void report_free(struct vuln_report *r);

enum report_format {
	REPORT_TABLE,
	REPORT_JSON,
	REPORT_SARIF,
	REPORT_CYCLONEDX,
	REPORT_FORMAT_COUNT
};
int report_format_parse(const char *name, enum report_format *out);
const char *report_format_names(void); /* "table, json, sarif, cyclonedx" */

/* Writes the report; o fixes the CycloneDX timestamp and serial number for
 * reproducible output (NULL = now, random). BOSUN_EIO when out fails. */
int report_write(const struct vuln_report *r, enum report_format f, const struct sbom_options *o, FILE *out,
		 struct berr *e);

/* ---- for the writers ------------------------------------------------------- */
#ifdef REPORT_WRITER_INTERNAL
int report_write_table(const struct vuln_report *r, FILE *out, struct berr *e);
int report_write_json(const struct vuln_report *r, const struct sbom_options *o, FILE *out, struct berr *e);
int report_write_sarif(const struct vuln_report *r, FILE *out, struct berr *e);
int report_write_cyclonedx(const struct vuln_report *r, const struct sbom_options *o, FILE *out, struct berr *e);
/* The table's sections for secrets, malware and misconfigurations (after
 * the vulnerabilities); ar holds the cleaned cells. */
int report_write_findings_table(const struct vuln_report *r, struct arena *ar, FILE *out);
/* Width of a cleaned cell in terminal columns (UTF-8 code points). */
size_t report_text_width(const char *s);

/* Lower-case severity name for CycloneDX and prose ("critical"). */
const char *report_severity_lower(enum vuln_severity s);
/* The layer that introduced the finding's package, or NULL. */
const struct layer_info *report_pkg_layer(const struct vuln_report *r, const struct package *p);
/* The layer a secret/malware/misconfiguration finding was found in, or NULL. */
const struct layer_info *report_item_layer(const struct vuln_report *r, const struct finding *f);
/* "secrets", "malware", "misconfigurations": JSON keys and section names. */
const char *report_kind_plural(enum finding_kind k);
/* "Secrets", "Malware", "Misconfigurations": table section titles. */
const char *report_kind_title(enum finding_kind k);
/* Printable form of untrusted text for a terminal: controls and invalid
 * UTF-8 become '?', at most max display characters ("..." when cut). */
char *report_clean(struct arena *ar, const char *s, size_t max);
/* "YYYY-MM-DD..." dates from feeds as RFC 3339 date-times, NULL when the
 * text is no date (formats that validate date-time need it). */
char *report_datetime(struct arena *ar, const char *s);
#endif

#endif
