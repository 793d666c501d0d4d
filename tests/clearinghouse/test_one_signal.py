"""Webhooks without signals (issue 15): the services that revoke or replace a code record its
webhook themselves; the one cross-app signal left is the organisation's eligibility change."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ["accounts", "approval_codes", "catalog", "clearinghouse", "orders", "validation"]


def test_the_eligibility_change_is_the_only_signal_the_portal_defines():
    defined = [
        f"{path.relative_to(ROOT)}:{name}"
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        for name in re.findall(r"^(\w+) = Signal\(", path.read_text(), flags=re.M)
    ]
    assert defined == ["accounts/signals.py:organisation_eligibility_changed"]
