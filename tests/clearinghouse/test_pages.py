import pytest

pytestmark = pytest.mark.django_db


def test_the_home_page_leads_visitors_to_sign_up(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b'href="/accounts/signup/"' in response.content


def test_the_home_page_leads_signed_in_users_to_my_account(holder_client):
    assert b'href="/account/"' in holder_client.get("/").content


def test_an_unknown_page_is_a_clear_404(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_my_account_needs_a_login(client):
    response = client.get("/account/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_pages_carry_a_content_security_policy(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy


def test_the_pages_carry_the_configured_site_name(client, settings):
    settings.SITE_NAME = "Tech Donations"
    page = client.get("/").content.decode()
    assert "· Tech Donations</title>" in page and 'class="brand"' in page
    assert ">Tech Donations</a>" in page and ">Clearinghouse</a>" not in page
