/* The human-readable table (--format table): a few header lines, then one
 * row per package with columns as wide as their widest value. Package
 * fields come from the image, so anything a terminal could interpret
 * (control characters, C1 controls, invalid UTF-8) is printed as '?'. */
#define SBOM_WRITER_INTERNAL
#include "sbom/writer.h"

#include <errno.h>
#include <string.h>

enum { COL_NAME, COL_VERSION, COL_TYPE, COL_ARCH, COL_LAYER, NCOLS };

static const char *const headers[NCOLS] = { "NAME", "VERSION", "TYPE", "ARCH", "LAYER" };

/* Printable form of s: one output unit per input character. */
static int clean(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s);
	for (size_t i = 0; i < len;) {
		size_t n = sbom_utf8_seq(p + i, len - i);
		bool c0 = n == 1 && (p[i] < 0x20 || p[i] == 0x7f);
		bool c1 = n == 2 && p[i] == 0xc2 && p[i + 1] < 0xa0;
		if (n == 0 || c0 || c1) {
			TRY(buf_append(b, "?", 1));
			i += n ? n : 1;
			continue;
		}
		TRY(buf_append(b, p + i, n));
		i += n;
	}
	return BOSUN_OK;
}

/* Terminal columns taken by clean UTF-8 text: one per code point. Wide
 * (CJK) characters would need wcwidth(); package fields are ASCII in
 * practice. */
static size_t display_width(const char *s)
{
	size_t w = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		w += (*p & 0xc0) != 0x80;
	return w;
}

struct row {
	char *cell[NCOLS];
};

static int make_row(const struct sbom_ctx *c, const struct package *p, struct row *r)
{
	char layer[24] = "-";
	if (sbom_pkg_layer(c, p))
		snprintf(layer, sizeof layer, "%d", p->layer);
	const char *raw[NCOLS] = {
		p->name ? p->name : "",
		p->version ? p->version : "",
		pkg_type_name(p->type),
		p->arch && p->arch[0] ? p->arch : "-",
		layer,
	};
	for (int i = 0; i < NCOLS; i++) {
		struct buf b = { 0 };
		int rc = clean(&b, raw[i]);
		r->cell[i] = rc == BOSUN_OK ? arena_strndup(c->ar, b.data ? b.data : "", b.len) : NULL;
		buf_free(&b);
		if (!r->cell[i])
			return BOSUN_ENOMEM;
	}
	return BOSUN_OK;
}

/* A header value, cleaned; "-" when absent. */
static const char *header_value(const struct sbom_ctx *c, const char *s)
{
	if (!s || !s[0])
		return "-";
	struct buf b = { 0 };
	const char *out = clean(&b, s) == BOSUN_OK ? arena_strndup(c->ar, b.data ? b.data : "", b.len) : NULL;
	buf_free(&b);
	return out ? out : "?";
}

static void print_header(const struct sbom_ctx *c, FILE *out)
{
	const struct artifact *a = c->a;
	fprintf(out, "Target:    %s", header_value(c, sbom_target_name(c)));
	if (a->target_kind)
		fprintf(out, " (%s)", header_value(c, a->target_kind));
	fputc('\n', out);
	if (c->is_image) {
		fprintf(out, "Image ID:  %s\n", header_value(c, a->image_id));
		fprintf(out, "Layers:    %zu\n", a->nlayers);
	}
	if (a->os.found) {
		fprintf(out, "OS:        %s %s", header_value(c, a->os.id), header_value(c, a->os.version_id));
		if (a->os.pretty_name)
			fprintf(out, " (%s)", header_value(c, a->os.pretty_name));
		fputc('\n', out);
	} else {
		fprintf(out, "OS:        unknown\n");
	}
	fprintf(out, "Packages:  %zu\n", a->npkgs);
	if (a->nwarnings)
		fprintf(out, "Warnings:  %zu (printed on stderr)\n", a->nwarnings);
	fputc('\n', out);
}

static void print_cells(FILE *out, const char *const cell[NCOLS], const size_t width[NCOLS])
{
	for (int i = 0; i < NCOLS; i++) {
		fputs(cell[i], out);
		if (i + 1 < NCOLS)
			fprintf(out, "%*s", (int)(width[i] - display_width(cell[i]) + 2), "");
	}
	fputc('\n', out);
}

static int print_rows(const struct sbom_ctx *c, FILE *out)
{
	const struct artifact *a = c->a;
	if (a->npkgs == 0) {
		fputs("No packages found.\n", out);
		return BOSUN_OK;
	}
	struct row *rows = arena_alloc(c->ar, a->npkgs * sizeof *rows);
	if (!rows)
		return BOSUN_ENOMEM;
	size_t width[NCOLS];
	for (int i = 0; i < NCOLS; i++)
		width[i] = strlen(headers[i]);
	for (size_t r = 0; r < a->npkgs; r++) {
		TRY(make_row(c, &a->pkgs[r], &rows[r]));
		for (int i = 0; i < NCOLS; i++) {
			size_t w = display_width(rows[r].cell[i]);
			width[i] = w > width[i] ? w : width[i];
		}
	}
	print_cells(out, headers, width);
	for (size_t r = 0; r < a->npkgs; r++)
		print_cells(out, (const char *const *)rows[r].cell, width);
	return BOSUN_OK;
}

int sbom_write_table(const struct sbom_ctx *c, FILE *out, struct berr *e)
{
	errno = 0;
	print_header(c, out);
	int rc = print_rows(c, out);
	if (rc != BOSUN_OK)
		return berr_set(e, rc, "building table: %s", bosun_strerror(rc));
	if (fflush(out) != 0 || ferror(out))
		return berr_set(e, BOSUN_EIO, "writing output: %s", errno ? strerror(errno) : "failed");
	return BOSUN_OK;
}
