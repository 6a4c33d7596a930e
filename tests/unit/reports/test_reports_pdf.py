"""The PDF: written by WeasyPrint from the HTML, with pages, extractable (Cyrillic) text, offline.

WeasyPrint takes seconds per brief, so the two renders (English, Russian) are module-scoped and
shared by the tests below.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from _reports_fixtures import make_brief
from pypdf import PdfReader

from tradecoop.errors import DataValidationError
from tradecoop.reports import i18n
from tradecoop.reports.model import SECTIONS
from tradecoop.reports.render import local_only_fetcher, write_pdf

# WeasyPrint warns that a future release will need the HarfBuzz-Subset system library
pytestmark = pytest.mark.filterwarnings("ignore:HarfBuzz-Subset:DeprecationWarning")


def _no_network(*args: object, **kwargs: object) -> None:
    raise AssertionError(f"network access attempted: {args}")


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("pdf")
    with pytest.MonkeyPatch.context() as mp:
        # any attempt to open a socket during rendering fails the render, hence every test here
        mp.setattr(socket.socket, "connect", _no_network)
        mp.setattr(socket, "create_connection", _no_network)
        return {lang: write_pdf(make_brief(lang), out / f"brief_{lang}.pdf")
                for lang in ("en", "ru")}


def _text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


@pytest.mark.slow
def test_pdf_has_pages_and_every_section_heading(pdfs: dict[str, Path]) -> None:
    for lang, path in pdfs.items():
        reader = PdfReader(path)
        assert len(reader.pages) >= 1
        assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)  # A4 in points
        text = " ".join(_text(path).split())
        for section in SECTIONS:
            assert i18n.t(f"section.{section}", lang) in text, (lang, section)


@pytest.mark.slow
def test_russian_pdf_embeds_cyrillic_text(pdfs: dict[str, Path]) -> None:
    text = _text(pdfs["ru"])
    assert "Справка: Беларусь – Россия" in text
    assert i18n.t("badge.estimated", "ru") in text  # ОЦЕНКА
    assert "Тракторы" in text  # a product name from the model
    # the local DejaVu fonts are embedded (FontFile2), so Cyrillic shows without the reader's fonts
    embedded = set()
    for font in PdfReader(pdfs["ru"]).pages[0]["/Resources"]["/Font"].values():
        font = font.get_object()
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        if "/FontFile2" in descriptor:
            embedded.add(str(font["/BaseFont"]).split("+")[-1])
    assert "DejaVu-Sans" in embedded


def test_fetcher_serves_data_urls_and_refuses_everything_else() -> None:
    fetcher = local_only_fetcher()
    response = fetcher("data:text/plain;charset=utf-8,hello")
    assert response.read() == b"hello"
    for url in ("http://example.org/logo.png", "https://fonts.example/font.woff2",
                "file:///etc/passwd", "ftp://example.org/x"):
        with pytest.raises(DataValidationError, match="only data: URLs"):
            fetcher(url)


@pytest.mark.slow
def test_a_remote_resource_stops_the_pdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tradecoop.reports import render

    def html_with_remote_image(brief: object) -> str:
        return '<html><body><p>x</p><img src="http://example.org/tracker.png"></body></html>'

    monkeypatch.setattr(socket.socket, "connect", _no_network)
    monkeypatch.setattr(render, "render_html", html_with_remote_image)
    with pytest.raises(DataValidationError, match="tracker.png"):
        write_pdf(make_brief("en"), tmp_path / "x.pdf")
