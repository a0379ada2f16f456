/* bosun watch PATH...: scan files as they are written, in real time.
 * Argument parsing and engine set-up only; the loop is src/watch/. */
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "malware/malware.h"
#include "secret/secret.h"
#include "util/log.h"
#include "watch/watch.h"

#define MAX_LIST 64

static void watch_usage(FILE *out)
{
	fprintf(out,
		"usage: bosun watch [OPTIONS] DIR...\n"
		"\n"
		"Scans every file written (closed after writing) or moved into the DIR trees, as\n"
		"it happens, and prints one JSON line per finding on stdout. Runs until SIGINT or\n"
		"SIGTERM. The first line is a \"ready\" event: files written after it are seen.\n"
		"\n"
		"options:\n"
		"      --scanners LIST          malware,secret (default: malware)\n"
		"      --yara-rules PATH        YARA rule file, precompiled rules or a directory of\n"
		"                               *.yar/*.yara/*.yarc (repeatable)\n"
		"      --malware-signatures PATH  ClamAV .hdb/.hsb hash signatures, file or directory\n"
		"                               (repeatable)\n"
		"      --no-builtin-rules       without the built-in EICAR rule and signature\n"
		"      --secret-config FILE     secret rules (Trivy-style YAML)\n"
		"      --max-file-size SIZE     files read whole up to SIZE (default 32M); larger\n"
		"                               ones are only hashed\n"
		"      --exclude GLOB           skip paths (or names) matching GLOB (repeatable)\n"
		"      --scan-existing          also scan the files already there, once, right after\n"
		"                               \"ready\" (findings marked \"initial\":true; ends with an\n"
		"                               \"initial-scan-done\" event)\n"
		"      --backend B              auto (default), fanotify (root) or inotify\n"
		"      --debounce MS            wait for writes to settle (default 100, max 1000)\n"
		"      --webhook URL            also POST each finding as JSON to URL\n"
		"  -q, --quiet                  no warnings on stderr\n"
		"  -h, --help                   this help\n"
		"\n"
		"exit codes: 0 stopped by a signal, 2 usage, 3 unusable rules or paths,\n"
		"4 inotify limits too low, 5 I/O or internal error\n");
}

enum { OPT_YARA = 256, OPT_SIGS, OPT_NO_BUILTIN, OPT_SCANNERS, OPT_SECRET_CONFIG, OPT_WEBHOOK, OPT_MAX_FILE,
       OPT_EXCLUDE, OPT_BACKEND, OPT_DEBOUNCE, OPT_SCAN_EXISTING };

struct watch_args {
	const char *yara[MAX_LIST], *sigs[MAX_LIST], *excludes[MAX_LIST];
	size_t nyara, nsigs, nexcludes;
	bool builtin, malware, secret, scan_existing;
	const char *secret_config, *webhook;
	uint64_t max_file_bytes;
	unsigned debounce_ms;
	enum watch_backend backend;
};

static int push(const char **v, size_t *n, const char *s, const char *opt)
{
	if (*n == MAX_LIST) {
		fprintf(stderr, "bosun: at most %d %s options\n", MAX_LIST, opt);
		return 2;
	}
	v[(*n)++] = s;
	return -1;
}

static int parse_scanners(const char *list, struct watch_args *a)
{
	a->malware = a->secret = false;
	char buf[256];
	snprintf(buf, sizeof buf, "%s", list);
	for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (strcmp(t, "malware") == 0)
			a->malware = true;
		else if (strcmp(t, "secret") == 0 || strcmp(t, "secrets") == 0)
			a->secret = true;
		else {
			fprintf(stderr, "bosun: unknown scanner '%s' (watch runs: malware, secret)\n", t);
			return 2;
		}
	}
	if (!a->malware && !a->secret) {
		fprintf(stderr, "bosun: --scanners needs malware and/or secret\n");
		return 2;
	}
	return -1;
}

static int one_option(int c, struct watch_args *a)
{
	switch (c) {
	case OPT_YARA: return push(a->yara, &a->nyara, optarg, "--yara-rules");
	case OPT_SIGS: return push(a->sigs, &a->nsigs, optarg, "--malware-signatures");
	case OPT_EXCLUDE: return push(a->excludes, &a->nexcludes, optarg, "--exclude");
	case OPT_NO_BUILTIN: a->builtin = false; return -1;
	case OPT_SCAN_EXISTING: a->scan_existing = true; return -1;
	case OPT_SCANNERS: return parse_scanners(optarg, a);
	case OPT_SECRET_CONFIG: a->secret_config = optarg; return -1;
	case OPT_WEBHOOK: a->webhook = optarg; return -1;
	case OPT_MAX_FILE:
		if (cli_parse_size(optarg, &a->max_file_bytes) || a->max_file_bytes == 0) {
			fprintf(stderr, "bosun: invalid size '%s'\n", optarg);
			return 2;
		}
		return -1;
	case OPT_DEBOUNCE: {
		char *end;
		long v = strtol(optarg, &end, 10);
		if (*end || v < 1 || v > 1000) {
			fprintf(stderr, "bosun: --debounce must be 1..1000 (milliseconds)\n");
			return 2;
		}
		a->debounce_ms = (unsigned)v;
		return -1;
	}
	case OPT_BACKEND:
		if (strcmp(optarg, "auto") == 0)
			a->backend = WATCH_BACKEND_AUTO;
		else if (strcmp(optarg, "fanotify") == 0)
			a->backend = WATCH_BACKEND_FANOTIFY;
		else if (strcmp(optarg, "inotify") == 0)
			a->backend = WATCH_BACKEND_INOTIFY;
		else {
			fprintf(stderr, "bosun: unknown backend '%s' (auto, fanotify, inotify)\n", optarg);
			return 2;
		}
		return -1;
	case 'q': log_set_quiet(true); return -1;
	case 'h': watch_usage(stdout); return 0;
	default: watch_usage(stderr); return 2;
	}
}

/* ---- engines as watch sees them ---- */

static int malware_buffer(void *ctx, const char *path, const unsigned char *p, size_t n, struct finding_list *out,
			  struct berr *e)
{
	return malware_scan_buffer(ctx, path, -1, p, n, out, e);
}

static int malware_fd(void *ctx, int fd, const char *path, struct finding_list *out, struct berr *e)
{
	return malware_scan_fd(ctx, fd, path, out, e);
}

static int secret_buffer(void *ctx, const char *path, const unsigned char *p, size_t n, struct finding_list *out,
			 struct berr *e)
{
	return secret_scan_buffer(ctx, path, -1, p, n, out, e);
}

/* DIR arguments as canonical absolute directories (fanotify reports
 * canonical paths; findings name what the kernel resolved). */
static int resolve_roots(int argc, char **argv, char **roots)
{
	for (int i = 0; i < argc; i++) {
		char *r = realpath(argv[i], NULL);
		struct stat st;
		if (!r || stat(r, &st) != 0) {
			log_error("%s: %s", argv[i], strerror(errno));
			free(r);
			return errno == ENOENT ? 3 : 5;
		}
		if (!S_ISDIR(st.st_mode)) {
			log_error("%s: not a directory (watch takes directories)", argv[i]);
			free(r);
			return 3;
		}
		roots[i] = r;
	}
	return 0;
}

int cmd_watch(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "yara-rules", required_argument, NULL, OPT_YARA },
		{ "malware-signatures", required_argument, NULL, OPT_SIGS },
		{ "no-builtin-rules", no_argument, NULL, OPT_NO_BUILTIN },
		{ "scanners", required_argument, NULL, OPT_SCANNERS },
		{ "secret-config", required_argument, NULL, OPT_SECRET_CONFIG },
		{ "webhook", required_argument, NULL, OPT_WEBHOOK },
		{ "max-file-size", required_argument, NULL, OPT_MAX_FILE },
		{ "exclude", required_argument, NULL, OPT_EXCLUDE },
		{ "backend", required_argument, NULL, OPT_BACKEND },
		{ "debounce", required_argument, NULL, OPT_DEBOUNCE },
		{ "scan-existing", no_argument, NULL, OPT_SCAN_EXISTING },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct watch_args a = { .builtin = true, .malware = true, .backend = WATCH_BACKEND_AUTO };
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
		int rc = one_option(c, &a);
		if (rc >= 0)
			return rc;
	}
	if (optind >= argc) {
		watch_usage(stderr);
		return 2;
	}
	if (a.secret_config && !a.secret) {
		fprintf(stderr, "bosun: --secret-config needs --scanners with secret\n");
		return 2;
	}

	if (a.malware && !a.builtin && !a.nyara && !a.nsigs && !a.secret) {
		fprintf(stderr, "bosun: --no-builtin-rules leaves nothing to look for: add --yara-rules, "
				"--malware-signatures or --scanners secret\n");
		return 2;
	}
	int nroots = argc - optind;
	char **roots = calloc((size_t)nroots, sizeof *roots);
	if (!roots)
		return 5;
	int code = resolve_roots(nroots, argv + optind, roots);

	struct malware_engine *mal = NULL;
	struct secret_engine *sec = NULL;
	struct watch_engine engines[2];
	size_t nengines = 0;
	struct berr e = { 0 };
	int rc = BOSUN_OK;
	if (!code && a.malware) {
		struct malware_options mo = { a.yara, a.nyara, a.sigs, a.nsigs, a.builtin, a.max_file_bytes };
		rc = malware_engine_new(&mo, &mal, &e);
		if (rc == BOSUN_OK)
			engines[nengines++] = (struct watch_engine){ "malware", mal, malware_buffer, malware_fd };
	}
	if (!code && rc == BOSUN_OK && a.secret) {
		struct secret_options so = { .config_path = a.secret_config, .max_file_bytes = a.max_file_bytes };
		rc = secret_engine_new(&so, &sec, &e);
		if (rc == BOSUN_OK)
			engines[nengines++] = (struct watch_engine){ "secret", sec, secret_buffer, NULL };
	}
	if (!code && rc == BOSUN_OK) {
		/* a reader that went away (| head) ends the watch, not the process */
		signal(SIGPIPE, SIG_IGN);
		struct watch_config wc = {
			.roots = (const char *const *)roots,
			.nroots = (size_t)nroots,
			.backend = a.backend,
			.excludes = a.excludes,
			.nexcludes = a.nexcludes,
			.engines = engines,
			.nengines = nengines,
			.max_file_bytes = a.max_file_bytes,
			.debounce_ms = a.debounce_ms,
			.webhook_url = a.webhook,
			.out = stdout,
			.scan_existing = a.scan_existing,
		};
		rc = watch_run(&wc, &e);
	}
	if (!code && rc != BOSUN_OK) {
		log_error("%s", e.msg[0] ? e.msg : bosun_strerror(rc));
		code = bosun_exit_code(rc);
	}
	if (sec)
		secret_engine_free(sec);
	malware_engine_free(mal);
	for (int i = 0; i < nroots; i++)
		free(roots[i]);
	free(roots);
	return code;
}
