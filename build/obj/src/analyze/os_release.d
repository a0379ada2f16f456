build/obj/src/analyze/os_release.o: src/analyze/os_release.c \
 src/analyze/analyzer.h src/sbom/artifact.h src/util/buf.h src/util/err.h
src/analyze/analyzer.h:
src/sbom/artifact.h:
src/util/buf.h:
src/util/err.h:
