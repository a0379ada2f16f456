build/obj/src/sbom/purl.o: src/sbom/purl.c src/sbom/purl.h \
 src/sbom/artifact.h src/util/buf.h
src/sbom/purl.h:
src/sbom/artifact.h:
src/util/buf.h:
