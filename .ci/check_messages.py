"""Fail when a committed .mo file does not match its .po file (DESIGN.md §4, Languages).

Compiles each .po with msgfmt to a temporary file and compares the catalogues entry by entry
(msgunfmt), so a different gettext version that lays out the binary differently still passes.
"""

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _entries(mo: Path) -> str:
    return subprocess.run(["msgunfmt", str(mo)], check=True, capture_output=True, text=True).stdout


def main() -> int:
    problems = []
    po_files = sorted((ROOT / "locale").glob("*/LC_MESSAGES/django.po"))
    if not po_files:
        problems.append("no .po files under locale/")
    for po in po_files:
        mo = po.with_suffix(".mo")
        if not mo.exists():
            problems.append(f"{mo.relative_to(ROOT)} is missing: run `make compilemessages`")
            continue
        subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po)], check=True)
        with tempfile.TemporaryDirectory() as folder:
            fresh = Path(folder) / "fresh.mo"
            subprocess.run(["msgfmt", "-o", str(fresh), str(po)], check=True)
            if _entries(fresh) != _entries(mo):
                problems.append(
                    f"{mo.relative_to(ROOT)} does not match its .po: run `make compilemessages`"
                )
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(po_files)} catalogue(s) checked, {len(problems)} problem(s).")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
