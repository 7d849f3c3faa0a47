# `make demo` and `make test` each create .venv when it is missing.
# Django 6 needs Python 3.12+: the first suitable interpreter found is used (override with PYTHON=...).
PYTHON ?= $(shell for p in python3.12 python3.13 python3.14 python3 $$HOME/.pyenv/versions/3.12*/bin/python3 $$HOME/.pyenv/versions/3.13*/bin/python3 /root/.pyenv/versions/3.12*/bin/python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then echo $$p; break; fi; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint messages serve clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is required (Django 6). Set PYTHON=/path/to/python3.12"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	mkdir -p var
	$(BIN)/encuentros migrate --noinput
	$(BIN)/encuentros load_demo
	# The background worker (catalog imports, seating plans, analytics, PDFs) runs beside the
	# web server and stops with it.
	$(BIN)/encuentros worker -v0 & worker=$$!; trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	$(BIN)/encuentros runserver 127.0.0.1:8000

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

# Re-extract and compile translations (msgids are English; the es_MX catalogs hold the Spanish UI).
# Each app with a locale/ folder owns its catalog; src/encuentros/locale holds the rest.
messages: $(STAMP)
	@cd src/encuentros && apps=$$(for d in */locale; do echo $${d%/locale}; done) && \
	for app in $$apps; do (cd $$app && ../../../$(BIN)/encuentros makemessages -l es_MX --no-obsolete --no-location -v0) || exit 1; done && \
	../../$(BIN)/encuentros makemessages -l es_MX --no-obsolete --no-location -v0 $$(for app in $$apps matching; do echo --ignore=$$app; done) && \
	../../$(BIN)/encuentros compilemessages -v0

clean:
	rm -rf $(VENV) var/*.sqlite3
