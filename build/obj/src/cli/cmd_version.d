build/obj/src/cli/cmd_version.o: src/cli/cmd_version.c src/cli/cli.h \
 src/util/version.h
src/cli/cli.h:
src/util/version.h:
