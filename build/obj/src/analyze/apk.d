build/obj/src/analyze/apk.o: src/analyze/apk.c src/analyze/analyzer.h \
 src/sbom/artifact.h src/util/buf.h src/util/err.h
src/analyze/analyzer.h:
src/sbom/artifact.h:
src/util/buf.h:
src/util/err.h:
