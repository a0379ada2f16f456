/* Loading Kubernetes manifests into a k8s_set: files, directories, stdin;
 * multi-document YAML and JSON (JSON is YAML's flow style, so one parser
 * gives both their lines); `List` kinds expanded into their items.
 *
 * Every parsed document stays alive as long as the set: the line map is
 * keyed by node address, and a freed document's addresses could be reused
 * by a later one. */
#include "k8s/k8s.h"
#include "k8s/k8s_internal.h"
#include "util/buf.h"
#include "util/yaml_json.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const struct yaml_json_limits k8s_yaml_limits = {
	.max_bytes = K8S_MAX_FILE_BYTES,
	.max_depth = 64,
	.max_nodes = 1000000,
	.max_alias_nodes = 100000,
};

struct k8s_set {
	struct arena arena;
	struct k8s_object *objs;
	size_t n, cap;
	json_t *docs;                 /* every parsed document, kept alive for the line map */
	struct yaml_json_lines *lines;
	char **warnings;
	size_t nwarnings, cap_warnings;
	size_t bytes;                 /* loaded so far, for K8S_MAX_TOTAL_BYTES */
	size_t files;
};

struct k8s_set *k8s_set_new(void)
{
	struct k8s_set *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->docs = json_array();
	s->lines = yaml_json_lines_new();
	if (!s->docs || !s->lines) {
		k8s_set_free(s);
		return NULL;
	}
	return s;
}

void k8s_set_free(struct k8s_set *s)
{
	if (!s)
		return;
	free(s->objs);
	json_decref(s->docs);
	yaml_json_lines_free(s->lines);
	for (size_t i = 0; i < s->nwarnings; i++)
		free(s->warnings[i]);
	free(s->warnings);
	arena_free(&s->arena);
	free(s);
}

size_t k8s_set_count(const struct k8s_set *s) { return s->n; }

const struct k8s_object *k8s_set_get(const struct k8s_set *s, size_t i) { return i < s->n ? &s->objs[i] : NULL; }

size_t k8s_set_warning_count(const struct k8s_set *s) { return s->nwarnings; }

const char *k8s_set_warning(const struct k8s_set *s, size_t i) { return i < s->nwarnings ? s->warnings[i] : NULL; }

unsigned k8s_line_of(const struct k8s_set *s, const json_t *node) { return yaml_json_line(s->lines, node); }

unsigned k8s_member_line(const struct k8s_set *s, const json_t *obj, const char *key)
{
	unsigned l = yaml_json_member_line(s->lines, obj, key);
	return l ? l : yaml_json_line(s->lines, obj);
}

static void set_warn(struct k8s_set *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_warn(struct k8s_set *s, const char *fmt, ...)
{
	if (s->nwarnings >= K8S_MAX_WARNINGS)
		return;
	if (s->nwarnings == s->cap_warnings) {
		size_t cap = s->cap_warnings ? s->cap_warnings * 2 : 8;
		char **w = realloc(s->warnings, cap * sizeof *w);
		if (!w)
			return;
		s->warnings = w;
		s->cap_warnings = cap;
	}
	va_list ap;
	va_start(ap, fmt);
	char *msg = NULL;
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (msg)
		s->warnings[s->nwarnings++] = msg;
}

/* ---- kinds ------------------------------------------------------------------ */

/* Kinds without a namespace: their ns is "". Everything else (including
 * custom resources, which are usually namespaced) defaults to "default". */
static bool cluster_scoped(const char *kind)
{
	static const char *const kinds[] = {
		"Namespace", "Node", "PersistentVolume", "ClusterRole", "ClusterRoleBinding",
		"CustomResourceDefinition", "StorageClass", "PriorityClass", "RuntimeClass", "IngressClass",
		"CSIDriver", "CSINode", "VolumeAttachment", "APIService", "MutatingWebhookConfiguration",
		"ValidatingWebhookConfiguration", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
		"PodSecurityPolicy", "CertificateSigningRequest", "ComponentStatus", "FlowSchema",
		"PriorityLevelConfiguration", "ClusterIssuer",
	};
	for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
		if (!strcmp(kind, kinds[i]))
			return true;
	return false;
}

static const char *const workload_kinds[] = {
	"Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob",
};

/* spec.template.spec.containers: the shape of every controller, and of
 * custom controllers (Argo Rollouts, OpenKruise CloneSets...). */
static bool has_template(const json_t *obj)
{
	const json_t *t = json_object_get(json_object_get(obj, "spec"), "template");
	return json_is_array(json_object_get(json_object_get(t, "spec"), "containers"));
}

bool k8s_is_workload(const struct k8s_object *o)
{
	for (size_t i = 0; i < sizeof workload_kinds / sizeof *workload_kinds; i++)
		if (!strcmp(o->kind, workload_kinds[i]))
			return true;
	return has_template(o->obj);
}

bool k8s_pod_template(const struct k8s_object *o, const json_t **meta, const json_t **spec)
{
	const json_t *m = NULL, *sp = NULL, *root = o->obj;
	if (!strcmp(o->kind, "Pod")) {
		m = json_object_get(root, "metadata");
		sp = json_object_get(root, "spec");
	} else {
		const json_t *owner = json_object_get(root, "spec");
		if (!strcmp(o->kind, "CronJob"))
			owner = json_object_get(json_object_get(owner, "jobTemplate"), "spec");
		const json_t *t = json_object_get(owner, "template");
		if (!k8s_is_workload(o) && !has_template(root))
			return false;
		m = json_object_get(t, "metadata");
		sp = json_object_get(t, "spec");
	}
	if (!json_is_object(sp))
		return false;
	*meta = json_is_object(m) ? m : NULL;
	*spec = sp;
	return true;
}

/* ---- documents ------------------------------------------------------------ */

struct load_ctx {
	struct k8s_set *s;
	const char *file; /* in the set's arena */
};

static const char *meta_str(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(json_object_get(obj, "metadata"), key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static int add_object(struct load_ctx *c, json_t *obj, unsigned doc_line, struct berr *e)
{
	struct k8s_set *s = c->s;
	if (s->n >= K8S_MAX_OBJECTS)
		return berr_set(e, BOSUN_ELIMIT, "%s: more than %d Kubernetes objects", c->file, K8S_MAX_OBJECTS);
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		struct k8s_object *v = realloc(s->objs, cap * sizeof *v);
		if (!v)
			return berr_set(e, BOSUN_ENOMEM, "out of memory");
		s->objs = v;
		s->cap = cap;
	}
	const char *kind = json_string_value(json_object_get(obj, "kind"));
	const char *name = meta_str(obj, "name");
	if (!name)
		name = meta_str(obj, "generateName");
	const char *ns = meta_str(obj, "namespace");
	if (!ns || !*ns)
		ns = cluster_scoped(kind) ? "" : "default";
	unsigned line = yaml_json_line(s->lines, obj);
	struct k8s_object *o = &s->objs[s->n];
	*o = (struct k8s_object){
		.obj = obj,
		.api_version = json_string_value(json_object_get(obj, "apiVersion")),
		.kind = kind,
		.name = name ? name : "",
		.ns = ns,
		.file = c->file,
		.line = line ? line : doc_line,
	};
	s->n++;
	return BOSUN_OK;
}

static bool is_k8s_object(const json_t *v)
{
	return json_is_object(v) && json_is_string(json_object_get(v, "apiVersion")) &&
	       json_is_string(json_object_get(v, "kind"));
}

static bool is_list(const json_t *v)
{
	const char *kind = json_string_value(json_object_get(v, "kind"));
	size_t n = strlen(kind);
	return n >= 4 && !strcmp(kind + n - 4, "List") && json_is_array(json_object_get(v, "items"));
}

static int on_document(void *ctx, json_t *doc, unsigned line, struct berr *e)
{
	struct load_ctx *c = ctx;
	struct k8s_set *s = c->s;
	if (json_array_append_new(s->docs, doc))
		return berr_set(e, BOSUN_ENOMEM, "out of memory");
	if (json_is_null(doc))
		return BOSUN_OK; /* empty documents: `---` runs in helm and kustomize output */
	if (!is_k8s_object(doc)) {
		set_warn(s, "%s line %u: document is not a Kubernetes object (no apiVersion and kind); skipped",
			 c->file, line);
		return BOSUN_OK;
	}
	if (!is_list(doc))
		return add_object(c, doc, line, e);
	size_t i;
	json_t *item;
	json_array_foreach(json_object_get(doc, "items"), i, item) {
		if (!is_k8s_object(item)) {
			unsigned l = yaml_json_line(s->lines, item);
			set_warn(s, "%s line %u: item %zu of the list is not a Kubernetes object; skipped", c->file,
				 l ? l : line, i);
			continue;
		}
		TRY(add_object(c, item, line, e));
	}
	return BOSUN_OK;
}

int k8s_set_load_buffer(struct k8s_set *s, const char *what, const char *data, size_t n, struct berr *e)
{
	if (n > K8S_MAX_TOTAL_BYTES - s->bytes)
		return berr_set(e, BOSUN_ELIMIT, "%s: manifests exceed %zu MiB in total", what,
				(size_t)K8S_MAX_TOTAL_BYTES >> 20);
	s->bytes += n;
	struct load_ctx c = { s, arena_strdup(&s->arena, what) };
	if (!c.file)
		return berr_set(e, BOSUN_ENOMEM, "out of memory");
	return yaml_json_parse_stream(data, n, &k8s_yaml_limits, c.file, s->lines, on_document, &c, e);
}

/* ---- files and directories ---------------------------------------------------- */

static int read_fd(int fd, const char *what, struct buf *b, struct berr *e)
{
	for (;;) {
		if (b->len > K8S_MAX_FILE_BYTES)
			return berr_set(e, BOSUN_ELIMIT, "%s: larger than the limit of %zu MiB", what,
					(size_t)K8S_MAX_FILE_BYTES >> 20);
		if (buf_reserve(b, 65536))
			return berr_set(e, BOSUN_ENOMEM, "out of memory");
		ssize_t r = read(fd, b->data + b->len, b->cap - b->len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return berr_set(e, BOSUN_EIO, "%s: %s", what, strerror(errno));
		if (r == 0)
			break;
		b->len += (size_t)r;
		b->data[b->len] = '\0';
	}
	return BOSUN_OK;
}

static int load_file(struct k8s_set *s, const char *path, struct berr *e)
{
	if (++s->files > K8S_MAX_FILES)
		return berr_set(e, BOSUN_ELIMIT, "%s: more than %d manifest files", path, K8S_MAX_FILES);
	bool is_stdin = !strcmp(path, "-");
	int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return berr_set(e, errno == ENOENT ? BOSUN_ENOTFOUND : BOSUN_EIO, "%s: %s", path, strerror(errno));
	struct buf b = { 0 };
	int rc = read_fd(fd, is_stdin ? "stdin" : path, &b, e);
	if (!is_stdin)
		close(fd);
	if (rc == BOSUN_OK)
		rc = k8s_set_load_buffer(s, path, b.data ? b.data : "", b.len, e);
	buf_free(&b);
	return rc;
}

static bool manifest_name(const char *name)
{
	const char *dot = strrchr(name, '.');
	return dot && (!strcmp(dot, ".yaml") || !strcmp(dot, ".yml") || !strcmp(dot, ".json"));
}

static int name_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int load_dir(struct k8s_set *s, const char *dir, int depth, struct berr *e);

/* One directory entry: subdirectories are walked (symbolic links to
 * directories are not, so a link cannot make a loop), manifest files loaded. */
static int load_entry(struct k8s_set *s, const char *path, const char *name, int depth, struct berr *e)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return berr_set(e, BOSUN_EIO, "%s: %s", path, strerror(errno));
	if (S_ISDIR(st.st_mode))
		return name[0] == '.' ? BOSUN_OK : load_dir(s, path, depth + 1, e); /* .git, .github... */
	if (!manifest_name(name))
		return BOSUN_OK;
	if (S_ISLNK(st.st_mode) && (stat(path, &st) != 0 || !S_ISREG(st.st_mode)))
		return BOSUN_OK;
	if (!S_ISREG(st.st_mode))
		return BOSUN_OK;
	return load_file(s, path, e);
}

static int load_dir(struct k8s_set *s, const char *dir, int depth, struct berr *e)
{
	if (depth > K8S_MAX_DIR_DEPTH)
		return berr_set(e, BOSUN_ELIMIT, "%s: directories nested deeper than %d", dir, K8S_MAX_DIR_DEPTH);
	DIR *d = opendir(dir);
	if (!d)
		return berr_set(e, BOSUN_EIO, "%s: %s", dir, strerror(errno));
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = BOSUN_OK;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			char **v = realloc(names, cap * sizeof *v);
			if (!v) {
				rc = berr_set(e, BOSUN_ENOMEM, "out of memory");
				break;
			}
			names = v;
		}
		if (!(names[n] = strdup(de->d_name))) {
			rc = berr_set(e, BOSUN_ENOMEM, "out of memory");
			break;
		}
		n++;
	}
	closedir(d);
	if (rc == BOSUN_OK && n)
		qsort(names, n, sizeof *names, name_cmp); /* same order, same report, on every file system */
	for (size_t i = 0; rc == BOSUN_OK && i < n; i++) {
		char *path;
		size_t dl = strlen(dir);
		if (asprintf(&path, "%s%s%s", dir, dl && dir[dl - 1] == '/' ? "" : "/", names[i]) < 0) {
			rc = berr_set(e, BOSUN_ENOMEM, "out of memory");
			break;
		}
		rc = load_entry(s, path, names[i], depth, e);
		free(path);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

int k8s_set_load_path(struct k8s_set *s, const char *path, struct berr *e)
{
	if (!strcmp(path, "-"))
		return load_file(s, path, e);
	struct stat st;
	if (stat(path, &st) != 0)
		return berr_set(e, errno == ENOENT ? BOSUN_ENOTFOUND : BOSUN_EIO, "%s: %s", path, strerror(errno));
	if (S_ISDIR(st.st_mode))
		return load_dir(s, path, 0, e);
	return load_file(s, path, e);
}

/* ---- sniffing --------------------------------------------------------------- */

enum { FOUND_OBJECT = 1000 }; /* stops the parse at the first object */

static int sniff_document(void *ctx, json_t *doc, unsigned line, struct berr *e)
{
	(void)ctx;
	(void)line;
	(void)e;
	bool found = is_k8s_object(doc);
	json_decref(doc);
	return found ? FOUND_OBJECT : BOSUN_OK;
}

bool k8s_looks_like_manifest(const char *data, size_t n)
{
	/* cheap test first: most files of a project tree are not manifests */
	if (!memmem(data, n, "apiVersion", 10) || !memmem(data, n, "kind", 4))
		return false;
	struct berr e = { 0 };
	return yaml_json_parse_stream(data, n, &k8s_yaml_limits, "sniff", NULL, sniff_document, NULL, &e) ==
	       FOUND_OBJECT;
}
