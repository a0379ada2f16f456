/* Executables that arrive once, front to back, in pieces of any size (the
 * streaming analyzer hooks): their headers are parsed as the bytes go by,
 * and the byte ranges an analyzer asks for are kept, bounded, while the
 * rest is only looked at and dropped.
 *
 * Formats: ELF (32/64-bit, either byte order; segments from the program
 * headers), PE (PE32/PE32+; the section table) and Mach-O (32/64-bit thin
 * files, either byte order; segments and sections from the load commands).
 * All three put the tables that map virtual addresses to file offsets near
 * the start of the file, which is what makes one forward pass enough; what
 * sits at the end (ELF section headers) can only be planned for.
 *
 * Use from a stream_data() hook:
 *
 *     TRY(es_feed(&s, p, n));      // copies into earlier captures, parses headers
 *     ... scan p, es_capture() new ranges, which may start anywhere in p ...
 *     ... look at completed captures, es_capture() to extend them ...
 *     es_advance(&s);              // p is gone after this
 *
 * A capture may start (or be extended) anywhere from the start of the
 * current piece on; bytes before it have gone by and cannot be asked for. */
#ifndef BOSUN_ANALYZE_ELFSTREAM_H
#define BOSUN_ANALYZE_ELFSTREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum exe_format { EXE_NONE, EXE_ELF, EXE_PE, EXE_MACHO };

/* Segments (ELF PT_LOAD, Mach-O LC_SEGMENT sections, PE sections) kept per
 * file; real binaries have well under 40. */
#define ES_MAX_SEGS 64
/* The header table (ELF program headers, PE section table, Mach-O load
 * commands) is at most this long; real ones are a few KiB. */
#define ES_MAX_TABLE (64u << 10)
/* ELF PT_NOTE bytes kept, to recognise build-ID notes. */
#define ES_MAX_NOTES 4096

struct es_seg {
	uint64_t vaddr, memsz; /* as loaded */
	uint64_t off, filesz;  /* as stored; filesz may be less than memsz */
	bool write, exec;
	uint32_t flags;        /* ELF p_flags, PE Characteristics, Mach-O initprot */
	char name[17];         /* PE / Mach-O section name, "" for ELF */
	char segname[17];      /* Mach-O segment name, "" otherwise */
};

struct es_info {
	enum exe_format fmt;
	bool big_endian;
	unsigned ptr_size;     /* 4 or 8 */
	struct es_seg segs[ES_MAX_SEGS];
	size_t nsegs;
	/* ELF section header table (at the end of most files). */
	uint64_t shoff;
	uint32_t shnum, shentsize, shstrndx;
	/* Where the segments' file ranges end: the start of what follows the
	 * loaded image (ELF debug info, symbol tables, non-alloc sections). */
	uint64_t load_end;
	uint64_t image_base;   /* PE: added to section RVAs */
};

struct es_capture {
	int tag;               /* the caller's name for it */
	uint64_t off;          /* file range [off, off + len) */
	size_t len, have;      /* bytes asked for / bytes arrived so far */
	unsigned char *buf;
};

struct es_stream {
	struct es_info info;
	bool ready;            /* info parsed: segments are known */
	bool bad;              /* headers refused; nothing more to learn */
	uint64_t size;         /* the file's size */
	uint64_t pos;          /* file offset of the current piece */
	const unsigned char *cur; /* the current piece, between es_feed and es_advance */
	size_t curlen;
	struct es_capture *caps;
	size_t ncaps, capcap;
	size_t *active;        /* indexes of incomplete captures */
	size_t nactive, capactive;
	size_t budget, used;   /* bytes all captures may hold together / hold */
	uint32_t phentsize;    /* ELF: program header entry size */
};

/* Recognises an executable from its first bytes: ELF, MZ/PE, Mach-O.
 * Cheap: a few byte compares. */
enum exe_format es_sniff(const unsigned char *head, size_t n);

/* Sets up s for a file of `size` bytes whose first bytes are head (at least
 * the 64-byte fixed header). budget bounds what all captures hold together.
 * BOSUN_EFORMAT when head is not a usable executable header. */
int es_init(struct es_stream *s, const unsigned char *head, size_t n, uint64_t size, size_t budget);
void es_free(struct es_stream *s);

/* Takes the next piece of the file (see the top of this file). ENOMEM only:
 * damaged headers set s->bad, they are not an error of the stream. */
int es_feed(struct es_stream *s, const unsigned char *p, size_t n);
void es_advance(struct es_stream *s);

/* Asks for [off, off + len) under `tag` (>= 0, unique per stream); asking
 * again with the same tag and a larger len extends the capture.
 * BOSUN_ENOTFOUND when some of the range has already gone by, BOSUN_ELIMIT
 * past the budget or the file's end, BOSUN_ENOMEM. */
int es_capture(struct es_stream *s, int tag, uint64_t off, size_t len);
/* The capture under tag, or NULL. Complete when have == len. */
const struct es_capture *es_get(const struct es_stream *s, int tag);
/* Drops a capture and gives its bytes back to the budget. */
void es_drop(struct es_stream *s, int tag);

/* The file range holding [vaddr, vaddr + len), within one segment's
 * stored bytes. False when no segment stores all of it. */
bool es_vaddr_to_off(const struct es_info *in, uint64_t vaddr, uint64_t len, uint64_t *off);
/* The segment storing file offset off, or NULL. */
const struct es_seg *es_seg_at(const struct es_info *in, uint64_t off);

/* ELF: whether a PT_NOTE seen so far holds a note of this owner and type
 * (the Go toolchain's build ID: "Go", 4). Always false for other formats. */
bool es_has_note(const struct es_stream *s, const char *owner, uint32_t type);
/* Whether the notes are known: headers parsed and the PT_NOTE bytes (if
 * any were asked for) all arrived. */
bool es_notes_known(const struct es_stream *s);

/* Integer reads in the file's byte order; the caller checks bounds. */
uint64_t es_read_u(const struct es_info *in, const unsigned char *p, unsigned size);

/* Finds a fixed byte string in data that streams by in pieces, including
 * matches split across pieces (up to 64 bytes long). */
struct es_search {
	const unsigned char *needle;
	size_t nlen;
	unsigned char carry[64]; /* the last nlen-1 bytes seen, for split matches */
	size_t ncarry;
	uint64_t carry_end;      /* file offset just past the carry */
};
void es_search_init(struct es_search *q, const void *needle, size_t nlen);
/* Calls fn(ctx, offset) for each match ending in [pos, pos + n), in order;
 * stops early and returns fn's non-zero result. Pieces that do not follow
 * the previous one (a gap) start afresh. */
typedef int (*es_match_fn)(void *ctx, uint64_t off);
int es_search_feed(struct es_search *q, const unsigned char *p, size_t n, uint64_t pos, es_match_fn fn, void *ctx);

#endif
