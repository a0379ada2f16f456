build/obj/src/image/view.o: src/image/view.c src/analyze/analyzer.h \
 src/sbom/artifact.h src/util/buf.h src/util/err.h
src/analyze/analyzer.h:
src/sbom/artifact.h:
src/util/buf.h:
src/util/err.h:
