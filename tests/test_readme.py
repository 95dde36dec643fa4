"""The README points only at files inside the repository."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_readme_links_only_to_files_in_the_repository():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)\s]+)\)", text)
    # Paths in backticks that name a file, e.g. `roster/calendar.py` (`APP/…` is a pattern).
    targets += [t for t in re.findall(r"`([\w./-]+/[\w.-]+\.\w+)`", text) if not t.startswith(("/", "APP/"))]
    missing = []
    for target in targets:
        if target.startswith(("http://", "https://", "mailto:", "#")):
            continue
        path = (ROOT / target.split("#", 1)[0]).resolve()
        if ROOT not in path.parents and path != ROOT or not path.exists():
            missing.append(target)
    assert not missing, f"README.md points outside the repository or at missing files: {missing}"
