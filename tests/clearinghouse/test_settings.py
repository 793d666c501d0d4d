"""Production settings: refuse to start without secrets, and `check --deploy` is clean."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
    "ALLOWED_HOSTS": "portal.example.org",
    "INVOICE_SELLER_NAME": "Clearinghouse AB",
    "INVOICE_SELLER_ADDRESS": "Storgatan 1\\n111 22 Stockholm",
    "INVOICE_SELLER_REGISTRATION_NUMBER": "556677-8899",
    "INVOICE_SELLER_VAT_NUMBER": "SE556677889901",
    "INVOICE_SELLER_EMAIL": "billing@example.org",
    "INVOICE_SELLER_BANKGIRO": "5050-1055",
}


def _manage(*args, **env):
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
        and not k.startswith("INVOICE_SELLER_")
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", **{**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _manage("check", **{**PRODUCTION, "ALLOWED_HOSTS": ""})
    assert result.returncode != 0
    assert "Set the ALLOWED_HOSTS environment variable" in result.stderr


def test_production_refuses_to_start_without_the_sellers_details_for_invoices():
    """R-INV-1: an invoice without the clearinghouse's name or VAT number is not one."""
    result = _manage("check", **{**PRODUCTION, "INVOICE_SELLER_VAT_NUMBER": ""})
    assert result.returncode != 0
    assert "Set the INVOICE_SELLER_VAT_NUMBER environment variable" in result.stderr


def test_production_refuses_to_start_without_a_way_to_be_paid():
    settings = {**PRODUCTION, "INVOICE_SELLER_BANKGIRO": "", "INVOICE_SELLER_IBAN": "SE45500"}
    result = _manage("check", **settings)
    assert result.returncode != 0
    assert "INVOICE_SELLER_BANKGIRO, or INVOICE_SELLER_IBAN and INVOICE_SELLER_BIC" in result.stderr


def _setting(*names, **env):
    script = (
        "import django; django.setup(); from django.conf import settings; "
        f"print(*(getattr(settings, name) for name in {names!r}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "clearinghouse.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_site_url_follows_the_port_when_it_is_not_set():
    assert _setting("PORT", "SITE_URL", PORT="8123", SITE_URL="") == [
        "8123",
        "http://127.0.0.1:8123",
    ]


def test_an_explicit_site_url_wins_over_the_port():
    assert _setting("SITE_URL", PORT="8123", SITE_URL="https://portal.example.org/") == [
        "https://portal.example.org"
    ]


def test_djangos_system_checks_pass():
    """The admin's columns, the URLs, the models and the settings as `manage.py check` sees
    them (what `migrate` and `runserver` check before they start)."""
    from django.core.management import call_command

    call_command("check", fail_level="WARNING")
