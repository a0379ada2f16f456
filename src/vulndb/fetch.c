/* Downloads with libcurl's easy interface: one handle per download, one
 * attempt per curl_easy_perform, our own retry loop around it (libcurl's
 * own retry is the command-line tool's, not the library's). */
#include "vulndb/fetch.h"
#include "util/log.h"
#include "util/sha256.h"
#include "util/version.h"
#include "vulndb/safedir.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define MAX_BACKOFF_MS 60000L

const struct fetch_opts fetch_default_opts = {
	.retries = 3,
	.backoff_ms = 1000,
	.max_bytes = (uint64_t)1 << 30,
	.connect_timeout_s = 30,
	.stall_timeout_s = 60,
};

int fetch_init(struct berr *e)
{
	CURLcode c = curl_global_init(CURL_GLOBAL_DEFAULT);
	return c == CURLE_OK ? BOSUN_OK : berr_set(e, BOSUN_EIO, "libcurl: %s", curl_easy_strerror(c));
}

void fetch_cleanup(void)
{
	curl_global_cleanup();
}

/* ---- one transfer ---------------------------------------------------------- */

struct xfer {
	int fd;
	const char *dest;
	struct sha256 h;
	bool hashing;
	uint64_t bytes, max;
	bool too_big;
	int write_errno;
	struct fetch_validators v;
	long retry_after_s;
};

static size_t on_body(char *p, size_t size, size_t nmemb, void *ctx)
{
	struct xfer *x = ctx;
	size_t n = size * nmemb;
	if (n > x->max - x->bytes) {
		x->too_big = true;
		return 0;
	}
	if (safedir_write_all(x->fd, p, n, x->dest, NULL) != BOSUN_OK) {
		x->write_errno = errno ? errno : EIO;
		return 0;
	}
	sha256_update(&x->h, p, n);
	x->bytes += n;
	return n;
}

/* Copies a header's value (trimmed) when it fits; a validator cut short
 * would never match, so an overlong one is dropped. */
static void header_value(const char *p, size_t n, size_t name_len, char *out, size_t cap)
{
	size_t i = name_len;
	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	while (n > i && (p[n - 1] == '\r' || p[n - 1] == '\n' || p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	if (n - i < cap) {
		memcpy(out, p + i, n - i);
		out[n - i] = '\0';
	}
}

static size_t on_header(char *p, size_t size, size_t nmemb, void *ctx)
{
	struct xfer *x = ctx;
	size_t n = size * nmemb;
	/* A new status line starts a new response (after a redirect or a 100):
	 * only the last one's headers count. */
	if (n >= 5 && !strncmp(p, "HTTP/", 5)) {
		memset(&x->v, 0, sizeof x->v);
		x->retry_after_s = 0;
	} else if (n > 5 && !strncasecmp(p, "ETag:", 5)) {
		header_value(p, n, 5, x->v.etag, sizeof x->v.etag);
	} else if (n > 14 && !strncasecmp(p, "Last-Modified:", 14)) {
		header_value(p, n, 14, x->v.last_modified, sizeof x->v.last_modified);
	} else if (n > 12 && !strncasecmp(p, "Retry-After:", 12)) {
		char v[32] = "";
		header_value(p, n, 12, v, sizeof v);
		x->retry_after_s = strtol(v, NULL, 10); /* the HTTP-date form is rare: then we use our own backoff */
	}
	return n;
}

/* Starts the body over: a retry rewrites the file from the beginning. */
static int restart(struct xfer *x, struct berr *e)
{
	if (x->hashing)
		sha256_free(&x->h);
	x->hashing = false;
	if (ftruncate(x->fd, 0) != 0 || lseek(x->fd, 0, SEEK_SET) != 0)
		return berr_set(e, BOSUN_EIO, "%s: %s", x->dest, strerror(errno));
	if (sha256_init(&x->h) != BOSUN_OK)
		return berr_set(e, BOSUN_ENOMEM, "out of memory");
	x->hashing = true;
	x->bytes = 0;
	x->too_big = false;
	x->write_errno = 0;
	return BOSUN_OK;
}

static struct curl_slist *conditional_headers(const struct fetch_validators *cond, bool *oom)
{
	struct curl_slist *l = NULL, *t;
	char line[512];
	*oom = false;
	if (cond && cond->etag[0]) {
		snprintf(line, sizeof line, "If-None-Match: %s", cond->etag);
		if (!(t = curl_slist_append(l, line)))
			*oom = true;
		else
			l = t;
	}
	if (cond && cond->last_modified[0] && !*oom) {
		snprintf(line, sizeof line, "If-Modified-Since: %s", cond->last_modified);
		if (!(t = curl_slist_append(l, line)))
			*oom = true;
		else
			l = t;
	}
	return l;
}

static void setup(CURL *h, const char *url, const struct fetch_opts *o, struct xfer *x, struct curl_slist *hdrs,
		  char *errbuf)
{
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "bosun/" BOSUN_VERSION " (vulnerability database update)");
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, ""); /* gzip/deflate/br as built; limits apply after decoding */
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, o->connect_timeout_s);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1024L);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, o->stall_timeout_s);
	curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)(o->max_bytes > INT64_MAX ? INT64_MAX : o->max_bytes));
	curl_easy_setopt(h, CURLOPT_FILETIME, 1L);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
}

/* ---- the retry loop -------------------------------------------------------- */

/* Failures that another attempt may cure: the network and the server's
 * temporary troubles, never our limits, our disk or a bad URL. */
static bool transient(CURLcode c)
{
	switch (c) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_PARTIAL_FILE:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_BAD_CONTENT_ENCODING:
		return true;
	default:
		return false;
	}
}

enum verdict { V_DONE, V_RETRY, V_FAIL };

/* Judges one attempt; on V_RETRY/V_FAIL, e says why. */
static enum verdict judge(CURL *h, CURLcode c, const struct xfer *x, const struct fetch_validators *cond,
			  const char *url, const char *errbuf, long *status, struct berr *e)
{
	*status = 0;
	if (x->too_big || c == CURLE_FILESIZE_EXCEEDED) {
		berr_set(e, BOSUN_ELIMIT, "%s: larger than the limit of %llu bytes", url, (unsigned long long)x->max);
		return V_FAIL;
	}
	if (x->write_errno) {
		berr_set(e, BOSUN_EIO, "cannot write %s: %s", x->dest, strerror(x->write_errno));
		return V_FAIL;
	}
	if (c != CURLE_OK) {
		berr_set(e, BOSUN_EIO, "%s: %s", url, errbuf[0] ? errbuf : curl_easy_strerror(c));
		return transient(c) ? V_RETRY : V_FAIL;
	}
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
	if (*status == 200 || (*status == 304 && cond))
		return V_DONE;
	if (*status == 404 || *status == 410) {
		berr_set(e, BOSUN_ENOTFOUND, "%s: HTTP %ld (not found)", url, *status);
		return V_FAIL;
	}
	berr_set(e, BOSUN_EIO, "%s: HTTP %ld%s", url, *status, *status == 304 ? " to an unconditional request" : "");
	return *status >= 500 || *status == 429 || *status == 408 ? V_RETRY : V_FAIL;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static long next_wait(const struct fetch_opts *o, int attempt, long retry_after_s)
{
	long wait = o->backoff_ms;
	for (int i = 1; i < attempt && wait < MAX_BACKOFF_MS; i++)
		wait *= 2;
	if (retry_after_s > 0 && retry_after_s * 1000 > wait)
		wait = retry_after_s * 1000;
	return wait > MAX_BACKOFF_MS ? MAX_BACKOFF_MS : wait;
}

static int perform(CURL *h, const char *url, const struct fetch_validators *cond, const struct fetch_opts *o,
		   const char *what, struct xfer *x, char *errbuf, struct fetch_result *r, struct berr *e)
{
	for (r->attempts = 1;; r->attempts++) {
		TRY(restart(x, e));
		errbuf[0] = '\0';
		CURLcode c = curl_easy_perform(h);
		struct berr why = { 0 };
		enum verdict v = judge(h, c, x, cond, url, errbuf, &r->status, &why);
		if (v == V_DONE)
			return BOSUN_OK;
		if (v == V_FAIL || r->attempts > o->retries) {
			if (r->attempts > 1)
				return berr_set(e, why.code, "%s (%d attempts)", why.msg, r->attempts);
			return berr_set(e, why.code, "%s", why.msg);
		}
		long wait = next_wait(o, r->attempts, x->retry_after_s);
		log_warn("%s: attempt %d of %d failed: %s; retrying in %.1f s", what, r->attempts, o->retries + 1,
			 why.msg, (double)wait / 1000);
		sleep_ms(wait);
	}
}

int fetch_url(const char *url, const struct fetch_validators *cond, const char *dest, const struct fetch_opts *o,
	      const char *what, struct fetch_result *r, struct berr *e)
{
	memset(r, 0, sizeof *r);
	r->filetime = -1;
	struct xfer x = { .dest = dest, .max = o->max_bytes };
	x.fd = open(dest, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (x.fd < 0)
		return berr_set(e, BOSUN_EIO, "cannot create %s: %s", dest, strerror(errno));
	bool oom;
	struct curl_slist *hdrs = conditional_headers(cond, &oom);
	CURL *h = oom ? NULL : curl_easy_init();
	char errbuf[CURL_ERROR_SIZE];
	int rc = h ? BOSUN_OK : berr_set(e, BOSUN_ENOMEM, "libcurl: cannot create a handle");
	if (!rc) {
		setup(h, url, o, &x, hdrs, errbuf);
		rc = perform(h, url, cond, o, what, &x, errbuf, r, e);
	}
	if (!rc) {
		curl_off_t ft = -1;
		if (curl_easy_getinfo(h, CURLINFO_FILETIME_T, &ft) == CURLE_OK && ft >= 0)
			r->filetime = (int64_t)ft;
		r->v = x.v;
		r->bytes = x.bytes;
		sha256_final_digest(&x.h, r->sha256);
		x.hashing = false;
	}
	if (x.hashing)
		sha256_free(&x.h);
	if (close(x.fd) != 0 && !rc)
		rc = berr_set(e, BOSUN_EIO, "cannot write %s: %s", dest, strerror(errno));
	curl_easy_cleanup(h);
	curl_slist_free_all(hdrs);
	return rc;
}
