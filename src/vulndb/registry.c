#include "vulndb/importer.h"

#define IMPORTER(n) extern const struct importer importer_##n;
#include "vulndb/importers.def"
#undef IMPORTER

const struct importer *const importers[] = {
#define IMPORTER(n) &importer_##n,
#include "vulndb/importers.def"
#undef IMPORTER
	NULL,
};
