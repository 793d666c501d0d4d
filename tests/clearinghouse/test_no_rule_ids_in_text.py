"""Rule ids (R-VAL-9, R-MS-2, …) are for builders: no person reads one (STYLE.md habit 13).

The catalogues hold every string that is translated, so a rule id in any `msgid` or `msgstr`
fails here; templates are checked too, outside `{# … #}` and `{% comment %}` blocks, so an
untranslated sentence cannot carry one either.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
RULE_ID = re.compile(r"\bR-[A-Z]{2,5}-\d+")
COMMENT = re.compile(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", re.S)


def _po_entries(po: Path):
    """(line, keyword, text) of every msgid, msgid_plural and msgstr, continuations joined."""
    keyword, text, line = None, "", 0
    for number, raw in enumerate(po.read_text(encoding="utf-8").splitlines(), start=1):
        entry = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$', raw)
        if entry:
            if keyword:
                yield line, keyword, text
            keyword, text, line = entry.group(1), entry.group(2), number
        elif keyword and raw.startswith('"'):
            text += raw[1:-1]
        elif keyword:
            yield line, keyword, text
            keyword, text = None, ""
    if keyword:
        yield line, keyword, text


CATALOGUES = sorted((ROOT / "locale").glob("*/LC_MESSAGES/*.po"))


def test_there_are_catalogues_to_check():
    assert {po.parts[-3] for po in CATALOGUES} >= {"sv", "nb"}


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda po: po.parts[-3])
def test_no_msgid_or_msgstr_contains_a_rule_id(po):
    found = [
        f"{po.relative_to(ROOT)}:{line} {keyword}: {text[:90]}"
        for line, keyword, text in _po_entries(po)
        if RULE_ID.search(text)
    ]
    assert found == []


def test_the_po_reader_sees_rule_ids_split_over_lines(tmp_path):
    po = tmp_path / "django.po"
    po.write_text('msgid ""\n"Complete validation first (R-"\n"VAL-9)."\nmsgstr "Klart"\n')
    assert [keyword for _line, keyword, text in _po_entries(po) if RULE_ID.search(text)] == [
        "msgid"
    ]


def test_no_template_shows_a_rule_id():
    templates = [p for p in ROOT.rglob("templates/**/*") if p.suffix in {".html", ".txt"}]
    templates = [p for p in templates if ".venv" not in p.parts and "var" not in p.parts]
    assert len(templates) > 20
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in templates
        for match in RULE_ID.finditer(COMMENT.sub("", path.read_text(encoding="utf-8")))
    ]
    assert found == []
