/* NDB package database reader (rpm lib/backend/ndb/rpmpkg.c).
 *
 * Little-endian throughout. The file starts with a 32-byte header
 *   "RpmP", version (0), generation, slotnpages, nextpkgidx, 12 reserved
 * followed by the rest of slotnpages 4096-byte slot pages: 16-byte slots
 *   "Slot", pkgidx, blkoff, blkcnt
 * (blkoff 0 = free slot). blkoff and blkcnt count 16-byte blocks; a used
 * slot points at a blob:
 *   head: "BlbS", pkgidx, timestamp, bloblen
 *   bloblen bytes of header blob, zero padding
 *   tail: adler32, bloblen, "BlbE"
 * with blkcnt = ceil((16 + bloblen + 12) / 16).
 *
 * Every slot is checked against the file size and the slot area, head and
 * tail must agree, and the blocks handed out overall may not exceed the
 * file, so slots that all point at one large blob cannot make the parse
 * quadratic. Like rpm when it reads a blob, we do not verify the adler32. */
#include "analyze/rpm_ndb.h"

#include <stdint.h>
#include <string.h>

#define NDB_MAGIC ('R' | 'p' << 8 | 'm' << 16 | (uint32_t)'P' << 24)
#define SLOT_MAGIC ('S' | 'l' << 8 | 'o' << 16 | (uint32_t)'t' << 24)
#define BLOBHEAD_MAGIC ('B' | 'l' << 8 | 'b' << 16 | (uint32_t)'S' << 24)
#define BLOBTAIL_MAGIC ('B' | 'l' << 8 | 'b' << 16 | (uint32_t)'E' << 24)
#define NDB_HEADER_SIZE 32u
#define NDB_PAGE 4096u
#define SLOT_SIZE 16u
#define BLK 16u
#define BLOBHEAD_SIZE 16u
#define BLOBTAIL_SIZE 12u

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

bool rpm_ndb_detect(const unsigned char *data, size_t len)
{
	return len >= NDB_HEADER_SIZE && le32(data) == NDB_MAGIC;
}

struct ndb {
	const unsigned char *data;
	size_t len;
	uint64_t slot_end;  /* end of the slot area as the header declares it */
	uint64_t budget;    /* blob bytes we may still hand out */
	struct rpmdb_sink *s;
};

/* Checks the blob a slot points at; on success blob and bloblen are the header. */
static bool check_blob(const struct ndb *db, uint32_t pkgidx, uint64_t off, uint64_t size,
		       const unsigned char **blob, uint32_t *bloblen)
{
	const unsigned char *head = db->data + off;
	if (le32(head) != BLOBHEAD_MAGIC || le32(head + 4) != pkgidx)
		return false;
	uint32_t n = le32(head + 12);
	if ((BLOBHEAD_SIZE + (uint64_t)n + BLOBTAIL_SIZE + BLK - 1) / BLK * BLK != size)
		return false;
	const unsigned char *tail = head + size - BLOBTAIL_SIZE;
	if (le32(tail + 4) != n || le32(tail + 8) != BLOBTAIL_MAGIC)
		return false;
	*blob = head + BLOBHEAD_SIZE;
	*bloblen = n;
	return true;
}

static int read_slot(struct ndb *db, uint32_t slotno, const unsigned char *slot)
{
	if (le32(slot) != SLOT_MAGIC) {
		rpmdb_sink_warn(db->s, "slot %u: bad magic", slotno);
		return BOSUN_OK;
	}
	uint32_t pkgidx = le32(slot + 4), blkoff = le32(slot + 8), blkcnt = le32(slot + 12);
	if (blkoff == 0)
		return BOSUN_OK; /* free */
	uint64_t off = (uint64_t)blkoff * BLK, size = (uint64_t)blkcnt * BLK;
	if (pkgidx == 0 || size < BLOBHEAD_SIZE + BLOBTAIL_SIZE || off < db->slot_end ||
	    off > db->len || size > db->len - off) {
		rpmdb_sink_warn(db->s, "slot %u: blob at block %u (%u blocks) outside the file", slotno,
				blkoff, blkcnt);
		return BOSUN_OK;
	}
	if (size > db->budget) {
		rpmdb_sink_warn(db->s, "slot %u: blobs overlap", slotno);
		return BOSUN_OK;
	}
	db->budget -= size;
	const unsigned char *blob;
	uint32_t bloblen;
	if (!check_blob(db, pkgidx, off, size, &blob, &bloblen)) {
		rpmdb_sink_warn(db->s, "slot %u: damaged blob for package index %u", slotno, pkgidx);
		return BOSUN_OK;
	}
	return rpmdb_sink_blob(db->s, blob, bloblen);
}

int rpm_ndb_read(const unsigned char *data, size_t len, struct rpmdb_sink *s, struct berr *e)
{
	if (!rpm_ndb_detect(data, len))
		return berr_set(e, BOSUN_EFORMAT, "not an NDB database");
	uint32_t version = le32(data + 4), slotnpages = le32(data + 12);
	if (version != 0)
		return berr_set(e, BOSUN_EFORMAT, "unsupported NDB version %u", version);
	if (slotnpages == 0)
		return berr_set(e, BOSUN_EFORMAT, "NDB without slot pages");
	struct ndb db = { .data = data, .len = len, .budget = len, .s = s };
	db.slot_end = (uint64_t)slotnpages * NDB_PAGE;
	uint64_t end = db.slot_end;
	if (end > len) {
		rpmdb_sink_warn(s, "NDB file truncated inside its %u slot pages", slotnpages);
		end = len;
	}
	uint32_t slotno = NDB_HEADER_SIZE / SLOT_SIZE;
	for (uint64_t o = NDB_HEADER_SIZE; o + SLOT_SIZE <= end; o += SLOT_SIZE, slotno++)
		TRY(read_slot(&db, slotno, data + o));
	return BOSUN_OK;
}
