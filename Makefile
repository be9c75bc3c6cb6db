# kefu — the two commands of the README, and the longer-running targets.
#
#   make demo    install what is missing (Debian packages), build, import the sample data into
#                a fresh demo database and show the queue
#   make test    the same set-up, then every test through CTest
#   make bench   benchmarks against sqlite3 / notmuch on generated data (takes minutes)
#   make fuzz    libFuzzer targets, FUZZ_SECONDS each (default 60)
#   make stress  the crash-safety and concurrency tests at full size (1M rows, 60 s)
#
# Variables: BUILD (build folder), WERROR=1 (warnings are errors), SANITIZE=1 (ASan+UBSan),
# CTEST_ARGS (more arguments for ctest, e.g. -R queue or -LE heavy).

BUILD    ?= build
WERROR   ?= 0
SANITIZE ?= 0
BUILD_TYPE ?= RelWithDebInfo
JOBS     ?= $(shell nproc 2>/dev/null || echo 2)

# Debian packages: to build, to run the tests, to benchmark, to fuzz.
PKGS       := cmake g++ make pkg-config libcli11-dev libsqlitecpp-dev libsqlite3-dev sqlite3 \
              libtomlplusplus-dev libfmt-dev doctest-dev nlohmann-json3-dev libuchardet-dev \
              libutf8proc-dev libre2-dev libopencc-dev libopencc-data libgumbo-dev \
              libgmime-3.0-dev libxxhash-dev
TEST_PKGS  := python3 chromium
BENCH_PKGS := notmuch sqlite3 python3 time
FUZZ_PKGS  := clang-14 libclang-rt-14-dev

KEFU := $(BUILD)/kefu
DEMO_DB := $(BUILD)/demo/kefu.db

.PHONY: all deps test-deps build demo test stress bench fuzz clean

all: build

# Installs the missing packages of $(1): as root with apt-get, otherwise prints the command.
define install_missing
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian packages:" $$missing; \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	  else \
	    echo "kefu needs these Debian packages; run as root:"; \
	    echo "  sudo apt-get update && sudo apt-get install -y" $$missing; \
	    exit 1; \
	  fi; \
	fi
endef

deps:
	$(call install_missing,$(PKGS))

test-deps: deps
	$(call install_missing,$(TEST_PKGS))

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) \
	  -DKEFU_WERROR=$(if $(filter 1,$(WERROR)),ON,OFF) \
	  -DKEFU_SANITIZE=$(if $(filter 1,$(SANITIZE)),ON,OFF)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	@rm -rf $(BUILD)/demo && mkdir -p $(BUILD)/demo
	@echo
	@echo '$$ kefu import data/samples/inquiries.csv data/samples/inquiries-gbk.csv'
	@$(KEFU) --db $(DEMO_DB) import data/samples/inquiries.csv data/samples/inquiries-gbk.csv
	@echo
	@echo '$$ kefu import data/samples/mail.mbox --own shop@example.com'
	@$(KEFU) --db $(DEMO_DB) import data/samples/mail.mbox --own shop@example.com
	@echo
	@echo '$$ kefu list --limit 25'
	@$(KEFU) --db $(DEMO_DB) list --limit 25
	@echo
	@top=$$($(KEFU) --db $(DEMO_DB) list --limit 1 --format tsv | tail -n +2 | cut -f1); \
	  echo "\$$ kefu explain $$top"; $(KEFU) --db $(DEMO_DB) explain $$top
	@echo
	@echo "The demo database is $(DEMO_DB): try  $(KEFU) --db $(DEMO_DB) show 1"

test: test-deps build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) $(CTEST_ARGS)

# Run directly, not through CTest: at full size they take longer than its 600 s limit.
stress: test-deps build
	for t in crash_safety concurrency; do \
	  KEFU=$(abspath $(KEFU)) KEFU_SOURCE_DIR=$(CURDIR) KEFU_STRESS=1 bash tests/cli/$$t.sh || exit 1; \
	done

bench: deps
	$(call install_missing,$(BENCH_PKGS))
	$(MAKE) build BUILD=build-release BUILD_TYPE=Release
	bash bench/run.sh build-release/kefu

fuzz:
	$(call install_missing,$(PKGS) $(FUZZ_PKGS))
	bash fuzz/run.sh

clean:
	rm -rf $(BUILD) build-release build-asan build-fuzz
