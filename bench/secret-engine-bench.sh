#!/bin/bash
# secret-engine-bench.sh [BUILD_DIR] [ROOTFS]: throughput of the secret
# engine (secret_scan_buffer) on
#   1. every file of an unpacked root filesystem (default: the "big" test
#      image's rootfs), read from the page cache, the way the layer walk
#      hands files over: binary files and skipped paths cost their test only;
#   2. a 100 MB pure-text buffer (source-like lines, no secrets), scanned in
#      1 MiB pieces and as one 100 MB buffer (with the size limit raised).
# Prints engine compile time, MB/s, and every finding in the rootfs (with
# masked values) so false positives on real images are visible.
# Needs BUILD_DIR/libbosun.a (make BUILD=build-sec). The bench program is
# compiled from the heredoc below into a temporary directory.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
rootfs=${2:-${BOSUN_IMAGES:-/var/tmp/bosun-images}/rootfs/big}
[ -f "$build/libbosun.a" ] || { echo "no $build/libbosun.a: run make BUILD=$build" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat >"$tmp/bench.c" <<'EOF'
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdbool.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "secret/secret.h"

static struct secret_engine *eng;
static size_t root_len, files, scanned_files, skipped_path, total_bytes, text_files, text_bytes, findings;
static double scan_secs, text_secs;
static struct finding_list all;
static bool all_paths; /* second pass: every text file, no path allow-rules */

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* Same test as the engine's: a NUL in the first 4 KiB. Only for counting
 * text bytes separately; the engine does its own test. */
static bool has_nul(const unsigned char *b, size_t n) { return memchr(b, 0, n < 4096 ? n : 4096) != NULL; }

static int visit(const char *p, const struct stat *st, int type, struct FTW *ftw)
{
	(void)ftw;
	if (type != FTW_F || !S_ISREG(st->st_mode) || st->st_size == 0 || st->st_size > 10 * 1024 * 1024)
		return 0;
	files++;
	const char *rel = p + root_len + 1;
	if (!all_paths && secret_path_skipped(eng, rel)) {
		skipped_path++;
		return 0;
	}
	int fd = open(p, O_RDONLY);
	if (fd < 0)
		return 0;
	unsigned char *b = malloc((size_t)st->st_size);
	ssize_t n = read(fd, b, (size_t)st->st_size);
	close(fd);
	if (n > 0) {
		struct berr e = { 0 };
		double t = now();
		size_t before = all.n;
		if (secret_scan_buffer(eng, all_paths ? NULL : rel, 0, b, (size_t)n, &all, &e))
			fprintf(stderr, "%s: %s\n", rel, e.msg);
		double dt = now() - t;
		scan_secs += dt;
		total_bytes += (size_t)n;
		scanned_files++;
		findings += all.n - before;
		for (size_t i = before; all_paths && i < all.n && i < 40; i++)
			printf("  (in a skipped path) %s:%u %s %s\n", rel, all.v[i].line, all.v[i].rule_id, all.v[i].match);
		if (!has_nul(b, (size_t)n)) {
			text_files++;
			text_bytes += (size_t)n;
			text_secs += dt;
		}
	}
	free(b);
	return 0;
}

static void walk(const char *root)
{
	files = scanned_files = skipped_path = total_bytes = text_files = text_bytes = findings = 0;
	scan_secs = text_secs = 0;
	finding_list_init(&all);
	double w0 = now();
	nftw(root, visit, 64, FTW_PHYS);
	printf("%s: %zu files, %zu skipped by path, %zu read (%.1f MB) in %.3f s = %.0f MB/s; "
	       "of which text %zu files (%.1f MB) in %.3f s = %.0f MB/s; wall with I/O %.2f s; %zu findings\n",
	       all_paths ? "every text file, no path skips" : "as the layer walk would", files, skipped_path,
	       scanned_files, total_bytes / 1e6, scan_secs, total_bytes / 1e6 / (scan_secs > 0 ? scan_secs : 1e-9),
	       text_files, text_bytes / 1e6, text_secs, text_bytes / 1e6 / (text_secs > 0 ? text_secs : 1e-9),
	       now() - w0, findings);
}

int main(int argc, char **argv)
{
	struct berr e = { 0 };
	double t0 = now();
	struct secret_options o = { 0 };
	if (secret_engine_new(&o, &eng, &e)) {
		fprintf(stderr, "engine: %s\n", e.msg);
		return 1;
	}
	printf("engine: %zu rules, compiled in %.1f ms\n", secret_rule_count(eng), (now() - t0) * 1e3);
	root_len = strlen(argv[1]);
	printf("rootfs %s\n", argv[1]);
	walk(argv[1]);
	for (size_t i = 0; i < all.n; i++)
		printf("  %s:%u %s %s\n", all.v[i].path, all.v[i].line, all.v[i].rule_id, all.v[i].match);
	finding_list_free(&all);
	all_paths = true;
	walk(argv[1]);
	finding_list_free(&all);

	/* 100 MB of text that looks like code and config, without secrets */
	static const char *const lines[] = {
		"static int parse_header(const char *p, size_t n, struct header *h)\n",
		"    if (config.timeout > 0 && retries < MAX_RETRIES) { return connect(host, port); }\n",
		"server.port=8080\nlogging.level.root=INFO\nspring.datasource.url=jdbc:postgresql://db/app\n",
		"  - name: web\n    image: nginx:1.25\n    ports: [\"80:80\"]\n",
		"The quick brown fox jumps over the lazy dog; 0123456789 key=value token_count=42\n",
		"import os, sys, json  # session handling and the secret sauce of authentication\n",
	};
	size_t big = 100u * 1000 * 1000, w = 0, k = 0;
	unsigned char *text = malloc(big);
	while (w < big) {
		size_t m = strlen(lines[k % 6]);
		if (m > big - w)
			m = big - w;
		memcpy(text + w, lines[k++ % 6], m);
		w += m;
	}
	struct finding_list l;
	finding_list_init(&l);
	double t = now();
	for (size_t off = 0; off < big; off += 1 << 20) {
		size_t m = big - off < (1u << 20) ? big - off : (1u << 20);
		secret_scan_buffer(eng, "bench/text.c", 0, text + off, m, &l, &e);
	}
	double dt = now() - t;
	printf("text 100 MB in 1 MiB buffers: %.3f s = %.0f MB/s, %zu findings\n", dt, big / 1e6 / dt, l.n);
	secret_engine_free(eng);
	o.max_file_bytes = 200u * 1000 * 1000;
	secret_engine_new(&o, &eng, &e);
	t = now();
	secret_scan_buffer(eng, "bench/text.c", 0, text, big, &l, &e);
	dt = now() - t;
	printf("text 100 MB as one buffer:   %.3f s = %.0f MB/s, %zu findings\n", dt, big / 1e6 / dt, l.n);
	finding_list_free(&l);
	free(text);
	secret_engine_free(eng);
	(void)argc;
	return 0;
}
EOF

cflags="$(pkg-config --cflags libhs libpcre2-8 jansson 2>/dev/null)"
libs="$(pkg-config --libs libisal libzstd sqlite3 jansson libcrypto yaml-0.1 libcurl zlib libhs libpcre2-8 yara 2>/dev/null)"
cc -std=c11 -O2 -Isrc $cflags -pthread -o "$tmp/bench" "$tmp/bench.c" "$build/libbosun.a" $libs -lm
# warm the page cache so the numbers measure the engine, not the disk
find "$rootfs" -type f -size -10M -print0 2>/dev/null | xargs -0 cat >/dev/null 2>&1 || true
"$tmp/bench" "$rootfs"
