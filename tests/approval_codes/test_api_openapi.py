"""The OpenAPI document and the docs page are public; they describe both operations, the
bearer key and the error answers (DESIGN.md §6)."""


def test_the_openapi_document_describes_the_api(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert set(document["paths"]) == {"/api/v1/codes/verify", "/api/v1/codes/redeem"}
    assert [s["scheme"] for s in document["components"]["securitySchemes"].values()] == ["bearer"]
    redeem = document["paths"]["/api/v1/codes/redeem"]["post"]
    assert {"200", "201", "400", "401", "409", "429"} <= set(redeem["responses"])


def test_the_docs_page_is_served_without_a_key(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert b"swagger-ui-bundle.js" in response.content
