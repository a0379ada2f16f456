/* Debouncing file events: a file written in several bursts (or closed
 * after writing several times in a row) is scanned once, shortly after the
 * last write. Each path waits `delay_ms` after its latest event, but never
 * more than `max_delay_ms` after its first one, so a file rewritten without
 * pause is still scanned. The set is bounded: when it is full, add() says
 * so and the caller scans at once instead. */
#ifndef BOSUN_WATCH_DEBOUNCE_H
#define BOSUN_WATCH_DEBOUNCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct debounce;

struct debounce *debounce_new(size_t capacity, unsigned delay_ms, unsigned max_delay_ms);
void debounce_free(struct debounce *d);

/* Records an event for path at time now_ms (monotonic). false when the set
 * is full (or out of memory) and path is not in it. */
bool debounce_add(struct debounce *d, const char *path, uint64_t now_ms);
/* Milliseconds until the next path is due (0 = now), -1 when empty. */
int debounce_next_ms(const struct debounce *d, uint64_t now_ms);
/* Calls fn for every path due at now_ms and forgets it. fn must not call
 * into d. */
void debounce_pop_due(struct debounce *d, uint64_t now_ms, void (*fn)(void *ud, const char *path), void *ud);
size_t debounce_count(const struct debounce *d);

#endif
