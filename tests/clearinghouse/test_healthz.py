import pytest

from clearinghouse.celery import app as celery_app

pytestmark = pytest.mark.django_db


def test_healthz_reports_every_part_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "broker": "ok"}


def test_healthz_names_the_part_that_is_down(client):
    celery_app.conf.broker_write_url = "redis://127.0.0.1:1/0"  # nothing listens there
    try:
        response = client.get("/healthz")
    finally:
        celery_app.conf.broker_write_url = None
    assert response.status_code == 503
    body = response.json()
    assert body["broker"].startswith("down")
    assert (body["database"], body["cache"]) == ("ok", "ok")
