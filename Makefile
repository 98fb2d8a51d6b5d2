# TokenBroker. `make run` and `make test` work on a fresh Debian/Ubuntu machine that has
# only the Swift toolchain: they install the system libraries they need (as root) or say
# exactly what to install.

SWIFT ?= swift
DEB_PACKAGES := libcurl4-openssl-dev libsqlite3-dev
# Only for `make test`: the HTML report test loads the report in headless Chromium (Debian's
# `chromium`; where it cannot be installed, that one test says it is skipped).
DEB_TEST_PACKAGES := chromium
BIN = $(shell $(SWIFT) build --show-bin-path)
PYTHON ?= python3
VENV := .venv-e2e

.PHONY: all deps test-deps build test e2e run bench bench-transport bench-gateway bench-replay clean

all: build

deps:
	@missing=""; \
	for package in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing system packages:$$missing"; \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	  else \
	    echo "TokenBroker needs system packages that are not installed. Run:"; \
	    echo "  sudo apt-get install -y$$missing"; \
	    exit 1; \
	  fi; \
	fi

test-deps: deps
	@for package in $(DEB_TEST_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "install ok installed" && continue; \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing $$package for the tests"; \
	    { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$package; } \
	      || echo "note: $$package could not be installed; the tests that need it will say they are skipped"; \
	  else \
	    echo "note: $$package is not installed (sudo apt-get install -y $$package); the tests that need it will say they are skipped"; \
	  fi; \
	done

build: deps
	$(SWIFT) build

test: test-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	$(MAKE) e2e

# End-to-end: the real tokenbrokerd and tokenbroker-mock, driven by the official OpenAI
# Python SDK from a virtual environment (PyPI; python3-venv from Debian when missing).
$(VENV)/.installed: Tests/EndToEnd/requirements.txt
	@$(PYTHON) -m venv --help >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends python3-venv; } || { echo "run: sudo apt-get install -y python3-venv"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -r Tests/EndToEnd/requirements.txt
	touch $@

e2e: $(VENV)/.installed
	$(SWIFT) build --product tokenbrokerd
	$(SWIFT) build --product tokenbroker-mock
	$(SWIFT) build --product tokenbroker
	TOKENBROKER_BIN=$(BIN) $(VENV)/bin/pytest -q Tests/EndToEnd

# The daemon on the bundled catalogue, every provider without a key served by the mock.
run: deps
	$(SWIFT) build --product tokenbrokerd
	$(SWIFT) build --product tokenbroker-mock
	Deploy/demo/run.sh $(BIN)

# Micro-benchmarks live in their own package so `make test` never builds them.
bench: deps
	cd Benchmarks && $(SWIFT) package --allow-writing-to-package-directory benchmark --target RoutingBenchmarks

# CurlTransport against wrk on the same mock provider (installs wrk when run as root).
bench-transport: deps
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -q wrk; } || { echo "run: sudo apt-get install -y wrk"; exit 1; }
	Benchmarks/transport.sh

# Replaying one year of history with 1,000,000 requests (release build, five timed runs).
REPLAY_HISTORY ?= ../shared/data/price_history.csv
# tokenbrokerd vs nginx vs the mock under wrk (installs wrk and nginx-light when run as root).
bench-gateway: deps
	@for tool in wrk nginx; do command -v $$tool >/dev/null || [ -x /usr/sbin/$$tool ] || { [ "$$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends wrk nginx-light; } || { echo "run: sudo apt-get install -y wrk nginx-light"; exit 1; }; done
	Benchmarks/gateway.sh

bench-replay: deps
	$(SWIFT) build -c release --product tokenbroker
	Benchmarks/replay.sh $(REPLAY_HISTORY)

clean:
	$(SWIFT) package clean
