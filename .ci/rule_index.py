"""Writes the rule-id table of docs/architecture.md from the code's own citations.

    python .ci/rule_index.py          # rewrite the table
    python .ci/rule_index.py --check  # fail (exit 1) when the table is stale (CI runs this)

A citation is an `R-<AREA>-<n>` id in a comment or docstring of the app code (tests and
migrations aside). Each is placed at the innermost function or class around it, so the table
names `orders/services.py: order_place` rather than a line number that moves with every edit.
"""

import ast
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "architecture.md"
APPS = ["accounts", "approval_codes", "catalog", "clearinghouse", "orders", "validation"]
RULE = re.compile(r"\bR-(VAL|CODE|MS|CON|INV)-(\d+)\b")
START, END = "<!-- rule-index:start -->", "<!-- rule-index:end -->"
AREAS = ["VAL", "CODE", "MS", "CON", "INV"]


def _scopes(tree: ast.AST) -> list[tuple[int, int, str]]:
    """(first line, last line, dotted name) of every function and class."""
    found = []

    def visit(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                name = f"{prefix}{child.name}"
                found.append((child.lineno, child.end_lineno or child.lineno, name))
                visit(child, f"{name}.")
            else:
                visit(child, prefix)

    visit(tree, "")
    return found


def _where(path: Path, line: int, scopes) -> str:
    inside = [s for s in scopes if s[0] <= line <= s[1]]
    return min(inside, key=lambda s: s[1] - s[0])[2] if inside else "(module)"


def citations() -> dict[str, dict[str, set[str]]]:
    """rule id → file → the functions/classes citing it."""
    index: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*")):
            if "migrations" in path.parts or path.suffix not in (".py", ".html", ".txt"):
                continue
            text = path.read_text(encoding="utf-8")
            scopes = _scopes(ast.parse(text)) if path.suffix == ".py" else []
            for number, line in enumerate(text.splitlines(), start=1):
                for match in RULE.finditer(line):
                    where = _where(path, number, scopes) if scopes else "(template)"
                    index[match.group(0)][str(path.relative_to(ROOT))].add(where)
    return index


def _order(rule: str) -> tuple[int, int]:
    area, number = RULE.match(rule).groups()
    return AREAS.index(area), int(number)


def table() -> str:
    rows = ["| rule | where the code cites it |", "| --- | --- |"]
    for rule, files in sorted(citations().items(), key=lambda item: _order(item[0])):
        places = "; ".join(
            f"`{path}`: " + ", ".join(f"`{name}`" for name in sorted(names))
            for path, names in sorted(files.items())
        )
        rows.append(f"| {rule} | {places} |")
    return "\n".join(rows)


def main(argv: list[str]) -> int:
    document = DOC.read_text(encoding="utf-8")
    before, rest = document.split(START, 1)
    _old, after = rest.split(END, 1)
    updated = f"{before}{START}\n{table()}\n{END}{after}"
    if "--check" in argv:
        if updated != document:
            print("docs/architecture.md: the rule table is stale; run python .ci/rule_index.py")
            return 1
        return 0
    DOC.write_text(updated, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
