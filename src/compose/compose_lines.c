/* The line map: a second, event-only pass of libyaml over a document the
 * tree builder already accepted. yaml_json gives trees without positions,
 * and a compose finding should point at the offending key, so this pass
 * records the start line of every key and sequence item under `services:`
 * down to services.NAME.KEY.INDEX.SUBKEY. Aliases are not expanded here, so
 * the pass is linear in the input. Paths are joined with \x1f, which YAML
 * keys of a compose file never contain in practice (a key that does only
 * loses its line). */
#include "compose/compose_internal.h"
#include "util/strmap.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define SEP '\x1f'
#define MAX_COMPONENTS 5 /* services, NAME, KEY, INDEX, SUBKEY */
#define MAX_FRAMES 256   /* deeper than yaml_json allows; a guard only */

struct compose_lines {
	struct strmap map; /* path -> (void *)(uintptr_t)line */
	struct arena arena;
};

struct frame {
	bool mapping;
	bool want_key;
	size_t index;      /* next item of a sequence */
	size_t base;       /* path length of this container */
	size_t components; /* path components of this container */
};

struct walker {
	struct compose_lines *m;
	struct buf path;
	struct frame frames[MAX_FRAMES];
	size_t depth;
	size_t ignored_depth; /* containers nested past MAX_FRAMES */
	size_t entry_components; /* components of the path now in `path` */
};

static bool under_services(const struct walker *w)
{
	static const char root[] = "services";
	return w->path.len >= sizeof root - 1 && !memcmp(w->path.data, root, sizeof root - 1) &&
	       (w->path.len == sizeof root - 1 || w->path.data[sizeof root - 1] == SEP);
}

/* Sets `path` to the container's path plus one component and records it. */
static int enter_entry(struct walker *w, const struct frame *f, const char *comp, size_t n, unsigned line)
{
	w->path.len = f->base;
	if (w->path.data)
		w->path.data[w->path.len] = '\0';
	if (f->components)
		TRY(buf_append(&w->path, (char[]){ SEP }, 1));
	TRY(buf_append(&w->path, comp, n));
	w->entry_components = f->components + 1;
	if (w->entry_components > MAX_COMPONENTS || !under_services(w) || strmap_get(&w->m->map, w->path.data))
		return BOSUN_OK;
	char *key = arena_strndup(&w->m->arena, w->path.data, w->path.len);
	if (!key)
		return BOSUN_ENOMEM;
	return strmap_put(&w->m->map, key, (void *)(uintptr_t)line);
}

static int push(struct walker *w, bool mapping)
{
	if (w->ignored_depth || w->depth == MAX_FRAMES) {
		w->ignored_depth++;
		return BOSUN_OK;
	}
	size_t components = w->depth ? w->entry_components : 0;
	w->frames[w->depth] = (struct frame){ .mapping = mapping, .want_key = mapping, .base = w->path.len,
					      .components = components };
	w->depth++;
	return BOSUN_OK;
}

static int on_event(struct walker *w, const yaml_event_t *ev)
{
	unsigned line = (unsigned)ev->start_mark.line + 1;
	bool node = ev->type == YAML_SCALAR_EVENT || ev->type == YAML_ALIAS_EVENT ||
		    ev->type == YAML_SEQUENCE_START_EVENT || ev->type == YAML_MAPPING_START_EVENT;
	if (ev->type == YAML_SEQUENCE_END_EVENT || ev->type == YAML_MAPPING_END_EVENT) {
		if (w->ignored_depth) {
			w->ignored_depth--;
			return BOSUN_OK;
		}
		if (!w->depth)
			return BOSUN_EFORMAT;
		w->depth--;
		if (w->depth) /* the parent expects its next key or item */
			w->frames[w->depth - 1].want_key = w->frames[w->depth - 1].mapping;
		return BOSUN_OK;
	}
	if (!node || w->ignored_depth) {
		if (w->ignored_depth && (ev->type == YAML_SEQUENCE_START_EVENT || ev->type == YAML_MAPPING_START_EVENT))
			w->ignored_depth++;
		return BOSUN_OK;
	}
	if (!w->depth) { /* the root node */
		w->entry_components = 0;
		if (ev->type == YAML_SEQUENCE_START_EVENT || ev->type == YAML_MAPPING_START_EVENT)
			return push(w, ev->type == YAML_MAPPING_START_EVENT);
		return BOSUN_OK;
	}
	struct frame *f = &w->frames[w->depth - 1];
	if (f->mapping && f->want_key) {
		f->want_key = false;
		if (ev->type == YAML_SCALAR_EVENT)
			return enter_entry(w, f, (const char *)ev->data.scalar.value, ev->data.scalar.length, line);
		/* an alias as key: its text is not at hand; the value gets no line */
		return enter_entry(w, f, "\x1e", 1, line);
	}
	if (!f->mapping) {
		char idx[24];
		int k = snprintf(idx, sizeof idx, "%zu", f->index++);
		TRY(enter_entry(w, f, idx, (size_t)k, line));
	} else {
		f->want_key = true; /* a mapping value: the key set the path */
	}
	if (ev->type == YAML_SEQUENCE_START_EVENT || ev->type == YAML_MAPPING_START_EVENT)
		return push(w, ev->type == YAML_MAPPING_START_EVENT);
	return BOSUN_OK;
}

void compose_lines_free(struct compose_lines *m)
{
	if (!m)
		return;
	strmap_free(&m->map);
	arena_free(&m->arena);
	free(m);
}

int compose_lines_build(const char *data, size_t n, struct compose_lines **out, struct berr *e)
{
	*out = NULL;
	struct compose_lines *m = calloc(1, sizeof *m);
	struct walker *w = calloc(1, sizeof *w);
	yaml_parser_t p;
	if (!m || !w || !yaml_parser_initialize(&p)) {
		free(m);
		free(w);
		return berr_set(e, BOSUN_ENOMEM, "out of memory");
	}
	w->m = m;
	yaml_parser_set_input_string(&p, (const unsigned char *)data, n);
	int rc = BOSUN_OK;
	for (;;) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&p, &ev)) {
			rc = berr_set(e, BOSUN_EFORMAT, "YAML line %zu: %s", p.problem_mark.line + 1,
				      p.problem ? p.problem : "malformed YAML");
			break;
		}
		bool end = ev.type == YAML_STREAM_END_EVENT;
		rc = on_event(w, &ev);
		yaml_event_delete(&ev);
		if (rc) {
			rc = berr_set(e, rc, "building the line map failed");
			break;
		}
		if (end)
			break;
	}
	yaml_parser_delete(&p);
	buf_free(&w->path);
	free(w);
	if (rc) {
		compose_lines_free(m);
		return rc;
	}
	*out = m;
	return BOSUN_OK;
}

/* ---- lookups ------------------------------------------------------------ */

static unsigned lookup(const struct compose_lines *m, const char *const *comps, size_t n)
{
	char key[1024];
	size_t len = 0;
	for (size_t i = 0; i < n; i++) {
		size_t cl = strlen(comps[i]);
		if (len + cl + 2 > sizeof key)
			return 0;
		if (i)
			key[len++] = SEP;
		memcpy(key + len, comps[i], cl);
		len += cl;
	}
	key[len] = '\0';
	return (unsigned)(uintptr_t)strmap_get(&m->map, key);
}

unsigned compose_line(const struct compose_lines *m, const char *svc, const char *key, const char *item,
		      const char *sub)
{
	if (!m || !svc)
		return 0;
	const char *comps[5] = { "services", svc, key, item, sub };
	size_t n = 2 + (key != NULL) + (key && item) + (key && item && sub);
	for (size_t k = n; k >= 2; k--) {
		unsigned line = lookup(m, comps, k);
		if (line)
			return line;
		if (k == 3) { /* the key is not in the service itself: it came through a merge key */
			const char *merge[3] = { "services", svc, "<<" };
			if ((line = lookup(m, merge, 3)))
				return line;
		}
	}
	return 0;
}
