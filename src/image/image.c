#include "image/image.h"
#include "image/source.h"
#include "util/json.h"
#include "util/sha256.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *target_kind_name(enum target_kind k)
{
	switch (k) {
	case TARGET_AUTO: return "auto";
	case TARGET_DOCKER_ARCHIVE: return "docker-archive";
	case TARGET_OCI_DIR: return "oci-dir";
	case TARGET_OCI_ARCHIVE: return "oci-archive";
	case TARGET_ROOTFS: return "rootfs";
	case TARGET_FS: return "fs";
	}
	return "?";
}

static const struct {
	const char *prefix;
	enum target_kind kind;
} prefixes[] = {
	{ "docker-archive:", TARGET_DOCKER_ARCHIVE },
	{ "oci-dir:", TARGET_OCI_DIR },
	{ "oci:", TARGET_OCI_DIR },
	{ "oci-archive:", TARGET_OCI_ARCHIVE },
	{ "rootfs:", TARGET_ROOTFS },
	{ "fs:", TARGET_FS },
};

int blob_read_all(const struct blob_ref *b, uint64_t max, const char *digest, struct buf *out, struct berr *e)
{
	if (b->len > max)
		return berr_set(e, BOSUN_ELIMIT, "document of %llu bytes exceeds the %llu-byte limit",
				(unsigned long long)b->len, (unsigned long long)max);
	buf_reset(out);
	TRY(buf_reserve(out, (size_t)b->len));
	size_t done = 0;
	while (done < b->len) {
		ssize_t n = pread(b->fd, out->data + done, (size_t)b->len - done, (off_t)(b->off + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return berr_set(e, BOSUN_EIO, "read failed: %s", strerror(errno));
		if (n == 0)
			return berr_set(e, BOSUN_EFORMAT, "file is truncated");
		done += (size_t)n;
	}
	out->len = done;
	out->data[done] = '\0';
	if (digest) {
		struct sha256 h;
		TRY(sha256_init(&h));
		sha256_update(&h, out->data, out->len);
		char got[72];
		sha256_final_digest(&h, got);
		if (strcmp(got, digest) != 0)
			return berr_set(e, BOSUN_EDIGEST, "content has digest %s, expected %s", got, digest);
	}
	return BOSUN_OK;
}

/* Opens name under the layout directory without following a symlink in
 * any component: a layout whose blobs (or blobs/ itself) link elsewhere
 * would make us read files outside it. O_NONBLOCK keeps a FIFO planted in
 * the layout from blocking the open; fstat then refuses it. */
static int open_in_layout(int dirfd, const char *name, int *out, struct berr *e)
{
	int cur = dirfd;
	const char *p = name;
	for (;;) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		char comp[256];
		if (n == 0 || n >= sizeof comp) {
			if (cur != dirfd)
				close(cur);
			return berr_set(e, BOSUN_EFORMAT, "bad layout reference %s", name);
		}
		memcpy(comp, p, n);
		comp[n] = '\0';
		int fd = openat(cur, comp, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | (slash ? O_DIRECTORY : 0));
		int err = errno;
		if (cur != dirfd)
			close(cur);
		if (fd < 0) {
			if (err == ENOENT)
				return berr_set(e, BOSUN_ENOTFOUND, "%s is missing from the layout", name);
			if (!slash && err == ELOOP)
				return berr_set(e, BOSUN_EFORMAT,
						"%s is a symlink; links in an OCI layout are not followed", name);
			if (err == ELOOP || err == ENOTDIR)
				return berr_set(e, BOSUN_EFORMAT,
						"%s: %.*s is a symlink or not a directory; links in an OCI layout are not followed",
						name, (int)(p + n - name), name);
			return berr_set(e, BOSUN_EIO, "cannot open %s: %s", name, strerror(err));
		}
		if (!slash) {
			*out = fd;
			return BOSUN_OK;
		}
		cur = fd;
		p = slash + 1;
	}
}

int image_member(struct image *img, const struct archive_index *ix, const char *name, struct blob_ref *out,
		 struct berr *e)
{
	if (ix)
		return archive_lookup(ix, name, out, img->fd, e);
	/* OCI directory: names come from our own code (blobs/ALG/HEX, index.json),
	 * validated before; still refuse anything that could leave the layout. */
	if (name[0] == '/' || strstr(name, ".."))
		return berr_set(e, BOSUN_EFORMAT, "bad layout reference %s", name);
	int fd = -1;
	TRY(open_in_layout(img->dirfd, name, &fd, e));
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return berr_set(e, BOSUN_EFORMAT, "%s is not a regular file", name);
	}
	/* The caller owns fd (layers keep it until image_close). */
	*out = (struct blob_ref){ fd, 0, (uint64_t)st.st_size };
	return BOSUN_OK;
}

int image_read_member(struct image *img, const struct archive_index *ix, const char *name, const char *digest,
		      uint64_t max, struct buf *out, struct berr *e)
{
	struct blob_ref b;
	TRY(image_member(img, ix, name, &b, e));
	int rc = blob_read_all(&b, max, digest, out, e);
	if (!ix)
		close(b.fd);
	if (rc)
		return berr_wrap(e, rc, "%s", name);
	return BOSUN_OK;
}

static int history_created_by(struct image *img, json_t *history)
{
	if (!json_is_array(history))
		return BOSUN_OK;
	size_t li = 0, i;
	json_t *h;
	json_array_foreach(history, i, h)
	{
		if (json_is_true(json_object_get(h, "empty_layer")))
			continue;
		if (li >= img->nlayers)
			break;
		const char *cb = json_str(h, "created_by");
		if (cb && !(img->layers[li].created_by = arena_strdup(&img->arena, cb)))
			return BOSUN_ENOMEM;
		li++;
	}
	return BOSUN_OK;
}

int image_apply_config(struct image *img, const struct blob_ref *config, const char *digest,
		       const struct image_options *opt, struct berr *e)
{
	struct buf b = { 0 };
	int rc = blob_read_all(config, opt->limits.max_json_bytes, digest, &b, e);
	if (rc) {
		buf_free(&b);
		return berr_wrap(e, rc, "image config");
	}
	if (!digest) {
		/* docker-archive: the config's own sha256 is the image id. */
		struct sha256 h;
		char id[72];
		if ((rc = sha256_init(&h))) {
			buf_free(&b);
			return rc;
		}
		sha256_update(&h, b.data, b.len);
		sha256_final_digest(&h, id);
		img->config_digest = arena_strdup(&img->arena, id);
	} else {
		img->config_digest = arena_strdup(&img->arena, digest);
	}
	json_t *cfg = NULL;
	rc = json_parse_bounded(b.data, b.len, IMAGE_JSON_MAX_DEPTH, "image config", &cfg, e);
	if (rc) {
		buf_free(&b);
		return rc;
	}
	img->config_json = arena_strndup(&img->arena, b.data, b.len);
	buf_free(&b);
	img->architecture = arena_strdup(&img->arena, json_str(cfg, "architecture"));
	img->os = arena_strdup(&img->arena, json_str(cfg, "os"));
	img->variant = arena_strdup(&img->arena, json_str(cfg, "variant"));
	img->created = arena_strdup(&img->arena, json_str(cfg, "created"));
	json_t *diff_ids = json_object_get(json_object_get(cfg, "rootfs"), "diff_ids");
	if (!json_is_array(diff_ids)) {
		json_decref(cfg);
		return berr_set(e, BOSUN_EFORMAT, "image config has no rootfs.diff_ids");
	}
	if (json_array_size(diff_ids) != img->nlayers) {
		rc = berr_set(e, BOSUN_EFORMAT, "image config lists %zu diff_ids but the manifest has %zu layers",
			      json_array_size(diff_ids), img->nlayers);
		json_decref(cfg);
		return rc;
	}
	for (size_t i = 0; i < img->nlayers; i++) {
		const char *d = json_string_value(json_array_get(diff_ids, i));
		if (!d || !digest_valid(d)) {
			json_decref(cfg);
			return berr_set(e, BOSUN_EFORMAT, "image config: diff_id %zu is not a sha256 digest", i);
		}
		img->layers[i].diff_id = arena_strdup(&img->arena, d);
	}
	rc = history_created_by(img, json_object_get(cfg, "history"));
	json_decref(cfg);
	return rc;
}

static enum target_kind detect_dir(int dirfd)
{
	if (faccessat(dirfd, "oci-layout", F_OK, 0) == 0 || faccessat(dirfd, "index.json", F_OK, 0) == 0)
		return TARGET_OCI_DIR;
	return TARGET_ROOTFS;
}

static int open_archive(struct image *img, enum target_kind kind, const struct image_options *opt, struct berr *e)
{
	unsigned char head[512];
	ssize_t n = pread(img->fd, head, sizeof head, 0);
	if (n == 0)
		return berr_set(e, BOSUN_EFORMAT, "%s is an empty file, not an image archive", img->target);
	if (n >= 6) {
		const char *what = NULL;
		if (head[0] == 0x1f && head[1] == 0x8b)
			what = "gzip";
		else if (head[0] == 0x28 && head[1] == 0xb5)
			what = "zstd";
		else if (memcmp(head, "\xfd" "7zXZ", 5) == 0)
			what = "xz";
		if (what)
			return berr_set(e, BOSUN_EUNSUPPORTED,
					"%s is a %s-compressed file; decompress it first (e.g. docker save output piped to %s)",
					img->target, what, what);
	}
	struct archive_index ix;
	int rc = archive_index_build(img->fd, &ix, opt->limits.max_entries, e);
	if (rc)
		return berr_wrap(e, rc, "%s: not a readable tar archive", img->target);
	if (kind == TARGET_AUTO)
		kind = archive_has(&ix, "manifest.json") ? TARGET_DOCKER_ARCHIVE
			: (archive_has(&ix, "index.json") || archive_has(&ix, "oci-layout")) ? TARGET_OCI_ARCHIVE
											  : TARGET_AUTO;
	img->kind = kind;
	if (kind == TARGET_DOCKER_ARCHIVE)
		rc = docker_archive_open(img, &ix, opt, e);
	else if (kind == TARGET_OCI_ARCHIVE)
		rc = oci_layout_open(img, &ix, opt, e);
	else
		rc = berr_set(e, BOSUN_EFORMAT,
			      "%s: tar archive has neither manifest.json (docker save) nor index.json (OCI layout); "
			      "for a filesystem tarball, unpack it and scan the directory with rootfs:DIR",
			      img->target);
	archive_index_free(&ix);
	return rc;
}

/* An explicit --platform must match the chosen image's config, also when
 * the index gave no platform or the source has none (docker-archive). */
static int check_platform(const struct image *img, const struct image_options *opt, struct berr *e)
{
	if (!opt->platform || !img->os || !img->architecture)
		return BOSUN_OK;
	char want[128];
	snprintf(want, sizeof want, "%s", opt->platform);
	char *os = strtok(want, "/"), *arch = os ? strtok(NULL, "/") : NULL, *var = arch ? strtok(NULL, "/") : NULL;
	if (!os || !arch)
		return berr_set(e, BOSUN_EUSAGE, "--platform must be os/arch[/variant], not '%s'", opt->platform);
	bool ok = !strcmp(os, img->os) && !strcmp(arch, img->architecture) &&
		  (!var || !strcmp(var, img->variant ? img->variant : (!strcmp(arch, "arm64") ? "v8" : "")));
	if (ok)
		return BOSUN_OK;
	return berr_set(e, BOSUN_ENOTFOUND, "no image for platform %s (available: %s/%s%s%s)", opt->platform, img->os,
			img->architecture, img->variant ? "/" : "", img->variant ? img->variant : "");
}

int image_open(const char *target, const struct image_options *opt, struct image *img, struct berr *e)
{
	memset(img, 0, sizeof *img);
	img->fd = img->dirfd = -1;
	enum target_kind kind = TARGET_AUTO;
	const char *path = target;
	for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
		size_t n = strlen(prefixes[i].prefix);
		if (strncmp(target, prefixes[i].prefix, n) == 0) {
			kind = prefixes[i].kind;
			path = target + n;
			break;
		}
	}
	img->target = arena_strdup(&img->arena, path);
	if (!img->target)
		return BOSUN_ENOMEM;
	struct stat st;
	if (stat(path, &st) < 0)
		return berr_set(e, errno == ENOENT ? BOSUN_ENOTFOUND : BOSUN_EIO, "%s: %s", path, strerror(errno));
	if (S_ISDIR(st.st_mode)) {
		if (kind == TARGET_DOCKER_ARCHIVE || kind == TARGET_OCI_ARCHIVE)
			return berr_set(e, BOSUN_EUSAGE, "%s is a directory, not an archive", path);
		img->dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (img->dirfd < 0)
			return berr_set(e, BOSUN_EIO, "%s: %s", path, strerror(errno));
		if (kind == TARGET_AUTO)
			kind = detect_dir(img->dirfd);
		img->kind = kind;
		if (kind == TARGET_OCI_DIR) {
			TRY(oci_layout_open(img, NULL, opt, e));
			return check_platform(img, opt, e);
		}
		return BOSUN_OK; /* rootfs / fs: walked directly */
	}
	if (kind == TARGET_OCI_DIR || kind == TARGET_ROOTFS || kind == TARGET_FS)
		return berr_set(e, BOSUN_EUSAGE, "%s is not a directory", path);
	/* Archives are read with pread: a FIFO or device would block or fail. */
	if (!S_ISREG(st.st_mode))
		return berr_set(e, BOSUN_EUSAGE, "%s is not a regular file or a directory", path);
	img->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (img->fd < 0)
		return berr_set(e, BOSUN_EIO, "%s: %s", path, strerror(errno));
	TRY(open_archive(img, kind, opt, e));
	return check_platform(img, opt, e);
}

void image_close(struct image *img)
{
	/* OCI directory blobs each hold an fd; close every distinct one. */
	for (size_t i = 0; i < img->nlayers; i++) {
		int fd = img->layers[i].blob.fd;
		if (fd >= 0 && fd != img->fd) {
			for (size_t j = i + 1; j < img->nlayers; j++)
				if (img->layers[j].blob.fd == fd)
					img->layers[j].blob.fd = -1;
			close(fd);
		}
	}
	if (img->fd >= 0)
		close(img->fd);
	if (img->dirfd >= 0)
		close(img->dirfd);
	arena_free(&img->arena);
	memset(img, 0, sizeof *img);
	img->fd = img->dirfd = -1;
}
