"""The donor API's interactive docs render under the portal's Content Security Policy: ninja
serves Swagger UI from our own static files, no CDN and no inline script."""


def test_the_api_docs_render_without_csp_violations(page):
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    response = page.goto("/api/v1/docs")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.get_by_text("/api/v1/codes/verify").first.wait_for()
    page.get_by_text("/api/v1/codes/redeem").first.wait_for()
    assert page.get_by_role("button", name="Authorize").is_visible()
    assert problems == []
