build/obj/src/sbom/artifact.o: src/sbom/artifact.c src/sbom/artifact.h \
 src/util/buf.h src/sbom/purl.h src/util/err.h src/util/log.h
src/sbom/artifact.h:
src/util/buf.h:
src/sbom/purl.h:
src/util/err.h:
src/util/log.h:
