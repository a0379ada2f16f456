build/obj/src/cli/cli.o: src/cli/cli.c src/cli/cli.h
src/cli/cli.h:
