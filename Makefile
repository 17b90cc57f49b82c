# The contract with a new user on a fresh Debian 12 machine, as root:
#   make demo   installs what is needed, builds, runs the simulated office
#   make test   installs what is needed, builds, runs every test
BUILD ?= build
SANITIZE_BUILD ?= build-sanitize
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
SOAK_MINUTES ?= 30
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

# Every Debian 12 package that build, tests, benchmarks and demo need.
DEB_PACKAGES = build-essential cmake pkg-config dpkg-dev file \
  libboost1.81-dev libmodbus-dev libsqlite3-dev sqlite3 libspdlog-dev libfmt-dev \
  libgtest-dev libgmock-dev googletest libtomlplusplus-dev libcli11-dev nlohmann-json3-dev \
  libfreetype-dev fonts-dejavu-core libicu-dev libssl-dev libsodium-dev libespeak-ng-dev libasound2-dev libqrencode-dev \
  libxlsxwriter-dev postgresql-15 libpq-dev \
  python3 python3-pymodbus python3-serial python3-serial-asyncio mbpoll socat systemd \
  chromium chromium-driver python3-selenium

# Only for `make fuzz` (libFuzzer needs clang); CI replays the corpora under g++ without them.
FUZZ_PACKAGES = clang-14 libclang-rt-14-dev
FUZZ_TARGETS = control_request control_args config csv_import calendar_year escpos_status modbus

.PHONY: all deps fuzz-deps build test sanitize fuzz fuzz-merge soak bench bench-web bench-central demo package clean

all: build

deps fuzz-deps: PACKAGES = $(if $(filter fuzz-deps,$@),$(FUZZ_PACKAGES),$(DEB_PACKAGES))
deps fuzz-deps:
	@missing=$$(for p in $(PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed$$' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:" $$missing; \
	  if [ "$$(id -u)" != 0 ]; then echo "make deps must run as root (apt-get install)"; exit 1; fi; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# The generated build system, not CMakeCache.txt, marks a finished configure: a configure
# that failed half-way leaves a cache without a Makefile, and must run again next time.
$(BUILD)/Makefile:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS) || { rm -f $(BUILD)/Makefile; exit 1; }

build: $(BUILD)/Makefile
	cmake --build $(BUILD) -j $(JOBS)

test: deps build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) --timeout 300

# The same tests, built with AddressSanitizer and UndefinedBehaviorSanitizer. -g1: line
# tables only, enough for the sanitizers' stack traces, and lighter to link. The headless
# browser tests (label browser, two of them serial) test the pages and run in `make test`;
# here the daemon's side of the same traffic is covered by the protocol tests, and CI has
# 40 minutes on 2 cores for both runs.
sanitize: deps
	cmake -S . -B $(SANITIZE_BUILD) -DCMAKE_BUILD_TYPE=Debug -DMOTCUA_SANITIZE=ON -DCMAKE_CXX_FLAGS_DEBUG=-g1 $(CMAKE_FLAGS)
	cmake --build $(SANITIZE_BUILD) -j $(JOBS)
	cd $(SANITIZE_BUILD) && ctest --output-on-failure -j $(JOBS) --timeout 600 -LE "nosanitize|browser"

# Each fuzz target for FUZZ_SECONDS with libFuzzer, ASan and UBSan (clang-14, its own
# build dir). Whatever it finds is copied into tests/fuzz/corpus/<target>/, where the
# corpus replay tests of `make test` keep it; the run fails until it is fixed.
$(FUZZ_BUILD)/Makefile:
	CC=clang-14 CXX=clang++-14 cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMOTCUA_FUZZ=ON $(CMAKE_FLAGS) || { rm -f $(FUZZ_BUILD)/Makefile; exit 1; }

fuzz: deps fuzz-deps $(FUZZ_BUILD)/Makefile
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target motcua-fuzzers
	tests/fuzz/run-fuzzers $(FUZZ_BUILD)/bin $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# Folds what `make fuzz` found into the committed corpora, minimised to the inputs that
# reach new edges (-merge=1 without hit counters or comparison features), so that each
# stays at a few hundred files.
fuzz-merge: deps fuzz-deps $(FUZZ_BUILD)/Makefile
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target motcua-fuzzers
	for t in $(FUZZ_TARGETS); do mkdir -p $(FUZZ_BUILD)/fuzz/$$t/new && \
	  $(FUZZ_BUILD)/bin/motcua-fuzz-$$t -merge=1 -use_counters=0 -use_cmp=0 -use_value_profile=0 tests/fuzz/corpus/$$t $(FUZZ_BUILD)/fuzz/$$t/new || exit 1; done

# The simulated office under load and faults for SOAK_MINUTES, then an audit of the
# journal (tests/soak/README.md). Not part of `make test`.
soak: deps build
	python3 tests/soak/soak.py --bin $(BUILD)/bin --minutes $(SOAK_MINUTES)

# Benchmarks print their figures beside the physical limit measured in the same run.
# The bus benchmarks pace the simulator to the wire and take several minutes.
bench: deps build
	cmake --build $(BUILD) -j $(JOBS) --target motcua-benchmarks
	$(BUILD)/bin/motcua-bench-journal
	$(BUILD)/bin/motcua-bench-rss $(BUILD)/bin/motcuad config/demo.toml
	$(BUILD)/bin/motcua-bench-ticket-size
	$(BUILD)/bin/motcua-bench-kiosk
	$(BUILD)/bin/motcua-bench-register
	$(BUILD)/bin/motcua-bench-bus
	$(BUILD)/bin/motcua-bench-devices $(BUILD)/bin
	$(BUILD)/bin/motcua-bench-startup $(BUILD)/bin
	$(BUILD)/bin/motcua-bench-voice
	$(MAKE) bench-web
	$(MAKE) bench-central

# The hall board under load (tests/bench/web): board lag in the browser, and motcuad's CPU
# and memory with 20 boards and 500 SSE clients while one ticket a second is called.
bench-web: deps build
	/usr/bin/python3 tests/bench/web/bench_web.py --bin $(BUILD)/bin --devices
	/usr/bin/python3 tests/bench/web/bench_console.py --bin $(BUILD)/bin

# The province's central service (tests/bench/central): 200 sites uploading a busy day at
# once beside PostgreSQL's COPY of the same rows, and a province year's reports.
bench-central: deps build
	/usr/bin/python3 tests/bench/central/bench_central.py --bin $(BUILD)/bin

demo: deps build
	tests/demo/run-demo $(BUILD)/bin

package: deps build
	cd $(BUILD) && cpack -G DEB

clean:
	rm -rf $(BUILD) $(SANITIZE_BUILD) $(FUZZ_BUILD)
