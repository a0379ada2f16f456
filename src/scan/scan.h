/* The engine entry point: a target in, an artifact out. The CLI and (later)
 * the server both call this; nothing here prints except warnings. */
#ifndef BOSUN_SCAN_SCAN_H
#define BOSUN_SCAN_SCAN_H

#include "image/image.h"
#include "sbom/artifact.h"

struct scan_options {
	struct image_options image;
	int jobs;           /* layers analysed at once; 0 = number of CPUs */
	bool progress;      /* progress lines on stderr (only shown on a TTY) */
};

void scan_options_default(struct scan_options *o);

/* Opens the target, walks and merges its layers, runs the analyzers and
 * finishes the artifact (sorted packages, purls). */
int scan_target(const char *target, const struct scan_options *opt, struct artifact *a, struct berr *e);

#endif
