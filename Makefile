# Clearinghouse — `make run` sets up and starts everything; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

export RUN_SETTINGS = import django, os; os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clearinghouse.settings"); django.setup(); from django.conf import settings as s; print(f"export PORT={s.PORT} SITE_URL={s.SITE_URL}")

.PHONY: install run test test-postgres lint format messages compilemessages check-messages bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

.env:
	cp .env.example .env

install: $(STAMP) .env

run: install
	mkdir -p var/mail
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo_data
	@# PORT and SITE_URL as the settings see them (environment, then .env, then defaults);
	@# honcho must not re-read .env, whose SITE_URL would override the one that follows PORT.
	eval "$$($(BIN)/python -c "$$RUN_SETTINGS")" && \
	  $(BIN)/honcho start -f Procfile -e /dev/null -p "$$PORT"

test: install
	CELERY_TASK_ALWAYS_EAGER=true $(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: install
	$(BIN)/python manage.py makemessages --all --ignore ".venv/*" --ignore "var/*" --no-location
	$(BIN)/python manage.py compilemessages --ignore ".venv/*"

compilemessages: install
	$(BIN)/python manage.py compilemessages --ignore ".venv/*"

check-messages: install
	$(BIN)/python .ci/check_messages.py

bench: install
	$(BIN)/python bench/api.py
	$(BIN)/python bench/expire_codes.py
	$(BIN)/python bench/pages.py

clean:
	rm -rf var/celery var/mail var/celerybeat-schedule*
