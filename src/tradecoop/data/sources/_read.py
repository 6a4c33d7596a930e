"""Reading input files safely: what kind of file it is, its header, and where it is broken.

DuckDB reads the rows (fast, streaming), but it is given an explicit CSV dialect instead of
sniffing one, so a ragged row is reported at its own line rather than turning the header into a
single column. Before that, :func:`inspect` looks at the file's first and last bytes:

- binary content (NUL or control bytes, a spreadsheet, an archive) is one clear error;
- the header is decoded with the chosen encoding (default UTF-8); a byte that does not decode is
  reported with its line and column, and text that decodes as Windows-1251 Cyrillic gets the
  suggestion ``--encoding cp1251``;
- a file with a header and no data rows is an error (nothing is imported);
- a file that does not end with a line break was probably cut off (an interrupted download): its
  last line is reported.

When DuckDB still fails on a row, :func:`diagnose` re-reads the file with Python's ``csv`` module
to name the first bad line and column. Files in another encoding are transcoded to UTF-8 inside
the import's staging directory (:func:`transcode`); zip archives are extracted there
(:func:`extract_zip`).
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import re
import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from tradecoop.errors import DataValidationError

UTF8 = "utf-8"
_SAMPLE = 1 << 16
_CHUNK = 1 << 22
_DELIMITERS = (",", ";", "\t", "|")
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\x1a")  # \x1a: DOS end-of-file, seen in old exports
_MAGIC = {
    b"PK\x03\x04": "a zip archive",
    b"\xd0\xcf\x11\xe0": "an Excel 97-2003 workbook (or another OLE2 document); save it as CSV",
    b"%PDF": "a PDF document",
    b"\x28\xb5\x2f\xfd": "zstd-compressed data; decompress it first",
    b"BZh": "bzip2-compressed data; decompress it first",
    b"\xfd7zXZ": "xz-compressed data; decompress it first",
    b"7z\xbc\xaf": "a 7-Zip archive; extract it first",
    b"Rar!": "a RAR archive; extract it first",
}


@dataclass(frozen=True)
class CsvFile:
    """An inspected CSV file: what DuckDB reads and how."""

    path: Path  # the UTF-8 file DuckDB reads (the input, or its transcoded copy)
    shown: str  # the name used in messages (the input's name)
    columns: tuple[str, ...]
    delimiter: str
    final_newline: bool

    def reader_sql(self, types: dict[str, str] | None = None) -> str:
        """A ``read_csv`` call with the dialect fixed (no sniffing), every column as text
        unless ``types`` gives a column another DuckDB type (a value that does not convert is
        then a DuckDB error)."""
        types = types or {}
        cols = ", ".join(f"{_lit(c)}: {_lit(types.get(c, 'VARCHAR'))}" for c in self.columns)
        return (f"read_csv({_lit(self.path)}, header=true, auto_detect=false, "
                f"columns={{{cols}}}, delim={_lit(self.delimiter)}, quote='\"', escape='\"', "
                "strict_mode=true, null_padding=false, encoding='utf-8')")


def _lit(text: object) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def normalise_encoding(encoding: str | None) -> str:
    """The codec name for ``encoding`` (``utf-8`` by default); unknown names are an error."""
    if not encoding:
        return UTF8
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise DataValidationError(
            f"unknown encoding {encoding!r}; expected e.g. utf-8, cp1251 (Windows Cyrillic), "
            "koi8-r, latin-1 or utf-16") from None
    return UTF8 if name in ("utf-8", "utf-8-sig") else name


def is_parquet(path: Path) -> bool:
    if path.suffix.lower() in (".parquet", ".pq"):
        return True
    with path.open("rb") as fh:
        return fh.read(4) == b"PAR1"


def _open_bytes(path: Path) -> IO[bytes]:
    if path.suffix.lower() == ".gz":
        return gzip.open(path, "rb")
    return path.open("rb")


def _line_col(data: bytes, offset: int, encoding: str) -> tuple[int, int]:
    """1-based (line, character column) of byte ``offset`` in ``data`` (decoded up to it)."""
    line = data.count(b"\n", 0, offset) + 1
    start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[start:offset].decode(encoding, errors="replace")) + 1
    return line, column


def _encoding_hint(line_bytes: bytes, encoding: str) -> str:
    """A suggestion for an undecodable line: cp1251 when it reads as Cyrillic text."""
    if encoding == UTF8:
        text = line_bytes.decode("cp1251", errors="replace")
        high = [ch for ch in text if ord(ch) > 127]
        cyrillic = sum(1 for ch in high if "\u0400" <= ch <= "\u04ff")
        if high and cyrillic >= 0.6 * len(high):
            return ("; it reads as Windows-1251 Cyrillic text "
                    f"({text.strip()[:60]!r}): pass `encoding` cp1251")
    return "; pass `encoding` with the file's encoding (e.g. cp1251, koi8-r, latin-1)"


def _decode_error(shown: str, data: bytes, exc: UnicodeDecodeError, encoding: str,
                  line_offset: int = 0) -> DataValidationError:
    line, column = _line_col(data, exc.start, encoding)
    start = data.rfind(b"\n", 0, exc.start) + 1
    end = data.find(b"\n", exc.start)
    line_bytes = data[start:end if end >= 0 else len(data)]
    byte = data[exc.start:exc.start + 1].hex().upper()
    return DataValidationError(
        f"{shown}, line {line + line_offset}, column {column}: not valid {encoding} text "
        f"(byte 0x{byte}){_encoding_hint(line_bytes, encoding)}")


def _check_binary(shown: str, sample: bytes, encoding: str) -> None:
    for magic, what in _MAGIC.items():
        if sample.startswith(magic):
            raise DataValidationError(f"{shown}: not a CSV text file: it is {what}")
    if encoding.startswith("utf-16") or encoding.startswith("utf-32"):
        return
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DataValidationError(f"{shown}: the file is UTF-16 text: pass `encoding` utf-16")
    bad = [i for i, b in enumerate(sample) if b < 32 and b not in _TEXT_CONTROLS]
    if bad and (b"\x00" in sample or len(bad) > max(8, len(sample) // 1000)):
        line, _col = _line_col(sample, bad[0], "latin-1")
        raise DataValidationError(
            f"{shown}: not a CSV text file: binary data (byte 0x{sample[bad[0]]:02X}) on line "
            f"{line}; is it compressed, a spreadsheet or a damaged download?")


def _split_header(shown: str, text: str) -> tuple[tuple[str, ...], str]:
    """Column names and delimiter of a header line."""
    counts = {d: text.count(d) for d in _DELIMITERS}
    delimiter = max(_DELIMITERS, key=lambda d: (counts[d], d == ","))
    if counts[delimiter] == 0:
        delimiter = ","
    try:
        names = next(csv.reader([text], delimiter=delimiter, strict=True))
    except (csv.Error, StopIteration) as exc:
        raise DataValidationError(f"{shown}, line 1 (header): cannot read the header: {exc}") from None
    names = [n.strip().lstrip("\ufeff") for n in names]
    out: list[str] = []
    for idx, name in enumerate(names, 1):
        name = name or f"column{idx}"
        base, n = name, 2
        while name in out:
            name, n = f"{base}_{n}", n + 1
        out.append(name)
    return tuple(out), delimiter


def inspect(path: Path, encoding: str = UTF8, shown: str | None = None) -> CsvFile:
    """Check a CSV file's first and last bytes and read its header (see the module docstring)."""
    shown = shown or path.name
    with _open_bytes(path) as fh:
        try:
            sample = fh.read(_SAMPLE)
        except (OSError, EOFError, zipfile.BadZipFile) as exc:
            raise DataValidationError(f"{shown}: cannot read the file: {exc}") from None
        if not sample.strip():
            raise DataValidationError(
                f"{shown}: the file is empty; expected a header line and data rows")
        _check_binary(shown, sample, encoding)
        newline = sample.find(b"\n")
        while newline < 0:  # a header longer than the sample
            more = fh.read(_SAMPLE)
            if not more:
                break
            sample += more
            newline = sample.find(b"\n")
        header = sample if newline < 0 else sample[:newline]
        try:
            text = header.decode(encoding)
        except UnicodeDecodeError as exc:
            raise _decode_error(shown, header, exc, encoding) from None
        rest = b"" if newline < 0 else sample[newline + 1:]
        while not rest.strip():
            more = fh.read(_SAMPLE)
            if not more:
                break
            rest = more
        if not rest.strip():
            raise DataValidationError(
                f"{shown}: no data rows: the file has a header line and nothing after it; "
                "expected at least one row (nothing was imported)")
    columns, delimiter = _split_header(shown, text.rstrip("\r"))
    return CsvFile(path, shown, columns, delimiter, _ends_with_newline(path))


def _ends_with_newline(path: Path) -> bool:
    if path.suffix.lower() == ".gz":
        return True  # checked by diagnose if the rows fail; gzip has its own integrity check
    with path.open("rb") as fh:
        fh.seek(0, io.SEEK_END)
        if fh.tell() == 0:
            return True
        fh.seek(-1, io.SEEK_END)
        return fh.read(1) in (b"\n", b"\r")


def last_line(path: Path) -> tuple[int, str]:
    """(number, text) of the last line of a file (counted in one streaming pass)."""
    count, tail = 0, b""
    with _open_bytes(path) as fh:
        while chunk := fh.read(_CHUNK):
            count += chunk.count(b"\n")
            tail = (tail + chunk)[-4096:]
    text = tail.rsplit(b"\n", 1)[-1].decode("utf-8", errors="replace")
    return count + 1, text


def truncated_message(csv_file: CsvFile) -> str:
    """Where a file without a final line break ends, for an error or a warning."""
    line, text = last_line(csv_file.path)
    shown = text if len(text) <= 60 else "..." + text[-57:]
    return (f"{csv_file.shown}, line {line}: the file ends inside a line (no line break after "
            f"{shown!r}): it looks cut off, e.g. by an interrupted download")


def _decoded_lines(fh: IO[bytes], shown: str, encoding: str) -> Iterator[str]:
    """The file's lines decoded strictly; a bad byte raises with its line and column."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    line_no = 0
    pending = b""
    while True:
        chunk = fh.read(_CHUNK)
        data = pending + chunk
        cut = data.rfind(b"\n") + 1 if chunk else len(data)
        block, pending = data[:cut], data[cut:]
        try:
            text = decoder.decode(block, final=not chunk)
        except UnicodeDecodeError as exc:
            raise _decode_error(shown, block, exc, encoding, line_no) from None
        line_no += block.count(b"\n")
        yield from text.splitlines(keepends=True)
        if not chunk:
            return


def diagnose(csv_file: CsvFile, source: Path, encoding: str) -> str | None:
    """The first problem of a CSV file that DuckDB could not read, or None if none is found.

    ``source`` is the original file (before transcoding), read with ``encoding``.
    """
    ncols = len(csv_file.columns)
    try:
        with _open_bytes(source) as fh:
            reader = csv.reader(_decoded_lines(fh, csv_file.shown, encoding),
                                delimiter=csv_file.delimiter, strict=True)
            next(reader, None)  # header
            row: list[str] = []
            for row in reader:
                if not row or row == [""]:
                    continue
                if "\x00" in "".join(row):
                    return f"{csv_file.shown}, line {reader.line_num}: binary data (NUL byte)"
                if len(row) != ncols:
                    return _ragged(csv_file, reader.line_num, row, ncols)
    except DataValidationError as exc:
        return str(exc)
    except csv.Error as exc:
        what = ("a quoted field is not closed before the end of the file"
                if "unexpected end of data" in str(exc) else str(exc))
        end = "" if csv_file.final_newline else " (the file looks cut off)"
        return f"{csv_file.shown}, line {reader.line_num}: {what}{end}"
    return None


def _ragged(csv_file: CsvFile, line: int, row: list[str], ncols: int) -> str:
    shown = csv_file.delimiter.join(row)
    shown = shown if len(shown) <= 80 else shown[:77] + "..."
    message = (f"{csv_file.shown}, line {line}: expected {ncols} fields like the header "
               f"({csv_file.delimiter.join(csv_file.columns)[:80]}), found {len(row)}: {shown!r}")
    if not csv_file.final_newline and line == last_line(csv_file.path)[0]:
        message += "; the file ends inside this line: it looks cut off (an interrupted download?)"
    return message


def record_line(csv_file: CsvFile, index: int) -> int:
    """The line on which data record ``index`` (0-based, as DuckDB numbers rows) starts.

    DuckDB skips blank lines and a quoted field may span lines, so the record's line is not
    always ``index + 2``; a file without blank lines and quotes is settled by a byte scan,
    any other by counting records with Python's ``csv`` module (only when reporting an error).
    """
    with _open_bytes(csv_file.path) as fh:
        tail, simple = b"", True
        while chunk := fh.read(_CHUNK):
            data = tail + chunk
            if b'"' in chunk or b"\n\n" in data or b"\n\r\n" in data:
                simple = False
                break
            tail = chunk[-2:]
    if simple:
        return index + 2
    with _open_bytes(csv_file.path) as fh:
        reader = csv.reader(_decoded_lines(fh, csv_file.shown, UTF8),
                            delimiter=csv_file.delimiter)
        next(reader, None)  # header
        seen = -1
        while True:
            start = reader.line_num + 1
            row = next(reader, None)
            if row is None:
                return index + 2  # not found: DuckDB counted differently; the plain estimate
            if row and row != [""]:
                seen += 1
                if seen == index:
                    return start


def duckdb_message(exc: Exception) -> str:
    """The useful first lines of a DuckDB error (no dialect dump, no SQL excerpt)."""
    lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip()]
    keep = []
    for ln in lines:
        if ln.startswith(("Possible", "LINE ", "*", "file =", "^")) or "=" in ln[:30]:
            break
        keep.append(ln)
    text = " ".join(keep[:3]) or (lines[0] if lines else type(exc).__name__)
    return re.sub(r"^[A-Za-z ]+Error: ", "", text)


def transcode(csv_file: CsvFile, source: Path, encoding: str, target: Path) -> CsvFile:
    """Copy ``source`` to ``target`` as UTF-8 (streaming); a bad byte names its line."""
    with _open_bytes(source) as fh, target.open("w", encoding="utf-8", newline="") as out:
        for text in _decoded_lines(fh, csv_file.shown, encoding):
            out.write(text)
    return CsvFile(target, csv_file.shown, csv_file.columns, csv_file.delimiter,
                   csv_file.final_newline)


def extract_zip(path: Path, target: Path) -> list[Path]:
    """Extract the data files (CSV, TXT, Parquet) of a zip archive into ``target``, in name order.

    Members are extracted under their base names (no paths from the archive are trusted);
    documentation (``Readme.txt``, PDF) is skipped.
    """
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise DataValidationError(f"{path.name}: not a readable zip archive: {exc}") from None
    out: list[Path] = []
    with archive:
        members = sorted((m for m in archive.infolist() if not m.is_dir()),
                         key=lambda m: m.filename)
        for member in members:
            name = Path(member.filename).name
            lower = name.lower()
            if name.startswith(".") or not lower.endswith((".csv", ".txt", ".parquet", ".pq")) \
                    or lower.startswith("readme"):
                continue
            dest = target / name
            if dest.exists():
                raise DataValidationError(
                    f"{path.name}: two members named {name!r} in different folders")
            try:
                with archive.open(member) as src, dest.open("wb") as dst:
                    shutil.copyfileobj(src, dst, _CHUNK)
            except (zipfile.BadZipFile, OSError, EOFError) as exc:
                if isinstance(exc, OSError) and exc.errno is not None:
                    raise
                raise DataValidationError(
                    f"{path.name}: member {member.filename!r} cannot be extracted (damaged or "
                    f"incomplete archive): {exc}") from None
            out.append(dest)
    if not out:
        raise DataValidationError(f"{path.name}: the zip archive holds no CSV or Parquet file")
    return out
