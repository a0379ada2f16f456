/* OS detection: the trivy os-release fixtures, then the legacy files and the
 * rules that combine them. */
#include "testutil.h"

#include <dirent.h>

#include "analyze/os_release.h"
#include "util/err.h"
#include "util/log.h"

/* trivy's OS type for our result. This is trivy's naming only, so it lives
 * here and not in os_info.family. */
static const char *trivy_family(const struct os_info *os)
{
	static const struct {
		const char *ours, *trivy;
	} map[] = {
		{ "mariner", "cbl-mariner" }, { "sle-micro", "slem" },   { "azurelinux", "azurelinux" },
		{ "redhat", "redhat" },       { "alma", "alma" },        { "amazon", "amazon" },
	};
	if (!os->found)
		return NULL;
	if (strcmp(os->family, "centos") == 0 && os->pretty_name && strstr(os->pretty_name, "Stream"))
		return "centos-stream";
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(map[i].ours, os->family) == 0)
			return map[i].trivy;
	return os->family;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Case directories of one format, sorted; caller frees. */
static size_t list_cases(const char *format, char ***out)
{
	DIR *d = opendir(test_pkgdb_path(format));
	if (!d)
		fail_msg("cannot open %s", test_pkgdb_path(format));
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		names = realloc(names, (n + 1) * sizeof *names);
		names[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, cmp_str);
	*out = names;
	return n;
}

/* Runs os_detect over a case's inputs; true when it matches expected.os. */
static bool run_case(const char *name)
{
	char rel[512];
	snprintf(rel, sizeof rel, "os-release/%s/expected.json", name);
	json_t *exp = test_load_json(test_pkgdb_path(rel));
	json_t *inputs = json_object_get(exp, "inputs");
	struct os_file files[16];
	unsigned char *bufs[16];
	size_t n = 0, idx;
	json_t *in;
	json_array_foreach(inputs, idx, in) {
		if (n == 16)
			break;
		snprintf(rel, sizeof rel, "os-release/%s/%s", name, json_string_value(in));
		size_t len;
		bufs[n] = test_read_file(test_pkgdb_path(rel), &len);
		files[n] = (struct os_file){ json_string_value(in), (const char *)bufs[n], len };
		n++;
	}
	struct arena ar = { 0 };
	struct os_info os;
	assert_int_equal(os_detect(files, n, false, &ar, &os), BOSUN_OK);
	json_t *eos = json_object_get(exp, "os");
	const char *fam = trivy_family(&os);
	bool ok;
	if (json_is_null(eos) || !eos) {
		ok = !os.found;
		if (!ok)
			print_message("  %s: expected no OS, got %s %s\n", name, os.family, os.version_id);
	} else {
		const char *ef = json_string_value(json_object_get(eos, "family"));
		const char *ev = json_string_value(json_object_get(eos, "name"));
		ok = fam && os.version_id && strcmp(fam, ef) == 0 && strcmp(os.version_id, ev) == 0;
		if (!ok)
			print_message("  %s: expected %s %s, got %s %s\n", name, ef, ev, fam ? fam : "(none)",
				      os.version_id ? os.version_id : "(none)");
	}
	arena_free(&ar);
	for (size_t i = 0; i < n; i++)
		free(bufs[i]);
	json_decref(exp);
	return ok;
}

static void test_fixtures(void **state)
{
	(void)state;
	char **cases;
	size_t n = list_cases("os-release", &cases), pass = 0;
	for (size_t i = 0; i < n; i++) {
		pass += run_case(cases[i]);
		free(cases[i]);
	}
	free(cases);
	print_message("os-release fixtures: %zu/%zu passed\n", pass, n);
	assert_true(n > 0);
	assert_int_equal(pass, n);
}

/* ---- targeted cases ---- */

struct detect {
	struct arena ar;
	struct os_info os;
};

/* os_detect over (path, content) pairs given as a NULL-terminated list. */
static void detect(struct detect *d, bool status_d, ...)
{
	struct os_file files[16];
	size_t n = 0;
	va_list ap;
	va_start(ap, status_d);
	const char *path;
	while ((path = va_arg(ap, const char *)) && n < 16) {
		const char *data = va_arg(ap, const char *);
		files[n++] = (struct os_file){ path, data, strlen(data) };
	}
	va_end(ap);
	memset(d, 0, sizeof *d);
	memset(&d->os, 0xa5, sizeof d->os); /* os_detect must not read what it is given */
	assert_int_equal(os_detect(files, n, status_d, &d->ar, &d->os), BOSUN_OK);
}

static const char debian12[] = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n"
			       "VERSION_ID=\"12\"\nVERSION=\"12 (bookworm)\"\nVERSION_CODENAME=bookworm\nID=debian\n";

static void test_debian_precise_version(void **state)
{
	(void)state;
	struct detect d;
	detect(&d, false, "etc/os-release", debian12, "etc/debian_version", "12.7\n", NULL);
	assert_true(d.os.found);
	assert_string_equal(d.os.id, "debian");
	assert_string_equal(d.os.family, "debian");
	assert_string_equal(d.os.version_id, "12");
	assert_string_equal(d.os.version, "12.7");
	assert_string_equal(d.os.codename, "bookworm");
	assert_string_equal(d.os.pretty_name, "Debian GNU/Linux 12 (bookworm)");
	assert_string_equal(d.os.source, "etc/os-release");
	assert_false(d.os.distroless);
	arena_free(&d.ar);

	/* A debian_version that disagrees with os-release is not "more precise". */
	detect(&d, false, "etc/os-release", debian12, "etc/debian_version", "11.9\n", NULL);
	assert_string_equal(d.os.version, "12");
	arena_free(&d.ar);

	/* usr/lib/os-release is used when etc/ has none. */
	detect(&d, false, "usr/lib/os-release", debian12, NULL);
	assert_true(d.os.found);
	assert_string_equal(d.os.source, "usr/lib/os-release");
	arena_free(&d.ar);
}

static void test_debian_testing(void **state)
{
	(void)state;
	struct detect d;
	detect(&d, false, "etc/os-release",
	       "PRETTY_NAME=\"Debian GNU/Linux trixie/sid\"\nNAME=\"Debian GNU/Linux\"\nVERSION_CODENAME=trixie\nID=debian\n",
	       "etc/debian_version", "trixie/sid\n", NULL);
	assert_true(d.os.found);
	assert_string_equal(d.os.version_id, "trixie/sid");
	assert_string_equal(d.os.codename, "trixie");
	arena_free(&d.ar);
}

static void test_ubuntu(void **state)
{
	(void)state;
	struct detect d;
	/* Ubuntu ships a debian_version too; it must not make it Debian. */
	detect(&d, false, "etc/os-release",
	       "NAME=\"Ubuntu\"\nVERSION=\"22.04.4 LTS (Jammy Jellyfish)\"\nID=ubuntu\nID_LIKE=debian\n"
	       "VERSION_ID=\"22.04\"\nVERSION_CODENAME=jammy\nUBUNTU_CODENAME=jammy\n",
	       "etc/debian_version", "bookworm/sid\n", NULL);
	assert_true(d.os.found);
	assert_string_equal(d.os.family, "ubuntu");
	assert_string_equal(d.os.version_id, "22.04");
	assert_string_equal(d.os.version, "22.04.4");
	assert_string_equal(d.os.id_like, "debian");
	arena_free(&d.ar);

	/* Without os-release: lsb-release, and still not debian_version. */
	detect(&d, false, "etc/debian_version", "buster/sid\n", "etc/lsb-release",
	       "DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=18.04\nDISTRIB_CODENAME=bionic\n"
	       "DISTRIB_DESCRIPTION=\"Ubuntu 18.04.6 LTS\"\n",
	       NULL);
	assert_true(d.os.found);
	assert_string_equal(d.os.id, "ubuntu");
	assert_string_equal(d.os.version_id, "18.04");
	assert_string_equal(d.os.version, "18.04.6");
	assert_string_equal(d.os.codename, "bionic");
	assert_string_equal(d.os.source, "etc/lsb-release");
	arena_free(&d.ar);
}

static void test_rpm_legacy(void **state)
{
	(void)state;
	struct detect d;
	detect(&d, false, "etc/os-release",
	       "NAME=\"CentOS Linux\"\nVERSION=\"7 (Core)\"\nID=\"centos\"\nID_LIKE=\"rhel fedora\"\nVERSION_ID=\"7\"\n",
	       "etc/centos-release", "CentOS Linux release 7.9.2009 (Core)\n", "etc/redhat-release",
	       "CentOS Linux release 7.9.2009 (Core)\n", NULL);
	assert_string_equal(d.os.family, "centos");
	assert_string_equal(d.os.version_id, "7");
	assert_string_equal(d.os.version, "7.9.2009");
	arena_free(&d.ar);

	/* No os-release (CentOS 6): the release file alone. */
	detect(&d, false, "etc/redhat-release", "CentOS release 6.10 (Final)\n", NULL);
	assert_true(d.os.found);
	assert_string_equal(d.os.id, "centos");
	assert_string_equal(d.os.version_id, "6.10");
	assert_string_equal(d.os.codename, "Final");
	assert_string_equal(d.os.source, "etc/redhat-release");
	arena_free(&d.ar);

	/* Oracle Linux's redhat-release claims RHEL; oracle-release wins. */
	detect(&d, false, "etc/redhat-release", "Red Hat Enterprise Linux release 8.10 (Ootpa)\n",
	       "etc/oracle-release", "Oracle Linux Server release 8.10\n", NULL);
	assert_string_equal(d.os.family, "oracle");
	assert_string_equal(d.os.version_id, "8.10");
	arena_free(&d.ar);

	/* Amazon Linux 2023: system-release is more precise than VERSION_ID. */
	detect(&d, false, "etc/os-release",
	       "NAME=\"Amazon Linux\"\nVERSION=\"2023\"\nID=\"amzn\"\nID_LIKE=\"fedora\"\nVERSION_ID=\"2023\"\n",
	       "etc/system-release", "Amazon Linux release 2023.5.20240916 (Amazon Linux)\n", NULL);
	assert_string_equal(d.os.family, "amazon");
	assert_string_equal(d.os.version_id, "2023");
	assert_string_equal(d.os.version, "2023.5.20240916");
	arena_free(&d.ar);

	detect(&d, false, "etc/system-release", "Amazon Linux release 2 (Karoo)\n", NULL);
	assert_string_equal(d.os.family, "amazon");
	assert_string_equal(d.os.version_id, "2");
	assert_string_equal(d.os.codename, "Karoo");
	arena_free(&d.ar);

	detect(&d, false, "etc/fedora-release", "Fedora release 39 (Thirty Nine)\n", NULL);
	assert_string_equal(d.os.family, "fedora");
	assert_string_equal(d.os.version_id, "39");
	assert_null(d.os.codename); /* not a single word */
	arena_free(&d.ar);

	detect(&d, false, "etc/rocky-release", "Rocky Linux release 8.9 (Green Obsidian)\n", NULL);
	assert_string_equal(d.os.family, "rocky");
	arena_free(&d.ar);
	detect(&d, false, "etc/almalinux-release", "AlmaLinux release 9.3 (Shamrock Pampas Cat)\n", NULL);
	assert_string_equal(d.os.family, "alma");
	arena_free(&d.ar);
}

static void test_suse(void **state)
{
	(void)state;
	struct detect d;
	detect(&d, false, "etc/SuSE-release",
	       "SUSE Linux Enterprise Server 12 (x86_64)\nVERSION = 12\nPATCHLEVEL = 3\n", NULL);
	assert_true(d.os.found);
	assert_string_equal(d.os.id, "sles");
	assert_string_equal(d.os.family, "sles");
	assert_string_equal(d.os.version_id, "12.3");
	arena_free(&d.ar);

	detect(&d, false, "etc/SuSE-release", "openSUSE 13.2 (x86_64)\nVERSION = 13.2\nCODENAME = Harlequin\n", NULL);
	assert_string_equal(d.os.family, "opensuse-leap");
	assert_string_equal(d.os.version_id, "13.2");
	assert_string_equal(d.os.codename, "Harlequin");
	arena_free(&d.ar);

	detect(&d, false, "etc/os-release",
	       "NAME=\"openSUSE Tumbleweed\"\nID=\"opensuse-tumbleweed\"\nID_LIKE=\"opensuse suse\"\n"
	       "VERSION_ID=\"20240101\"\n",
	       NULL);
	assert_string_equal(d.os.family, "opensuse-tumbleweed");
	arena_free(&d.ar);

	detect(&d, false, "etc/os-release", "ID=\"sle-micro-rancher\"\nVERSION_ID=\"5.4\"\n", NULL);
	assert_string_equal(d.os.family, "sle-micro");
	arena_free(&d.ar);
}

static void test_alpine_wolfi(void **state)
{
	(void)state;
	struct detect d;
	detect(&d, false, "etc/alpine-release", "3.19.1\n", NULL);
	assert_true(d.os.found);
	assert_string_equal(d.os.family, "alpine");
	assert_string_equal(d.os.version_id, "3.19.1");
	arena_free(&d.ar);

	/* os-release without VERSION_ID completed by alpine-release. */
	detect(&d, false, "etc/os-release", "NAME=\"Alpine Linux\"\nID=alpine\n", "etc/alpine-release",
	       "3.20.0_alpha20240329\n", NULL);
	assert_true(d.os.found);
	assert_string_equal(d.os.version_id, "3.20.0_alpha20240329");
	assert_string_equal(d.os.source, "etc/os-release");
	arena_free(&d.ar);

	detect(&d, false, "etc/os-release", "ID=wolfi\nNAME=\"Wolfi\"\nPRETTY_NAME=\"Wolfi\"\nVERSION_ID=\"20230201\"\n",
	       NULL);
	assert_string_equal(d.os.family, "wolfi");
	arena_free(&d.ar);
	detect(&d, false, "etc/os-release", "ID=chainguard\nVERSION_ID=\"20230214\"\n", NULL);
	assert_string_equal(d.os.family, "chainguard");
	arena_free(&d.ar);
	detect(&d, false, "etc/os-release", "ID=photon\nVERSION_ID=5.0\n", NULL);
	assert_string_equal(d.os.family, "photon");
	arena_free(&d.ar);
	detect(&d, false, "etc/os-release", "ID=azurelinux\nVERSION_ID=\"3.0\"\n", NULL);
	assert_string_equal(d.os.family, "azurelinux");
	arena_free(&d.ar);
}

static void test_distroless(void **state)
{
	(void)state;
	struct detect d;
	static const char base_files[] = "Package: base-files\nVersion: 12.4+deb12u5\nArchitecture: amd64\n";
	detect(&d, true, OS_STATUS_D_BASE_FILES, base_files, NULL);
	assert_true(d.os.distroless);
	assert_true(d.os.found);
	assert_string_equal(d.os.id, "debian");
	assert_string_equal(d.os.version_id, "12");
	assert_string_equal(d.os.source, OS_STATUS_D_BASE_FILES);
	arena_free(&d.ar);

	/* debian_version, when the image has it, is more precise. */
	detect(&d, true, OS_STATUS_D_BASE_FILES, base_files, "etc/debian_version", "12.5\n", NULL);
	assert_true(d.os.distroless);
	assert_string_equal(d.os.version, "12.5");
	assert_string_equal(d.os.version_id, "12");
	arena_free(&d.ar);

	/* Nothing tells the release: distroless, OS unknown. */
	detect(&d, true, NULL);
	assert_true(d.os.distroless);
	assert_false(d.os.found);
	assert_null(d.os.id);
	arena_free(&d.ar);

	/* Ubuntu's base-files does not name a Debian release. */
	detect(&d, true, OS_STATUS_D_BASE_FILES, "Package: base-files\nVersion: 12ubuntu4.6\n", NULL);
	assert_false(d.os.found);
	arena_free(&d.ar);

	/* With an os-release it is not "distroless" in the os_info sense. */
	detect(&d, true, "etc/os-release", debian12, NULL);
	assert_false(d.os.distroless);
	assert_true(d.os.found);
	arena_free(&d.ar);
}

static void test_quoting_and_robustness(void **state)
{
	(void)state;
	struct arena ar = { 0 };
	struct os_info os;
	static const char q[] = "# comment\r\n  ID = 'Debian' \r\nVERSION_ID=\"1\\\"2\"\r\nPRETTY_NAME=A\\ B\r\n"
				"NAME=\"unterminated\r\nVERSION_CODENAME=\"\"";
	assert_int_equal(os_release_parse(q, sizeof q - 1, &ar, &os), BOSUN_OK);
	assert_string_equal(os.id, "debian");
	assert_string_equal(os.version_id, "1\"2");
	assert_string_equal(os.pretty_name, "A B");
	assert_null(os.codename); /* empty value is no value */
	assert_true(os.found);

	/* Unknown ID: no OS; unknown ID with a known lineage: its own family. */
	static const char unknown[] = "ID=unknown\nVERSION_ID=4.3.2\n";
	assert_int_equal(os_release_parse(unknown, sizeof unknown - 1, &ar, &os), BOSUN_OK);
	assert_false(os.found);
	static const char pop[] = "ID=pop\nID_LIKE=\"ubuntu debian\"\nVERSION_ID=\"22.04\"\n";
	assert_int_equal(os_release_parse(pop, sizeof pop - 1, &ar, &os), BOSUN_OK);
	assert_true(os.found);
	assert_string_equal(os.family, "pop");

	/* Control characters do not survive; over-long values are dropped. */
	char big[2048];
	int n = snprintf(big, sizeof big, "ID=alpine\nVERSION_ID=3.1\nPRETTY_NAME=\"a\x1b[31mb\"\nNAME=%0900d\n", 0);
	assert_int_equal(os_release_parse(big, (size_t)n, &ar, &os), BOSUN_OK);
	assert_string_equal(os.pretty_name, "a?[31mb");

	/* Garbage and truncation: no crash, no OS. */
	static const char junk[] = "\0\0=\n==\n\"\n'\nID\nVERSION_ID=\n\\";
	assert_int_equal(os_release_parse(junk, sizeof junk - 1, &ar, &os), BOSUN_OK);
	assert_false(os.found);
	assert_int_equal(os_release_parse(NULL, 0, &ar, &os), BOSUN_OK);
	assert_false(os.found);
	assert_int_equal(os_legacy_parse("etc/redhat-release", " release ", 9, &ar, &os), BOSUN_OK);
	assert_false(os.found);
	assert_int_equal(os_legacy_parse("etc/debian_version", "\n", 1, &ar, &os), BOSUN_OK);
	assert_false(os.found);
	assert_int_equal(os_legacy_parse("etc/SuSE-release", "SUSE Linux Enterprise Server\nVERSION =\n", 40, &ar, &os),
			 BOSUN_OK);
	assert_false(os.found);
	arena_free(&ar);
}

static void test_family_names(void **state)
{
	(void)state;
	assert_string_equal(os_family_for_id("rhel"), "redhat");
	assert_string_equal(os_family_for_id("almalinux"), "alma");
	assert_string_equal(os_family_for_id("amzn"), "amazon");
	assert_string_equal(os_family_for_id("ol"), "oracle");
	assert_string_equal(os_family_for_id("opensuse"), "opensuse-leap");
	assert_string_equal(os_family_for_id("sl-micro"), "sle-micro");
	assert_string_equal(os_family_for_id("mariner"), "mariner");
	assert_null(os_family_for_id("unknown"));
	assert_null(os_family_for_id(NULL));
}

int main(void)
{
	log_set_quiet(true);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_debian_precise_version),
		cmocka_unit_test(test_debian_testing),
		cmocka_unit_test(test_ubuntu),
		cmocka_unit_test(test_rpm_legacy),
		cmocka_unit_test(test_suse),
		cmocka_unit_test(test_alpine_wolfi),
		cmocka_unit_test(test_distroless),
		cmocka_unit_test(test_quoting_and_robustness),
		cmocka_unit_test(test_family_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
