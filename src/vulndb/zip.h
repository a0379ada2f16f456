/* A bounded reader for zip archives held in memory (OSV publishes each
 * ecosystem as one all.zip). Only what feeds use: one disk, stored and
 * deflate entries, ZIP64 sizes and offsets. The archive is untrusted:
 * every offset is checked against the buffer, the central directory
 * against the local headers, names against path traversal, and the output
 * against the declared size, the CRC-32, and limits on entry size, total
 * size, compression ratio and entry count (so overlapping-entry and
 * deflate bombs stop early). */
#ifndef BOSUN_VULNDB_ZIP_H
#define BOSUN_VULNDB_ZIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

#define ZIP_MAX_NAME 1024

struct zip_limits {
	uint64_t max_entries;    /* central directory records */
	uint64_t max_entry_size; /* uncompressed bytes of one entry */
	uint64_t max_total_size; /* uncompressed bytes of all entries together */
	uint32_t max_ratio;      /* uncompressed / compressed, checked for entries above 1 MiB */
};

/* 1,000,000 entries, 64 MiB per entry, 8 GiB in all, ratio 200. */
extern const struct zip_limits zip_default_limits;

struct zip_entry {
	char name[ZIP_MAX_NAME + 1]; /* as stored: relative, '/'-separated, no "..", NUL-free */
	bool is_dir;                 /* name ends with '/' (no data) */
	uint16_t method;             /* 0 stored, 8 deflate */
	uint32_t crc;
	uint64_t csize, usize;       /* compressed and uncompressed sizes (central directory) */
	uint64_t data_off;           /* offset of the compressed data in the archive */
	int64_t mtime;               /* seconds since the epoch (DOS time, taken as UTC) */
};

struct zip {
	const unsigned char *p;
	size_t n;
	struct zip_limits lim;
	uint64_t count;           /* entries the end record declares */
	uint64_t cd_off, cd_end;  /* the central directory */
	uint64_t next;            /* iterator: offset of the next central header */
	uint64_t index;           /* iterator: entries returned */
	uint64_t local_bytes;     /* sum of local records seen: more than cd_off means overlap */
	uint64_t total;           /* uncompressed bytes declared so far */
	struct zip_scratch *scratch; /* inflate state and buffer, reused across entries */
};

/* Finds and checks the end of central directory record (and the ZIP64
 * one). lim NULL = zip_default_limits. The archive memory must outlive z. */
int zip_open(struct zip *z, const unsigned char *p, size_t n, const struct zip_limits *lim, struct berr *e);

/* Frees what zip_read allocated (not the archive memory). */
void zip_close(struct zip *z);

/* The next entry, in central-directory order; *end after the last one. */
int zip_next(struct zip *z, struct zip_entry *ent, bool *end, struct berr *e);

/* Decompresses ent, handing the data to fn in pieces of at most 64 KiB,
 * and checks its length and CRC-32 at the end (fn may already have seen
 * bad data then: write into a scratch place). */
typedef int (*zip_sink_fn)(void *ctx, const unsigned char *p, size_t n, struct berr *e);
int zip_read(struct zip *z, const struct zip_entry *ent, zip_sink_fn fn, void *ctx, struct berr *e);

#endif
