"""The briefing pack end to end on the bundled data: `tradecoop brief BLR RUS --pdf`.

One build (module scope: profile, opportunities, gravity potential), rendered in English with a
PDF through the CLI and in Russian through the library, with the network blocked throughout.
"""

from __future__ import annotations

import re
import socket
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tradecoop.cli.main import app
from tradecoop.reports.model import SECTIONS

CYRILLIC = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ")


class _Sections(HTMLParser):
    """Collects the ids of <section> elements and the text of their first heading."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.headings: dict[str, str] = {}
        self._current: str | None = None
        self._in_heading = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and attrs.get("id") in SECTIONS:
            self._current = attrs["id"]
            self.ids.append(self._current)
        elif tag == "h2" and self._current and self._current not in self.headings:
            self._in_heading = True
            self.headings[self._current] = ""

    def handle_endtag(self, tag):
        if tag == "h2":
            self._in_heading = False

    def handle_data(self, data):
        if self._in_heading and self._current:
            self.headings[self._current] += data


@pytest.fixture(scope="module")
def no_network():
    mp = pytest.MonkeyPatch()

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    mp.setattr(socket.socket, "connect", refuse)
    mp.setattr(socket, "create_connection", refuse)
    yield
    mp.undo()


@pytest.fixture(scope="module")
def brief_run(tmp_path_factory, no_network):
    out = tmp_path_factory.mktemp("brief")
    result = CliRunner().invoke(app, ["brief", "BLR", "RUS", "--pdf", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out, result.output


def _parse(path: Path) -> _Sections:
    parser = _Sections()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_html_has_every_section_in_order(brief_run) -> None:
    out, output = brief_run
    html = out / "brief_BLR_RUS_2016_en.html"
    assert str(html.name) in output
    parsed = _parse(html)
    expected = [s for s in SECTIONS if s != "region"]  # two countries: no region section
    assert parsed.ids == expected
    assert all(parsed.headings[s].strip() for s in expected)


def test_html_is_self_contained(brief_run) -> None:
    text = (brief_run[0] / "brief_BLR_RUS_2016_en.html").read_text(encoding="utf-8")
    assert not re.search(r"(src|srcset|xlink:href)=", text)  # sources are cited as links, nothing is loaded
    assert "<svg" in text  # charts are inline


def test_estimates_are_labelled(brief_run) -> None:
    text = (brief_run[0] / "brief_BLR_RUS_2016_en.html").read_text(encoding="utf-8")
    assert "ESTIMATED" in text
    assert "proportional allocation" in text  # the estimator is named in the provenance


def test_pdf_has_pages_and_text(brief_run) -> None:
    from pypdf import PdfReader

    reader = PdfReader(brief_run[0] / "brief_BLR_RUS_2016_en.pdf")
    assert len(reader.pages) >= 3
    text = "".join(page.extract_text() for page in reader.pages[:2])
    assert "Belarus" in text and "Russian Federation" in text


def test_russian_brief_has_russian_headings(tmp_path, no_network) -> None:
    from tradecoop.reports.render import write_html
    from tradecoop.services.brief import build_brief
    from tradecoop.services.request import PairRequest

    model = build_brief(PairRequest.of("BLR", "RUS", lang="ru"), with_potential=False)
    parsed = _parse(write_html(model, tmp_path / "ru.html"))
    expected = [s for s in SECTIONS if s != "region"]
    assert parsed.ids == expected
    for section in expected:
        heading = parsed.headings[section]
        assert CYRILLIC & set(heading), f"heading of {section!r} is not Russian: {heading!r}"
