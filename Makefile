# bosun — build, test, fuzz.  `make` builds build/bosun; `make check` runs the
# whole suite; `make demo` scans a real image. See README.md.

CC      ?= cc

DEB_PKGS := build-essential pkg-config clang libclang-rt-14-dev libisal-dev libzstd-dev libsqlite3-dev \
            libjansson-dev libssl-dev libcmocka-dev libyaml-dev libcurl4-openssl-dev zlib1g-dev \
            libhyperscan-dev libpcre2-dev libyara-dev python3-jsonschema jq bc strace graphviz
SHARED  ?= $(abspath ../shared)
IMAGES  ?= /var/tmp/bosun-images
export BOSUN_SHARED := $(SHARED)
export BOSUN_IMAGES := $(IMAGES)

# BUILD selects the flavour: build (release), build-asan (ASan+UBSan).
BUILD   ?= build
ifeq ($(BUILD),build-asan)
SAN      := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
OPT      := -O1 -g
else
SAN      :=
OPT      := -O2 -g
endif

PKG_CFLAGS := $(shell pkg-config --cflags libisal libzstd sqlite3 jansson libcrypto yaml-0.1 libcurl zlib libhs libpcre2-8 yara 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs libisal libzstd sqlite3 jansson libcrypto yaml-0.1 libcurl zlib libhs libpcre2-8 yara 2>/dev/null)

CFLAGS  := -std=c11 -D_GNU_SOURCE $(OPT) -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
           -Wno-missing-field-initializers -Isrc $(PKG_CFLAGS) $(SAN) -pthread -MMD -MP
LDFLAGS := $(SAN) -pthread
LDLIBS  := $(PKG_LIBS) -lm

SRCS      := $(shell find src -name '*.c' ! -name main.c | sort)
OBJS      := $(SRCS:%.c=$(BUILD)/obj/%.o)
LIB       := $(BUILD)/libbosun.a
BIN       := $(BUILD)/bosun
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))

.PHONY: all deps images demo check unit e2e asan-check fuzz fuzz-run bench clean
all: $(BIN)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

# The embedded advisory snapshot is pulled in by the assembler (.incbin in
# src/vulndb/embedded.c), which the compiler's dependency files do not see.
SNAPSHOT := data/advisory-snapshot.tar.zst
$(BUILD)/obj/src/vulndb/embedded.o build-fuzz/obj/src/vulndb/embedded.o: $(SNAPSHOT)

$(LIB): $(OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(BUILD)/obj/src/main.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests/unit $(shell pkg-config --cflags cmocka) -o $@ $< $(LIB) $(LDLIBS) $(shell pkg-config --libs cmocka)

# Installs missing Debian packages when run as root; otherwise only checks.
# The one list of what bosun builds and tests with (.ci/run uses it too).
deps:
	@./scripts/install-deps.sh $(DEB_PKGS)

unit: $(UNIT_BINS)
	@fail=0; for t in $(UNIT_BINS); do echo "== $$t"; $$t || fail=1; done; exit $$fail

e2e: $(BIN)
	@BOSUN=$(abspath $(BIN)) ./tests/e2e/run.sh

# The end-to-end tests scan real images; build them once when missing.
images:
	@./scripts/ensure-images.sh $(SHARED) $(IMAGES)

check: deps images
	$(MAKE) all unit e2e

asan-check:
	$(MAKE) BUILD=build-asan all unit e2e

demo: deps
	$(MAKE) all
	@./scripts/demo.sh $(abspath $(BIN))

# libFuzzer targets: one per parser, linked against an instrumented build of the sources.
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE -g -O1 -Isrc $(PKG_CFLAGS) -fsanitize=fuzzer,address,undefined -pthread
FUZZ_OBJS   := $(SRCS:%.c=build-fuzz/obj/%.o)
build-fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	clang -std=c11 -D_GNU_SOURCE -g -O1 -Isrc $(PKG_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined -pthread -MMD -MP -c $< -o $@
build-fuzz/libbosun.a: $(FUZZ_OBJS)
	@rm -f $@
	ar rcs $@ $^
build-fuzz/%: tests/fuzz/%.c $(wildcard tests/fuzz/*.h) build-fuzz/libbosun.a
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -Itests/fuzz -o $@ $< build-fuzz/libbosun.a $(LDLIBS)
# Keep the instrumented objects between fuzz targets (they are not intermediates).
.SECONDARY: $(FUZZ_OBJS)
fuzz: $(FUZZ_SRCS:tests/fuzz/%.c=build-fuzz/%)
FUZZ_SECONDS ?= 20
fuzz-run: fuzz
	@./tests/fuzz/run.sh $(FUZZ_SECONDS)

bench: $(BIN)
	@./bench/sbom-bench.sh $(abspath $(BIN))
	@./bench/scan-bench.sh $(abspath $(BIN))

clean:
	rm -rf build build-asan build-fuzz

-include $(OBJS:.o=.d) $(BUILD)/obj/src/main.d $(wildcard build-fuzz/obj/src/*/*.d)
