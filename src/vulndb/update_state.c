/* DB.feeds/state.json. It is our own file but lives in a user's cache, so
 * it is read like any other input: bounded, typed, and a broken one only
 * costs a full download (it is ignored, with a warning). */
#include "util/json.h"
#include "util/log.h"
#include "util/sha256.h"
#include "vulndb/feedfs.h"
#include "vulndb/safedir.h"
#include "vulndb/update_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define STATE_FILE "state.json"
#define STATE_MAX (4u << 20)
#define STATE_VERSION 1

void update_state_free(struct update_state *s)
{
	free(s->feeds);
	free(s->built);
	*s = (struct update_state){ 0 };
}

const struct cached_feed *update_state_find(const struct update_state *s, const char *name)
{
	for (size_t i = 0; i < s->nfeeds; i++)
		if (!strcmp(s->feeds[i].name, name))
			return &s->feeds[i];
	return NULL;
}

static void copy_str(char *out, size_t cap, const json_t *obj, const char *key)
{
	const char *v = json_str(obj, key);
	if (v && strlen(v) < cap)
		memcpy(out, v, strlen(v) + 1);
}

static void read_entry(const json_t *o, struct cached_feed *c)
{
	memset(c, 0, sizeof *c);
	copy_str(c->name, sizeof c->name, o, "name");
	copy_str(c->url, sizeof c->url, o, "url");
	copy_str(c->v.etag, sizeof c->v.etag, o, "etag");
	copy_str(c->v.last_modified, sizeof c->v.last_modified, o, "last_modified");
	copy_str(c->sha256, sizeof c->sha256, o, "sha256");
	copy_str(c->fetched, sizeof c->fetched, o, "fetched");
	json_t *t = json_object_get(o, "filetime");
	c->filetime = json_is_integer(t) ? (int64_t)json_integer_value(t) : -1;
}

static int read_list(const json_t *arr, struct cached_feed **out, size_t *n, struct berr *e)
{
	*out = NULL;
	*n = 0;
	size_t count = json_is_array(arr) ? json_array_size(arr) : 0;
	if (count > FEEDS_MAX * 4)
		return berr_set(e, BOSUN_ELIMIT, "too many entries");
	if (!count)
		return BOSUN_OK;
	if (!(*out = calloc(count, sizeof **out)))
		return berr_set(e, BOSUN_ENOMEM, "out of memory");
	for (size_t i = 0; i < count; i++) {
		const json_t *o = json_array_get(arr, i);
		if (!json_is_object(o))
			continue;
		read_entry(o, &(*out)[*n]);
		/* an entry without a name or digest is of no use */
		if ((*out)[*n].name[0] && digest_valid((*out)[*n].sha256))
			(*n)++;
	}
	return BOSUN_OK;
}

static int parse(const char *path, struct update_state *s, struct berr *e)
{
	struct buf b = { 0 };
	json_t *doc = NULL;
	int rc = feed_read_file(path, STATE_MAX, &b, e);
	if (!rc)
		rc = json_parse_bounded(b.data, b.len, 8, path, &doc, e);
	if (!rc && json_integer_value(json_object_get(doc, "version")) != STATE_VERSION)
		rc = berr_set(e, BOSUN_EFORMAT, "%s: unknown version", path);
	if (!rc)
		rc = read_list(json_object_get(doc, "feeds"), &s->feeds, &s->nfeeds, e);
	if (!rc)
		rc = read_list(json_object_get(doc, "built"), &s->built, &s->nbuilt, e);
	json_decref(doc);
	buf_free(&b);
	return rc;
}

int update_state_load(const char *cache_dir, struct update_state *s, struct berr *e)
{
	*s = (struct update_state){ 0 };
	char path[PATH_MAX];
	TRY(feed_join(path, sizeof path, cache_dir, STATE_FILE, e));
	if (access(path, F_OK) != 0 && errno == ENOENT)
		return BOSUN_OK;
	struct berr why = { 0 };
	if (parse(path, s, &why) != BOSUN_OK) {
		update_state_free(s);
		log_warn("ignoring the feed cache state (%s): every feed is downloaded again", why.msg);
	}
	(void)e;
	return BOSUN_OK;
}

static json_t *entry_json(const struct cached_feed *c)
{
	json_t *o = json_object();
	json_object_set_new(o, "name", json_string(c->name));
	json_object_set_new(o, "url", json_string(c->url));
	json_object_set_new(o, "sha256", json_string(c->sha256));
	if (c->v.etag[0])
		json_object_set_new(o, "etag", json_string(c->v.etag));
	if (c->v.last_modified[0])
		json_object_set_new(o, "last_modified", json_string(c->v.last_modified));
	if (c->filetime >= 0)
		json_object_set_new(o, "filetime", json_integer((json_int_t)c->filetime));
	if (c->fetched[0])
		json_object_set_new(o, "fetched", json_string(c->fetched));
	return o;
}

static json_t *state_json(const struct update_state *s)
{
	json_t *doc = json_object(), *feeds = json_array(), *built = json_array();
	json_object_set_new(doc, "version", json_integer(STATE_VERSION));
	for (size_t i = 0; i < s->nfeeds; i++)
		json_array_append_new(feeds, entry_json(&s->feeds[i]));
	for (size_t i = 0; i < s->nbuilt; i++)
		json_array_append_new(built, entry_json(&s->built[i]));
	json_object_set_new(doc, "feeds", feeds);
	json_object_set_new(doc, "built", built);
	return doc;
}

int update_state_save(const char *cache_dir, const struct update_state *s, struct berr *e)
{
	char path[PATH_MAX], tmp[PATH_MAX + 16];
	TRY(feed_join(path, sizeof path, cache_dir, STATE_FILE, e));
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	json_t *doc = state_json(s);
	char *text = doc ? json_dumps(doc, JSON_INDENT(1) | JSON_SORT_KEYS) : NULL;
	json_decref(doc);
	if (!text)
		return berr_set(e, BOSUN_ENOMEM, "out of memory");
	unlink(tmp);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	int rc = fd < 0 ? berr_set(e, BOSUN_EIO, "cannot create %s: %s", tmp, strerror(errno))
			: safedir_write_all(fd, text, strlen(text), tmp, e);
	if (fd >= 0 && close(fd) != 0 && !rc)
		rc = berr_set(e, BOSUN_EIO, "cannot write %s: %s", tmp, strerror(errno));
	free(text);
	if (!rc)
		rc = safedir_commit(tmp, path, e);
	if (rc)
		unlink(tmp);
	return rc;
}

int update_file_sha256(const char *path, char out[72], struct berr *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return berr_set(e, BOSUN_EIO, "cannot open %s: %s", path, strerror(errno));
	struct sha256 h;
	if (sha256_init(&h) != BOSUN_OK) {
		close(fd);
		return berr_set(e, BOSUN_ENOMEM, "out of memory");
	}
	char buf[64 << 10];
	ssize_t r;
	while ((r = read(fd, buf, sizeof buf)) > 0 || (r < 0 && errno == EINTR))
		if (r > 0)
			sha256_update(&h, buf, (size_t)r);
	int err = errno;
	close(fd);
	if (r < 0) {
		sha256_free(&h);
		return berr_set(e, BOSUN_EIO, "cannot read %s: %s", path, strerror(err));
	}
	sha256_final_digest(&h, out);
	return BOSUN_OK;
}
