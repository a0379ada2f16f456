/* The watch event loop: signals, notifications, debounce, scan, report. */
#include "watch/watch.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "util/log.h"
#include "watch/debounce.h"
#include "watch/sweep.h"
#include "watch/webhook.h"

struct watch {
	const struct watch_config *c;
	uint64_t max_file_bytes;
	struct debounce *pending;
	struct webhook *hook;
	size_t scanned, findings, overflow_scans;
	int out_err; /* errno of a failed write to the output, 0 = fine */
	/* --scan-existing: the walk in progress (NULL before and after) */
	struct sweep *sweep;
	bool initial;             /* the scan running now is the walk's */
	const char *sweep_state;  /* NULL (not asked), "running", "done", "interrupted" */
	size_t initial_scanned, initial_findings;
	uint64_t sweep_start_ms;
};

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* RFC 3339 UTC with milliseconds: 2025-05-01T12:34:56.789Z */
static void rfc3339_now(char *buf, size_t n)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	gmtime_r(&ts.tv_sec, &tm);
	size_t l = strftime(buf, n, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + l, n - l, ".%03dZ", (int)(ts.tv_nsec / 1000000) % 1000);
}

static json_t *event_new(const char *event)
{
	char t[40];
	rfc3339_now(t, sizeof t);
	json_t *o = json_object();
	json_object_set_new(o, "time", json_string(t));
	json_object_set_new(o, "event", json_string(event));
	return o;
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if none. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	if (c < 0x80)
		return 1;
	size_t len = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
	if (!len || len > n)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] > 0x9F) || (c == 0xF0 && s[1] < 0x90) ||
	    (c == 0xF4 && s[1] > 0x8F))
		return 0; /* overlong, surrogate, beyond U+10FFFF */
	return len;
}

/* File names are bytes, JSON strings are Unicode: a byte that is not part
 * of valid UTF-8 is written as the four characters \xNN, so the line stays
 * valid JSON and the name stays recognisable. */
static json_t *json_bytes_string(const char *v)
{
	json_t *j = json_string(v);
	if (j)
		return j;
	size_t n = strlen(v);
	char *out = malloc(4 * n + 1);
	if (!out)
		return NULL;
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		size_t l = utf8_len((const unsigned char *)v + i, n - i);
		if (l) {
			memcpy(out + o, v + i, l);
			o += l;
			i += l;
		} else {
			o += (size_t)sprintf(out + o, "\\x%02x", (unsigned char)v[i]);
			i++;
		}
	}
	out[o] = 0;
	j = json_string(out);
	free(out);
	return j;
}

static void set_str(json_t *o, const char *k, const char *v)
{
	if (v)
		json_object_set_new(o, k, json_bytes_string(v));
}

static json_t *finding_object(const struct finding *f, const char *engine)
{
	json_t *o = event_new("finding");
	set_str(o, "kind", finding_kind_name(f->kind));
	set_str(o, "rule", f->rule_id);
	set_str(o, "path", f->path);
	set_str(o, "severity", vuln_severity_name(f->severity));
	set_str(o, "title", f->title);
	set_str(o, "message", f->message);
	set_str(o, "match", f->match);
	set_str(o, "engine", engine);
	set_str(o, "category", f->category);
	if (f->line)
		json_object_set_new(o, "line", json_integer(f->line));
	set_str(o, "reference", f->reference);
	return o;
}

static char *finding_line(const struct finding *f, const char *engine, bool initial)
{
	json_t *o = finding_object(f, engine);
	if (initial)
		json_object_set_new(o, "initial", json_true());
	char *s = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(o);
	return s;
}

char *watch_finding_json(const struct finding *f, const char *engine)
{
	return finding_line(f, engine, false);
}

static void emit(struct watch *w, json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(o);
	if (!s)
		return;
	if (fprintf(w->c->out, "%s\n", s) < 0 || fflush(w->c->out) != 0)
		w->out_err = errno ? errno : EIO;
	free(s);
}

static void report(struct watch *w, const struct watch_engine *eng, const struct finding *f)
{
	/* malware names its engine in category ("yara", "hash") */
	const char *engine = f->kind == FINDING_KIND_MALWARE && f->category ? f->category : eng->name;
	char *s = finding_line(f, engine, w->initial);
	if (!s)
		return;
	w->findings++;
	if (w->initial)
		w->initial_findings++;
	if (fprintf(w->c->out, "%s\n", s) < 0 || fflush(w->c->out) != 0)
		w->out_err = errno ? errno : EIO;
	if (w->hook)
		webhook_post(w->hook, s);
	free(s);
}

/* Reads a whole file of at most max bytes; *big when it is larger. */
static int read_small(int fd, uint64_t max, unsigned char **out, size_t *len, bool *big)
{
	struct stat st;
	*out = NULL;
	*len = 0;
	*big = false;
	if (fstat(fd, &st) != 0)
		return BOSUN_EIO;
	if ((uint64_t)st.st_size > max) {
		*big = true;
		return BOSUN_OK;
	}
	size_t cap = (size_t)st.st_size + 1; /* +1 tells growth from EOF */
	unsigned char *p = malloc(cap);
	if (!p)
		return BOSUN_ENOMEM;
	size_t n = 0;
	while (n < cap) {
		ssize_t r = read(fd, p + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(p);
			return BOSUN_EIO;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n == cap) { /* still being written: scan what fstat promised */
		n--;
	}
	*out = p;
	*len = n;
	return BOSUN_OK;
}

/* Reads path once and gives it to every engine; false when it was not
 * scanned (gone, not a regular file, unreadable). */
static bool scan_file(struct watch *w, const char *path)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return false; /* gone again, or a symlink: nothing to read */
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return false;
	}
	unsigned char *data;
	size_t len;
	bool big;
	int rc = read_small(fd, w->max_file_bytes, &data, &len, &big);
	if (rc != BOSUN_OK) {
		log_warn("watch: %s: %s", path, rc == BOSUN_ENOMEM ? "out of memory" : strerror(errno));
		close(fd);
		return false;
	}
	w->scanned++;
	for (size_t i = 0; i < w->c->nengines; i++) {
		const struct watch_engine *eng = &w->c->engines[i];
		struct finding_list l;
		finding_list_init(&l);
		struct berr e = { 0 };
		int src = BOSUN_OK;
		if (!big)
			src = eng->scan_buffer(eng->ctx, path, data, len, &l, &e);
		else if (eng->scan_fd)
			src = eng->scan_fd(eng->ctx, fd, path, &l, &e);
		if (src != BOSUN_OK)
			log_warn("watch: %s scanner: %s", eng->name, e.msg);
		finding_list_sort(&l);
		for (size_t k = 0; k < l.n; k++)
			report(w, eng, &l.v[k]);
		finding_list_free(&l);
	}
	free(data);
	close(fd);
	return true;
}

static void scan_path(void *ud, const char *path)
{
	scan_file(ud, path);
}

static bool excluded(void *ud, const char *path)
{
	const struct watch_config *c = ((struct watch *)ud)->c;
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	for (size_t i = 0; i < c->nexcludes; i++)
		if (fnmatch(c->excludes[i], path, 0) == 0 || fnmatch(c->excludes[i], base, 0) == 0)
			return true;
	return false;
}

static void on_file(void *ud, const char *path)
{
	struct watch *w = ud;
	if (!debounce_add(w->pending, path, now_ms())) {
		w->overflow_scans++; /* too many files in flight: no debounce, scan now */
		scan_path(w, path);
	}
}

static void emit_ready(struct watch *w, const struct notifier *n)
{
	json_t *o = event_new("ready");
	set_str(o, "backend", notifier_backend_name(n));
	json_t *paths = json_array();
	for (size_t i = 0; i < w->c->nroots; i++)
		json_array_append_new(paths, json_string(w->c->roots[i]));
	json_object_set_new(o, "paths", paths);
	json_t *engines = json_array();
	for (size_t i = 0; i < w->c->nengines; i++)
		json_array_append_new(engines, json_string(w->c->engines[i].name));
	json_object_set_new(o, "engines", engines);
	json_object_set_new(o, "watches", json_integer((json_int_t)notifier_watch_count(n)));
	if (w->c->scan_existing)
		json_object_set_new(o, "scan_existing", json_true());
	emit(w, o);
}

/* --scan-existing: the walk starts right after "ready", on the filesystems
 * the backend sees (a fanotify mark covers one filesystem per root). */
static int sweep_start(struct watch *w, const struct notifier *n, struct berr *e)
{
	struct sweep_options so = {
		.roots = w->c->roots,
		.nroots = w->c->nroots,
		.one_filesystem = strcmp(notifier_backend_name(n), "fanotify") == 0,
		.excluded = excluded,
		.ud = w,
	};
	TRY(sweep_new(&so, &w->sweep, e));
	w->sweep_state = "running";
	w->sweep_start_ms = now_ms();
	return BOSUN_OK;
}

static void emit_sweep_done(struct watch *w)
{
	struct sweep_stats st;
	sweep_get_stats(w->sweep, &st);
	json_t *o = event_new("initial-scan-done");
	json_object_set_new(o, "files_scanned", json_integer((json_int_t)w->initial_scanned));
	json_object_set_new(o, "findings", json_integer((json_int_t)w->initial_findings));
	json_object_set_new(o, "directories", json_integer((json_int_t)st.dirs));
	json_object_set_new(o, "directories_skipped", json_integer((json_int_t)st.skipped_dirs));
	json_object_set_new(o, "duration_ms", json_integer((json_int_t)(now_ms() - w->sweep_start_ms)));
	emit(w, o);
}

/* One slice of the walk: files until WATCH_SWEEP_SLICE_MS have passed,
 * so that signals and events wait at most about that long (plus one
 * file). When the walk is complete: the done event, and no more slices. */
static int sweep_slice(struct watch *w, struct berr *e)
{
	uint64_t end = now_ms() + WATCH_SWEEP_SLICE_MS;
	do {
		const char *path;
		TRY(sweep_next(w->sweep, &path, e));
		if (!path) {
			emit_sweep_done(w);
			sweep_free(w->sweep);
			w->sweep = NULL;
			w->sweep_state = "done";
			return BOSUN_OK;
		}
		w->initial = true;
		if (scan_file(w, path))
			w->initial_scanned++;
		w->initial = false;
	} while (!w->out_err && now_ms() < end);
	return BOSUN_OK;
}

static void emit_stopped(struct watch *w, const char *reason, const struct notifier *n,
			 const struct webhook_stats *ws /* NULL: no webhook */)
{
	json_t *o = event_new("stopped");
	set_str(o, "reason", reason);
	json_object_set_new(o, "files_scanned", json_integer((json_int_t)w->scanned));
	json_object_set_new(o, "findings", json_integer((json_int_t)w->findings));
	json_object_set_new(o, "events_lost", json_integer((json_int_t)notifier_lost(n)));
	if (ws) {
		json_object_set_new(o, "webhook_sent", json_integer((json_int_t)ws->sent));
		json_object_set_new(o, "webhook_failed", json_integer((json_int_t)ws->failed));
		json_object_set_new(o, "webhook_dropped", json_integer((json_int_t)ws->dropped));
	}
	if (w->sweep_state)
		set_str(o, "initial_scan", w->sweep_state);
	emit(w, o);
}

int watch_run(const struct watch_config *c, struct berr *e)
{
	struct watch w = { .c = c };
	w.max_file_bytes = c->max_file_bytes ? c->max_file_bytes : WATCH_DEFAULT_MAX_FILE_BYTES;
	unsigned delay = c->debounce_ms ? c->debounce_ms : WATCH_DEFAULT_DEBOUNCE_MS;
	w.pending = debounce_new(WATCH_PENDING_MAX, delay, WATCH_MAX_DEBOUNCE_MS);
	if (!w.pending)
		return berr_set(e, BOSUN_ENOMEM, "watch: out of memory");

	/* Signals become readable events, blocked before any thread starts
	 * so that the webhook worker inherits the mask and never takes them. */
	sigset_t mask, old;
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &mask, &old);
	int sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	struct notifier *n = NULL;
	int rc = BOSUN_OK;
	if (sfd < 0)
		rc = berr_set(e, BOSUN_EIO, "signalfd: %s", strerror(errno));
	struct notify_hooks hooks = { on_file, excluded, &w };
	if (rc == BOSUN_OK)
		rc = notifier_open(c->backend, c->roots, c->nroots, &hooks, &n, e);
	if (rc == BOSUN_OK && c->webhook_url)
		rc = webhook_start(c->webhook_url, &w.hook, e);
	if (rc != BOSUN_OK)
		goto out;

	/* Without --scan-existing, files that were there before (or turned
	 * up while the watches were being added: the inotify set-up walk
	 * reports none) are not scanned: watch is for changes. With it, the
	 * walk starts now, every watch being in place: a file written from
	 * here on raises an event whether or not the walk has passed it. */
	emit_ready(&w, n);
	if (c->scan_existing && (rc = sweep_start(&w, n, e)) != BOSUN_OK)
		goto out;
	const char *reason = "signal";
	while (!w.out_err) {
		struct pollfd pf[2] = { { sfd, POLLIN, 0 }, { notifier_fd(n), POLLIN, 0 } };
		/* while walking, only look whether something is pending */
		int pr = poll(pf, 2, w.sweep ? 0 : debounce_next_ms(w.pending, now_ms()));
		if (pr < 0 && errno != EINTR) {
			rc = berr_set(e, BOSUN_EIO, "poll: %s", strerror(errno));
			break;
		}
		if (pr > 0 && (pf[0].revents & POLLIN)) {
			struct signalfd_siginfo si;
			if (read(sfd, &si, sizeof si) == (ssize_t)sizeof si) {
				reason = si.ssi_signo == SIGTERM ? "SIGTERM" : "SIGINT";
				break;
			}
		}
		if (pr > 0 && (pf[1].revents & POLLIN)) {
			struct berr he = { 0 };
			if (notifier_handle(n, &he) != BOSUN_OK) {
				if (he.code == BOSUN_ENOMEM || he.code == BOSUN_EUNSUPPORTED) {
					rc = berr_set(e, he.code, "%s", he.msg);
					break;
				}
				log_warn("watch: %s", he.msg);
			}
		}
		debounce_pop_due(w.pending, now_ms(), scan_path, &w);
		if (w.sweep && (rc = sweep_slice(&w, e)) != BOSUN_OK)
			break;
	}
	if (w.sweep) { /* stopped before the walk was complete */
		sweep_free(w.sweep);
		w.sweep = NULL;
		w.sweep_state = "interrupted";
	}
	/* what is still waiting for its debounce is scanned before leaving */
	debounce_pop_due(w.pending, UINT64_MAX, scan_path, &w);
	struct webhook_stats ws = { 0 };
	bool had_hook = w.hook != NULL;
	if (w.hook) {
		webhook_stop(w.hook, WATCH_WEBHOOK_DRAIN_MS, &ws);
		w.hook = NULL;
	}
	if (w.out_err && rc == BOSUN_OK)
		rc = berr_set(e, BOSUN_EIO, "watch: cannot write output: %s", strerror(w.out_err));
	else
		emit_stopped(&w, rc == BOSUN_OK ? reason : "error", n, had_hook ? &ws : NULL);
out:
	if (w.hook)
		webhook_stop(w.hook, 0, NULL);
	sweep_free(w.sweep);
	notifier_close(n);
	if (sfd >= 0)
		close(sfd);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	debounce_free(w.pending);
	return rc;
}
