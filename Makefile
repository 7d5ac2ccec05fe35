# The two commands of the README: `make run` and `make test`. Each sets up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test corpora readme lint format clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# The distribution was called `gate` before; left installed (or its gate.egg-info left
	# on the path), it would declare every kind twice.
	$(BIN)/python -m pip uninstall --quiet --yes gate 2>/dev/null || true
	rm -rf gate.egg-info
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## run: the release suite against the reference tutor at the current release
run: $(STAMP)
	$(BIN)/gate run

## test: lint, type-check and the whole test suite
test: $(STAMP)
	scripts/install-test-deps.sh
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

## corpora: resample the long-tail and smoke corpora from the portal log (reproducible by seed)
PORTAL_LOG := examples/tutor/portal-log.jsonl
corpora: $(STAMP)
	$(BIN)/gate corpus sample $(PORTAL_LOG) -o corpora/long-tail.jsonl --longest 15 \
		--tag long-tail --id-prefix lt- --seed 20260814
	$(BIN)/gate corpus sample $(PORTAL_LOG) -o corpora/smoke.jsonl \
		--include corpora/sources/smoke-fixed.jsonl --strata 5 --count 5 \
		--tag smoke --tag portal-sample --id-prefix sm-portal- --seed 20260814

## readme: rewrite the README's reference of check kinds from their params schemas
readme: $(STAMP)
	$(BIN)/python -m gate.kinds.docs README.md

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
