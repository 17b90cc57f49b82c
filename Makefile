# The contract with a new user on a fresh Debian 12 machine, as root:
#   make demo   installs what is needed, builds, runs the simulated office
#   make test   installs what is needed, builds, runs every test
BUILD ?= build
SANITIZE_BUILD ?= build-sanitize
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

# Every Debian 12 package that build, tests, benchmarks and demo need.
DEB_PACKAGES = build-essential cmake pkg-config dpkg-dev file \
  libboost1.81-dev libmodbus-dev libsqlite3-dev sqlite3 libspdlog-dev libfmt-dev \
  libgtest-dev libgmock-dev googletest libtomlplusplus-dev libcli11-dev nlohmann-json3-dev \
  libfreetype-dev fonts-dejavu-core libicu-dev libssl-dev libespeak-ng-dev libasound2-dev \
  python3 python3-pymodbus python3-serial python3-serial-asyncio mbpoll socat systemd

.PHONY: all deps build test sanitize bench demo package clean

all: build

deps:
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed$$' || echo $$p; done); \
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

# The same tests, built with AddressSanitizer and UndefinedBehaviorSanitizer.
sanitize: deps
	cmake -S . -B $(SANITIZE_BUILD) -DCMAKE_BUILD_TYPE=Debug -DMOTCUA_SANITIZE=ON $(CMAKE_FLAGS)
	cmake --build $(SANITIZE_BUILD) -j $(JOBS)
	cd $(SANITIZE_BUILD) && ctest --output-on-failure -j $(JOBS) --timeout 600 -LE nosanitize

# Benchmarks print their figures beside the physical limit measured in the same run.
# The bus benchmarks pace the simulator to the wire and take several minutes.
bench: deps build
	$(BUILD)/bin/motcua-bench-journal
	$(BUILD)/bin/motcua-bench-rss $(BUILD)/bin/motcuad config/demo.toml
	$(BUILD)/bin/motcua-bench-ticket-size
	$(BUILD)/bin/motcua-bench-kiosk
	$(BUILD)/bin/motcua-bench-register
	$(BUILD)/bin/motcua-bench-bus
	$(BUILD)/bin/motcua-bench-devices $(BUILD)/bin
	$(BUILD)/bin/motcua-bench-startup $(BUILD)/bin
	$(BUILD)/bin/motcua-bench-voice

demo: deps build
	tests/demo/run-demo $(BUILD)/bin

package: deps build
	cd $(BUILD) && cpack -G DEB

clean:
	rm -rf $(BUILD) $(SANITIZE_BUILD)
