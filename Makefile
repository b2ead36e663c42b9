# Common tasks. `make test` is what CI runs (.ci/run).
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: install run test lint typecheck golden evaluate bench bench-scale schema clean

$(BIN)/budget-notes: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	# Bytecode now, as a non-editable install has it: where PYTHONDONTWRITEBYTECODE is set, an
	# editable install would otherwise compile its sources again in every process.
	$(BIN)/python -m compileall -q extractor
	touch $@

install: $(BIN)/budget-notes

# Extract the samples into out/ (JSON per document, combined CSV tables, review pages).
run: install
	$(BIN)/budget-notes extract samples --out out --review

test: install
	$(BIN)/pytest -n 2

lint: install
	$(BIN)/ruff check extractor tests scripts bench
	$(BIN)/ruff format --check extractor

typecheck: install
	$(BIN)/mypy

# Rewrite the seed snapshot on purpose, then review `git diff tests/golden`.
golden: install
	UPDATE_GOLDEN=1 $(BIN)/pytest tests/test_seed.py -q

evaluate: install
	$(BIN)/python scripts/evaluate.py --markdown

# The corpus PDFs of ../shared when present, else bench/corpus (python bench/make_corpus.py).
bench: install
	$(BIN)/python bench/run.py --markdown

# The nightly job at scale: 20,000 generated notes, peak memory, files/s, a nothing-to-do run.
bench-scale: install
	$(BIN)/python bench/scale.py --files 20000 --jobs 2 --markdown

schema: install
	$(BIN)/budget-notes schema > schema/document.schema.json

clean:
	rm -rf out .pytest_cache .mypy_cache .ruff_cache
