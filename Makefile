# Plain entry points; the README names `make run` and `make test`.
SHELL := /bin/bash
PYENV_ROOT ?= $(or $(shell pyenv root 2>/dev/null),$(HOME)/.pyenv)
PYTHON311 ?= $(or $(wildcard $(PYENV_ROOT)/versions/3.11.7/bin/python3.11),$(shell command -v python3.11))
PYTHON310 ?= $(or $(wildcard $(PYENV_ROOT)/versions/3.10.13/bin/python3.10),$(shell command -v python3.10))
VENV := .venv
RASA_VENV := .venv-rasa
RASA := $(RASA_VENV)/bin/rasa
MODEL := models/bot.tar.gz
RASA_FILES := config.yml $(shell find bot/domain bot/data -name '*.yml' -not -path 'bot/data/phrasings/*') $(wildcard bot/nlu/*.py) knowledge/lexicon/ip_terms.txt
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export RASA_TRACKER_DB ?= $(CURDIR)/data/conversations.db
export ACTION_ENDPOINT_URL ?= http://127.0.0.1:5055/webhook
export HF_HUB_OFFLINE := 1
export RASA_TELEMETRY_ENABLED := false
# The converted embedding model and the retrieval index live here (outside git, rebuilt when missing).
export INCENTIVES_CACHE_DIR ?= $(CURDIR)/.cache
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# Rasa imports the custom NLU component and channels from bot/.
export PYTHONPATH := $(CURDIR)

.PHONY: setup rasa-setup debs fonts model warm run cluster forget purge test test-bot bench eval nlu-data clean

$(VENV)/.installed: pyproject.toml
	@test -x "$(PYTHON311)" || { echo "需要 Python 3.11（pyenv install 3.11.7）/ Python 3.11 is required"; exit 1; }
	test -d $(VENV) || $(PYTHON311) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $@

setup: $(VENV)/.installed  ## create .venv with the core and its tools

$(RASA_VENV)/.installed: bot/requirements-rasa.txt
	@test -x "$(PYTHON310)" || { echo "Rasa 3.6 需要 Python 3.10（pyenv install 3.10.13）/ Python 3.10 is required"; exit 1; }
	test -d $(RASA_VENV) || $(PYTHON310) -m venv $(RASA_VENV)
	$(RASA_VENV)/bin/pip install --quiet -r bot/requirements-rasa.txt
	touch $@

rasa-setup: $(RASA_VENV)/.installed  ## create .venv-rasa with Rasa Open Source 3.6

# Debian packages: Chromium for the browser tests (Playwright's own browser download is not
# reachable here) with a CJK font, which the 测算报告 PDF embeds too; poppler-utils (pdftoppm) turns
# a report's first page into the PNG the browser tests keep; PostgreSQL, Redis and nginx for the
# production profile.
# Installed with apt-get when missing (as root, or through sudo).
debs:  ## install the Debian packages the browser and cluster tests use
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	[ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing="$$missing fonts-wqy-microhei"; \
	command -v pdftoppm >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v redis-server >/dev/null 2>&1 || missing="$$missing redis-server"; \
	command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing="$$missing nginx"; \
	[ -z "$$missing" ] && exit 0; \
	if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null 2>&1; then SUDO=sudo; \
	else echo "需要安装 Debian 软件包 / Debian packages needed:$$missing" >&2; exit 1; fi; \
	echo "apt-get install$$missing"; \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null

# The 测算报告 embeds a Chinese font from Debian: `make run` installs it when it can (root or sudo);
# without it the product still runs and the report download says which package is missing.
fonts:
	@[ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] && exit 0; \
	if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO=sudo; \
	else echo "提示：未安装 fonts-wqy-microhei，测算报告（PDF）暂不可用 / install fonts-wqy-microhei for the PDF report" >&2; exit 0; fi; \
	($$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq fonts-wqy-microhei >/dev/null) \
	|| echo "提示：fonts-wqy-microhei 安装失败，测算报告（PDF）暂不可用" >&2

$(MODEL): $(RASA_VENV)/.installed $(RASA_FILES)
	mkdir -p models data
	$(RASA) train --domain bot/domain --data bot/data --config config.yml --out models --fixed-model-name bot

model: $(MODEL)  ## train the Rasa model (only when the training data changed)

warm: setup  ## convert the embedding model, export it to ONNX and build the clause index before the servers start
	$(VENV)/bin/incentives ask "知识产权" --top-k 1 >/dev/null

run: setup model warm fonts  ## the product: website on localhost:8000, Rasa (REST, WeChat) on :5005, action server
	bash scripts/run.sh

cluster: setup debs model warm  ## the production profile on loopback: PostgreSQL, Redis, 2 Rasa, 2 action servers, nginx
	$(VENV)/bin/python -m deploy.cluster

# The conversation id reaches the command through the environment, never through the shell's
# text: an id with quotes, backticks or $(…) is data, not a command. $(value …) stops make from
# expanding it either (a variable from the command line is expanded when make exports it, so it
# is made a simple variable holding the raw text first).
override SENDER := $(value SENDER)
forget: export FORGET_SENDER := $(SENDER)
forget: rasa-setup  ## delete one conversation: make forget SENDER=<conversation id, e.g. wechat:OPENID> [ENDPOINTS=…]
	@test -n "$$FORGET_SENDER" || { echo "用法 / usage: make forget SENDER=<conversation id>" >&2; exit 2; }
	$(RASA_VENV)/bin/python -m bot.data_retention --endpoints $(or $(ENDPOINTS),endpoints.yml) forget "$$FORGET_SENDER"

purge: rasa-setup  ## delete conversations idle for more than RETENTION_DAYS (default 180)
	$(RASA_VENV)/bin/python -m bot.data_retention --endpoints $(or $(ENDPOINTS),endpoints.yml) purge

nlu-data:  ## regenerate bot/data/nlu and the held-out split from the YAML phrasings in bot/data/phrasings
	$(VENV)/bin/python bot/data/generate_nlu.py

test-bot: model  ## Rasa's own checks: data validation, held-out NLU evaluation, test stories
	$(RASA) data validate --domain bot/domain --data bot/data --config config.yml
	$(RASA) test nlu --nlu tests/bot/test_nlu.yml --model $(MODEL) --out reports/nlu
	$(VENV)/bin/python tests/bot/check_nlu_report.py reports/nlu
	$(RASA) test core --stories tests/bot/test_stories.yml --model $(MODEL) --out reports/core --fail-on-prediction-errors

test: setup debs model warm  ## everything CI runs
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(MAKE) test-bot
	$(VENV)/bin/pytest

bench: setup  ## performance figures (not tests)
	$(VENV)/bin/python benchmarks/bench_eligibility.py
	$(VENV)/bin/python benchmarks/bench_retrieval.py
	$(VENV)/bin/python benchmarks/bench_report.py

eval: setup  ## retrieval quality per mode on the evaluation set
	$(VENV)/bin/python -m knowledge.retrieval.evaluate

clean:
	rm -rf $(VENV) $(RASA_VENV) models reports .cache .rasa .pytest_cache .mypy_cache .ruff_cache
