/* Safety limits for hostile images. Defaults let real images through
 * (the largest public images are tens of GB uncompressed); every one can be
 * changed on the command line. */
#ifndef BOSUN_IMAGE_LIMITS_H
#define BOSUN_IMAGE_LIMITS_H

#include <stdint.h>

struct scan_limits {
	uint64_t max_image_bytes;   /* total uncompressed bytes over all layers */
	uint64_t max_file_bytes;    /* one tar entry; larger ones are skipped with a warning */
	uint64_t max_capture_bytes; /* one file handed to an analyzer */
	uint64_t max_capture_total; /* all files handed to analyzers, held in memory together */
	uint64_t max_json_bytes;    /* manifest, index, config documents */
	uint64_t max_entries;       /* tar entries over all layers */
	uint32_t max_layers;
	uint32_t max_ratio;         /* uncompressed/compressed bytes, per layer, beyond 1 GiB */
};

static inline struct scan_limits scan_limits_default(void)
{
	return (struct scan_limits){
		.max_image_bytes = 64ull << 30,
		.max_file_bytes = 16ull << 30,
		.max_capture_bytes = 512ull << 20,
		/* Real package databases total tens of MB; without this, one
		 * layer of compressible "package lists" could fill memory. */
		.max_capture_total = 4ull << 30,
		.max_json_bytes = 8ull << 20,
		.max_entries = 5000000,
		.max_layers = 1000,
		.max_ratio = 1000,
	};
}

#endif
