#include "misconfig/config_files.h"

#include "compose/compose.h"
#include "misconfig/dockerfile.h"
#include "util/yaml_json.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

struct config_run {
	const struct config_check_options *o;
	struct finding_list *out;
	struct k8s_set *k8s;
	struct config_check_stats stats;
	size_t max_entries;
	/* Bytes of the walk root in every path built under it ("dir/"), cut
	 * off the paths shown when o->relative. */
	size_t strip;
};

static void warnf(struct config_run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void warnf(struct config_run *r, const char *fmt, ...)
{
	if (!r->o->warn)
		return;
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	r->o->warn(r->o->warn_ctx, msg);
}

/* The name findings and messages give a file found in a walk. */
static const char *shown_path(const struct config_run *r, const char *path)
{
	return r->o->relative && strlen(path) > r->strip ? path + r->strip : path;
}

/* ---- reading ---------------------------------------------------------------- */

/* Reads a regular file (or stdin) of at most CONFIG_MAX_FILE_BYTES; messages
 * name it `shown`. In a walk, nofollow refuses a path that became a symbolic
 * link since lstat. */
static int read_input(const char *path, const char *shown, bool nofollow, struct buf *b, struct berr *e)
{
	bool is_stdin = !strcmp(path, "-");
	int fd = is_stdin ? STDIN_FILENO
			  : open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | (nofollow ? O_NOFOLLOW : 0));
	if (fd < 0)
		return berr_set(e, errno == ENOENT ? BOSUN_ENOTFOUND : BOSUN_EIO, "%s: %s", shown, strerror(errno));
	struct stat st;
	if (!is_stdin && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
		close(fd);
		return berr_set(e, BOSUN_EUNSUPPORTED, "%s: not a regular file", shown);
	}
	int rc = BOSUN_OK;
	for (;;) {
		if (b->len > CONFIG_MAX_FILE_BYTES) {
			rc = berr_set(e, BOSUN_ELIMIT, "%s: larger than the limit of %zu MiB", is_stdin ? "stdin" : shown,
				      CONFIG_MAX_FILE_BYTES >> 20);
			break;
		}
		if (buf_reserve(b, 65536)) {
			rc = berr_set(e, BOSUN_ENOMEM, "out of memory");
			break;
		}
		ssize_t got = read(fd, b->data + b->len, b->cap - b->len - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			rc = berr_set(e, BOSUN_EIO, "%s: %s", is_stdin ? "stdin" : shown, strerror(errno));
			break;
		}
		if (got == 0)
			break;
		b->len += (size_t)got;
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

enum config_kind config_file_kind(const char *path, const char *data, size_t n, bool named)
{
	const char *base = base_name(path);
	bool is_stdin = !strcmp(path, "-");
	if (!is_stdin && dockerfile_name_matches(base))
		return CONFIG_KIND_DOCKERFILE;
	if (!is_stdin && compose_name_matches(base))
		return CONFIG_KIND_COMPOSE;
	if (is_stdin || named || yaml_or_json_name(base)) {
		if (k8s_looks_like_manifest(data, n))
			return CONFIG_KIND_K8S;
		if (compose_looks_like(data, n))
			return CONFIG_KIND_COMPOSE;
	}
	if ((is_stdin || named) && looks_like_dockerfile(data, n))
		return CONFIG_KIND_DOCKERFILE;
	return CONFIG_KIND_NONE;
}

bool config_candidate_name(const char *name)
{
	return dockerfile_name_matches(name) || compose_name_matches(name) || yaml_or_json_name(name);
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

static void count_checked(struct config_run *r, enum config_kind kind)
{
	switch (kind) {
	case CONFIG_KIND_DOCKERFILE: r->stats.dockerfiles++; break;
	case CONFIG_KIND_K8S: r->stats.manifests++; break;
	case CONFIG_KIND_COMPOSE: r->stats.compose_files++; break;
	case CONFIG_KIND_NONE: break;
	}
}

/* Checks one file's contents; path is the name findings carry. Errors of
 * files met in a walk become warnings (except running out of memory);
 * those of files the user named are errors. */
static int check_contents(struct config_run *r, const char *path, const char *data, size_t n, bool named,
			  struct berr *e)
{
	enum config_kind kind = config_file_kind(path, data, n, named);
	int rc = BOSUN_OK;
	switch (kind) {
	case CONFIG_KIND_DOCKERFILE: rc = dockerfile_check(path, data, n, r->out, e); break;
	case CONFIG_KIND_COMPOSE: rc = compose_check(path, data, n, r->out, e); break;
	case CONFIG_KIND_K8S: rc = k8s_set_load_buffer(r->k8s, path, data, n, e); break;
	case CONFIG_KIND_NONE:
		if (!named)
			return BOSUN_OK;
		/* a YAML file the user named that neither sniffer took may be one
		 * that failed to parse (malformed, an alias bomb): say so */
		rc = unrecognized_yaml_error(path, data, n, e);
		if (rc)
			return rc;
		warnf(r, "%s: not a Dockerfile, Kubernetes manifest or compose file; skipped",
		      strcmp(path, "-") ? path : "stdin");
		return BOSUN_OK;
	}
	if (rc == BOSUN_OK) {
		count_checked(r, kind);
		return BOSUN_OK;
	}
	if (named || rc == BOSUN_ENOMEM)
		return rc;
	warnf(r, "%s (%s skipped)", e->msg, kind_names[kind]);
	berr_clear(e);
	return BOSUN_OK;
}

/* path is opened; shown names the file in findings and messages. */
static int check_file(struct config_run *r, const char *path, const char *shown, bool named, struct berr *e)
{
	struct buf b = { 0 };
	int rc = read_input(path, shown, !named, &b, e);
	if (rc == BOSUN_OK)
		rc = check_contents(r, shown, b.data ? b.data : "", b.len, named, e);
	else if (!named && rc != BOSUN_ENOMEM) {
		warnf(r, "%s; skipped", e->msg);
		berr_clear(e);
		rc = BOSUN_OK;
	}
	buf_free(&b);
	return rc;
}

/* ---- the walk -------------------------------------------------------------------- */

static bool skipped_dir(const char *name)
{
	static const char *const skip[] = { ".git", ".hg", ".svn", "node_modules", "vendor" };
	for (size_t i = 0; i < sizeof skip / sizeof skip[0]; i++)
		if (!strcmp(name, skip[i]))
			return true;
	return false;
}

static int name_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int walk_dir(struct config_run *r, const char *dir, int depth, struct berr *e);

static int walk_entry(struct config_run *r, const char *path, const char *name, int depth, struct berr *e)
{
	const char *shown = shown_path(r, path);
	if (++r->stats.entries > r->max_entries)
		return berr_set(e, BOSUN_ELIMIT, "%s: more than %zu directory entries to walk", shown, r->max_entries);
	struct stat st;
	if (lstat(path, &st) != 0) {
		warnf(r, "%s: %s; skipped", shown, strerror(errno));
		return BOSUN_OK;
	}
	if (S_ISDIR(st.st_mode))
		return skipped_dir(name) ? BOSUN_OK : walk_dir(r, path, depth + 1, e);
	/* symbolic links are never followed: a link cannot lead out of the tree or into a loop */
	if (!S_ISREG(st.st_mode) || !config_candidate_name(name))
		return BOSUN_OK;
	if ((size_t)st.st_size > CONFIG_MAX_FILE_BYTES) {
		warnf(r, "%s: larger than the limit of %zu MiB; skipped", shown, CONFIG_MAX_FILE_BYTES >> 20);
		return BOSUN_OK;
	}
	return check_file(r, path, shown, false, e);
}

/* Joins a directory and a name; "." as the root gives paths relative to it:
 * "k8s/deploy.yaml", not "./k8s/deploy.yaml". NULL on ENOMEM. */
static char *join_path(const char *dir, const char *name)
{
	if (!strcmp(dir, "."))
		return strdup(name);
	char *path = NULL;
	if (asprintf(&path, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", name) < 0)
		return NULL;
	return path;
}

static int walk_dir(struct config_run *r, const char *dir, int depth, struct berr *e)
{
	const char *shown = shown_path(r, dir);
	if (depth > CONFIG_MAX_DEPTH) {
		warnf(r, "%s: nested deeper than %d directories; skipped", shown, CONFIG_MAX_DEPTH);
		return BOSUN_OK;
	}
	DIR *d = opendir(dir);
	if (!d) {
		if (depth == 0)
			return berr_set(e, BOSUN_EIO, "%s: %s", dir, strerror(errno));
		warnf(r, "%s: %s; skipped", shown, strerror(errno));
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
		if (r->stats.entries + n >= r->max_entries) {
			rc = berr_set(e, BOSUN_ELIMIT, "%s: more than %zu directory entries to walk", shown,
				      r->max_entries);
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
		char *path = join_path(dir, names[i]);
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
		if (S_ISDIR(st.st_mode)) {
			/* what join_path puts before the names under this root */
			size_t len = strlen(path);
			r->strip = !strcmp(path, ".") ? 0 : len + (len && path[len - 1] == '/' ? 0 : 1);
			return walk_dir(r, path, 0, e);
		}
	}
	return check_file(r, path, path, true, e);
}

/* ---- the run ----------------------------------------------------------------------- */

static int run_checks(struct config_run *r, const char *const *paths, size_t n, struct berr *e)
{
	for (size_t i = 0; i < n; i++)
		TRY(check_path(r, paths[i], e));
	for (size_t i = 0; i < k8s_set_warning_count(r->k8s); i++)
		warnf(r, "%s", k8s_set_warning(r->k8s, i));
	if (k8s_set_count(r->k8s))
		TRY(k8s_check(r->k8s, &r->o->k8s, r->out, e));
	return BOSUN_OK;
}

int config_check_paths(const char *const *paths, size_t n, const struct config_check_options *o,
		       struct finding_list *out, struct config_check_stats *stats, struct berr *e)
{
	struct config_run r = {
		.o = o,
		.out = out,
		.k8s = k8s_set_new(),
		.max_entries = o->max_entries ? o->max_entries : CONFIG_MAX_ENTRIES,
	};
	if (!r.k8s)
		return berr_set(e, BOSUN_ENOMEM, "out of memory");
	int rc = run_checks(&r, paths, n, e);
	k8s_set_free(r.k8s);
	if (stats)
		*stats = r.stats;
	return rc;
}
