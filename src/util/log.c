#include "util/log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

/* The logger is the one process-wide piece of state: stderr itself is. */
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static bool log_quiet;
static bool progress_shown;
static struct timespec progress_t0; /* first progress call; zero until then */

void log_set_quiet(bool quiet) { log_quiet = quiet; }

static void emit(const char *tag, const char *fmt, va_list ap)
{
	pthread_mutex_lock(&log_lock);
	if (progress_shown) {
		fputs("\r\033[K", stderr);
		progress_shown = false;
	}
	fprintf(stderr, "bosun: %s", tag);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	pthread_mutex_unlock(&log_lock);
}

void log_warn(const char *fmt, ...)
{
	if (log_quiet)
		return;
	va_list ap;
	va_start(ap, fmt);
	emit("warning: ", fmt, ap);
	va_end(ap);
}

void log_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit("error: ", fmt, ap);
	va_end(ap);
}

/* Progress appears only once the work has taken more than a moment, so
 * quick scans print nothing but their result. */
#define PROGRESS_DELAY_MS 400

void log_progress(const char *fmt, ...)
{
	if (log_quiet || !isatty(STDERR_FILENO))
		return;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	pthread_mutex_lock(&log_lock);
	if (!progress_t0.tv_sec && !progress_t0.tv_nsec)
		progress_t0 = now;
	long ms = (now.tv_sec - progress_t0.tv_sec) * 1000 + (now.tv_nsec - progress_t0.tv_nsec) / 1000000;
	if (ms < PROGRESS_DELAY_MS) {
		pthread_mutex_unlock(&log_lock);
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	fputs("\r\033[K", stderr);
	vfprintf(stderr, fmt, ap);
	progress_shown = true;
	fflush(stderr);
	pthread_mutex_unlock(&log_lock);
	va_end(ap);
}

void log_progress_done(void)
{
	pthread_mutex_lock(&log_lock);
	if (progress_shown) {
		fputs("\r\033[K", stderr);
		progress_shown = false;
	}
	pthread_mutex_unlock(&log_lock);
}
