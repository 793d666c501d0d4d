"""Mail per app (STYLE.md habit 8): each message is one `email_<message>` function in its app's
emails.py, and every template name is written out there, so a grep finds where it is sent."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ["accounts", "approval_codes", "catalog", "clearinghouse", "orders", "validation"]


def _app_sources():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


def test_only_the_apps_emails_modules_send_mail():
    senders = re.compile(r"\b(send_email|send_to_organisation)\(")
    outside = [
        str(path.relative_to(ROOT))
        for path in _app_sources()
        if path.name != "emails.py"
        and path != ROOT / "clearinghouse" / "mail.py"
        and senders.search(re.sub(r"def (send_email|send_to_organisation)\(", "", path.read_text()))
    ]
    assert outside == []


def test_every_email_template_is_named_in_one_emails_module():
    named = "\n".join(path.read_text() for path in _app_sources() if path.name == "emails.py")
    templates = {
        path.name.removesuffix("-subject.txt")
        for path in (ROOT / "templates" / "emails").glob("*-subject.txt")
    }
    assert templates
    assert sorted(name for name in templates if f'name="{name}"' not in named) == []


def test_no_template_name_is_built_with_an_f_string():
    built = re.compile(r"""name=f["']""")
    assert [str(p.relative_to(ROOT)) for p in _app_sources() if built.search(p.read_text())] == []
