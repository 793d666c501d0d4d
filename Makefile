# Clearinghouse — `make run` sets up and starts everything; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The locked dependencies, with hashes (`make lock` writes them from pyproject.toml):
# requirements.lock for production (the Dockerfile), requirements-dev.lock with the dev tools.
LOCK := requirements-dev.lock
UV_COMPILE := $(BIN)/uv pip compile pyproject.toml --generate-hashes --universal --python-version 3.11 --quiet

export RUN_SETTINGS = import django, os; os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clearinghouse.settings"); django.setup(); from django.conf import settings as s; print(f"export PORT={s.PORT} SITE_URL={s.SITE_URL}")

.PHONY: install lock run test test-postgres lint format messages compilemessages check-messages bench clean

# Hashes refuse an editable install, so the locked dependencies go in first (--require-hashes),
# then the project itself without resolving anything (--no-deps).
$(STAMP): pyproject.toml $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# After changing the dependencies in pyproject.toml: write both lock files again.
lock: $(STAMP)
	$(UV_COMPILE) -o requirements.lock
	$(UV_COMPILE) --extra dev -c requirements.lock -o requirements-dev.lock

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
	$(BIN)/mypy
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
