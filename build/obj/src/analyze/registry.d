build/obj/src/analyze/registry.o: src/analyze/registry.c \
 src/analyze/analyzer.h src/sbom/artifact.h src/util/buf.h src/util/err.h \
 src/analyze/analyzers.def
src/analyze/analyzer.h:
src/sbom/artifact.h:
src/util/buf.h:
src/util/err.h:
src/analyze/analyzers.def:
