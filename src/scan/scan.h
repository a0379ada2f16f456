/* The engine entry point: a target in, an artifact out. The CLI and (later)
 * the server both call this; nothing here prints except warnings. */
#ifndef BOSUN_SCAN_SCAN_H
#define BOSUN_SCAN_SCAN_H

#include "image/content_scan.h"
#include "image/image.h"
#include "sbom/artifact.h"

struct scan_options {
	struct image_options image;
	int jobs;           /* layers analysed at once; 0 = number of CPUs */
	bool progress;      /* progress lines on stderr (only shown on a TTY) */
	/* Content scanners (secrets, malware): every regular file of every
	 * layer, in the same walk; findings go to a->findings. */
	const struct content_scanner *scanners;
	size_t nscanners;
	/* Checks of the target as a whole (image config, history, file modes),
	 * run after the analyzers while the merged view is still there. */
	int (*post_scan)(void *ctx, const struct scan_view *v, struct artifact *a, struct berr *e);
	void *post_ctx;
};

void scan_options_default(struct scan_options *o);

/* Opens the target, walks and merges its layers (with the content
 * scanners), runs the analyzers and post_scan, and finishes the artifact
 * (sorted packages and findings, purls). */
int scan_target(const char *target, const struct scan_options *opt, struct artifact *a, struct berr *e);

#endif
