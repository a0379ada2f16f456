/* image_open and scan_target on small docker archives built in memory:
 * regressions for bugs the hostile-input work found (see each test). The
 * archives live in memfds, so nothing touches the filesystem. */
#include "testutil.h"
#include "tarbuild.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image/image.h"
#include "scan/scan.h"
#include "util/log.h"
#include "util/sha256.h"

static const char status[] = "Package: bosun-probe\nStatus: install ok installed\nVersion: 1.2.3-1\n"
			     "Architecture: amd64\n\n";

static void layer_tar(struct tb *t)
{
	tb_entry(t, "var/", '5', NULL);
	tb_entry(t, "var/lib/", '5', NULL);
	tb_entry(t, "var/lib/dpkg/", '5', NULL);
	tb_file(t, "var/lib/dpkg/status", status, sizeof status - 1);
	tb_end(t);
}

/* A docker archive whose manifest names `names` as layers; only the first
 * is stored. Returns a memfd path in buf. */
static int docker_archive(char *path, size_t cap, const char *const *names, size_t nnames)
{
	struct tb layer = { 0 }, ar = { 0 };
	layer_tar(&layer);
	struct sha256 h;
	assert_int_equal(sha256_init(&h), BOSUN_OK);
	sha256_update(&h, layer.p, layer.n);
	char diff[72];
	sha256_final_digest(&h, diff);
	char config[2048], manifest[2048];
	size_t used = (size_t)snprintf(config, sizeof config,
				       "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[");
	for (size_t i = 0; i < nnames; i++)
		used += (size_t)snprintf(config + used, sizeof config - used, "%s\"%s\"", i ? "," : "", diff);
	snprintf(config + used, sizeof config - used, "]}}");
	used = (size_t)snprintf(manifest, sizeof manifest, "[{\"Config\":\"config.json\",\"RepoTags\":[\"t:1\"],\"Layers\":[");
	for (size_t i = 0; i < nnames; i++)
		used += (size_t)snprintf(manifest + used, sizeof manifest - used, "%s\"%s\"", i ? "," : "", names[i]);
	snprintf(manifest + used, sizeof manifest - used, "]}]");
	tb_file(&ar, "manifest.json", manifest, strlen(manifest));
	tb_file(&ar, "config.json", config, strlen(config));
	tb_file(&ar, names[0], layer.p, layer.n);
	tb_end(&ar);
	int fd = memfd_create("bosun-test-image", MFD_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, ar.p, ar.n), (ssize_t)ar.n);
	snprintf(path, cap, "/proc/self/fd/%d", fd);
	tb_free(&layer);
	tb_free(&ar);
	return fd;
}

/* docker_archive_open left the fds of layers after a failed lookup at 0,
 * and image_close() then closed stdin. */
static void test_failed_open_keeps_stdin(void **state)
{
	(void)state;
	if (fcntl(0, F_GETFD) < 0)
		assert_int_equal(open("/dev/null", O_RDONLY), 0);
	char path[64];
	static const char *const names[] = { "a.tar", "missing.tar", "missing2.tar" };
	int fd = docker_archive(path, sizeof path, names, 3);
	struct image_options opt = { .limits = scan_limits_default() };
	struct image img;
	struct berr e = { 0 };
	assert_int_equal(image_open(path, &opt, &img, &e), BOSUN_ENOTFOUND);
	assert_non_null(strstr(e.msg, "manifest.json names layer 1: missing.tar is not in the archive"));
	image_close(&img);
	assert_true(fcntl(0, F_GETFD) >= 0);
	close(fd);
}

static void test_scan_finds_probe(void **state)
{
	(void)state;
	char path[64];
	static const char *const names[] = { "a.tar" };
	int fd = docker_archive(path, sizeof path, names, 1);
	struct scan_options opt;
	scan_options_default(&opt);
	opt.progress = false;
	struct artifact a;
	artifact_init(&a);
	struct berr e = { 0 };
	assert_int_equal(scan_target(path, &opt, &a, &e), BOSUN_OK);
	assert_int_equal(a.npkgs, 1);
	assert_string_equal(a.pkgs[0].name, "bosun-probe");
	artifact_free(&a);
	close(fd);
}

/* Captured files had a per-file bound only: a layer of many compressible
 * "package lists" could make the scan hold all of them in memory. */
static void test_capture_budget(void **state)
{
	(void)state;
	char path[64];
	static const char *const names[] = { "a.tar" };
	int fd = docker_archive(path, sizeof path, names, 1);
	struct scan_options opt;
	scan_options_default(&opt);
	opt.progress = false;
	opt.image.limits.max_capture_total = 40;
	struct artifact a;
	artifact_init(&a);
	struct berr e = { 0 };
	assert_int_equal(scan_target(path, &opt, &a, &e), BOSUN_ELIMIT);
	assert_non_null(strstr(e.msg, "files for analysis exceed 40 bytes in all"));
	artifact_free(&a);
	close(fd);
}

/* A FIFO target used to be opened (and block) before anything noticed. */
static void test_fifo_target_refused(void **state)
{
	(void)state;
	char dir[] = "/tmp/bosun-test-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char fifo[64];
	snprintf(fifo, sizeof fifo, "%s/fifo", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	struct image_options opt = { .limits = scan_limits_default() };
	struct image img;
	struct berr e = { 0 };
	assert_int_equal(image_open(fifo, &opt, &img, &e), BOSUN_EUSAGE);
	assert_non_null(strstr(e.msg, "is not a regular file or a directory"));
	image_close(&img);
	unlink(fifo);
	rmdir(dir);
}

int main(void)
{
	log_set_quiet(true);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_failed_open_keeps_stdin),
		cmocka_unit_test(test_scan_finds_probe),
		cmocka_unit_test(test_capture_budget),
		cmocka_unit_test(test_fifo_target_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
