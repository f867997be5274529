# One task runner for the README and CI. `make demo` and `make test` each work on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test test-unit test-integration lint architecture format stack dev bench throughput screenshots faults clean

$(STAMP): pyproject.toml
	bash scripts/bootstrap.sh "$(PYTHON)" "$(VENV)"
	touch $(STAMP)

setup: $(STAMP)

demo: setup  ## start the local stack, run every sample profile through the pipeline, print a table
	$(BIN)/linkedin-assets demo

test: setup architecture  ## the architecture checks, then every tier: unit, assets, integration (real Chromium + moto's server over HTTP)
	$(BIN)/pytest --cov

test-unit: setup
	$(BIN)/pytest tests/unit

test-integration: setup
	$(BIN)/pytest -m integration

lint: setup architecture
	$(BIN)/ruff check linkedin_assets tests benchmarks
	$(BIN)/ruff format --check linkedin_assets tests benchmarks

architecture: setup  ## the import contracts and mypy on core/ and resources/ (pyproject.toml; docs/architecture.md)
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

format: setup
	$(BIN)/ruff format linkedin_assets tests
	$(BIN)/ruff check --fix linkedin_assets tests

stack: setup  ## moto's server + the sample site on 127.0.0.1, until Ctrl-C
	$(BIN)/linkedin-assets stack

LOCAL_DATA ?= $(CURDIR)/.local-data

dev: setup  ## the Dagster UI + daemon on the local stack (run `make stack` in another terminal first)
	mkdir -p $(LOCAL_DATA)/dagster_home $(LOCAL_DATA)/inbox
	test -f $(LOCAL_DATA)/dagster_home/dagster.yaml || printf 'telemetry:\n  enabled: false\n' > $(LOCAL_DATA)/dagster_home/dagster.yaml
	DAGSTER_HOME=$(LOCAL_DATA)/dagster_home PROFILE_URL_SENSOR_STATUS=$${PROFILE_URL_SENSOR_STATUS:-running} \
		$(BIN)/dagster dev -h 127.0.0.1 -p 3000

bench: setup  ## benchmarks that print figures (never timed tests)
	$(BIN)/python benchmarks/intake_benchmark.py

throughput: setup  ## batched vs bare vs one run per partition vs re-extraction vs the browser alone (docs/performance.md)
	$(BIN)/python benchmarks/throughput.py --profiles 200

screenshots: setup  ## what a full-page PNG costs Chromium, and its fast encoding (docs/performance.md)
	$(BIN)/python benchmarks/screenshot_encoding.py

faults: setup  ## faults injected for real: figures (faults injected, retries, profiles lost)
	$(BIN)/python benchmarks/fault_suite.py --profiles 200

clean:
	rm -rf .local-data test-artifacts

.PHONY: mutation
mutation: setup  ## mutmut over core/ and resources/ with the unit and asset tiers (slow: hours on 2 cores), then the share of mutants killed (docs/testing.md)
	$(BIN)/mutmut run --max-children 2
	$(BIN)/python scripts/mutation_summary.py
