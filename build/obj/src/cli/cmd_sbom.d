build/obj/src/cli/cmd_sbom.o: src/cli/cmd_sbom.c src/cli/cli.h
src/cli/cli.h:
