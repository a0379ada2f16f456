/* bosun watch internals: debounce timing and bounds, the finding JSON line,
 * the inotify backend on a real directory tree (including directories made
 * and filled before their watch exists), the --scan-existing walk, the
 * webhook queue bound. */
#include "testutil.h"

#include <poll.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/log.h"
#include "watch/debounce.h"
#include "watch/notify.h"
#include "watch/sweep.h"
#include "watch/watch.h"
#include "watch/webhook.h"

struct seen {
	char *paths[256];
	size_t n;
};

static void collect(void *ud, const char *path)
{
	struct seen *s = ud;
	if (s->n < 256)
		s->paths[s->n++] = strdup(path);
}

static bool seen_has(const struct seen *s, const char *suffix)
{
	size_t l = strlen(suffix);
	for (size_t i = 0; i < s->n; i++) {
		size_t pl = strlen(s->paths[i]);
		if (pl >= l && strcmp(s->paths[i] + pl - l, suffix) == 0)
			return true;
	}
	return false;
}

static void seen_free(struct seen *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->paths[i]);
	s->n = 0;
}

static void test_debounce(void **state)
{
	(void)state;
	struct debounce *d = debounce_new(3, 100, 300);
	assert_non_null(d);
	assert_int_equal(debounce_next_ms(d, 0), -1);
	assert_true(debounce_add(d, "/a", 1000));
	assert_int_equal(debounce_next_ms(d, 1000), 100);
	/* more events push the deadline, up to first + 300 */
	assert_true(debounce_add(d, "/a", 1080));
	assert_int_equal(debounce_next_ms(d, 1080), 100);
	assert_true(debounce_add(d, "/a", 1250));
	assert_int_equal(debounce_next_ms(d, 1250), 50); /* capped at 1300 */
	assert_int_equal(debounce_count(d), 1);

	struct seen s = { 0 };
	debounce_pop_due(d, 1299, collect, &s);
	assert_int_equal(s.n, 0);
	debounce_pop_due(d, 1300, collect, &s);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.paths[0], "/a");
	assert_int_equal(debounce_count(d), 0);
	seen_free(&s);

	/* bounded: the fourth distinct path is refused, a known one is not */
	assert_true(debounce_add(d, "/1", 0));
	assert_true(debounce_add(d, "/2", 10));
	assert_true(debounce_add(d, "/3", 20));
	assert_false(debounce_add(d, "/4", 30));
	assert_true(debounce_add(d, "/2", 30));
	debounce_pop_due(d, 115, collect, &s); /* due: /1 at 100; /3 at 120, /2 at 130 */
	assert_int_equal(s.n, 1);
	assert_string_equal(s.paths[0], "/1");
	debounce_pop_due(d, UINT64_MAX, collect, &s);
	assert_int_equal(s.n, 3);
	seen_free(&s);
	debounce_free(d);
}

static void test_finding_json(void **state)
{
	(void)state;
	struct finding f = {
		.kind = FINDING_KIND_MALWARE,
		.rule_id = "yara:EICAR_Test_File",
		.title = "EICAR test file",
		.severity = SEV_CRITICAL,
		.message = "EICAR test file detected by YARA rule EICAR_Test_File",
		.path = "/srv/\xc3\xa9t\xc3\xa9/x\"y",
		.match = "EICAR_Test_File",
		.category = "yara",
		.layer = -1,
	};
	char *s = watch_finding_json(&f, "yara");
	assert_non_null(s);
	assert_null(strchr(s, '\n')); /* one line */
	json_error_t je;
	json_t *o = json_loads(s, 0, &je);
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "event")), "finding");
	assert_string_equal(json_string_value(json_object_get(o, "kind")), "malware");
	assert_string_equal(json_string_value(json_object_get(o, "rule")), "yara:EICAR_Test_File");
	assert_string_equal(json_string_value(json_object_get(o, "path")), "/srv/\xc3\xa9t\xc3\xa9/x\"y");
	assert_string_equal(json_string_value(json_object_get(o, "severity")), "CRITICAL");
	assert_string_equal(json_string_value(json_object_get(o, "engine")), "yara");
	assert_null(json_object_get(o, "line")); /* 0 = not given */
	const char *t = json_string_value(json_object_get(o, "time"));
	assert_non_null(t);
	assert_int_equal(strlen(t), 24); /* 2025-05-01T12:34:56.789Z */
	assert_int_equal(t[10], 'T');
	assert_int_equal(t[23], 'Z');
	json_decref(o);
	free(s);

	/* a file name that is not UTF-8 still gives a valid JSON line */
	f.path = "/srv/bad\xff\xc3name\xed\xa0\x80.com";
	s = watch_finding_json(&f, "yara");
	o = json_loads(s, 0, &je);
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "path")), "/srv/bad\\xff\\xc3name\\xed\\xa0\\x80.com");
	json_decref(o);
	free(s);
}

static bool no_exclude(void *ud, const char *path)
{
	(void)ud;
	return strstr(path, "/skipme") != NULL;
}

/* Handles events until pred is met or 2 s pass. */
static void pump(struct notifier *n, const struct seen *s, const char *want)
{
	for (int i = 0; i < 200 && !seen_has(s, want); i++) {
		struct pollfd pf = { notifier_fd(n), POLLIN, 0 };
		if (poll(&pf, 1, 10) > 0) {
			struct berr e = { 0 };
			assert_int_equal(notifier_handle(n, &e), BOSUN_OK);
		}
	}
}

static void write_file(const char *path)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("x", f);
	fclose(f);
}

static void test_inotify_tree(void **state)
{
	(void)state;
	char root[] = "/tmp/bosun-test-watch-XXXXXX";
	assert_non_null(mkdtemp(root));
	char p[512], cmd[700];
	snprintf(cmd, sizeof cmd, "mkdir -p '%s/old/deep' '%s/skipme/sub'", root, root);
	assert_int_equal(system(cmd), 0);

	struct seen s = { 0 };
	struct notify_hooks h = { collect, no_exclude, &s };
	const char *roots[] = { root };
	struct notifier *n = NULL;
	struct berr e = { 0 };
	assert_int_equal(notifier_open(WATCH_BACKEND_INOTIFY, roots, 1, &h, &n, &e), BOSUN_OK);
	assert_string_equal(notifier_backend_name(n), "inotify");
	assert_int_equal(notifier_watch_count(n), 3); /* root, old, old/deep; skipme excluded */

	/* a file in a directory that existed at start */
	snprintf(p, sizeof p, "%s/old/deep/f1", root);
	write_file(p);
	pump(n, &s, "/old/deep/f1");
	assert_true(seen_has(&s, "/old/deep/f1"));

	/* a tree made and filled before we read a single event: the files
	 * are found by listing the new directories */
	snprintf(cmd, sizeof cmd, "mkdir -p '%s/new/a/b' && echo x > '%s/new/a/b/f2' && echo y > '%s/new/f3'", root,
		 root, root);
	assert_int_equal(system(cmd), 0);
	pump(n, &s, "/new/a/b/f2");
	pump(n, &s, "/new/f3");
	assert_true(seen_has(&s, "/new/a/b/f2"));
	assert_true(seen_has(&s, "/new/f3"));

	/* a file moved in from outside, and one in an excluded directory */
	char outside[] = "/tmp/bosun-test-watch-out-XXXXXX";
	int fd = mkstemp(outside);
	assert_true(fd >= 0);
	close(fd);
	snprintf(cmd, sizeof cmd, "echo z > '%s/skipme/sub/f4'; mv '%s' '%s/old/moved'", root, outside, root);
	assert_int_equal(system(cmd), 0);
	pump(n, &s, "/old/moved");
	assert_true(seen_has(&s, "/old/moved"));
	assert_false(seen_has(&s, "/f4"));
	/* the new directories are watched now too */
	snprintf(p, sizeof p, "%s/new/a/f5", root);
	write_file(p);
	pump(n, &s, "/new/a/f5");
	assert_true(seen_has(&s, "/new/a/f5"));
	assert_int_equal(notifier_lost(n), 0);

	notifier_close(n);
	seen_free(&s);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
	assert_int_equal(system(cmd), 0);
}

static void test_notifier_errors(void **state)
{
	(void)state;
	struct seen s = { 0 };
	struct notify_hooks h = { collect, NULL, &s };
	const char *roots[] = { "/nonexistent/bosun-watch-root" };
	struct notifier *n = NULL;
	struct berr e = { 0 };
	assert_int_equal(notifier_open(WATCH_BACKEND_INOTIFY, roots, 1, &h, &n, &e), BOSUN_EIO);
	assert_null(n);
	assert_non_null(strstr(e.msg, "/nonexistent/bosun-watch-root"));
}

/* The initial walk: nested files, once each even with overlapping roots;
 * symlinks (to files and directories), fifos and excluded directories are
 * skipped; a missing root is only counted; stopping half-way frees all. */
static void test_sweep(void **state)
{
	(void)state;
	char root[] = "/tmp/bosun-test-sweep-XXXXXX";
	assert_non_null(mkdtemp(root));
	char cmd[1200];
	snprintf(cmd, sizeof cmd,
		 "cd '%s' && mkdir -p a/b/c/d/e/f/g/h skipme/sub x && echo 1 >a/b/c/d/e/f/g/h/deep && echo 2 >a/top && "
		 "echo 3 >skipme/sub/hidden && echo 4 >x/four && ln -s a/top a/link && ln -s a x/dirlink && "
		 "mkfifo a/fifo && : >a/empty",
		 root);
	assert_int_equal(system(cmd), 0);
	char inner[600], missing[600];
	snprintf(inner, sizeof inner, "%s/a/b", root);
	snprintf(missing, sizeof missing, "%s-nonexistent", root); /* not inside root */
	const char *roots[] = { inner, root, missing, root };
	struct sweep_options o = { roots, 4, false, no_exclude, NULL };
	struct sweep *sw = NULL;
	struct berr e = { 0 };
	assert_int_equal(sweep_new(&o, &sw, &e), BOSUN_OK);
	struct seen s = { 0 };
	const char *path;
	for (;;) {
		assert_int_equal(sweep_next(sw, &path, &e), BOSUN_OK);
		if (!path)
			break;
		collect(&s, path);
	}
	assert_int_equal(s.n, 4); /* deep, top, four, empty: each once */
	assert_true(seen_has(&s, "/a/b/c/d/e/f/g/h/deep"));
	assert_true(seen_has(&s, "/a/top"));
	assert_true(seen_has(&s, "/x/four"));
	assert_true(seen_has(&s, "/a/empty"));
	struct sweep_stats st;
	sweep_get_stats(sw, &st);
	assert_int_equal(st.files, 4);
	assert_int_equal(st.dirs, 10); /* root, a..h (8), x; skipme not entered */
	assert_int_equal(st.skipped_dirs, 1); /* the missing root */
	/* done stays done */
	assert_int_equal(sweep_next(sw, &path, &e), BOSUN_OK);
	assert_null(path);
	sweep_free(sw);
	seen_free(&s);

	/* stopped after the first file: nothing leaks (ASan build) */
	struct sweep_options one = { roots + 1, 1, true, NULL, NULL };
	assert_int_equal(sweep_new(&one, &sw, &e), BOSUN_OK);
	assert_int_equal(sweep_next(sw, &path, &e), BOSUN_OK);
	assert_non_null(path);
	sweep_free(sw);
	sweep_free(NULL);

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
	assert_int_equal(system(cmd), 0);
}

/* The queue is bounded: posts beyond it are dropped and counted, and
 * stopping with a zero drain time drops what is left — never blocks. */
static void test_webhook_bounded(void **state)
{
	(void)state;
	struct webhook *w = NULL;
	struct berr e = { 0 };
	assert_int_equal(webhook_start("ftp://x", &w, &e), BOSUN_EUSAGE);
	/* port 9 (discard) on loopback: refused at once */
	assert_int_equal(webhook_start("http://127.0.0.1:9/x", &w, &e), BOSUN_OK);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < WEBHOOK_QUEUE_MAX + 500; i++)
		webhook_post(w, "{\"event\":\"finding\"}");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_true(t1.tv_sec - t0.tv_sec < 2); /* posting never waits for the network */
	struct webhook_stats st;
	webhook_stop(w, 0, &st);
	assert_int_equal(st.sent, 0);
	assert_int_equal(st.sent + st.failed + st.dropped, WEBHOOK_QUEUE_MAX + 500);
	assert_true(st.dropped >= 500);
}

int main(void)
{
	log_set_quiet(true);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_debounce),
		cmocka_unit_test(test_finding_json),
		cmocka_unit_test(test_inotify_tree),
		cmocka_unit_test(test_notifier_errors),
		cmocka_unit_test(test_sweep),
		cmocka_unit_test(test_webhook_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
