# m2m — top-level commands. `make run` and `make test` work on a fresh machine (Node 20 + npm).
SHELL := /bin/bash
NPM ?= npm
NODE ?= node
VITEST_JSON ?= .vitest-results.json

.PHONY: all install build run test lint typecheck bench model certs clean install-service

all: build

# fix-lock adds other platforms' optional native packages that npm 11 leaves out of the lock
# (without them `npm ci` refuses the lock); it is a no-op when the lock is complete.
node_modules/.package-lock.json: package.json package-lock.json
	$(NODE) .ci/fix-lock.mjs >/dev/null
	$(NPM) ci --no-audit --no-fund
	@touch $@

install: node_modules/.package-lock.json

build: install
	$(NPM) run -s build

# Dev certificates for the listeners (not committed; see certs/README.md).
certs:
	@[ -f certs/dev/ca.crt ] || bash certs/make-dev-certs.sh certs/dev

# The daemon in the foreground with embedded defaults.
run: build certs
	MALLOC_MMAP_THRESHOLD_=131072 $(NODE) --v8-pool-size=1 dist/daemon/cli/main.js daemon --dev

lint: install
	$(NPM) exec -- eslint .

typecheck: install
	$(NPM) exec -- tsc -p tsconfig.check.json

# The whole suite: clean install, build, lint, type check, vitest.
test:
	$(NODE) .ci/fix-lock.mjs >/dev/null
	$(NPM) ci --no-audit --no-fund
	$(NPM) run -s build
	$(MAKE) -s lint typecheck
	$(NPM) exec -- vitest run --reporter=default --reporter=json --outputFile=$(VITEST_JSON)

bench: build
	$(NODE) dist/daemon/cli/main.js bench codecs --corpus ../shared/data/payloads.dev.jsonl
	$(NODE) dist/daemon/cli/main.js bench session --corpus ../shared/data/payloads.dev.jsonl
	$(NODE) dist/daemon/cli/main.js bench transports
	$(NODE) dist/daemon/cli/main.js bench e2e --transport ws

# Retrain the shipped security model (see inference/models/MODEL_CARD.md).
model: build
	$(NODE) dist/inference/train/train.js

install-service: build
	$(NODE) dist/daemon/cli/main.js service install

clean:
	rm -rf dist $(VITEST_JSON)
