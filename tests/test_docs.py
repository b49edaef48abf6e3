"""Generated reference pages are up to date; the README's commands exist."""

import re
from pathlib import Path

import pytest

from model.docs import DOCS_DIR, PAGES

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("name", sorted(PAGES))
def test_generated_page_is_current(name):
    committed = (DOCS_DIR / name).read_text(encoding="utf-8")
    assert committed == PAGES[name](), f"docs/{name} is stale: run `python -m model docs`"


def test_readme_commands_are_make_targets():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in re.findall(r"^make (\w+)$", readme, flags=re.M):
        assert re.search(rf"^{target}:", makefile, flags=re.M), target
    assert "make run" in readme and "make test" in readme


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_readme_layout_lists_every_module():
    """The README's layout table names every module of the package in its folder's row (a
    package's ``__init__.py`` only if it holds more than its docstring)."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip().strip("`"): line for line in readme.splitlines() if line.startswith("| `model/")}
    missing = []
    for path in sorted((root / "model").rglob("*.py")):
        if path.name == "__init__.py" and len(path.read_text(encoding="utf-8").splitlines()) < 5:
            continue
        folder = path.parent.relative_to(root).as_posix() + "/"
        if f"`{path.name}`" not in rows.get(folder, ""):
            missing.append(path.relative_to(root).as_posix())
    assert not missing, f"README layout table does not list: {missing}"
    listed = {
        (folder, name) for folder, row in rows.items() for name in re.findall(r"`([a-z_]+\.py)`", row.split("|")[2])
    }
    gone = sorted(f"{folder}{name}" for folder, name in listed if not (root / folder / name).exists())
    assert not gone, f"README layout table lists modules that do not exist: {gone}"


def test_every_cited_document_is_in_the_project():
    """The documents the data files cite (the evidence file, the policy notes) are copied into
    docs/sources/, so the project stands on its own."""
    cited = set()
    for path in (ROOT / "model" / "data").glob("*.toml"):
        text = path.read_text(encoding="utf-8")
        cited |= set(re.findall(r"([A-Za-z0-9_-]+\.(?:md|txt))", text))
        if "evidence file" in text:
            cited.add("behaviour-evidence.md")
    homes = [ROOT / "docs" / "sources", ROOT / "docs", ROOT / "model" / "data"]
    missing = sorted(name for name in cited if not any((home / name).exists() for home in homes))
    assert not missing, f"cited but not in the project: {missing}"
