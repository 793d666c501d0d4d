"""Hostile input never answers 500 (issue 10, item 5): NUL, over-long and mis-encoded values in
every form and every list filter; NUL in the API's fields; licence-usage CSVs that are cut
short, carry a lone surrogate or a field over 128 KB; JSON errors for unknown API paths and
wrong methods."""

import re

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from orders.errors import InvalidUsageReport
from orders.licence_usage import count_active_users
from tests.approval_codes.api_support import donor_with_key, issue, post
from tests.factories import UserFactory
from tests.test_url_sweep import URLS, _url
from tests.url_sweep_support import World

pytestmark = pytest.mark.django_db

NUL = "\x00"
HOSTILE = {  # form values
    "nul": f"a{NUL}b",
    "over-long": "x" * 20_000,
    "mis-encoded": b"\xff\xfe\xed\xa0\x80".decode("latin-1"),
}
HOSTILE_QUERY = ("a%00b", "x" * 20_000, "%ff%fe%ed%a0%80")  # raw in the query string
FILTER_PARAMS = ("q", "status", "country", "type", "kind", "page", "o", "p", "e", "next")


def _form_fields(html: str) -> set[str]:
    return set(re.findall(r'name="([\w-]+)"', html)) - {"csrfmiddlewaretoken"}


def _with_query(url: str, params, raw: str) -> str:
    return url + "?" + "&".join(f"{name}={raw}" for name in params)


# --- Precise answers ------------------------------------------------------------------------


def test_a_nul_in_the_code_search_is_a_clear_400(holder_client):
    response = holder_client.get(reverse("approval_codes:code-list"), {"q": f"x{NUL}"})
    assert response.status_code == 400
    assert "not allowed" in response.content.decode()


@pytest.mark.parametrize("param", ["status", "organisation__country", "organisation__type"])
def test_a_nul_in_an_admin_list_filter_is_a_clear_400(staff_client, param):
    response = staff_client.get(
        reverse("admin:approval_codes_approvalcode_changelist"), {param: NUL}
    )
    assert response.status_code == 400


def test_a_nul_in_a_form_changes_nothing(holder_client, organisation):
    from approval_codes.models import ApprovalCode

    response = holder_client.post(
        reverse("approval_codes:code-create"),
        {"first_name": f"A{NUL}", "last_name": "B", "email": "a@example.org", "authorised": "on"},
    )
    assert response.status_code == 400
    assert not ApprovalCode.objects.exists()


@pytest.mark.parametrize("field", ["reference", "offer"])
def test_a_nul_in_the_apis_fields_is_invalid_request_not_retry_later(client, organisation, field):
    code = issue(organisation)
    _donor, _api_key, key = donor_with_key()
    body = {"code": code.code, "reference": "order-1", "offer": "Microsoft 365", field: f"x{NUL}"}
    response = post(client, "codes/redeem", body, key)
    assert response.status_code == 400
    assert response.json()["error"]["type"] == "invalid_request"
    assert "Retry-After" not in response


def test_an_unknown_api_path_answers_json_not_found(client):
    for path in ("/api/v1/nope", "/api/v1/codes/nope", "/api/elsewhere"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json()["error"]["type"] == "not_found"


def test_a_wrong_method_on_the_api_answers_json_method_not_allowed(client):
    response = client.get("/api/v1/codes/redeem")
    assert response.status_code == 405
    assert response.json()["error"]["type"] == "method_not_allowed"


# --- Licence-usage CSVs ---------------------------------------------------------------------

HEADER = "User Principal Name,Teams Last Activity Date,Assigned Products\n"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param((b"\xff\xfe" + HEADER.encode("utf-16-le"))[:-1], id="truncated utf-16"),
        pytest.param(b"\xff\xfe" + "a,b\n".encode("utf-16-le") + b"\x00\xd8", id="utf-16 lone"),
        pytest.param(HEADER.encode() + b"a@x,\xed\xa0\x80,E3\n", id="utf-8 lone surrogate"),
        pytest.param(HEADER.encode() + b'"' + b"x" * 140_000 + b'",2026-11-01,E3\n', id="128 KB"),
        pytest.param(HEADER.encode() + b"a@x,2026-11-01\x00,E3\n", id="nul"),
    ],
)
def test_a_broken_usage_report_gets_a_clear_message(data):
    from datetime import date

    with pytest.raises(InvalidUsageReport):
        count_active_users(data, today=date(2026, 11, 20))


def test_a_broken_usage_report_upload_is_a_form_error_not_a_500(holder_client, organisation):
    from tests.catalog.factories import CertificateFactory  # noqa: F401  (orders need none)

    upload = SimpleUploadedFile("report.csv", (b"\xff\xfe" + HEADER.encode("utf-16-le"))[:-1])
    response = holder_client.post(reverse("orders:licence-usage-detail"), {"report": upload})
    assert response.status_code in (200, 403)  # 403 only if the page is closed to this org


# --- The sweep of every form and every list filter ------------------------------------------


SKIPPED = ("account_logout", "mfa_", "account_reauth")  # they end the session under test


def _sweep_pages(client, user, keys, world, check, *, form_pages=()) -> None:
    """As `user`: hostile values in the usual filter parameters of each page of `keys`, and in
    every field of the forms `user` sees on it and on `form_pages` (where the forms of pages
    that only take a POST are)."""
    client.force_login(user)

    def fields_of(key):
        row = URLS[key]
        page = client.get(_url(key, row, world, bool(row.kwargs)))
        return (
            _form_fields(page.content.decode(errors="replace"))
            if page.status_code == 200
            else set()
        )

    shared = set().union(*(fields_of(key) for key in form_pages))
    for key in keys:
        url = _url(key, URLS[key], world, bool(URLS[key].kwargs))
        fields = fields_of(key) | shared
        for raw in HOSTILE_QUERY:
            check("get", _with_query(url, FILTER_PARAMS, raw))
        for value in HOSTILE.values():
            if fields:
                check("post", url, dict.fromkeys(fields, value))
    client.logout()


def test_no_form_or_filter_answers_5xx_to_hostile_values(client, settings, tmp_path):
    """Every portal page, with hostile values in the usual filter parameters and in every field
    of its forms: as the account holder, as a sub-account with one right, and (the donor area)
    as a donor's person; every admin list with hostile values in each of its list filters, as
    a superuser."""
    from allauth.mfa.models import Authenticator

    from approval_codes.models import DonorMembership

    settings.MEDIA_ROOT = tmp_path
    world = World()
    tried, failed = 0, []

    def check(method, url, data=None):
        nonlocal tried
        tried += 1
        response = getattr(client, method)(url, data or {})
        if response.status_code >= 500:
            failed.append(f"{method.upper()} {url[:120]}: {response.status_code}")
        return response

    pages = [key for key in URLS if not key.startswith(SKIPPED)]
    _sweep_pages(client, world.holder, pages, world, check)
    _sweep_pages(client, world.sub_account.user, pages, world, check)
    donor_person = DonorMembership.objects.get(donor=world.donor).user
    Authenticator.objects.create(user=donor_person, type=Authenticator.Type.TOTP, data={})
    donor_pages = [key for key in pages if key.startswith("donor:")]
    _sweep_pages(client, donor_person, donor_pages, world, check, form_pages=["donor:home"])

    client.force_login(
        UserFactory(email="root@clearinghouse.test", is_staff=True, is_superuser=True)
    )
    for model, model_admin in admin.site._registry.items():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        params = set(FILTER_PARAMS)
        for list_filter in model_admin.list_filter:
            name = list_filter[0] if isinstance(list_filter, tuple) else list_filter
            if isinstance(name, str):
                params |= {name, f"{name}__exact", f"{name}__isnull"}
            else:
                params.add(getattr(name, "parameter_name", "") or "filter")
        for raw in HOSTILE_QUERY:
            check("get", _with_query(url, sorted(params), raw))
    print(f"hostile input: {tried} requests, {len(failed)} answered 5xx")
    assert not failed, "\n".join(failed)
