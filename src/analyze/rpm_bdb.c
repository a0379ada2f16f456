/* BerkeleyDB hash database reader.
 *
 * Layout (Berkeley DB 4.x-5.x, as rpm wrote it): the file is an array of
 * pages of pagesize bytes; page 0 is the hash metadata page. Every other page
 * starts with a 26-byte header:
 *
 *   0 lsn[8]  8 pgno  12 prev_pgno  16 next_pgno  20 entries(u16)
 *   22 hf_offset(u16)  24 level  25 type
 *
 * Hash pages (type 2 or 13) hold an array of entries u16 item offsets after
 * the header, key/value alternating; items grow down from the page end, so
 * an item's length is the distance to the previous item (or the page end).
 * An item is HKEYDATA (type byte 1, then the bytes) or HOFFPAGE (type 3,
 * 3 pad bytes, pgno, total length): a chain of overflow pages (type 7) whose
 * hf_offset is the number of data bytes on that page.
 *
 * Integers are in the byte order of the host that wrote the file; the
 * metadata magic tells which. We scan every page instead of walking the
 * hash buckets (as go-rpmdb does): it needs nothing from the metadata but
 * the page size and count, and freed pages are typed P_INVALID so they are
 * not mistaken for live ones.
 *
 * Hostile input: page numbers are checked against the file, every page we
 * follow must carry its own number, item offsets and lengths stay inside
 * their page, overflow chains are bounded by the page count (so a cycle
 * ends), and the bytes assembled overall may not exceed the file size, which
 * an honest database never does because items do not share storage. */
#include "analyze/rpm_bdb.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define HASH_MAGIC 0x00061561u
#define HASH_MAGIC_SWAPPED 0x61150600u
#define PAGE_HEADER 26u
#define P_HASHMETA 8
#define P_HASH_UNSORTED 2
#define P_HASH 13
#define P_OVERFLOW 7
#define H_KEYDATA 1
#define H_OFFPAGE 3
#define HOFFPAGE_SIZE 12u

struct bdb {
	const unsigned char *data;
	size_t len;
	bool swapped;      /* written on a host of the other byte order */
	uint32_t pagesize;
	uint32_t npages;   /* pages present in the file, metadata page included */
	size_t budget;     /* value bytes we may still hand out */
	struct rpmdb_sink *s;
	unsigned char *buf; /* reassembly buffer for overflow values */
	size_t bufcap;
};

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint32_t rd32(const struct bdb *db, const unsigned char *p)
{
	uint32_t v = le32(p);
	return db->swapped ? __builtin_bswap32(v) : v;
}

static uint16_t rd16(const struct bdb *db, const unsigned char *p)
{
	uint16_t v = (uint16_t)(p[0] | p[1] << 8);
	return db->swapped ? __builtin_bswap16(v) : v;
}

bool rpm_bdb_detect(const unsigned char *data, size_t len)
{
	if (len < 512)
		return false;
	uint32_t m = le32(data + 12);
	return m == HASH_MAGIC || m == HASH_MAGIC_SWAPPED;
}

static int open_meta(struct bdb *db, struct berr *e)
{
	const unsigned char *m = db->data;
	db->swapped = le32(m + 12) == HASH_MAGIC_SWAPPED;
	uint32_t version = rd32(db, m + 16);
	db->pagesize = rd32(db, m + 20);
	uint32_t last = rd32(db, m + 32);
	if (version < 8 || version > 10)
		return berr_set(e, BOSUN_EFORMAT, "unsupported BerkeleyDB hash version %u", version);
	if (db->pagesize < 512 || db->pagesize > 65536 || (db->pagesize & (db->pagesize - 1)))
		return berr_set(e, BOSUN_EFORMAT, "BerkeleyDB page size %u", db->pagesize);
	if (m[24] != 0)
		return berr_set(e, BOSUN_EFORMAT, "encrypted BerkeleyDB database");
	if (m[25] != P_HASHMETA)
		return berr_set(e, BOSUN_EFORMAT, "BerkeleyDB metadata page of type %u", m[25]);
	size_t present = db->len / db->pagesize;
	if ((uint64_t)last + 1 > present) {
		rpmdb_sink_warn(db->s, "BerkeleyDB file truncated: %zu of %llu pages", present,
				(unsigned long long)last + 1);
		db->npages = (uint32_t)present; /* present <= len / 512 fits */
	} else {
		db->npages = last + 1;
	}
	return BOSUN_OK;
}

/* The page pgno if it exists, has the expected type and carries its own number. */
static const unsigned char *get_page(const struct bdb *db, uint32_t pgno, int type)
{
	if (pgno == 0 || pgno >= db->npages)
		return NULL;
	const unsigned char *p = db->data + (size_t)pgno * db->pagesize;
	if (p[25] != type || rd32(db, p + 8) != pgno)
		return NULL;
	return p;
}

static int reserve(struct bdb *db, size_t n)
{
	if (n <= db->bufcap)
		return BOSUN_OK;
	unsigned char *p = realloc(db->buf, n);
	if (!p)
		return BOSUN_ENOMEM;
	db->buf = p;
	db->bufcap = n;
	return BOSUN_OK;
}

/* Follows an overflow chain into db->buf. *ok is false when the chain is
 * damaged (already warned). */
static int read_overflow(struct bdb *db, uint32_t pgno, uint32_t tlen, bool *ok)
{
	*ok = false;
	if (tlen == 0 || tlen > RPM_HEADER_MAX_BLOB) {
		rpmdb_sink_warn(db->s, "overflow item at page %u: bad length %u", pgno, tlen);
		return BOSUN_OK;
	}
	if (tlen > db->budget) {
		rpmdb_sink_warn(db->s, "overflow item at page %u: %u bytes, more than the file holds",
				pgno, tlen);
		return BOSUN_OK;
	}
	db->budget -= tlen;
	TRY(reserve(db, tlen));
	uint32_t got = 0, start = pgno;
	/* A chain visits each page at most once, so more steps than pages is a cycle. */
	for (uint32_t steps = 0; got < tlen; steps++) {
		const unsigned char *p = get_page(db, pgno, P_OVERFLOW);
		uint32_t plen = p ? rd16(db, p + 22) : 0;
		if (!p || steps >= db->npages || plen == 0 || PAGE_HEADER + plen > db->pagesize ||
		    plen > tlen - got) {
			rpmdb_sink_warn(db->s, "overflow chain from page %u broken at page %u", start, pgno);
			return BOSUN_OK;
		}
		memcpy(db->buf + got, p + PAGE_HEADER, plen);
		got += plen;
		pgno = rd32(db, p + 16);
	}
	*ok = true;
	return BOSUN_OK;
}

struct item {
	const unsigned char *p; /* type byte */
	uint32_t len;           /* including the type byte */
};

/* rpm's record 0 is not a package: it holds the next instance number. */
static bool is_record_zero(struct item key)
{
	static const unsigned char zero[4];
	return key.p[0] == H_KEYDATA && key.len == 5 && memcmp(key.p + 1, zero, 4) == 0;
}

static int deliver_value(struct bdb *db, uint32_t pgno, struct item v)
{
	if (v.p[0] == H_KEYDATA) {
		if (v.len - 1 > db->budget)
			return BOSUN_OK;
		db->budget -= v.len - 1;
		return rpmdb_sink_blob(db->s, v.p + 1, v.len - 1);
	}
	if (v.p[0] != H_OFFPAGE || v.len < HOFFPAGE_SIZE) {
		rpmdb_sink_warn(db->s, "page %u: unsupported item type %u", pgno, v.p[0]);
		return BOSUN_OK;
	}
	bool ok;
	uint32_t tlen = rd32(db, v.p + 8);
	TRY(read_overflow(db, rd32(db, v.p + 4), tlen, &ok));
	return ok ? rpmdb_sink_blob(db->s, db->buf, tlen) : BOSUN_OK;
}

/* Item i of a hash page with n entries; false when its offset is impossible. */
static bool get_item(const struct bdb *db, const unsigned char *page, uint32_t n, uint32_t i,
		     struct item *it)
{
	uint32_t off = rd16(db, page + PAGE_HEADER + 2 * i);
	uint32_t end = i == 0 ? db->pagesize : rd16(db, page + PAGE_HEADER + 2 * (i - 1));
	uint32_t min = PAGE_HEADER + 2 * n;
	if (off < min || off >= end || end > db->pagesize)
		return false;
	it->p = page + off;
	it->len = end - off;
	return true;
}

static int read_hash_page(struct bdb *db, uint32_t pgno, const unsigned char *page)
{
	uint32_t n = rd16(db, page + 20);
	if (n > (db->pagesize - PAGE_HEADER) / 2) {
		rpmdb_sink_warn(db->s, "page %u: %u entries do not fit", pgno, n);
		return BOSUN_OK;
	}
	for (uint32_t i = 0; i + 1 < n; i += 2) {
		struct item key, val;
		if (!get_item(db, page, n, i, &key) || !get_item(db, page, n, i + 1, &val)) {
			rpmdb_sink_warn(db->s, "page %u: entry %u out of bounds", pgno, i / 2);
			continue;
		}
		if (is_record_zero(key))
			continue;
		TRY(deliver_value(db, pgno, val));
	}
	return BOSUN_OK;
}

static int scan_pages(struct bdb *db)
{
	for (uint32_t pgno = 1; pgno < db->npages; pgno++) {
		const unsigned char *p = db->data + (size_t)pgno * db->pagesize;
		if (p[25] != P_HASH && p[25] != P_HASH_UNSORTED)
			continue;
		if (rd32(db, p + 8) != pgno) {
			rpmdb_sink_warn(db->s, "page %u: stored page number %u", pgno, rd32(db, p + 8));
			continue;
		}
		TRY(read_hash_page(db, pgno, p));
	}
	return BOSUN_OK;
}

int rpm_bdb_read(const unsigned char *data, size_t len, struct rpmdb_sink *s, struct berr *e)
{
	if (!rpm_bdb_detect(data, len))
		return berr_set(e, BOSUN_EFORMAT, "not a BerkeleyDB hash database");
	struct bdb db = { .data = data, .len = len, .budget = len, .s = s };
	TRY(open_meta(&db, e));
	int rc = scan_pages(&db);
	free(db.buf);
	if (rc != BOSUN_OK)
		return berr_set(e, rc, "BerkeleyDB: %s", bosun_strerror(rc));
	return BOSUN_OK;
}
