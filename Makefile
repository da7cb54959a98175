# jobkit: `make run` builds everything and serves the editor; `make test` runs every test.
GO       ?= go
BIN      := bin
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
# One version, stamped once into internal/version for jobkit, runner and (through web/build.sh) the editor's wasm.
LDFLAGS  := -s -w -X github.com/jobkit-dev/jobkit/internal/version.Version=$(VERSION)
ADDR     ?= 127.0.0.1:8080
FUZZTIME ?= 30s

.PHONY: build web test bench fuzz run clean

## build: the editor bundle and wasm (skipped when up to date), then the jobkit and runner binaries
build: web
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/jobkit ./cmd/jobkit
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/runner ./cmd/runner

web:
	JOBKIT_VERSION=$(VERSION) ./web/build.sh

## run: build and serve the editor on http://$(ADDR) with an example job loaded
run: build
	$(BIN)/jobkit serve --addr $(ADDR)

## test: install what the tests need, start the services on loopback, run every test, stop the services
test:
	./scripts/test.sh

## bench: every benchmark, with the numbers that docs/performance.md records
bench:
	./scripts/bench.sh

## fuzz: run each fuzz target for FUZZTIME (default 30s)
fuzz:
	./scripts/fuzz.sh $(FUZZTIME)

clean:
	rm -rf $(BIN) build node_modules
