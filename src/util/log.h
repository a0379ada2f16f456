/* Diagnostics on stderr. Thread-safe; a line is never interleaved with
 * another. Quiet mode silences warnings and progress but never errors. */
#ifndef BOSUN_UTIL_LOG_H
#define BOSUN_UTIL_LOG_H

#include <stdbool.h>

void log_set_quiet(bool quiet);
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Progress goes to stderr only when stderr is a terminal; it overwrites
 * itself with \r and is cleared by log_progress_done(). */
void log_progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_progress_done(void);

#endif
