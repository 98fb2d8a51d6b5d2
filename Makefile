# TokenBroker. `make run` and `make test` work on a fresh Debian/Ubuntu machine that has
# only the Swift toolchain: they install the system libraries they need (as root) or say
# exactly what to install.

SWIFT ?= swift
# chromium: the HTML report test loads the report in headless Chromium.
DEB_PACKAGES := libcurl4-openssl-dev libsqlite3-dev chromium
BIN = $(shell $(SWIFT) build --show-bin-path)

.PHONY: all deps build test run bench bench-transport bench-replay clean

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

build: deps
	$(SWIFT) build

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# Until the daemon lands, `make run` shows the router at work on the bundled catalogue.
run: build
	@echo "== The cheapest adequate offer for a 2,000-token chat request (policy auto) =="
	$(BIN)/tokenbroker route explain --offline --providers Providers --prompt-tokens 2000 --limit 8
	@echo
	@echo "== The same request with tools, a JSON schema and a quality floor (policy frontier) =="
	$(BIN)/tokenbroker route explain --offline --providers Providers --policy frontier --tools --json-schema --prompt-tokens 2000 --limit 8
	@echo
	@echo "== Confidential data: only providers whose terms allow it =="
	$(BIN)/tokenbroker route explain --offline --providers Providers --data-class confidential --prompt-tokens 20000 --limit 8

# Micro-benchmarks live in their own package so `make test` never builds them.
bench: deps
	cd Benchmarks && $(SWIFT) package --allow-writing-to-package-directory benchmark --target RoutingBenchmarks

# CurlTransport against wrk on the same mock provider (installs wrk when run as root).
bench-transport: deps
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -q wrk; } || { echo "run: sudo apt-get install -y wrk"; exit 1; }
	Benchmarks/transport.sh

# Replaying one year of history with 1,000,000 requests (release build, five timed runs).
REPLAY_HISTORY ?= ../shared/data/price_history.csv
bench-replay: deps
	$(SWIFT) build -c release --product tokenbroker
	Benchmarks/replay.sh $(REPLAY_HISTORY)

clean:
	$(SWIFT) package clean
