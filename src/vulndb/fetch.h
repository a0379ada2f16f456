/* One HTTP(S) download into a file, the way feed updates need it (libcurl):
 * conditional (If-None-Match / If-Modified-Since), retried with exponential
 * backoff on connection errors and 5xx/429, bounded in size and stall time,
 * hashed while it is written. Only http and https, also after redirects;
 * TLS peers are always verified; the usual proxy variables apply. */
#ifndef BOSUN_VULNDB_FETCH_H
#define BOSUN_VULNDB_FETCH_H

#include <stdbool.h>
#include <stdint.h>

#include "util/err.h"

struct fetch_opts {
	int retries;            /* attempts after the first one (0 = no retry) */
	long backoff_ms;        /* wait before the first retry; doubled each time, at most 60 s */
	uint64_t max_bytes;     /* body size limit (after content decoding) */
	long connect_timeout_s;
	long stall_timeout_s;   /* give up when under 1 KiB/s for this long */
};

/* 3 retries from 1 s, 1 GiB, 30 s to connect, 60 s of stall. */
extern const struct fetch_opts fetch_default_opts;

/* The cache validators of a response (empty strings when absent). */
struct fetch_validators {
	char etag[256];
	char last_modified[64];
};

struct fetch_result {
	long status;                  /* 200, or 304 when the conditional request matched */
	struct fetch_validators v;    /* of the response (on 304: the server's, maybe empty) */
	char sha256[72];              /* "sha256:<hex>" of the body written (200 only) */
	uint64_t bytes;               /* body size (200 only) */
	int64_t filetime;             /* Last-Modified in seconds, -1 when not given */
	int attempts;
};

/* Process-wide libcurl setup; call once before the first fetch and keep
 * the matching cleanup for the end (the CLI is single-threaded then). */
int fetch_init(struct berr *e);
void fetch_cleanup(void);

/* GETs url into the new file dest (truncated and rewritten on each retry).
 * With cond, sends its validators; a 304 then leaves dest empty. `what`
 * names the download in messages and warnings ("feed kev"). A 404 or 410 is
 * BOSUN_ENOTFOUND, a body over the limit BOSUN_ELIMIT, anything else that
 * still fails after the retries BOSUN_EIO. */
int fetch_url(const char *url, const struct fetch_validators *cond, const char *dest, const struct fetch_opts *o,
	      const char *what, struct fetch_result *r, struct berr *e);

#endif
