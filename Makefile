# Skolhubb: two commands. `make run` serves the demo; `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.12 2>/dev/null || echo python3)
VENV := .venv
PORT ?= 8000
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test setup migrate seed lint format worker beat clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

setup: $(STAMP)

migrate: setup
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo

run: seed
	@echo ""
	@echo "Skolhubb körs på http://127.0.0.1:$(PORT) (avsluta med Ctrl-C)"
	PORT=$(PORT) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

worker: setup
	$(BIN)/celery -A config worker --loglevel=INFO

beat: setup
	$(BIN)/celery -A config beat --loglevel=INFO

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache
