# One task runner for the README and CI. `make demo` and `make test` each work on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# What is installed, from uv.lock (scripts/bootstrap.sh): the `local` extra for the demo and the
# local stack, `dev` (tests, linters, `local` included) and PostgreSQL's binaries for the tests.
LOCAL_STAMP := $(VENV)/.installed-local
DEV_STAMP := $(VENV)/.installed-dev
TEST_STAMP := $(VENV)/.installed-test

.PHONY: setup setup-dev setup-test demo test test-unit test-integration lint architecture format stack dev bench throughput screenshots faults clean

$(LOCAL_STAMP): pyproject.toml uv.lock scripts/bootstrap.sh
	bash scripts/bootstrap.sh "$(PYTHON)" "$(VENV)" local
	touch $@

$(DEV_STAMP): pyproject.toml uv.lock scripts/bootstrap.sh
	bash scripts/bootstrap.sh "$(PYTHON)" "$(VENV)" dev
	touch $@

$(TEST_STAMP): pyproject.toml uv.lock scripts/bootstrap.sh
	bash scripts/bootstrap.sh "$(PYTHON)" "$(VENV)" dev postgres
	touch $(DEV_STAMP) $@

setup: $(LOCAL_STAMP)  ## what the demo and the local stack need: the package, moto's server, the UI, a Chromium

setup-dev: $(DEV_STAMP)  ## setup, plus the test tools, linters and type checker

setup-test: $(TEST_STAMP)  ## setup-dev, plus PostgreSQL's server binaries for the postgres tests

demo: setup  ## start the local stack, run every sample profile through the pipeline, print a table
	$(BIN)/linkedin-assets demo

test: setup-test architecture  ## the architecture checks, then every tier: unit, assets, integration (real Chromium + moto's server over HTTP)
	$(BIN)/pytest --cov
	$(BIN)/python scripts/coverage_floor.py

test-unit: setup-dev
	$(BIN)/pytest tests/unit

test-integration: setup-test
	$(BIN)/pytest -m integration

lint: setup-dev architecture
	$(BIN)/ruff check linkedin_assets tests benchmarks
	$(BIN)/ruff format --check linkedin_assets tests benchmarks

architecture: setup-dev  ## the import contracts and mypy on core/ and resources/ (pyproject.toml; docs/architecture.md)
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

format: setup-dev
	$(BIN)/ruff format linkedin_assets tests
	$(BIN)/ruff check --fix linkedin_assets tests

stack: setup  ## moto's server + the sample site on 127.0.0.1, until Ctrl-C
	$(BIN)/linkedin-assets stack

dev: setup  ## the Dagster UI + daemon on the local stack (run `make stack` in another terminal first)
	$(BIN)/linkedin-assets dev

bench: setup-dev  ## benchmarks that print figures (never timed tests)
	$(BIN)/python benchmarks/intake_benchmark.py

throughput: setup-dev  ## batched vs bare vs one run per partition vs re-extraction vs the browser alone (docs/performance.md)
	$(BIN)/python benchmarks/throughput.py --profiles 200

screenshots: setup-dev  ## what a full-page PNG costs Chromium, and its fast encoding (docs/performance.md)
	$(BIN)/python benchmarks/screenshot_encoding.py

faults: setup-dev  ## faults injected for real: figures (faults injected, retries, profiles lost)
	$(BIN)/python benchmarks/fault_suite.py --profiles 200

clean:
	rm -rf .local-data test-artifacts

# The production image (deploy/Dockerfile) with podman, else docker. Where no registry is reachable,
# BASE_IMAGE=localhost/debian:bookworm builds on a Debian base made here (docs/deployment.md).
IMAGE ?= localhost/linkedin-assets:dev
BASE_IMAGE ?= python:3.11-slim-bookworm

.PHONY: image image-smoke
image:  ## build deploy/Dockerfile from uv.lock; prints the image size
	IMAGE=$(IMAGE) BASE_IMAGE=$(BASE_IMAGE) bash scripts/image.sh

image-smoke: setup-test  ## the built image on the local stack: health check, validate, 3 profiles stored from inside it
	LINKEDIN_ASSETS_IMAGE=$(IMAGE) LINKEDIN_ASSETS_IMAGE_TESTS=1 $(BIN)/pytest -s -p no:cacheprovider tests/image/test_image_smoke.py

.PHONY: mutation
mutation: setup-dev  ## mutmut over core/ and resources/ with the unit and asset tiers (slow: hours on 2 cores), then the share of mutants killed (docs/testing.md)
	$(BIN)/mutmut run --max-children 2
	$(BIN)/python scripts/mutation_summary.py
