import pytest


@pytest.fixture
def email_template(tmp_path, settings):
    folder = tmp_path / "emails"
    folder.mkdir()
    (folder / "greeting-subject.txt").write_text(
        "{% load i18n %}{% translate 'My account' %}: {{ name }}\n"
    )
    (folder / "greeting-body.txt").write_text("Dear {{ name }},\nwelcome.\n")
    (folder / "greeting-body.html").write_text("<p>Dear {{ name }}</p>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    return "greeting"
