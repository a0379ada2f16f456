build/obj/src/analyze/attrib.o: src/analyze/attrib.c src/analyze/attrib.h \
 src/analyze/analyzer.h src/sbom/artifact.h src/util/buf.h src/util/err.h
src/analyze/attrib.h:
src/analyze/analyzer.h:
src/sbom/artifact.h:
src/util/buf.h:
src/util/err.h:
