"""Every relative link of the README and docs/ points at a file that exists, and at a heading it has."""
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)|!\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```.*?^```", re.S | re.M)


def prose(text: str) -> str:
    """The page without its code blocks: a link-like text in a code block is not a link."""
    return FENCE.sub("", text)


def slug(heading: str) -> str:
    """The anchor a markdown renderer (GitHub's rule) gives a heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(page: Path) -> set[str]:
    seen: dict[str, int] = {}
    out = set()
    for line in prose(page.read_text(encoding="utf-8")).splitlines():
        match = re.match(r"#{1,6} (.*)", line)
        if match:
            base = slug(match.group(1))
            count = seen.get(base, 0)
            seen[base] = count + 1
            out.add(base if count == 0 else f"{base}-{count}")
    return out


def relative_links(page: Path) -> list[str]:
    found = [a or b for a, b in LINK.findall(prose(page.read_text(encoding="utf-8")))]
    return [link for link in found if not re.match(r"[a-z]+:", link)]


def test_the_slug_rule_matches_known_headings():
    assert slug("summary.parquet — one row per replicate") == "summaryparquet--one-row-per-replicate"
    assert slug("Run directory, headline, errors") == "run-directory-headline-errors"
    assert slug("`escalate-report`") == "escalate-report"


def test_a_missing_file_or_heading_is_found(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# Title\n\n[a](page.md#title) [b](gone.md) [c](#nowhere)\n```\n[d](inside.md)\n```\n")
    assert relative_links(page) == ["page.md#title", "gone.md", "#nowhere"]
    assert anchors(page) == {"title"}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_relative_links_point_at_existing_files_and_headings(page):
    broken = []
    for link in relative_links(page):
        path, _, anchor = link.partition("#")
        target = (page.parent / path).resolve() if path else page
        if not target.exists():
            broken.append(f"{link}: no file {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
        elif anchor and target.suffix == ".md" and anchor not in anchors(target):
            broken.append(f"{link}: no heading '#{anchor}' in {target.name}")
    assert not broken, f"{page.relative_to(ROOT)}: " + "; ".join(broken)
