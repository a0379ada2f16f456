/* Content scanners: engines that look for secrets or malware in file
 * contents. Unlike analyzers they see every regular file of every layer —
 * including files an upper layer deletes or replaces, which are still in
 * the image anyone can pull — and they report findings, not packages.
 *
 * They share the single layer walk with the analyzers: a file is read once
 * and its bytes go to every analyzer and scanner that took it. A scanner
 * that needs whole files (regex, YARA) buffers them itself, within its own
 * size limit. All hooks may be called from several threads at once (one per
 * layer being walked) with different states. */
#ifndef BOSUN_IMAGE_CONTENT_SCAN_H
#define BOSUN_IMAGE_CONTENT_SCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "analyze/analyzer.h" /* struct stream_file, STREAM_DONE, STREAM_HEAD_BYTES */
#include "finding/finding.h"
#include "util/err.h"

struct content_scanner {
	const char *name;   /* "secret", "malware" */
	void *ctx;          /* the engine; owned by whoever built the scanner */
	/* Cheap test on name, mode and size (no content); NULL = every file. */
	bool (*wants)(void *ctx, const struct stream_file *f);
	/* Takes the file (returns a state) or passes (NULL), seeing its first
	 * bytes (at most STREAM_HEAD_BYTES, fewer for smaller files). */
	void *(*begin)(void *ctx, const struct stream_file *f, const unsigned char *head, size_t headlen);
	/* The whole file from offset 0 in pieces; STREAM_DONE to stop early,
	 * another non-zero code fails the scan. */
	int (*data)(void *state, const unsigned char *p, size_t n);
	/* Called exactly once per state (complete == false when the file was
	 * cut short): appends findings to out, with path = f->path and
	 * layer = f->layer, and frees the state. */
	int (*end)(void *state, bool complete, struct finding_list *out, struct berr *e);
};

#endif
