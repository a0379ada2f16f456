/* Findings POSTed to a URL as JSON, one request per finding, from a worker
 * thread: the event loop only queues (bounded; when the queue is full the
 * finding is dropped and counted, never waited for). Each POST has a
 * connect and a total timeout and is retried a bounded number of times on
 * network errors and 5xx answers. */
#ifndef BOSUN_WATCH_WEBHOOK_H
#define BOSUN_WATCH_WEBHOOK_H

#include <stddef.h>

#include "util/err.h"

#define WEBHOOK_QUEUE_MAX 1024
#define WEBHOOK_ATTEMPTS 3
#define WEBHOOK_TIMEOUT_MS 5000
#define WEBHOOK_CONNECT_TIMEOUT_MS 2000

struct webhook;

struct webhook_stats {
	size_t sent, failed, dropped;
};

/* url must be http:// or https://. Starts the worker. */
int webhook_start(const char *url, struct webhook **out, struct berr *e);
/* Queues a copy of body (JSON text); never blocks on the network. */
void webhook_post(struct webhook *w, const char *body);
/* Sends what is queued for at most drain_ms, then stops the worker and
 * frees w; stats (may be NULL) gets the final counts. */
void webhook_stop(struct webhook *w, unsigned drain_ms, struct webhook_stats *stats);

#endif
