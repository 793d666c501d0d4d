"""The project explains itself without anything outside it: the README links docs/ in the repo,
and every rule id the code cites is defined in docs/domain.md."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
RULE_ID = re.compile(r"\bR-[A-Z]{2,5}-\d+\b")


def test_the_readme_points_only_inside_the_repository():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "../" not in readme
    assert "docs/domain.md" in readme and "docs/design.md" in readme
    for doc in ("domain.md", "design.md"):
        assert (ROOT / "docs" / doc).is_file()


def test_every_rule_id_the_code_cites_is_defined_in_the_domain_page():
    defined = set(re.findall(r"\*\*(R-[A-Z]+-\d+)\*\*", (ROOT / "docs/domain.md").read_text()))
    cited = {
        rule_id
        for folder in ("accounts", "approval_codes", "catalog", "clearinghouse", "orders",
                       "validation", "tests")
        for path in (ROOT / folder).rglob("*.py")
        for rule_id in RULE_ID.findall(path.read_text(encoding="utf-8"))
    }  # fmt: skip
    assert len(defined) >= 40
    assert cited - defined == set()
