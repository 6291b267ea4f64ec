# The two set-up commands are `make run` and `make test`; both install into .venv first.
# `python` resolves through .python-version (pyenv); set PYTHON to use another 3.13 interpreter.
PYTHON ?= python
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
PORT ?= 8000

.PHONY: install run worker test lint format check clean translations messages

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 13) else "Python 3.13+ is needed, found " + sys.version.split()[0] + " (install it with pyenv, or set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# `make run` needs only the runtime requirements; `make test` and `make lint` the dev tools too.
$(VENV)/.installed-runtime: $(BIN)/python requirements.txt
	$(BIN)/python -m pip install -q -r requirements.txt
	@touch $@

$(VENV)/.installed: $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	@touch $@ $(VENV)/.installed-runtime

install: $(VENV)/.installed

# The .mo catalogs are build output (not committed): compiled with polib, no gettext needed.
translations: $(VENV)/.installed-runtime
	@DEBUG=1 $(MANAGE) compiletranslations

# Extract the marked strings into every catalog (the project's locale/ for templates/, lib/ and
# bakhmach/; <app>/locale/ for each app), then compile. Needs GNU gettext (xgettext).
# Each app's strings go to the nearest locale/ above them, so every app has its own (else they
# would land in the project catalog).
MAKEMESSAGES_IGNORE := --ignore 'tests/*' --ignore 'bench/*' --ignore 'var/*' --ignore 'static/*' --ignore 'staticfiles/*'
APP_CATALOGS := accounts plans goals tasks analytics reports search imports integrations \
	integrations/github integrations/calendar integrations/slack
messages: $(VENV)/.installed-runtime
	mkdir -p locale $(addsuffix /locale,$(APP_CATALOGS))
	DEBUG=1 $(MANAGE) makemessages --locale uk --add-location file --no-obsolete $(MAKEMESSAGES_IGNORE)
	DEBUG=1 $(MANAGE) compiletranslations

# Development server plus a Celery worker (with beat) on the embedded default:
# SQLite and a filesystem broker under var/, no services needed.
run: export DEBUG := $(or $(DEBUG),1)
run: $(VENV)/.installed-runtime translations
	$(MANAGE) migrate --noinput
	@echo "Serving on http://127.0.0.1:$(PORT) (Ctrl-C stops the server and its worker)"
	@exec $(MANAGE) devserver --port $(PORT)

worker: $(VENV)/.installed-runtime translations
	$(BIN)/celery -A bakhmach worker --loglevel INFO

test: install translations
	$(BIN)/pytest $(PYTEST_ARGS)

# ruff; the layer contracts in pyproject.toml (import-linter); mypy with django-stubs.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	DEBUG=1 $(BIN)/mypy

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: install translations
	DEBUG=1 $(MANAGE) check
	DEBUG=1 $(MANAGE) makemigrations --check --dry-run

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache
