build/obj/src/analyze/dpkg.o: src/analyze/dpkg.c src/analyze/analyzer.h \
 src/sbom/artifact.h src/util/buf.h src/util/err.h
src/analyze/analyzer.h:
src/sbom/artifact.h:
src/util/buf.h:
src/util/err.h:
