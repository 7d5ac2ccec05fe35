# The two commands of the README: `make run` and `make test`. Each sets up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lock corpora readme screenshot vendor lint format clean

# .venv holds exactly the versions of requirements-dev.txt, checked by hash, as CI
# does; the gate itself is installed editable on top, with no dependencies of its own.
$(STAMP): pyproject.toml requirements-dev.txt
	@# A venv whose first making stopped before pip (Debian without python3-venv) is made again.
	$(BIN)/python -m pip --version >/dev/null 2>&1 || $(PYTHON) -m venv --clear $(VENV)
	@# The distribution was called `gate` before; left installed it would declare every
	@# kind twice.
	$(BIN)/python -m pip uninstall --quiet --yes gate 2>/dev/null || true
	$(BIN)/python -m pip install --quiet --require-hashes --only-binary :all: -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@# An egg-info left by an older install or a build would shadow the entry points (the
	@# kinds) of this one whenever Python runs from the repository's root.
	rm -rf *.egg-info
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

## lock: resolve pyproject.toml again into requirements.txt (the gate, for the workflows)
## and requirements-dev.txt (with the dev tools, for .venv), every file pinned by hash.
## Versions already locked are kept when they still fit; UPGRADE=--upgrade takes the newest.
UV_COMPILE = $(BIN)/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes \
	--custom-compile-command "make lock" $(UPGRADE)
# The build backend is locked too: the workflows build the gate with --no-build-isolation.
BUILD_REQUIRES = $(BIN)/python -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"], sep="\n")'
# requirements.txt is constrained by requirements-dev.txt, so the tests run on the versions that ship.
lock: $(STAMP)
	$(BUILD_REQUIRES) | $(UV_COMPILE) pyproject.toml - --extra dev -o requirements-dev.txt
	$(BUILD_REQUIRES) | $(UV_COMPILE) pyproject.toml - -c requirements-dev.txt -o requirements.txt

## corpora: resample the long-tail and smoke corpora from the portal log (reproducible by seed)
PORTAL_LOG := examples/tutor/portal-log.jsonl
corpora: $(STAMP)
	$(BIN)/gate corpus sample $(PORTAL_LOG) -o corpora/long-tail.jsonl --longest 15 \
		--tag long-tail --id-prefix lt- --seed 20260814
	$(BIN)/gate corpus sample $(PORTAL_LOG) -o corpora/smoke.jsonl \
		--include corpora/sources/smoke-fixed.jsonl --strata 5 --count 5 \
		--tag smoke --tag portal-sample --id-prefix sm-portal- --seed 20260814

## screenshot: the README's pictures of the HTML report (docs/report.png, docs/report-items.png)
screenshot: $(STAMP)
	scripts/install-test-deps.sh
	$(BIN)/python scripts/report_screenshot.py docs

## vendor: fetch the pinned Chart.js from the npm registry into the package, checked by integrity
vendor:
	scripts/vendor-chartjs.sh

## readme: rewrite the README's reference of check kinds from their params schemas
readme: $(STAMP)
	$(BIN)/python -m gate.kinds.docs README.md

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
