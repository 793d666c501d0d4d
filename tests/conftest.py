"""Fixtures every app's tests may use. App-specific fixtures live in tests/<app>/conftest.py."""

import pytest
from django.conf import settings as django_settings

from accounts.models import Organisation
from tests.factories import OrganisationFactory, UserFactory


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` need PostgreSQL (row locks, real concurrency), `broker` Redis
    with a live worker, `redis_cache` Redis as the cache, and `sqlite` the embedded database.
    `make test` runs on SQLite with eager tasks and leaves the server-bound ones out;
    `.ci/run` runs the suite again on PostgreSQL and Redis, where they run (and `sqlite` ones
    are left out)."""
    on_postgres = django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    available = {
        "postgres": on_postgres,
        "sqlite": not on_postgres,
        "broker": django_settings.CELERY_BROKER_URL.startswith("redis"),
        "redis_cache": "redis" in django_settings.CACHES["default"]["BACKEND"].lower(),
    }
    keep, leave_out = [], []
    for item in items:
        needs = [name for name in available if item.get_closest_marker(name) is not None]
        if all(available[name] for name in needs):
            keep.append(item)
        else:
            leave_out.append(item)
    if leave_out:
        config.hook.pytest_deselected(items=leave_out)
        items[:] = keep


@pytest.fixture(autouse=True)
def _eager_tasks():
    """Tasks run inline unless a test starts a live worker (tests marked `broker`); no test
    inherits another's broker back-off."""
    from clearinghouse import celery

    previous = celery.app.conf.task_always_eager
    celery.app.conf.task_always_eager = True
    celery._broker_down_until[0] = 0.0
    yield
    celery.app.conf.task_always_eager = previous
    celery._broker_down_until[0] = 0.0


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate limits and throttles live in the cache; each test starts with none used."""
    from django.core.cache import cache

    from approval_codes import api_log

    cache.clear()
    api_log._waiting.clear()  # the donor API's request log waiting in this process
    yield
    cache.clear()
    api_log._waiting.clear()


@pytest.fixture
def user(db):
    """A signed-up user with a confirmed email and no organisation yet."""
    return UserFactory()


@pytest.fixture
def make_organisation(db):
    """`make_organisation(status=...)`: an organisation of any status, with its account holder."""

    def make(**fields):
        return OrganisationFactory(**fields)

    return make


@pytest.fixture
def organisation(make_organisation):
    """An approved (eligible) organisation."""
    return make_organisation(status=Organisation.Status.APPROVED)


@pytest.fixture
def other_organisation(make_organisation):
    """Someone else's organisation: everything of it must be a 404 to `holder`."""
    return make_organisation(status=Organisation.Status.APPROVED, legal_name="Other Org")


@pytest.fixture(params=[s for s in Organisation.Status if s not in Organisation.ELIGIBLE_STATUSES])
def ineligible_organisation(request, make_organisation):
    """Parametrised over every status that may not issue codes or order (R-VAL-9, R-VAL-10)."""
    return make_organisation(status=request.param)


@pytest.fixture
def holder(organisation):
    """The account holder (main contact) of `organisation`."""
    return organisation.account_holder


@pytest.fixture
def holder_client(client, holder):
    client.force_login(holder)
    return client


@pytest.fixture
def user_client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def staff_user(db):
    return UserFactory(email="staff@clearinghouse.test", is_staff=True, is_superuser=True)


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def make_staff_member(db):
    """`make_staff_member(group)`: a staff member, not a superuser, in one staff group of
    `clearinghouse.staff_groups.STAFF_GROUPS` (or in none: `make_staff_member(None)`)."""
    from django.contrib.auth.models import Group

    def make(group: str | None):
        slug = (group or "no group").lower().replace(" ", "-")
        member = UserFactory(email=f"{slug}@clearinghouse.test", is_staff=True)
        if group is not None:
            member.groups.add(Group.objects.get(name=group))
        return member

    return make


@pytest.fixture
def reviewer(make_staff_member):
    """A validation staff member who is not a superuser."""
    return make_staff_member("Validation staff")


@pytest.fixture
def order_desk_member(make_staff_member):
    return make_staff_member("Order desk")


@pytest.fixture
def billing_member(make_staff_member):
    return make_staff_member("Billing")


@pytest.fixture
def catalogue_manager(make_staff_member):
    return make_staff_member("Catalogue managers")


@pytest.fixture
def live_worker():
    """A real Celery worker on the configured broker (tests marked `broker`)."""
    from celery.contrib.testing.worker import start_worker

    from clearinghouse.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield
    app.conf.task_always_eager = eager
