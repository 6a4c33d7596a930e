"""Read news documents from files: plain text, HTML pages, RSS/Atom feeds and JSONL.

Every reader returns :class:`NewsDocument` records (text, URL, title, publisher, date). A file
that cannot be read as what its name or content says (binary data, a wrong encoding, HTML with
no extractable text, a feed without entries, a JSONL line that is not an object with ``text``)
raises :class:`MalformedDocumentError` naming the file and the reason in one line; nothing of
such a file is used. Nothing is fetched: a URL in a document is kept as metadata only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from tradecoop.errors import DataValidationError

#: shortest text (characters) worth extracting from
MIN_TEXT_CHARS = 20
_FEED_HEAD = re.compile(rb"<(?:rss|feed|rdf:RDF)\b", re.IGNORECASE)
_HTML_HEAD = re.compile(rb"<(?:!doctype html|html|body|head|p|div)\b", re.IGNORECASE)


class MalformedDocumentError(DataValidationError):
    """A file that is not a readable news document (one line: file and reason)."""


@dataclass(frozen=True)
class NewsDocument:
    text: str
    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    published: dt.date | None = None
    source_path: str | None = None

    @property
    def content_hash(self) -> str:
        """SHA-256 of the normalised text (case, spacing and punctuation ignored)."""
        return hashlib.sha256(normalise(self.text).encode("utf-8")).hexdigest()


def normalise(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split())


def _date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        pass
    import dateparser

    parsed = dateparser.parse(text, languages=["ru", "en", "be"], settings={"STRICT_PARSING": True})
    return parsed.date() if parsed else None


def _decode(data: bytes, path: Path) -> str:
    if b"\x00" in data[:8192]:
        raise MalformedDocumentError(f"{path}: binary data (NUL bytes), expected UTF-8 text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MalformedDocumentError(
            f"{path}: not UTF-8 text (byte {exc.start}: {data[exc.start:exc.start + 1]!r}); "
            "convert it to UTF-8") from None


def read_text(data: bytes, path: Path, published: dt.date | None = None) -> list[NewsDocument]:
    text = _decode(data, path).strip()
    if len(text) < MIN_TEXT_CHARS:
        raise MalformedDocumentError(f"{path}: empty or too short ({len(text)} characters of text)")
    return [NewsDocument(text, published=published, source_path=str(path))]


def read_html(data: bytes, path: Path, published: dt.date | None = None) -> list[NewsDocument]:
    import trafilatura

    html = _decode(data, path)
    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                      favor_precision=True)
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if len(text) < MIN_TEXT_CHARS:
        raise MalformedDocumentError(f"{path}: no main text could be extracted from the HTML")
    return [NewsDocument(text, url=getattr(doc, "url", None), title=getattr(doc, "title", None),
                         publisher=getattr(doc, "sitename", None),
                         published=_date(getattr(doc, "date", None)) or published,
                         source_path=str(path))]


def _strip_html(fragment: str) -> str:
    if "<" not in fragment:
        return fragment.strip()
    import lxml.html

    try:
        return lxml.html.fromstring(fragment).text_content().strip()
    except Exception:  # noqa: BLE001 - lxml raises several types on junk
        return re.sub(r"<[^>]+>", " ", fragment).strip()


def read_feed(data: bytes, path: Path, published: dt.date | None = None) -> list[NewsDocument]:
    import feedparser

    feed = feedparser.parse(data)
    if not feed.entries:
        why = f" ({feed.bozo_exception})" if feed.get("bozo") else ""
        raise MalformedDocumentError(f"{path}: a feed with no entries{why}")
    publisher = feed.feed.get("title")
    out = []
    for i, e in enumerate(feed.entries, 1):
        body = ""
        if e.get("content"):
            body = " ".join(c.get("value", "") for c in e["content"])
        body = _strip_html(body or e.get("summary", "") or e.get("description", ""))
        if len(body) < MIN_TEXT_CHARS:
            raise MalformedDocumentError(f"{path}: entry {i} has no text")
        when = None
        for key in ("published_parsed", "updated_parsed"):
            if e.get(key):
                when = dt.date(*e[key][:3])
                break
        out.append(NewsDocument(body, url=e.get("link"), title=e.get("title"), publisher=publisher,
                                published=when or published, source_path=str(path)))
    return out


def read_jsonl(data: bytes, path: Path, published: dt.date | None = None) -> list[NewsDocument]:
    out = []
    for n, line in enumerate(_decode(data, path).splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise MalformedDocumentError(f"{path}: line {n} is not JSON ({exc.msg})") from None
        if not isinstance(row, dict) or not isinstance(row.get("text"), str) or len(row["text"].strip()) < MIN_TEXT_CHARS:
            raise MalformedDocumentError(
                f'{path}: line {n} must be an object {{"url","title","published","text"}} with a text')
        out.append(NewsDocument(row["text"].strip(), url=row.get("url"), title=row.get("title"),
                                publisher=row.get("publisher"),
                                published=_date(row.get("published")) or published, source_path=str(path)))
    if not out:
        raise MalformedDocumentError(f"{path}: no documents (empty JSONL)")
    return out


def read_documents(path: Path, published: dt.date | None = None) -> list[NewsDocument]:
    """The documents of one file, by extension (.jsonl, .html/.htm, .xml/.rss/.atom, else text)
    and, for text of unknown type, by content (a feed or an HTML page is recognised)."""
    path = Path(path)
    if not path.is_file():
        raise MalformedDocumentError(f"{path}: not a file")
    data = path.read_bytes()
    if not data.strip():
        raise MalformedDocumentError(f"{path}: empty file")
    suffix = path.suffix.lower()
    head = data[:2048]
    if suffix == ".jsonl":
        return read_jsonl(data, path, published)
    if suffix in (".rss", ".atom", ".xml") or (suffix not in (".html", ".htm") and _FEED_HEAD.search(head)):
        return read_feed(data, path, published)
    if suffix in (".html", ".htm") or _HTML_HEAD.search(head):
        return read_html(data, path, published)
    return read_text(data, path, published)


#: extensions read when a folder is walked (a file named explicitly is read whatever its name)
FOLDER_SUFFIXES = (".txt", ".text", ".md", ".html", ".htm", ".xml", ".rss", ".atom", ".jsonl")


def expand(paths: list[Path]) -> list[Path]:
    """Files of the given paths (folders walked for :data:`FOLDER_SUFFIXES`, sorted; hidden
    files skipped)."""
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.is_file() and not f.name.startswith(".")
                          and f.suffix.lower() in FOLDER_SUFFIXES)
        else:
            out.append(p)
    return out
