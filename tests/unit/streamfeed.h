/* Drives an analyzer's streaming hooks over a file held in memory, in
 * pieces of a chosen size, as the layer walk would (test_gobinary.c,
 * test_rust.c). */
#ifndef BOSUN_TEST_STREAMFEED_H
#define BOSUN_TEST_STREAMFEED_H

#include "testutil.h"

#include "analyze/analyzer.h"
#include "sbom/artifact.h"

/* Feeds data[0..len) from offset 0 in pieces of `piece` bytes (0 = all at
 * once) and appends what the analyzer found to a. Returns what
 * stream_end() returned; *taken says whether stream_begin() took it. */
static inline int stream_feed(const struct analyzer *an, const char *path, uint32_t mode, const unsigned char *data,
			      size_t len, size_t piece, struct artifact *a, bool *taken)
{
	struct stream_file sf = { path, len, mode, 0 };
	*taken = false;
	if (an->stream_wants && !an->stream_wants(&sf))
		return 0;
	size_t hl = len < STREAM_HEAD_BYTES ? len : STREAM_HEAD_BYTES;
	void *st = an->stream_begin(&sf, data, hl);
	if (!st)
		return 0;
	*taken = true;
	if (piece == 0)
		piece = len ? len : 1;
	size_t off = 0;
	bool stopped = false;
	while (off < len) {
		size_t n = len - off < piece ? len - off : piece;
		int rc = an->stream_data(st, data + off, n);
		off += n;
		if (rc == STREAM_DONE) {
			stopped = true;
			break;
		}
		assert_int_equal(rc, 0);
	}
	struct berr e = { 0 };
	return an->stream_end(st, !stopped, a, &e);
}

/* "name@version" of every package of type t, sorted, one per line. */
static inline char *pkg_lines(const struct artifact *a, enum pkg_type t)
{
	size_t n = 0, cap = 1;
	for (size_t i = 0; i < a->npkgs; i++)
		if (a->pkgs[i].type == t)
			cap += strlen(a->pkgs[i].name) + strlen(a->pkgs[i].version ? a->pkgs[i].version : "") + 3;
	char **lines = calloc(a->npkgs + 1, sizeof *lines);
	for (size_t i = 0; i < a->npkgs; i++) {
		if (a->pkgs[i].type != t)
			continue;
		size_t m = strlen(a->pkgs[i].name) + strlen(a->pkgs[i].version ? a->pkgs[i].version : "") + 2;
		lines[n] = malloc(m);
		snprintf(lines[n++], m, "%s@%s", a->pkgs[i].name, a->pkgs[i].version ? a->pkgs[i].version : "");
	}
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && strcmp(lines[j - 1], lines[j]) > 0; j--) {
			char *x = lines[j];
			lines[j] = lines[j - 1];
			lines[j - 1] = x;
		}
	char *out = calloc(1, cap);
	for (size_t i = 0; i < n; i++) {
		strcat(out, lines[i]);
		strcat(out, "\n");
		free(lines[i]);
	}
	free(lines);
	return out;
}

/* The relationship of the package name@version (or NULL). */
static inline const char *pkg_rel(const struct artifact *a, const char *name, const char *version)
{
	for (size_t i = 0; i < a->npkgs; i++)
		if (strcmp(a->pkgs[i].name, name) == 0 && a->pkgs[i].version && strcmp(a->pkgs[i].version, version) == 0)
			return a->pkgs[i].relationship;
	return NULL;
}

#endif
