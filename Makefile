# zorgterm and zorgd: one non-recursive Makefile.
#   make            build everything into build/
#   make demo       install missing packages, build, start a demo zorgd, open zorgterm
#   make check      install missing packages, then every test level (unit, api, tui,
#                   contract, sanitizers, fuzz smoke)
#   make bench      benchmarks that print numbers
#   make fuzz       longer fuzzing runs
#   make install    PREFIX=/usr/local DESTDIR=
# SAN=1 builds with AddressSanitizer + UndefinedBehaviorSanitizer into build-san/.

VERSION   := 0.1.0
PREFIX    ?= /usr/local
DESTDIR   ?=
CC        ?= cc
SAN       ?=
ifeq ($(SAN),1)
BUILD     ?= build-san
OPT       := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDSAN     := -fsanitize=address,undefined
else
BUILD     ?= build
OPT       := -O2 -g
LDSAN     :=
endif
PKI       := build/pki

WARN      := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wstrict-prototypes -Wvla
CSTD      := -std=c11 -D_GNU_SOURCE
CPPFLAGS  += -Iinclude -MMD -MP -DZORGD_VERSION='"$(VERSION)"' -DZORGTERM_VERSION='"$(VERSION)"'
CFLAGS    ?=
ALLCFLAGS  = $(CSTD) $(OPT) $(WARN) $(CFLAGS)

SERVER_PKGS := libmicrohttpd gnutls sqlite3 libpq libsodium libcjson libconfig
SERVER_LIBS := $(shell pkg-config --libs $(SERVER_PKGS) 2>/dev/null) -lpthread
CLIENT_LIBS := $(shell pkg-config --libs libcurl libcjson libconfig sqlite3 2>/dev/null) -lpthread
TUI_CFLAGS  := $(shell pkg-config --cflags ncursesw 2>/dev/null)
TUI_LIBS    := $(shell pkg-config --libs ncursesw 2>/dev/null)

COMMON_SRC := $(wildcard src/common/*.c)
SERVER_SRC := $(filter-out src/server/main.c,$(wildcard src/server/*.c src/server/*/*.c))
CLIENT_SRC := $(wildcard src/client/*.c src/client/*/*.c)
UI_SRC     := $(filter-out ui/main.c,$(wildcard ui/*.c ui/*/*.c))
COMMON_OBJ := $(COMMON_SRC:%.c=$(BUILD)/obj/%.o)
SERVER_OBJ := $(SERVER_SRC:%.c=$(BUILD)/obj/%.o)
CLIENT_OBJ := $(CLIENT_SRC:%.c=$(BUILD)/obj/%.o)
UI_OBJ     := $(UI_SRC:%.c=$(BUILD)/obj/%.o)

UNIT_SRC   := $(wildcard tests/unit/test_*.c)
UNIT_BIN   := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRC   := $(wildcard tests/fuzz/fuzz_*.c)

ZORGD      := $(BUILD)/bin/zorgd
ZORGTERM   := $(BUILD)/bin/zorgterm
VTDRIVE    := $(BUILD)/bin/vtdrive
STORECHECK := $(BUILD)/bin/storecheck

.PHONY: all deps certs check check-unit check-api check-cluster check-contract check-san check-fuzz check-fuzz-build \
        demo bench fuzz clean install lint-openapi

all: $(ZORGD) $(ZORGTERM) $(VTDRIVE) $(STORECHECK) $(UNIT_BIN)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ALLCFLAGS) -c $< -o $@

$(BUILD)/libcommon.a: $(COMMON_OBJ)
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

$(BUILD)/libzorgd.a: $(SERVER_OBJ)
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

$(BUILD)/libclient.a: $(CLIENT_OBJ)
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

$(BUILD)/libui.a: $(UI_OBJ)
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

# ui/ and the unit tests see ncursesw's flags; src/client never does.
# The interface's format strings come from the i18n table, so they are not literals.
$(BUILD)/obj/ui/%.o: CFLAGS += -Wno-format-nonliteral
$(BUILD)/obj/ui/%.o: CPPFLAGS += -Iui $(TUI_CFLAGS) -DZT_THEMEDIR='"$(PREFIX)/share/zorgterm/themes"'
$(BUILD)/obj/tests/%.o: CPPFLAGS += -Iui -Isrc/server $(TUI_CFLAGS)
# Only the store's PostgreSQL driver includes libpq-fe.h.
$(BUILD)/obj/src/server/store/%.o: CPPFLAGS += $(shell pkg-config --cflags libpq 2>/dev/null)

# The installed theme directory is compiled in: rebuild theme.o when PREFIX changes.
$(BUILD)/prefix.stamp: FORCE
	@mkdir -p $(@D)
	@echo '$(PREFIX)' | cmp -s - $@ || echo '$(PREFIX)' > $@
$(BUILD)/obj/ui/theme.o: $(BUILD)/prefix.stamp
.PHONY: FORCE
FORCE:

$(ZORGTERM): $(BUILD)/obj/ui/main.o $(BUILD)/libui.a $(BUILD)/libclient.a $(BUILD)/libcommon.a
	@mkdir -p $(@D)
	$(CC) $(LDSAN) -o $@ $^ $(CLIENT_LIBS) $(TUI_LIBS)

$(VTDRIVE): tests/tools/vtdrive.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ALLCFLAGS) -o $@ $< $(LDSAN) $(shell pkg-config --libs vterm 2>/dev/null) -lutil

$(ZORGD): $(BUILD)/obj/src/server/main.o $(BUILD)/libzorgd.a $(BUILD)/libcommon.a
	@mkdir -p $(@D)
	$(CC) $(LDSAN) -o $@ $^ $(SERVER_LIBS)

# The store driven from the command line, for the tests of several instances.
$(STORECHECK): $(BUILD)/obj/tests/tools/storecheck.o $(BUILD)/libzorgd.a $(BUILD)/libcommon.a
	@mkdir -p $(@D)
	$(CC) $(LDSAN) -o $@ $^ $(SERVER_LIBS)

UNIT_LIBS := $(BUILD)/libui.a $(BUILD)/libclient.a $(BUILD)/libzorgd.a $(BUILD)/libcommon.a
$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(UNIT_LIBS)
	@mkdir -p $(@D)
	$(CC) $(LDSAN) -o $@ $^ $(SERVER_LIBS) $(CLIENT_LIBS) $(TUI_LIBS) -lcmocka

# ---- set-up -------------------------------------------------------------------------
deps:
	@sh tools/deps.sh check

certs:
	@sh tools/mkcerts.sh $(PKI)

# ---- tests --------------------------------------------------------------------------
check: deps
	@$(MAKE) --no-print-directory all certs
	@sh tests/tools/run-suite.sh

check-unit: all
	@sh tests/tools/run-suite.sh unit

check-api: all certs
	@sh tests/tools/run-suite.sh api

check-cluster: all certs
	@sh tests/tools/run-suite.sh cluster

check-contract: all certs
	@sh tests/tools/run-suite.sh contract

check-san:
	@sh tests/tools/run-suite.sh san

lint-openapi:
	@tools/npm/node_modules/.bin/redocly lint --format=stylish etc/openapi.yaml

# ---- fuzzing ------------------------------------------------------------------------
FUZZ_CFLAGS := $(CSTD) -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude
$(BUILD)/fuzz/%: tests/fuzz/%.c $(COMMON_SRC) $(SERVER_SRC)
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -Isrc/server -o $@ $^ $(SERVER_LIBS)

check-fuzz-build: $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz/%)

check-fuzz: check-fuzz-build
	@sh tests/tools/run-suite.sh fuzz

fuzz: $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz/%)
	@for f in $^; do n=$$(basename $$f); mkdir -p $(BUILD)/fuzz-corpus/$$n; \
	  $$f -max_total_time=300 $(BUILD)/fuzz-corpus/$$n tests/fuzz/corpus/$$n || exit 1; done

# ---- demo and benchmarks ------------------------------------------------------------
demo:
	@sh tools/demo.sh users
	@sh tools/deps.sh core
	@$(MAKE) --no-print-directory all certs
	@sh tools/demo.sh

BENCH_SEARCH := $(BUILD)/bin/bench_search
$(BENCH_SEARCH): $(BUILD)/obj/bench/client_search.o $(BUILD)/libclient.a $(BUILD)/libcommon.a
	@mkdir -p $(@D)
	$(CC) $(LDSAN) -o $@ $^ $(CLIENT_LIBS)

bench:
	@sh tools/deps.sh bench
	@$(MAKE) --no-print-directory all certs $(BENCH_SEARCH)
	@sh bench/server.sh
	@sh bench/client.sh

# ---- housekeeping -------------------------------------------------------------------
install: $(ZORGD) $(ZORGTERM)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/zorgterm/themes \
	    $(DESTDIR)$(PREFIX)/share/doc/zorgterm
	install -m 755 $(ZORGD) $(DESTDIR)$(PREFIX)/bin/zorgd
	install -m 755 $(ZORGTERM) $(DESTDIR)$(PREFIX)/bin/zorgterm
	install -m 644 themes/*.theme $(DESTDIR)$(PREFIX)/share/zorgterm/themes/
	install -m 644 etc/zorgterm.conf $(DESTDIR)$(PREFIX)/share/doc/zorgterm/
	install -m 644 etc/zorgd.conf etc/openapi.yaml $(DESTDIR)$(PREFIX)/share/doc/zorgterm/

clean:
	rm -rf build/obj build/bin build/tests build/fuzz build/lib*.a build-san

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
