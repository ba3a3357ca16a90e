# Plain entry points; the README names `make run` and `make test`.
SHELL := /bin/bash
PYENV_ROOT ?= $(or $(shell pyenv root 2>/dev/null),$(HOME)/.pyenv)
PYTHON311 ?= $(or $(wildcard $(PYENV_ROOT)/versions/3.11.7/bin/python3.11),$(shell command -v python3.11))
VENV := .venv
export HF_HUB_OFFLINE := 1
export RASA_TELEMETRY_ENABLED := false
# The converted embedding model and the retrieval index live here (outside git, rebuilt when missing).
export INCENTIVES_CACHE_DIR ?= $(CURDIR)/.cache
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: setup run test bench eval clean

$(VENV)/.installed: pyproject.toml
	@test -x "$(PYTHON311)" || { echo "需要 Python 3.11（pyenv install 3.11.7）/ Python 3.11 is required"; exit 1; }
	test -d $(VENV) || $(PYTHON311) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $@

setup: $(VENV)/.installed  ## create .venv with the core and its tools

run: setup  ## the product, until the bot lands: a cited check for each example enterprise
	@for f in examples/*.json; do echo "== $$f"; $(VENV)/bin/incentives check "$$f"; echo; done

test: setup  ## everything CI runs
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/pytest

bench: setup  ## performance figures (not tests)
	$(VENV)/bin/python benchmarks/bench_eligibility.py
	$(VENV)/bin/python benchmarks/bench_retrieval.py

eval: setup  ## retrieval quality per mode on the evaluation set
	$(VENV)/bin/python -m knowledge.retrieval.evaluate

clean:
	rm -rf $(VENV) .cache .pytest_cache .mypy_cache .ruff_cache
