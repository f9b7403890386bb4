# Farmcast: the commands the README names. `make run` to browse, `make test` to prove it.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
SEARCH ?=
# The engine `make run SEARCH=1` and `make search-start` use: opensearch or elasticsearch, each on
# the port scripts/search-engine.sh gives it.
SEARCH_ENGINE ?= opensearch
export SEARCH_ENGINE
ENGINE_URL_opensearch := http://127.0.0.1:9200
ENGINE_URL_elasticsearch := http://127.0.0.1:9230
ENGINE_URL := $(ENGINE_URL_$(SEARCH_ENGINE))

.PHONY: run test bench screenshots lint format messages search-start search-stop search-status install install-dev

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(VENV)/bin/pip install -q -r requirements-dev.txt
	touch $@

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

messages: $(VENV)/.runtime
	$(PY) manage.py compilemessages -v0 --ignore=.venv

## make run: venv, install, migrate, demo content, serve (SQLite; SEARCH=1 starts the engine too,
## SEARCH_ENGINE=elasticsearch picks Elasticsearch 7.10 over OpenSearch)
# The address `make run` serves: the demo Site and the admin's and API's absolute links point at it.
run: export WAGTAILADMIN_BASE_URL = http://127.0.0.1:$(PORT)
run: $(VENV)/.runtime messages
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py load_demo
	$(PY) manage.py site_address http://127.0.0.1:$(PORT)
ifeq ($(SEARCH),1)
	scripts/search-engine.sh start
	SEARCH_ENGINE_URL=$(ENGINE_URL) $(PY) manage.py search_rebuild
	SEARCH_ENGINE_URL=$(ENGINE_URL) $(PY) manage.py update_index --backend default
	SEARCH_ENGINE_URL=$(ENGINE_URL) $(PY) manage.py runserver 127.0.0.1:$(PORT)
else
	$(PY) manage.py runserver 127.0.0.1:$(PORT)
endif

## make test: install, start PostgreSQL, Redis and both engines, run every test (the engine tests on both), stop them
test: $(VENV)/.dev
	scripts/system-deps.sh
	$(MAKE) --no-print-directory messages
	scripts/test.sh

bench: $(VENV)/.dev messages
	scripts/bench.sh

## make screenshots: every public page type, both languages, phone and desktop, into screenshots/ (FRESH=1 rebuilds the demo)
screenshots: $(VENV)/.dev messages
	$(PY) scripts/screenshots.py $(if $(FRESH),--fresh)

search-start:
	scripts/search-engine.sh start
search-stop:
	scripts/search-engine.sh stop
search-status:
	scripts/search-engine.sh status

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: $(VENV)/.dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
