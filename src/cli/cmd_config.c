/* bosun config PATH...: checks the configuration files of a project for
 * misconfigurations: Dockerfiles (src/misconfig), Kubernetes manifests
 * (src/k8s) and docker-compose files (src/compose). PATH is a file, a
 * directory (walked recursively, without following symbolic links, skipping
 * .git, node_modules and vendor) or "-" for stdin (its kind is sniffed).
 *
 * Classification: a Dockerfile by its name, a compose file by its name or
 * content, a Kubernetes manifest by content; other YAML and every other
 * file are ignored. All manifests of one run form ONE Kubernetes set,
 * checked once, so cross-file context (a ServiceAccount in one file, the
 * workload in another) works as in `bosun k8s`. The rule policy (--policy)
 * is applied once to every finding; the report, --severity, --ignorefile
 * and --exit-code are the shared pipeline's (vuln_pipeline.h).
 *
 * A file named on the command line that cannot be checked (malformed,
 * over a limit) is an error; one found while walking a directory is a
 * warning and the walk goes on, so one broken fixture does not hide the
 * rest of the tree. */
#include "cli/cli.h"
#include "cli/rule_options.h"
#include "cli/vuln_pipeline.h"
#include "compose/compose.h"
#include "k8s/k8s.h"
#include "misconfig/dockerfile.h"
#include "util/log.h"
#include "util/yaml_json.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define CONFIG_MAX_FILE_BYTES ((size_t)16 << 20) /* one file or stdin */
#define CONFIG_MAX_ENTRIES 200000                /* directory entries visited in one run */
#define CONFIG_MAX_DEPTH 32                      /* directory nesting */

struct config_args {
	struct vuln_options vuln;
	struct rule_options rules;
	char **paths;
	int npaths;
};

enum config_kind { KIND_NONE, KIND_DOCKERFILE, KIND_K8S, KIND_COMPOSE };

struct config_run {
	const struct config_args *args;
	struct artifact *a;
	struct k8s_set *k8s;
	size_t entries;           /* directory entries visited */
	size_t checked[4];        /* files per kind */
};

static void config_usage(FILE *out)
{
	fprintf(out,
		"usage: bosun config [OPTIONS] PATH...\n"
		"\n"
		"Checks Dockerfiles, Kubernetes manifests and docker-compose files for\n"
		"misconfigurations (docs/config.md). PATH is a file, a directory (walked recursively;\n"
		".git, node_modules and vendor are skipped, symbolic links not followed) or - for\n"
		"stdin. Dockerfiles are known by name (Dockerfile, *.Dockerfile, Containerfile...),\n"
		"compose files by name (docker-compose*.yml, compose*.yaml) or content, Kubernetes\n"
		"manifests by content; other files are ignored. All manifests form one cluster.\n"
		"\n"
		"config:\n");
	rule_usage(out);
	fprintf(out,
		"  -q, --quiet            no warnings on stderr\n"
		"  -h, --help             this help\n"
		"\n");
	vuln_usage(out);
	fprintf(out, "\nexit codes: 0 ok (or findings without --exit-code), N findings with --exit-code N,\n"
		     "2 usage, 3 unusable input, 4 limit exceeded, 5 I/O or internal error\n");
}

static int parse_args(int argc, char **argv, struct config_args *a)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		VULN_LONGOPTS,
		RULE_LONGOPTS,
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:o:qh", longopts, NULL)) != -1) {
		int rc = vuln_option(c, optarg, &a->vuln);
		if (rc > 0)
			return rc;
		if (rc == 0)
			continue;
		rc = rule_option(c, optarg, &a->rules);
		if (rc > 0)
			return rc;
		if (rc == 0)
			continue;
		switch (c) {
		case 'q': log_set_quiet(true); break;
		case 'h': config_usage(stdout); return 0;
		default: config_usage(stderr); return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "bosun: error: config needs at least one PATH (a file, a directory or -)\n");
		config_usage(stderr);
		return 2;
	}
	a->paths = argv + optind;
	a->npaths = argc - optind;
	return vuln_options_check(&a->vuln) ? 2 : -1;
}

/* ---- reading ---------------------------------------------------------------- */

/* Reads a regular file (or stdin) of at most CONFIG_MAX_FILE_BYTES. In a
 * walk, nofollow refuses a path that became a symbolic link since lstat. */
static int read_input(const char *path, bool nofollow, struct buf *b, struct berr *e)
{
	bool is_stdin = !strcmp(path, "-");
	int fd = is_stdin ? STDIN_FILENO
			  : open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | (nofollow ? O_NOFOLLOW : 0));
	if (fd < 0)
		return berr_set(e, errno == ENOENT ? BOSUN_ENOTFOUND : BOSUN_EIO, "%s: %s", path, strerror(errno));
	struct stat st;
	if (!is_stdin && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
		close(fd);
		return berr_set(e, BOSUN_EUNSUPPORTED, "%s: not a regular file", path);
	}
	int rc = BOSUN_OK;
	for (;;) {
		if (b->len > CONFIG_MAX_FILE_BYTES) {
			rc = berr_set(e, BOSUN_ELIMIT, "%s: larger than the limit of %zu MiB", is_stdin ? "stdin" : path,
				      CONFIG_MAX_FILE_BYTES >> 20);
			break;
		}
		if (buf_reserve(b, 65536)) {
			rc = berr_set(e, BOSUN_ENOMEM, "out of memory");
			break;
		}
		ssize_t r = read(fd, b->data + b->len, b->cap - b->len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = berr_set(e, BOSUN_EIO, "%s: %s", is_stdin ? "stdin" : path, strerror(errno));
			break;
		}
		if (r == 0)
			break;
		b->len += (size_t)r;
		b->data[b->len] = '\0';
	}
	if (!is_stdin)
		close(fd);
	return rc;
}

/* ---- classification ------------------------------------------------------------ */

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

static bool yaml_or_json_name(const char *name)
{
	const char *dot = strrchr(name, '.');
	return dot && (!strcmp(dot, ".yaml") || !strcmp(dot, ".yml") || !strcmp(dot, ".json"));
}

/* Stdin has no name: a Dockerfile starts (after comments and parser
 * directives) with FROM, or ARG before FROM. */
static bool starts_with_word(struct slice line, const char *word)
{
	size_t n = strlen(word);
	return line.n > n && !strncasecmp(line.p, word, n) && isspace((unsigned char)line.p[n]);
}

static bool looks_like_dockerfile(const char *data, size_t n)
{
	struct slice rest = slice_make(data, n), line;
	while (slice_next_line(&rest, &line)) {
		line = slice_trim(line);
		if (line.n == 0 || line.p[0] == '#')
			continue;
		return starts_with_word(line, "FROM") || starts_with_word(line, "ARG");
	}
	return false;
}

static enum config_kind classify(const char *path, const char *data, size_t n, bool named_by_user)
{
	const char *base = base_name(path);
	bool is_stdin = !strcmp(path, "-");
	if (!is_stdin && dockerfile_name_matches(base))
		return KIND_DOCKERFILE;
	if (!is_stdin && compose_name_matches(base))
		return KIND_COMPOSE;
	if (is_stdin || named_by_user || yaml_or_json_name(base)) {
		if (k8s_looks_like_manifest(data, n))
			return KIND_K8S;
		if (compose_looks_like(data, n))
			return KIND_COMPOSE;
	}
	if ((is_stdin || named_by_user) && looks_like_dockerfile(data, n))
		return KIND_DOCKERFILE;
	return KIND_NONE;
}

/* ---- checking ------------------------------------------------------------------- */

static const char *const kind_names[] = { "other", "Dockerfile", "Kubernetes manifest", "compose file" };

static int drop_document(void *ctx, json_t *doc, unsigned line, struct berr *e)
{
	(void)ctx;
	(void)line;
	(void)e;
	json_decref(doc);
	return BOSUN_OK;
}

/* The parse error of a YAML or JSON file (or of stdin that is no
 * Dockerfile), BOSUN_OK when it parses or is something else entirely. */
static int unrecognized_yaml_error(const char *path, const char *data, size_t n, struct berr *e)
{
	bool is_stdin = !strcmp(path, "-");
	if (!is_stdin && !yaml_or_json_name(base_name(path)))
		return BOSUN_OK;
	struct berr pe = { 0 };
	int rc = yaml_json_parse_stream(data, n, NULL, is_stdin ? "stdin" : path, NULL, drop_document, NULL, &pe);
	/* stdin may be any text: only a limit there is an error, not a YAML syntax error */
	if (rc == BOSUN_OK || (is_stdin && rc == BOSUN_EFORMAT))
		return BOSUN_OK;
	*e = pe;
	return rc;
}

/* Checks one file's contents. Errors of files met in a walk become warnings
 * (except running out of memory); those of files the user named are errors. */
static int check_contents(struct config_run *r, const char *path, const char *data, size_t n, bool named_by_user,
			  struct berr *e)
{
	enum config_kind kind = classify(path, data, n, named_by_user);
	int rc = BOSUN_OK;
	switch (kind) {
	case KIND_DOCKERFILE: rc = dockerfile_check(path, data, n, &r->a->findings, e); break;
	case KIND_COMPOSE: rc = compose_check(path, data, n, &r->a->findings, e); break;
	case KIND_K8S: rc = k8s_set_load_buffer(r->k8s, path, data, n, e); break;
	case KIND_NONE:
		if (!named_by_user)
			return BOSUN_OK;
		/* a YAML file the user named that neither sniffer took may be one
		 * that failed to parse (malformed, an alias bomb): say so */
		rc = unrecognized_yaml_error(path, data, n, e);
		if (rc)
			return rc;
		artifact_warn(r->a, "%s: not a Dockerfile, Kubernetes manifest or compose file; skipped",
			      strcmp(path, "-") ? path : "stdin");
		return BOSUN_OK;
	}
	if (rc == BOSUN_OK) {
		r->checked[kind]++;
		return BOSUN_OK;
	}
	if (named_by_user || rc == BOSUN_ENOMEM)
		return rc;
	artifact_warn(r->a, "%s (%s skipped)", e->msg, kind_names[kind]);
	berr_clear(e);
	return BOSUN_OK;
}

static int check_file(struct config_run *r, const char *path, bool named_by_user, struct berr *e)
{
	struct buf b = { 0 };
	int rc = read_input(path, !named_by_user, &b, e);
	if (rc == BOSUN_OK)
		rc = check_contents(r, path, b.data ? b.data : "", b.len, named_by_user, e);
	else if (!named_by_user && rc != BOSUN_ENOMEM) {
		artifact_warn(r->a, "%s; skipped", e->msg);
		berr_clear(e);
		rc = BOSUN_OK;
	}
	buf_free(&b);
	return rc;
}

static bool skipped_dir(const char *name)
{
	static const char *const skip[] = { ".git", ".hg", ".svn", "node_modules", "vendor" };
	for (size_t i = 0; i < sizeof skip / sizeof skip[0]; i++)
		if (!strcmp(name, skip[i]))
			return true;
	return false;
}

/* Cheap test before reading a file found in a walk: could it be one of ours? */
static bool candidate_name(const char *name)
{
	return dockerfile_name_matches(name) || compose_name_matches(name) || yaml_or_json_name(name);
}

static int name_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int walk_dir(struct config_run *r, const char *dir, int depth, struct berr *e);

static int walk_entry(struct config_run *r, const char *path, const char *name, int depth, struct berr *e)
{
	if (++r->entries > CONFIG_MAX_ENTRIES)
		return berr_set(e, BOSUN_ELIMIT, "%s: more than %d directory entries to walk", path, CONFIG_MAX_ENTRIES);
	struct stat st;
	if (lstat(path, &st) != 0) {
		artifact_warn(r->a, "%s: %s; skipped", path, strerror(errno));
		return BOSUN_OK;
	}
	if (S_ISDIR(st.st_mode))
		return skipped_dir(name) ? BOSUN_OK : walk_dir(r, path, depth + 1, e);
	/* symbolic links are never followed: a link cannot lead out of the tree or into a loop */
	if (!S_ISREG(st.st_mode) || !candidate_name(name))
		return BOSUN_OK;
	if ((size_t)st.st_size > CONFIG_MAX_FILE_BYTES) {
		artifact_warn(r->a, "%s: larger than the limit of %zu MiB; skipped", path, CONFIG_MAX_FILE_BYTES >> 20);
		return BOSUN_OK;
	}
	return check_file(r, path, false, e);
}

static int walk_dir(struct config_run *r, const char *dir, int depth, struct berr *e)
{
	if (depth > CONFIG_MAX_DEPTH) {
		artifact_warn(r->a, "%s: nested deeper than %d directories; skipped", dir, CONFIG_MAX_DEPTH);
		return BOSUN_OK;
	}
	DIR *d = opendir(dir);
	if (!d) {
		if (depth == 0)
			return berr_set(e, BOSUN_EIO, "%s: %s", dir, strerror(errno));
		artifact_warn(r->a, "%s: %s; skipped", dir, strerror(errno));
		return BOSUN_OK;
	}
	/* sorted, so that runs (and the order of warnings) are reproducible */
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = BOSUN_OK;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (r->entries + n >= CONFIG_MAX_ENTRIES) {
			rc = berr_set(e, BOSUN_ELIMIT, "%s: more than %d directory entries to walk", dir,
				      CONFIG_MAX_ENTRIES);
			break;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			char **p = realloc(names, cap * sizeof *p);
			if (!p) {
				rc = berr_set(e, BOSUN_ENOMEM, "out of memory");
				break;
			}
			names = p;
		}
		if (!(names[n] = strdup(de->d_name))) {
			rc = berr_set(e, BOSUN_ENOMEM, "out of memory");
			break;
		}
		n++;
	}
	closedir(d);
	if (rc == BOSUN_OK)
		qsort(names, n, sizeof *names, name_cmp);
	for (size_t i = 0; i < n && rc == BOSUN_OK; i++) {
		/* "." as the root gives paths relative to it: "k8s/deploy.yaml", not "./k8s/deploy.yaml" */
		char *path = NULL;
		if (!strcmp(dir, "."))
			path = strdup(names[i]);
		else if (asprintf(&path, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", names[i]) < 0)
			path = NULL;
		if (!path) {
			rc = berr_set(e, BOSUN_ENOMEM, "out of memory");
			break;
		}
		rc = walk_entry(r, path, names[i], depth, e);
		free(path);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

static int check_path(struct config_run *r, const char *path, struct berr *e)
{
	struct stat st;
	if (strcmp(path, "-") != 0) {
		if (stat(path, &st) != 0)
			return berr_set(e, errno == ENOENT ? BOSUN_ENOTFOUND : BOSUN_EIO, "%s: %s", path,
					strerror(errno));
		if (S_ISDIR(st.st_mode))
			return walk_dir(r, path, 0, e);
	}
	return check_file(r, path, true, e);
}

/* ---- the run ----------------------------------------------------------------------- */

static int run_checks(struct config_run *r, struct berr *e)
{
	const struct config_args *args = r->args;
	for (int i = 0; i < args->npaths; i++)
		TRY(check_path(r, args->paths[i], e));
	for (size_t i = 0; i < k8s_set_warning_count(r->k8s); i++)
		artifact_warn(r->a, "%s", k8s_set_warning(r->k8s, i));
	if (k8s_set_count(r->k8s)) {
		struct k8s_check_options opts = rule_options_k8s(&args->rules);
		TRY(k8s_check(r->k8s, &opts, &r->a->findings, e));
	}
	if (!r->checked[KIND_DOCKERFILE] && !r->checked[KIND_K8S] && !r->checked[KIND_COMPOSE])
		artifact_warn(r->a, "no Dockerfile, Kubernetes manifest or compose file found in %s%s",
			      args->paths[0], args->npaths > 1 ? " and the other paths" : "");
	TRY(rule_options_apply(&args->rules, r->a, e));
	finding_list_sort(&r->a->findings);
	return BOSUN_OK;
}

static int config_inventory(void *ctx, struct artifact *a, struct berr *e)
{
	const struct config_args *args = ctx;
	a->target_kind = arena_strdup(&a->arena, "config");
	a->target = arena_strdup(&a->arena, args->paths[0]);
	a->name = args->npaths == 1 ? arena_strdup(&a->arena, args->paths[0])
				    : arena_printf(&a->arena, "%s and %d more", args->paths[0], args->npaths - 1);
	if (!a->target_kind || !a->target || !a->name)
		return berr_set(e, BOSUN_ENOMEM, "out of memory");
	struct config_run r = { .args = args, .a = a, .k8s = k8s_set_new() };
	if (!r.k8s)
		return berr_set(e, BOSUN_ENOMEM, "out of memory");
	int rc = run_checks(&r, e);
	k8s_set_free(r.k8s);
	return rc;
}

int cmd_config(int argc, char **argv)
{
	struct config_args args;
	memset(&args, 0, sizeof args);
	args.vuln.skip_vulns = true;
	args.vuln.finding_kinds = 1u << FINDING_KIND_MISCONFIG;
	int code = parse_args(argc, argv, &args);
	if (code >= 0)
		return code;
	if ((code = rule_options_load(&args.rules)) >= 0)
		return code;
	code = vuln_pipeline_run(&args.vuln, config_inventory, &args);
	rule_options_free(&args.rules);
	return code;
}
