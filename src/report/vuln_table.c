/* --format table: a header, a summary line of counts by severity, then the
 * reported vulnerabilities grouped by package (name and installed version
 * on the group's first row only), then sections for secrets, malware and
 * misconfigurations (findings_table.c). Without a vulnerability scan only
 * the header and those sections. Every cell is cleaned: package fields
 * come from the image and advisory text from feeds, and a terminal must
 * not interpret either. */
#define SBOM_WRITER_INTERNAL
#define REPORT_WRITER_INTERNAL
#include "report/report.h"

#include <errno.h>
#include <string.h>

enum { C_PKG, C_INSTALLED, C_ID, C_SEV, C_STATUS, C_FIXED, C_TITLE, NCOLS };

static const char *const headers[NCOLS] = { "PACKAGE", "INSTALLED", "VULNERABILITY", "SEVERITY",
					    "STATUS",  "FIXED IN",  "TITLE" };

#define TITLE_MAX 60

struct row {
	const char *cell[NCOLS];
};

size_t report_text_width(const char *s)
{
	size_t w = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		w += (*p & 0xc0) != 0x80;
	return w;
}

static const char *or_dash(const char *s)
{
	return s && s[0] ? s : "-";
}

static int make_row(struct arena *ar, const struct report_finding *f, bool first, struct row *r)
{
	const struct vuln_match *m = f->m;
	const char *title = m->title ? m->title : m->description;
	const char *kev_title = m->kev ? arena_printf(ar, "[KEV] %s", title ? title : "") : title;
	const char *raw[NCOLS] = {
		first ? f->pkg->name : "",
		first ? f->pkg->version : "",
		m->id,
		vuln_severity_name(m->severity),
		affect_status_name(m->status),
		or_dash(m->fixed),
		or_dash(kev_title),
	};
	for (int i = 0; i < NCOLS; i++)
		if (!(r->cell[i] = report_clean(ar, raw[i] ? raw[i] : "", i == C_TITLE ? TITLE_MAX : 80)))
			return BOSUN_ENOMEM;
	return BOSUN_OK;
}

static void print_cells(FILE *out, const char *const cell[NCOLS], const size_t width[NCOLS])
{
	for (int i = 0; i < NCOLS; i++) {
		fputs(cell[i], out);
		if (i + 1 < NCOLS)
			fprintf(out, "%*s", (int)(width[i] - report_text_width(cell[i]) + 2), "");
	}
	fputc('\n', out);
}

static void print_header(struct arena *ar, const struct vuln_report *r, FILE *out)
{
	const struct artifact *a = r->a;
	const char *name = a->name && a->name[0] ? a->name : a->target;
	fprintf(out, "Target:    %s", report_clean(ar, or_dash(name), 200));
	if (a->target_kind)
		fprintf(out, " (%s)", report_clean(ar, a->target_kind, 40));
	fputc('\n', out);
	if (a->os.found)
		fprintf(out, "OS:        %s %s\n", report_clean(ar, or_dash(a->os.id), 40),
			report_clean(ar, or_dash(a->os.version_id), 40));
	else if (r->vulns_scanned) /* a config scan has no OS to speak of */
		fputs("OS:        unknown\n", out);
	if (r->db) {
		fprintf(out, "Database:  %s", report_clean(ar, or_dash(r->db->path), 200));
		for (size_t i = 0; i < r->db->nsources; i++)
			fprintf(out, "%s%s %.10s", i ? ", " : " (", report_clean(ar, r->db->sources[i].name, 40),
				report_clean(ar, or_dash(r->db->sources[i].snapshot), 40)); /* the date */
		fputs(r->db->nsources ? ")\n" : "\n", out);
	}
	if (!r->vulns_scanned) { /* secrets, malware, misconfigurations only */
		if (r->nwarnings)
			fprintf(out, "Warnings:  %zu (printed on stderr)\n", r->nwarnings);
		return;
	}
	/* the vulnerabilities' own counts: the findings' are in their sections */
	const struct report_counts *v = &r->vulns;
	fprintf(out, "Packages:  %zu, %zu with vulnerabilities\n\n", a->npkgs, r->vulnerable_pkgs);
	fprintf(out, "Total: %zu (CRITICAL: %zu, HIGH: %zu, MEDIUM: %zu, LOW: %zu, NEGLIGIBLE: %zu, UNKNOWN: %zu)\n",
		v->reported, v->by_severity[SEV_CRITICAL], v->by_severity[SEV_HIGH], v->by_severity[SEV_MEDIUM],
		v->by_severity[SEV_LOW], v->by_severity[SEV_NEGLIGIBLE], v->by_severity[SEV_UNKNOWN]);
	if (v->ignored || r->vexed || v->filtered)
		fprintf(out, "Not shown: %zu ignored by the ignore file, %zu not affected or fixed per VEX, %zu filtered "
			"by severity or status\n", v->ignored, r->vexed, v->filtered);
	if (r->nwarnings)
		fprintf(out, "Warnings:  %zu (printed on stderr)\n", r->nwarnings);
	fputc('\n', out);
}

static int print_rows(struct arena *ar, const struct vuln_report *r, FILE *out)
{
	if (!r->vulns_scanned)
		return BOSUN_OK;
	if (r->vulns.reported == 0) {
		fputs("No vulnerabilities found.\n", out);
		return BOSUN_OK;
	}
	struct row *rows = arena_alloc(ar, r->vulns.reported * sizeof *rows);
	if (!rows)
		return BOSUN_ENOMEM;
	size_t width[NCOLS], n = 0;
	for (int i = 0; i < NCOLS; i++)
		width[i] = strlen(headers[i]);
	size_t last_pkg = (size_t)-1;
	for (size_t i = 0; i < r->n; i++) {
		const struct report_finding *f = &r->f[i];
		if (f->state != FINDING_REPORTED)
			continue;
		TRY(make_row(ar, f, f->m->pkg != last_pkg, &rows[n]));
		last_pkg = f->m->pkg;
		for (int c = 0; c < NCOLS; c++) {
			size_t w = report_text_width(rows[n].cell[c]);
			width[c] = w > width[c] ? w : width[c];
		}
		n++;
	}
	print_cells(out, headers, width);
	for (size_t i = 0; i < n; i++)
		print_cells(out, rows[i].cell, width);
	return BOSUN_OK;
}

int report_write_table(const struct vuln_report *r, FILE *out, struct berr *e)
{
	struct arena ar = { 0 };
	errno = 0;
	print_header(&ar, r, out);
	int rc = print_rows(&ar, r, out);
	if (rc == BOSUN_OK)
		rc = report_write_findings_table(r, &ar, out);
	arena_free(&ar);
	if (rc != BOSUN_OK)
		return berr_set(e, rc, "building table: %s", bosun_strerror(rc));
	if (fflush(out) != 0 || ferror(out))
		return berr_set(e, BOSUN_EIO, "writing output: %s", errno ? strerror(errno) : "failed");
	return BOSUN_OK;
}
