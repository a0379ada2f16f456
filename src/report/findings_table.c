/* The table's sections for secrets, malware and misconfigurations, after
 * the vulnerabilities: per kind a count line by severity (what gates), what
 * the policy left out, then one row per reported finding in the artifact's
 * order (path, line, layer). A kind has a section when its scanner ran
 * (report_policy.finding_kinds) or when it has findings.
 *
 * Everything here comes from scanned content (paths, matched text) or from
 * rules, so every cell goes through report_clean: a file name with an
 * escape sequence must not drive the terminal. */
#define SBOM_WRITER_INTERNAL
#define REPORT_WRITER_INTERNAL
#include "report/report.h"

#include <string.h>

enum { C_SEV, C_RULE, C_TITLE, C_WHERE, C_LAYER, C_DETAIL, NCOLS };

#define TITLE_MAX 50
#define WHERE_MAX 90
#define DETAIL_MAX 70

struct row {
	const char *cell[NCOLS];
};

/* "sha256:3f2a9c1b4e5d..." -> "3f2a9c1b4e5d" */
static const char *short_digest(struct arena *ar, const char *d)
{
	if (!d)
		return NULL;
	const char *colon = strchr(d, ':');
	return arena_printf(ar, "%.12s", colon ? colon + 1 : d);
}

/* "app/.env:3", "Dockerfile:4-6", "config.User", "deploy.yaml:12 (Deployment/prod/web)",
 * with " (deleted in a later layer)" when an upper layer removed the file. */
static const char *where(struct arena *ar, const struct finding *f)
{
	const char *place;
	if (f->path && f->line && f->end_line > f->line)
		place = arena_printf(ar, "%s:%u-%u", f->path, f->line, f->end_line);
	else if (f->path && f->line)
		place = arena_printf(ar, "%s:%u", f->path, f->line);
	else if (f->path)
		place = f->path;
	else if (f->location)
		place = f->location;
	else if (f->object)
		place = arena_printf(ar, "%s%s%s", f->ns ? f->ns : "", f->ns ? "/" : "", f->object);
	else
		place = "-";
	if (place && f->path && f->location)
		place = arena_printf(ar, "%s (%s)", place, f->location);
	if (place && f->deleted)
		place = arena_printf(ar, "%s (deleted in a later layer)", place);
	return place;
}

static const char *layer_cell(struct arena *ar, const struct vuln_report *r, const struct finding *f)
{
	const struct layer_info *l = report_item_layer(r, f);
	if (!l)
		return "-";
	const char *d = short_digest(ar, l->diff_id ? l->diff_id : l->digest);
	return d ? arena_printf(ar, "%d %s", f->layer, d) : arena_printf(ar, "%d", f->layer);
}

static int make_row(struct arena *ar, const struct vuln_report *r, const struct finding *f, struct row *row)
{
	/* secrets and malware: what matched; misconfigurations: what is wrong */
	const char *detail = f->kind == FINDING_KIND_MISCONFIG ? (f->message ? f->message : f->match)
							       : (f->match ? f->match : f->message);
	enum vuln_severity sev = (unsigned)f->severity < SEV_COUNT ? f->severity : SEV_UNKNOWN;
	const char *raw[NCOLS] = {
		vuln_severity_name(sev), f->rule_id ? f->rule_id : "-", f->title ? f->title : "-", where(ar, f),
		layer_cell(ar, r, f),	 detail ? detail : "-",
	};
	static const size_t max[NCOLS] = { 20, 80, TITLE_MAX, WHERE_MAX, 40, DETAIL_MAX };
	for (int i = 0; i < NCOLS; i++)
		if (!raw[i] || !(row->cell[i] = report_clean(ar, raw[i], max[i])))
			return BOSUN_ENOMEM;
	return BOSUN_OK;
}

/* The LAYER column is left out for targets without layers (directories,
 * manifests, Dockerfiles): it would only hold dashes. */
static void print_cells(FILE *out, const char *const cell[NCOLS], const size_t width[NCOLS], bool layers)
{
	for (int i = 0; i < NCOLS; i++) {
		if (i == C_LAYER && !layers)
			continue;
		fputs(cell[i], out);
		if (i + 1 < NCOLS)
			fprintf(out, "%*s", (int)(width[i] - report_text_width(cell[i]) + 2), "");
	}
	fputc('\n', out);
}

static int section(struct arena *ar, const struct vuln_report *r, enum finding_kind k, FILE *out)
{
	const struct report_counts *c = &r->kinds[k];
	fprintf(out, "\n%s: %zu (CRITICAL: %zu, HIGH: %zu, MEDIUM: %zu, LOW: %zu, NEGLIGIBLE: %zu, UNKNOWN: %zu)\n",
		report_kind_title(k), c->reported, c->by_severity[SEV_CRITICAL], c->by_severity[SEV_HIGH],
		c->by_severity[SEV_MEDIUM], c->by_severity[SEV_LOW], c->by_severity[SEV_NEGLIGIBLE],
		c->by_severity[SEV_UNKNOWN]);
	if (c->ignored || c->filtered)
		fprintf(out, "Not shown: %zu ignored by the ignore file, %zu filtered by severity\n", c->ignored,
			c->filtered);
	if (c->reported == 0) {
		fprintf(out, "No %s found.\n", report_kind_plural(k));
		return BOSUN_OK;
	}
	static const char *const headers[NCOLS] = { "SEVERITY", "RULE", "TITLE", "WHERE", "LAYER", "MATCH" };
	const char *hdr[NCOLS];
	memcpy(hdr, headers, sizeof hdr);
	if (k == FINDING_KIND_MISCONFIG)
		hdr[C_DETAIL] = "MESSAGE";
	struct row *rows = arena_alloc(ar, c->reported * sizeof *rows);
	if (!rows)
		return BOSUN_ENOMEM;
	size_t width[NCOLS], n = 0;
	for (int i = 0; i < NCOLS; i++)
		width[i] = strlen(hdr[i]);
	fputc('\n', out);
	/* Most severe first; within a severity, the artifact's order (path, line). */
	for (int sev = SEV_CRITICAL; sev >= SEV_UNKNOWN; sev--) {
		for (size_t i = 0; i < r->nitems && n < c->reported; i++) {
			const struct report_item *it = &r->items[i];
			if (it->state != FINDING_REPORTED || it->f->kind != k || (int)it->f->severity != sev)
				continue;
			TRY(make_row(ar, r, it->f, &rows[n]));
			for (int col = 0; col < NCOLS; col++) {
				size_t w = report_text_width(rows[n].cell[col]);
				width[col] = w > width[col] ? w : width[col];
			}
			n++;
		}
	}
	bool layers = r->a->nlayers > 0;
	print_cells(out, hdr, width, layers);
	for (size_t i = 0; i < n; i++)
		print_cells(out, rows[i].cell, width, layers);
	return BOSUN_OK;
}

int report_write_findings_table(const struct vuln_report *r, struct arena *ar, FILE *out)
{
	bool any = false;
	for (int k = 0; k < FINDING_KIND_COUNT; k++) {
		if (!(r->finding_kinds & (1u << k)))
			continue;
		TRY(section(ar, r, (enum finding_kind)k, out));
		any = true;
	}
	if (!r->vulns_scanned && !any) /* nothing else would be printed */
		fputs("No secrets, malware or misconfigurations found.\n", out);
	if (!any)
		return BOSUN_OK;
	/* what --exit-code gates on: every kind together */
	fprintf(out, "\nReported in all: %zu (", r->reported);
	const char *sep = "";
	if (r->vulns_scanned) {
		fprintf(out, "vulnerabilities: %zu", r->vulns.reported);
		sep = ", ";
	}
	for (int k = 0; k < FINDING_KIND_COUNT; k++) {
		if (!(r->finding_kinds & (1u << k)))
			continue;
		fprintf(out, "%s%s: %zu", sep, report_kind_plural((enum finding_kind)k), r->kinds[k].reported);
		sep = ", ";
	}
	fputs(")\n", out);
	return BOSUN_OK;
}
