build/obj/src/analyze/rpm.o: src/analyze/rpm.c src/analyze/analyzer.h \
 src/sbom/artifact.h src/util/buf.h src/util/err.h
src/analyze/analyzer.h:
src/sbom/artifact.h:
src/util/buf.h:
src/util/err.h:
