# wrench - diagnostic scanner for Java services in containers.
# `make` builds build/wrench; `make help` lists the other targets.

PREFIX ?= /usr/local
DESTDIR ?=
BINDIR = $(PREFIX)/bin
DATADIR = $(PREFIX)/share/wrench
MANDIR = $(PREFIX)/share/man/man1

PKGS = libzip libpcre2-8 jansson libmicrohttpd sqlite3 zlib
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# libzip, libmicrohttpd and Hyperscan are not linked but loaded when first needed (lazylib.c),
# by the SONAME of the library found here; the tests link them all.
EAGER_PKGS = libpcre2-8 jansson sqlite3 zlib
PKG_LIBS = $(shell pkg-config --libs $(EAGER_PKGS) 2>/dev/null) -ldl
TEST_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) $(HS_LIBS)
soname = $(shell objdump -p "$$(pkg-config --variable=libdir $(1) 2>/dev/null)/lib$(2).so" 2>/dev/null | sed -n 's/^ *SONAME *//p')
soname_flag = $(if $(call soname,$(2),$(3)),-DWRENCH_SONAME_$(1)='"$(call soname,$(2),$(3))"')
LAZY_SONAMES = $(call soname_flag,MHD,libmicrohttpd,microhttpd) $(call soname_flag,ZIP,libzip,zip) \
  $(if $(HS_ON),$(call soname_flag,HS,libhs,hs))

CC ?= cc
CFLAGS ?= -O2 -g
WARN = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
ifeq ($(WERROR),1)
WARN += -Werror
endif
# Hyperscan (libhs, amd64) for the log scan's candidate search (multimatch.c); without it,
# or with WITH_HYPERSCAN=0, the portable engine of multimatch.c. Asked lazily, like PKGS.
WITH_HYPERSCAN ?= 1
HS_ON = $(if $(filter 1,$(WITH_HYPERSCAN)),$(shell pkg-config --exists libhs 2>/dev/null && echo yes))
HS_CFLAGS = $(if $(HS_ON),-DWRENCH_HAVE_HYPERSCAN $(shell pkg-config --cflags libhs 2>/dev/null))
HS_LIBS = $(if $(HS_ON),$(shell pkg-config --libs libhs 2>/dev/null))
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(PKG_CFLAGS) $(HS_CFLAGS) $(LINK_CFLAGS) $(CFLAGS) -MMD -MP
LDLIBS = $(PKG_LIBS) -lpthread

# A separate object tree per flavour, so the sanitizer build never mixes with the normal one.
FLAVOUR ?= release
BUILD = build
OBJ = $(BUILD)/obj-$(FLAVOUR)
ifeq ($(FLAVOUR),fuzz)
CC = clang
CFLAGS = -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined
BIN = $(BUILD)/wrench-fuzz
else ifeq ($(FLAVOUR),sanitize)
CFLAGS = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
BIN = $(BUILD)/wrench-sanitize
else ifeq ($(FLAVOUR),portable)
# One static executable for any x86-64 Linux container image (glibc, musl or distroless):
# libzip and libmicrohttpd from scripts/portable-libs.sh, the rest from Debian's .a files.
# Without Hyperscan: libhs.a is C++ (a static libstdc++ in every binary) and needs SSSE3,
# which "any x86-64" does not promise; the portable engine of multimatch.c serves instead.
WITH_HYPERSCAN = 0
PORTABLE_PREFIX = $(BUILD)/portable/prefix
PKG_CFLAGS = -I$(PORTABLE_PREFIX)/include $(shell pkg-config --cflags libpcre2-8 jansson sqlite3 zlib 2>/dev/null)
PKG_LIBS := $(PORTABLE_PREFIX)/lib/libzip.a $(PORTABLE_PREFIX)/lib/libmicrohttpd.a \
  -ljansson -lpcre2-8 -lsqlite3 -lz -lm
# No dlopen in a static binary: lazylib.c's tables are filled at link time.
LINK_CFLAGS = -DWRENCH_LINK_DIRECT
TEST_LIBS =
LDFLAGS += -static
BIN = $(BUILD)/wrench-portable
else
BIN = $(BUILD)/wrench
endif

SRCS = $(sort $(wildcard wrench/*.c))
# The engine: everything but the command line (main.c, cli.c, commands.c, cmd_*.c). The
# server and the unit tests link it alone, so no analysis can lean on the command line.
LIB_SRCS = $(filter-out wrench/main.c wrench/cli.c wrench/commands.c wrench/cmd_%.c,$(SRCS))
OBJS = $(SRCS:wrench/%.c=$(OBJ)/%.o) $(OBJ)/embedded_data.o
LIB_OBJS = $(LIB_SRCS:wrench/%.c=$(OBJ)/%.o) $(OBJ)/embedded_data.o

UNIT_SRCS = $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS = $(UNIT_SRCS:tests/unit/%.c=$(OBJ)/unit/%)

# Fuzz harnesses: tests/fuzz/fuzz_NAME.c, seeds and saved crashes in testdata/fuzz/NAME/.
FUZZ_NAMES = $(sort $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c)))
REPLAY_BINS = $(FUZZ_NAMES:%=$(OBJ)/fuzz/replay-%)
FUZZ_SECONDS ?= 60

# Files compiled into the binary so that a lone `wrench` works without rules/ or web/.
EMBED_FILES = $(sort $(wildcard rules/*.json) $(wildcard web/*.html web/*.css web/*.js))

.PHONY: portable portable-test memcheck all test test-nohs unit e2e web-test demo bench clean install sanitize test-sanitize deps man format help fuzz replay

all: $(BIN)

help:
	@echo "make            build build/wrench"
	@echo "make demo       install dependencies, build, scan the bundled demo application"
	@echo "make test       install dependencies, build, run unit and end-to-end tests (normal and ASan+UBSan)"
	@echo "make web-test   run the browser test of the web UI (tests/web, Chromium)"
	@echo "make sanitize   build build/wrench-sanitize with ASan+UBSan"
	@echo "make test-nohs  build without Hyperscan into build/nohs, run its unit and fast path tests"
	@echo "make portable   build build/wrench-portable: static, for any x86-64 container image"
	@echo "make bench      benchmarks side by side with the peer tools"
	@echo "make fuzz       run every libFuzzer harness for FUZZ_SECONDS (default 60)"
	@echo "make install    install to \$$(DESTDIR)\$$(PREFIX) (default /usr/local)"
	@echo "make man        regenerate docs/wrench.1 from the option table"
	@echo "make format     clang-format the C sources"

$(BIN): $(OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(OBJ)/%.o: wrench/%.c | $(OBJ)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(OBJ)/lazylib.o: ALL_CFLAGS += $(LAZY_SONAMES)

$(OBJ)/embedded_data.c: scripts/embed.sh $(EMBED_FILES) | $(OBJ)
	sh scripts/embed.sh $(EMBED_FILES) > $@

$(OBJ)/embedded_data.o: $(OBJ)/embedded_data.c
	$(CC) $(ALL_CFLAGS) -Iwrench -c -o $@ $<

$(OBJ) $(OBJ)/unit $(OBJ)/fuzz:
	mkdir -p $@

$(OBJ)/unit/%: tests/unit/%.c $(LIB_OBJS) | $(OBJ)/unit
	$(CC) $(ALL_CFLAGS) -Iwrench $(LDFLAGS) -o $@ $< $(LIB_OBJS) $(LDLIBS) $(TEST_LIBS) $$(pkg-config --libs cmocka)

$(OBJ)/fuzz/replay-%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(LIB_OBJS) | $(OBJ)/fuzz
	$(CC) $(ALL_CFLAGS) -Iwrench $(LDFLAGS) -o $@ tests/fuzz/fuzz_$*.c tests/fuzz/replay.c $(LIB_OBJS) $(LDLIBS) $(TEST_LIBS)

$(OBJ)/fuzz/fuzz-%: tests/fuzz/fuzz_%.c $(LIB_OBJS) | $(OBJ)/fuzz
	$(CC) $(ALL_CFLAGS) -Iwrench -fsanitize=fuzzer,address,undefined -o $@ $< $(LIB_OBJS) $(LDLIBS) $(TEST_LIBS)

# Replay every saved fuzz input through its harness: crashes found once stay fixed.
replay: $(REPLAY_BINS)
	@set -e; for n in $(FUZZ_NAMES); do $(OBJ)/fuzz/replay-$$n testdata/fuzz/$$n/*; done

# Run each harness for FUZZ_SECONDS; new inputs go to build/fuzz-corpus, crashes to build/fuzz-crashes.
fuzz:
	$(MAKE) FLAVOUR=fuzz $(FUZZ_NAMES:%=$(BUILD)/obj-fuzz/fuzz/fuzz-%)
	@set -e; for n in $(FUZZ_NAMES); do \
	  mkdir -p $(BUILD)/fuzz-corpus/$$n $(BUILD)/fuzz-crashes; \
	  echo "== fuzz $$n for $(FUZZ_SECONDS)s"; \
	  rc=0; $(BUILD)/obj-fuzz/fuzz/fuzz-$$n -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	    -artifact_prefix=$(BUILD)/fuzz-crashes/$$n- $(BUILD)/fuzz-corpus/$$n testdata/fuzz/$$n \
	    > $(BUILD)/fuzz-$$n.log 2>&1 || rc=$$?; \
	  tail -n 12 $(BUILD)/fuzz-$$n.log; \
	  if [ $$rc -ne 0 ]; then echo "fuzz $$n failed: see $(BUILD)/fuzz-crashes/ and add the input to testdata/fuzz/$$n/"; exit 1; fi; \
	done

deps:
	sh scripts/deps.sh

sanitize:
	$(MAKE) FLAVOUR=sanitize

unit: $(UNIT_BINS) replay
	@set -e; for t in $(UNIT_BINS); do echo "== $$t"; $$t; done

e2e: $(BIN)
	WRENCH=$(abspath $(BIN)) /usr/bin/python3 -m pytest -q tests/e2e

# The web UI in Chromium (playwright-core) against a real `wrench serve`; screenshots in
# build/web-test/.
web-test: $(BIN)
	@command -v node > /dev/null || { echo "web-test: node (nodejs) is needed" >&2; exit 1; }
	cd tests/web && { [ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund || \
	  npm install --no-audit --no-fund; }
	cd tests/web && WRENCH=$(abspath $(BIN)) node --test

test: deps
	$(MAKE) WERROR=1 all unit
	$(MAKE) WERROR=1 e2e
	$(MAKE) test-nohs
	$(MAKE) web-test
	$(MAKE) portable-test
	$(MAKE) memcheck
	$(MAKE) test-sanitize

# The demo's scan (classpath and logs) under valgrind: no memory error, no leak.
memcheck: $(BIN)
	sh testdata/demo/build.sh $(BUILD)/demo
	mkdir -p $(BUILD)/demo/logs
	java -cp "$$(cat $(BUILD)/demo/classpath)" com.acme.app.Main > $(BUILD)/demo/logs/app.log 2>&1 || true
	valgrind --quiet --error-exitcode=1 --leak-check=full --show-leak-kinds=definite,indirect \
	  --errors-for-leak-kinds=definite,indirect \
	  $(BIN) scan --classpath "$$(cat $(BUILD)/demo/classpath)" --logs $(BUILD)/demo/logs --no-db \
	  --fail-on never > /dev/null
	@echo "memcheck: the demo scan is clean under valgrind"

# The build without Hyperscan (multimatch.c's portable engine alone, as on arm64 and in
# build/wrench-portable): its unit tests and the fast path's equality test.
test-nohs:
	$(MAKE) WITH_HYPERSCAN=0 BUILD=$(BUILD)/nohs WERROR=1 all unit
	WRENCH=$(abspath $(BUILD)/nohs/wrench) /usr/bin/python3 -m pytest -q tests/e2e/test_log_fastpath.py

test-sanitize:
	$(MAKE) FLAVOUR=sanitize WERROR=1 all unit
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  WRENCH=$(abspath $(BUILD)/wrench-sanitize) /usr/bin/python3 -m pytest -q tests/e2e

# build/wrench-portable: statically linked, stripped, runs in an image without any library.
portable: deps
	sh scripts/portable-libs.sh $(BUILD)/portable
	$(MAKE) FLAVOUR=portable all
	strip $(BUILD)/wrench-portable

# The portable binary alone in an empty root (chroot, /proc mounted): a scan and serve.
portable-test: portable
	WRENCH_PORTABLE=$(abspath $(BUILD)/wrench-portable) /usr/bin/python3 -m pytest -q tests/portable

# demo and bench build in a sub-make: this make read pkg-config's answer when it parsed the
# Makefile, before deps.sh could install the -dev packages on a fresh machine.
demo: deps
	$(MAKE) all
	sh scripts/demo.sh $(abspath $(BIN))

bench: deps
	$(MAKE) all
	sh scripts/bench.sh $(abspath $(BIN))

man: $(BIN)
	$(BIN) help --man > docs/wrench.1

format:
	clang-format -i wrench/*.c wrench/*.h tests/unit/*.c

install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/rules $(DESTDIR)$(MANDIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/wrench
	install -m 644 rules/*.json $(DESTDIR)$(DATADIR)/rules/
	install -m 644 docs/wrench.1 $(DESTDIR)$(MANDIR)/wrench.1

clean:
	rm -rf $(BUILD)

-include $(wildcard $(OBJ)/*.d)
