#include "analyze/analyzer.h"

#define ANALYZER(n) extern const struct analyzer analyzer_##n;
#include "analyze/analyzers.def"
#undef ANALYZER

const struct analyzer *const analyzers[] = {
#define ANALYZER(n) &analyzer_##n,
#include "analyze/analyzers.def"
#undef ANALYZER
	NULL,
};
