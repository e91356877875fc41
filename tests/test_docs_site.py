"""The documentation site's sources (docs/) against what they document.

The user-guide pages are README.md's sections, included between README's own headings (one
text, one place): every ``start-after`` / ``end-before`` string must still be found in README,
in that order, and every section of README's user guide must be on some page.  The API
reference must list exactly the public names (the check lives in docs/conf.py, which the
Sphinx build runs too).  Sphinx is not needed: these read the sources only.
"""
import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
README = ROOT / "README.md"

pytestmark = pytest.mark.skipif(not (DOCS / "conf.py").exists() or not README.exists(),
                                reason="needs the source tree's docs/ and README.md")

INCLUDE = re.compile(r"^```\{include\} (?P<path>\S+)\n(?P<options>(?::[a-z-]+:.*\n)*)```",
                     re.MULTILINE)


def _option(options, name):
    match = re.search(rf"^:{name}: (.*)$", options, re.MULTILINE)
    if match is None:
        return None
    value = match.group(1).strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    return value


def includes():
    """(page, included file, start-after, end-before) of every MyST include in docs/."""
    out = []
    for page in sorted(DOCS.rglob("*.md")):
        if "_build" in page.parts or "auto_examples" in page.parts:
            continue
        for match in INCLUDE.finditer(page.read_text(encoding="utf-8")):
            target = (page.parent / match.group("path")).resolve()
            out.append((page.relative_to(DOCS).as_posix(), target,
                        _option(match.group("options"), "start-after"),
                        _option(match.group("options"), "end-before")))
    return out


INCLUDES = includes()


def test_pages_include_readme_sections():
    readme_pages = [inc for inc in INCLUDES if inc[1] == README]
    assert len(readme_pages) >= 20


@pytest.mark.parametrize("page, target, start, end", INCLUDES, ids=[i[0] for i in INCLUDES])
def test_include_markers_found(page, target, start, end):
    text = target.read_text(encoding="utf-8")
    begin = 0
    if start is not None:
        # docutils takes the first occurrence; the text after it must start a line
        assert start in text, f"{page}: start-after {start!r} not in {target.name}"
        begin = text.index(start) + len(start)
        assert text[begin:begin + 1] in ("\n", ""), \
            f"{page}: start-after {start!r} is not the end of a line of {target.name}"
    if end is not None:
        assert end in text[begin:], f"{page}: end-before {end!r} not after its start"


def included_range(text, start, end):
    """The [begin, stop) character range of ``text`` that an include with these markers shows."""
    begin = 0 if start is None else text.index(start) + len(start)
    stop = len(text) if end is None else text.index(end, begin)
    return begin, stop


def test_every_user_guide_section_is_on_a_page():
    """A section added to README's user guide without a page would be missing from the site."""
    text = README.read_text(encoding="utf-8")
    first, last = text.index("\n## User guide\n"), text.index("\n## Performance\n")
    ranges = [included_range(text, start, end)
              for _, target, start, end in INCLUDES if target == README]
    missing = [m.group(0) for m in re.finditer(r"^###? .+$", text[first:last], re.MULTILINE)
               if not any(b <= first + m.start() < e or b == first + m.end()
                          for b, e in ranges)]
    assert not missing, f"README sections with no docs page: {missing}"


def test_api_reference_lists_the_public_names():
    spec = importlib.util.spec_from_file_location("fastridge_docs_conf", DOCS / "conf.py")
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    public = conf.public_names()
    assert "fastridge.Ridge" in public and "fastridge.datasets.load_prostate" in public
    assert conf.listed_names(DOCS / "api.rst") == public
