# Janji: `make run` serves on :8000, `make test` runs every test suite.
JOBS        ?= $(shell nproc)
RELEASE_DIR ?= build
TEST_DIR    ?= build-asan
FUZZ_DIR    ?= build-fuzz
# `make fuzz` runs each libFuzzer target this long; `make fuzz-smoke` (part of `make test`)
# replays the committed inputs and then runs each for FUZZ_SMOKE_SECONDS.
FUZZ_SECONDS       ?= 600
FUZZ_SMOKE_SECONDS ?= 20
FUZZ_CXX           ?= clang++-14
PORT        ?= 8000
# Let ccache share results between checkouts in different directories (CI clones afresh).
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := true
# The targets use a precompiled header; without these ccache refuses every compile.
export CCACHE_SLOPPINESS := pch_defines,time_macros,include_file_mtime,include_file_ctime
# Debian's Python, which has python3-pytest and python3-requests.
PYTHON      ?= /usr/bin/python3

.PHONY: all deps build build-test build-fuzz run test unit-test api-test api-test-sqlite \
        api-test-postgres browser-test lint-openapi package-test deb fuzz fuzz-smoke bench bench-compare bench-segments \
        bench-sse format clean

all: build

deps:
	@scripts/install-deps

build: deps
	cmake -S . -B $(RELEASE_DIR) -DCMAKE_BUILD_TYPE=Release -DJANJI_TESTS=OFF > /dev/null
	cmake --build $(RELEASE_DIR) -j $(JOBS)

build-test: deps
	cmake -S . -B $(TEST_DIR) -DCMAKE_BUILD_TYPE=Debug -DJANJI_SANITIZE=ON -DCMAKE_CXX_FLAGS=-O1 > /dev/null
	cmake --build $(TEST_DIR) -j $(JOBS)

# The fuzz targets (fuzz/) need clang; they build only the parsers they exercise.
build-fuzz: deps
	cmake -S . -B $(FUZZ_DIR) -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=$(FUZZ_CXX) \
	  -DJANJI_FUZZ=ON -DCMAKE_CXX_FLAGS=-O1 > /dev/null
	cmake --build $(FUZZ_DIR) -j $(JOBS)

fuzz: build-fuzz
	FUZZ_DIR=$(FUZZ_DIR) scripts/fuzz run $(FUZZ_SECONDS)

fuzz-smoke: build-fuzz
	FUZZ_DIR=$(FUZZ_DIR) scripts/fuzz smoke $(FUZZ_SMOKE_SECONDS)

run: build
	mkdir -p data
	$(RELEASE_DIR)/janji serve --port $(PORT)

# One process for all the unit tests: under the sanitizers a process takes about half a
# second to start, so ctest's process per test (900 of them) took ten minutes, this two
# seconds. `ctest` in $(TEST_DIR) still runs them one by one.
unit-test: build-test
	cd $(TEST_DIR) && ./janji_unit_tests --gtest_brief=1

API_TEST = JANJI_BIN=$(abspath $(TEST_DIR))/janji $(PYTHON) -m pytest -q tests/api $(PYTEST_ARGS)

# The API suite twice: SQLite with the in-process cache and bus, then PostgreSQL + Redis
# that tests/api/conftest.py starts on free local ports and stops. The second pass runs
# even when the first fails, so one CI run reports both; the target fails if either did.
api-test: build-test
	@rc=0; \
	echo "== API tests on SQLite"; \
	JANJI_TEST_BACKEND=sqlite $(API_TEST) || rc=1; \
	echo "== API tests on PostgreSQL + Redis"; \
	JANJI_TEST_BACKEND=postgres $(API_TEST) || rc=1; \
	exit $$rc

api-test-sqlite: build-test
	JANJI_TEST_BACKEND=sqlite $(API_TEST)

api-test-postgres: build-test
	JANJI_TEST_BACKEND=postgres $(API_TEST)

# The pages in Debian's Chromium, headless (web/tests: node:test + playwright-core), against
# the sanitizer build; every test saves a screenshot into $(TEST_DIR)/browser-artifacts.
browser-test: build-test
	cd web && JANJI_BIN=$(abspath $(TEST_DIR))/janji \
	  JANJI_ARTIFACTS=$(abspath $(TEST_DIR))/browser-artifacts \
	  node --test --test-concurrency=1 tests/*.test.mjs

# The document `janji openapi` prints (the one /openapi.json serves) against Redocly's
# `recommended` rules (web/redocly.yaml), with no ignore file; a warning fails it as an error
# does. Offline: no telemetry, no update check.
REDOCLY = cd web && REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
  node_modules/.bin/redocly lint --config redocly.yaml --max-problems 1000
NO_PROBLEMS = const t = JSON.parse(require("fs").readFileSync(0, "utf8")).totals; \
  if (t.errors + t.warnings + t.ignored > 0) { console.error("lint-openapi:", t); process.exit(1); }
lint-openapi: build-test
	$(TEST_DIR)/janji openapi > $(TEST_DIR)/openapi.json
	$(REDOCLY) $(abspath $(TEST_DIR))/openapi.json
	@$(REDOCLY) --format json $(abspath $(TEST_DIR))/openapi.json 2> /dev/null | \
	  node -e '$(NO_PROBLEMS)'

# The Debian package (`make deb`), built here from the sanitizer build so the tests compile
# nothing twice (its unit, scripts and Depends: are the same), then installed on this
# machine with dpkg, run as its unit runs it, and removed: tests/package.
package-test: build-test
	rm -rf $(TEST_DIR)/package
	cd $(TEST_DIR) && cpack -G DEB -B $(abspath $(TEST_DIR))/package \
	  -D CPACK_DEBIAN_COMPRESSION_TYPE=none > /dev/null
	JANJI_DEB=$$(ls $(abspath $(TEST_DIR))/package/janji_*.deb) $(PYTHON) -m pytest -q tests/package

test: unit-test fuzz-smoke api-test browser-test lint-openapi package-test

# janji_<version>_amd64.deb in $(RELEASE_DIR): the Release binary, janji.service,
# /etc/janji/janji.env (README, "The Debian package").
deb: build
	cd $(RELEASE_DIR) && cpack -G DEB

# Benchmarks run the Release binary; they are not part of `make test`. `make bench` prints
# the wrk table (BENCH_BACKEND=postgres for PostgreSQL + Redis; BENCH_SECONDS, BENCH_RUNS).
BENCH_BACKEND ?= sqlite
BENCH_SECONDS ?= 10
BENCH_RUNS    ?= 3
bench: build
	@scripts/install-deps bench
	cd bench && $(PYTHON) run.py --backend $(BENCH_BACKEND) --seconds $(BENCH_SECONDS) \
	  --runs $(BENCH_RUNS) --out $(abspath $(RELEASE_DIR))/bench-$(BENCH_BACKEND).md

# SQLite, then PostgreSQL + Redis, in one run: each PostgreSQL row also as a share of its
# SQLite row.
bench-compare: build
	@scripts/install-deps bench
	cd bench && $(PYTHON) run.py --backend compare --seconds $(BENCH_SECONDS) \
	  --runs $(BENCH_RUNS) --out $(abspath $(RELEASE_DIR))/bench-compare.md

bench-segments: build
	cd bench && $(PYTHON) segments_bench.py 100000 1000000

bench-sse: build
	cd bench && $(PYTHON) sse_fanout.py 2000 20

format:
	clang-format -i $$(git ls-files 'src/*.cpp' 'src/*.hpp' 'tests/*.cpp' 'tests/*.hpp' 'bench/*.cpp' \
	  'fuzz/*.cpp' 'fuzz/*.hpp')

clean:
	rm -rf $(RELEASE_DIR) $(TEST_DIR) $(FUZZ_DIR)
