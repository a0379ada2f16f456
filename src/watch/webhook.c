/* Webhook worker: a ring of JSON bodies, one thread, libcurl. */
#include "watch/webhook.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "util/log.h"

struct webhook {
	char *url;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	char *ring[WEBHOOK_QUEUE_MAX];
	size_t head, count;
	bool stopping;          /* no more posts; drain until the deadline */
	struct timespec deadline;
	bool busy;              /* a request is in flight */
	struct webhook_stats stats;
};

static size_t discard(char *p, size_t size, size_t n, void *ud)
{
	(void)p;
	(void)ud;
	return size * n;
}

static bool past(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	return now.tv_sec > t->tv_sec || (now.tv_sec == t->tv_sec && now.tv_nsec >= t->tv_nsec);
}

static bool give_up(struct webhook *w)
{
	pthread_mutex_lock(&w->lock);
	bool g = w->stopping && past(&w->deadline);
	pthread_mutex_unlock(&w->lock);
	return g;
}

/* Aborts a transfer still running when the shutdown deadline passes. */
static int progress(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	return give_up(ud) ? 1 : 0;
}

/* true when delivered */
static bool post_one(struct webhook *w, CURL *c, const char *body)
{
	struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: application/json");
	curl_easy_setopt(c, CURLOPT_URL, w->url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)WEBHOOK_TIMEOUT_MS);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)WEBHOOK_CONNECT_TIMEOUT_MS);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "bosun-watch");
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, progress);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, w);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	bool ok = false;
	for (int attempt = 0; attempt < WEBHOOK_ATTEMPTS && !ok && !give_up(w); attempt++) {
		if (attempt) {
			/* 250 ms, 500 ms: short, the queue behind us is waiting */
			struct timespec ts = { 0, 250000000L << (attempt - 1) };
			nanosleep(&ts, NULL);
		}
		CURLcode rc = curl_easy_perform(c);
		long status = 0;
		if (rc == CURLE_OK)
			curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
		if (rc == CURLE_OK && status >= 200 && status < 300) {
			ok = true;
		} else if (rc == CURLE_OK && status < 500) {
			log_warn("watch: webhook %s answered HTTP %ld; finding not delivered", w->url, status);
			break; /* a 4xx will not get better by asking again */
		} else if (attempt == WEBHOOK_ATTEMPTS - 1) {
			if (rc != CURLE_OK)
				log_warn("watch: webhook %s: %s; finding not delivered", w->url, curl_easy_strerror(rc));
			else
				log_warn("watch: webhook %s answered HTTP %ld; finding not delivered", w->url, status);
		}
	}
	curl_slist_free_all(hdr);
	return ok;
}

static void *worker(void *arg)
{
	struct webhook *w = arg;
	CURL *c = curl_easy_init();
	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (!w->count && !w->stopping)
			pthread_cond_wait(&w->cond, &w->lock);
		if (!w->count || (w->stopping && past(&w->deadline)))
			break;
		char *body = w->ring[w->head];
		w->head = (w->head + 1) % WEBHOOK_QUEUE_MAX;
		w->count--;
		w->busy = true;
		pthread_mutex_unlock(&w->lock);
		bool ok = c && post_one(w, c, body);
		free(body);
		pthread_mutex_lock(&w->lock);
		w->busy = false;
		if (ok)
			w->stats.sent++;
		else
			w->stats.failed++;
	}
	pthread_mutex_unlock(&w->lock);
	if (c)
		curl_easy_cleanup(c);
	return NULL;
}

int webhook_start(const char *url, struct webhook **out, struct berr *e)
{
	*out = NULL;
	if (strncasecmp(url, "http://", 7) != 0 && strncasecmp(url, "https://", 8) != 0)
		return berr_set(e, BOSUN_EUSAGE, "--webhook %s: want an http:// or https:// URL", url);
	struct webhook *w = calloc(1, sizeof *w);
	if (!w || !(w->url = strdup(url))) {
		free(w);
		return berr_set(e, BOSUN_ENOMEM, "webhook: out of memory");
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	if (pthread_create(&w->thread, NULL, worker, w) != 0) {
		free(w->url);
		free(w);
		return berr_set(e, BOSUN_ENOMEM, "webhook: cannot start a thread");
	}
	*out = w;
	return BOSUN_OK;
}

void webhook_post(struct webhook *w, const char *body)
{
	char *copy = strdup(body);
	pthread_mutex_lock(&w->lock);
	if (!copy || w->count == WEBHOOK_QUEUE_MAX || w->stopping) {
		w->stats.dropped++;
		free(copy);
	} else {
		w->ring[(w->head + w->count) % WEBHOOK_QUEUE_MAX] = copy;
		w->count++;
		pthread_cond_signal(&w->cond);
	}
	pthread_mutex_unlock(&w->lock);
}

void webhook_stop(struct webhook *w, unsigned drain_ms, struct webhook_stats *stats)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->stopping = true;
	clock_gettime(CLOCK_REALTIME, &w->deadline);
	w->deadline.tv_sec += drain_ms / 1000;
	w->deadline.tv_nsec += (long)(drain_ms % 1000) * 1000000L;
	if (w->deadline.tv_nsec >= 1000000000L) {
		w->deadline.tv_sec++;
		w->deadline.tv_nsec -= 1000000000L;
	}
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	/* The request in flight is bounded by WEBHOOK_TIMEOUT_MS x attempts. */
	pthread_join(w->thread, NULL);
	while (w->count) { /* left over after the deadline */
		free(w->ring[w->head]);
		w->head = (w->head + 1) % WEBHOOK_QUEUE_MAX;
		w->count--;
		w->stats.dropped++;
	}
	if (stats)
		*stats = w->stats;
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->cond);
	free(w->url);
	free(w);
}
