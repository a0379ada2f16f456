/* Debounce set: a small array scanned linearly. It holds at most a few
 * thousand paths, which are due within a second; a linear pass per wake-up
 * costs less than keeping a hash map and a heap in step. */
#include "watch/debounce.h"

#include <stdlib.h>
#include <string.h>

struct pending {
	char *path;
	uint64_t first_ms, due_ms;
};

struct debounce {
	struct pending *v;
	size_t n, cap;
	unsigned delay_ms, max_delay_ms;
};

struct debounce *debounce_new(size_t capacity, unsigned delay_ms, unsigned max_delay_ms)
{
	struct debounce *d = calloc(1, sizeof *d);
	if (!d)
		return NULL;
	d->v = calloc(capacity ? capacity : 1, sizeof *d->v);
	if (!d->v) {
		free(d);
		return NULL;
	}
	d->cap = capacity ? capacity : 1;
	d->delay_ms = delay_ms;
	d->max_delay_ms = max_delay_ms < delay_ms ? delay_ms : max_delay_ms;
	return d;
}

void debounce_free(struct debounce *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++)
		free(d->v[i].path);
	free(d->v);
	free(d);
}

size_t debounce_count(const struct debounce *d) { return d->n; }

bool debounce_add(struct debounce *d, const char *path, uint64_t now_ms)
{
	for (size_t i = 0; i < d->n; i++) {
		struct pending *p = &d->v[i];
		if (strcmp(p->path, path) != 0)
			continue;
		uint64_t due = now_ms + d->delay_ms, last = p->first_ms + d->max_delay_ms;
		p->due_ms = due < last ? due : last;
		return true;
	}
	if (d->n == d->cap)
		return false;
	char *copy = strdup(path);
	if (!copy)
		return false;
	d->v[d->n++] = (struct pending){ copy, now_ms, now_ms + d->delay_ms };
	return true;
}

int debounce_next_ms(const struct debounce *d, uint64_t now_ms)
{
	if (d->n == 0)
		return -1;
	uint64_t next = UINT64_MAX;
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].due_ms < next)
			next = d->v[i].due_ms;
	return next <= now_ms ? 0 : (int)(next - now_ms);
}

void debounce_pop_due(struct debounce *d, uint64_t now_ms, void (*fn)(void *ud, const char *path), void *ud)
{
	size_t i = 0;
	while (i < d->n) {
		if (d->v[i].due_ms > now_ms) {
			i++;
			continue;
		}
		struct pending p = d->v[i];
		d->v[i] = d->v[--d->n]; /* order does not matter */
		fn(ud, p.path);
		free(p.path);
	}
}
