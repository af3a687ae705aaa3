# Sésame — two commands: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint install clean-db

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip==25.3
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo
	mkdir -p var
	$(BIN)/python manage.py ent_export_esidoc --uai 9990001X --all-classes --teachers --staff -o var/demo-ent-export.xml
	$(BIN)/python manage.py seed_demo_library --uai 9990001X var/demo-ent-export.xml
	$(BIN)/python manage.py seed_demo_catalogue --uai 9990001X --records 3000
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(BIN)/python manage.py demo_urls
	$(BIN)/gunicorn sesame.config.wsgi --bind 127.0.0.1:8000 --workers 2 --access-logfile - --access-logformat '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s'

lint: $(STAMP)
	$(BIN)/ruff check sesame tests benchmarks
	$(BIN)/lint-imports

test: lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)
