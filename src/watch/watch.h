/* `bosun watch`: real-time scanning of files as they are written on a host
 * (for example a Docker host's overlay upper directories). Events come from
 * notify.h, are debounced (debounce.h), and every file written is read once
 * and given to each engine; findings go out as JSON lines on the output
 * stream, flushed one by one, and to an optional webhook (webhook.h).
 * docs/watch.md has the output schema. */
#ifndef BOSUN_WATCH_WATCH_H
#define BOSUN_WATCH_WATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "finding/finding.h"
#include "util/err.h"
#include "watch/notify.h"

/* A scanning engine as watch sees it (malware, secret). */
struct watch_engine {
	const char *name;
	void *ctx;
	/* The whole file, at most watch_config.max_file_bytes. */
	int (*scan_buffer)(void *ctx, const char *path, const unsigned char *p, size_t n, struct finding_list *out,
			   struct berr *e);
	/* Larger files, streamed from an open descriptor; NULL = skip them. */
	int (*scan_fd)(void *ctx, int fd, const char *path, struct finding_list *out, struct berr *e);
};

#define WATCH_DEFAULT_MAX_FILE_BYTES (32ull << 20)
#define WATCH_DEFAULT_DEBOUNCE_MS 100
#define WATCH_MAX_DEBOUNCE_MS 1000  /* a file rewritten non-stop is scanned at least this often */
#define WATCH_PENDING_MAX 4096      /* debounced paths held at once */
#define WATCH_WEBHOOK_DRAIN_MS 3000 /* time given to queued webhook posts at exit */

struct watch_config {
	const char *const *roots; size_t nroots;       /* absolute, canonical directories */
	enum watch_backend backend;
	const char *const *excludes; size_t nexcludes; /* fnmatch globs on the path or its last component */
	const struct watch_engine *engines; size_t nengines;
	uint64_t max_file_bytes;                       /* 0 = default */
	unsigned debounce_ms;                          /* 0 = default */
	const char *webhook_url;                       /* NULL = none */
	FILE *out;                                     /* JSON lines */
	/* Also scan what is already there: after "ready" (the watches are in
	 * place by then, so nothing written meanwhile is missed) every root is
	 * walked once (sweep.h), interleaved with live events; its findings
	 * carry "initial":true and an "initial-scan-done" event ends it. */
	bool scan_existing;
};

/* The initial walk runs in slices of this many milliseconds (at least one
 * file each); between slices the loop reads signals and events. */
#define WATCH_SWEEP_SLICE_MS 20

/* Runs until SIGINT or SIGTERM (then BOSUN_OK after flushing pending scans,
 * the output and the webhook queue; a signal also cuts the initial walk
 * short, between two files). Errors before the "ready" event:
 * BOSUN_ELIMIT (inotify limits), BOSUN_EUNSUPPORTED (fanotify refused),
 * BOSUN_EIO (a root cannot be watched). */
int watch_run(const struct watch_config *c, struct berr *e);

/* JSON of one finding event (exposed for tests); caller frees. */
char *watch_finding_json(const struct finding *f, const char *engine);

#endif
