"""The one import mechanism every source format uses: stage, validate with SQL, swap.

1. hash the input files (sha256, in order); if the store already holds a dataset of that name
   made from the same bytes with the same options, stop: the store stays as it is (idempotent);
2. load the files into a DuckDB table in a staging directory inside the store, every column as
   text (``read_csv`` streams; DuckDB spills to disk beyond ``memory_limit``), remembering which
   rows came from which file so errors name file, line and column;
3. the format module validates with SQL (:class:`Stage` helpers) and writes the canonical table
   to ``data.parquet`` with a ``COPY (SELECT ...)``;
4. ``info.json`` is written beside it and the directory is renamed into place
   (:meth:`Store.commit`). The staging directory (:meth:`Store.staging`) belongs to this import
   alone and is removed on every exit path (error, Ctrl-C, SIGTERM); one left by a killed
   process is removed by the next import. Nothing else is ever deleted: a failed import leaves
   the store exactly as it was.
"""

from __future__ import annotations

import hashlib
import json
import warnings
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tradecoop import columns as C
from tradecoop.data.provenance import DatasetInfo
from tradecoop.data.sources._read import (
    UTF8,
    CsvFile,
    diagnose,
    duckdb_message,
    extract_zip,
    inspect,
    is_parquet,
    normalise_encoding,
    record_line,
    transcode,
    truncated_message,
)
from tradecoop.data.store import DATA_FILE, INFO_FILE, Store, check_name
from tradecoop.errors import DataQualityWarning, DataValidationError, Interrupted, NotFoundError

#: sentinel a code mapper returns for a code that policy drops (with a DataQualityWarning)
DROP = object()
_HASH_CHUNK = 1 << 22


def q(identifier: str) -> str:
    """Quote a SQL identifier."""
    return '"' + identifier.replace('"', '""') + '"'


def lit(text: str | Path) -> str:
    """Quote a SQL string literal."""
    return "'" + str(text).replace("'", "''") + "'"


def sha256_files(files: Iterable[Path], advance: Callable[[int], None] | None = None) -> str:
    """sha256 (hex) of the files' bytes concatenated in order."""
    digest = hashlib.sha256()
    for path in files:
        with path.open("rb") as fh:
            while chunk := fh.read(_HASH_CHUNK):
                digest.update(chunk)
                if advance:
                    advance(len(chunk))
    return digest.hexdigest()


@dataclass
class BuildResult:
    """What a format module returns after writing ``data.parquet`` into the stage."""

    table: str
    source: str
    licence: str
    hs_vintage: str | None
    notes: list[str] = field(default_factory=list)


@dataclass
class _Span:
    path: Path
    start: int
    end: int
    parquet: bool


class _Progress:
    """A Rich progress bar on stderr (or nothing when disabled)."""

    def __init__(self, enabled: bool) -> None:
        self._bar = None
        if enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                Progress,
                TaskProgressColumn,
                TextColumn,
                TimeElapsedColumn,
            )

            console = Console(stderr=True)
            if console.is_terminal:  # not in logs or pipes (it left an empty line there)
                self._bar = Progress(TextColumn("{task.description}"), BarColumn(),
                                     TaskProgressColumn(), TimeElapsedColumn(),
                                     console=console, transient=True)

    def __enter__(self) -> _Progress:
        if self._bar:
            self._bar.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar:
            self._bar.__exit__(*exc)

    def task(self, description: str, total: float) -> Callable[..., None]:
        if not self._bar:
            return lambda *a, **k: None
        task_id = self._bar.add_task(description, total=total)

        def advance(amount: float = 1, description: str | None = None) -> None:
            kwargs = {"description": description} if description else {}
            self._bar.update(task_id, advance=amount, **kwargs)

        return advance


class Stage:
    """A staging area: a DuckDB database holding the raw rows, plus validation helpers."""

    def __init__(self, directory: Path, advance: Callable[..., None], *, encoding: str = UTF8,
                 strict_end: bool = True) -> None:
        import duckdb

        from tradecoop.data.store import duckdb_settings

        self.dir = directory
        self.out_dir = directory / "out"
        self.out_dir.mkdir()
        self.advance = advance
        self.encoding = normalise_encoding(encoding)
        #: a CSV without a final line break (cut off?) is an error; False: a warning
        self.strict_end = strict_end
        self._csv: dict[Path, CsvFile] = {}
        self.con = duckdb.connect(
            ":memory:",  # spills to temp_directory beyond memory_limit
            config={**duckdb_settings(), "temp_directory": str(directory / "tmp"), "preserve_insertion_order": True},
        )
        self.con.execute("SET enable_progress_bar = false")  # DuckDB's own bar wrote to stdout
        self.spans: list[_Span] = []
        self.notes: list[str] = []

    # --- reading -------------------------------------------------------------------------
    def expand(self, files: list[Path]) -> list[Path]:
        """The input files with each zip archive replaced by its data files (extracted here)."""
        out: list[Path] = []
        for idx, path in enumerate(files):
            if path.suffix.lower() == ".zip" or zipfile.is_zipfile(path):
                target = self.dir / "src" / f"zip{idx}"
                target.mkdir(parents=True)
                out.extend(extract_zip(path, target))
            else:
                out.append(path)
        return out

    def csv_file(self, path: Path) -> CsvFile:
        """The inspected CSV file (checked, and transcoded to UTF-8 if needed), cached."""
        if path not in self._csv:
            found = inspect(path, self.encoding)
            if not found.final_newline:
                if self.strict_end:
                    raise DataValidationError(
                        truncated_message(found) + "; if the file is complete, end it with a "
                        "line break")
                self.warn(truncated_message(found) + "; imported as it is")
            if self.encoding != UTF8:
                target = self.dir / "src" / f"utf8-{len(self._csv)}.csv"
                target.parent.mkdir(exist_ok=True)
                found = transcode(found, path, self.encoding, target)
            self._csv[path] = found
        return self._csv[path]

    def reader(self, path: Path) -> str:
        """The DuckDB table function reading ``path`` (every CSV column as text)."""
        if is_parquet(path):
            return f"read_parquet({lit(path)})"
        return self.csv_file(path).reader_sql()

    @contextmanager
    def reading(self, path: Path) -> Iterator[None]:
        """Turn a DuckDB error while reading ``path`` into one line naming the bad line."""
        import duckdb

        try:
            yield
        except duckdb.InterruptException:
            raise KeyboardInterrupt from None
        except duckdb.Error as exc:
            found = None if is_parquet(path) else self._csv.get(path)
            message = diagnose(found, path, self.encoding) if found else None
            raise DataValidationError(
                message or f"{path.name}: cannot read the file: {duckdb_message(exc)}") from None

    def header(self, path: Path) -> list[str]:
        """Column names of a CSV or Parquet file."""
        if not is_parquet(path):
            return list(self.csv_file(path).columns)
        with self.reading(path):
            rel = self.con.execute(f"SELECT * FROM {self.reader(path)} LIMIT 0")
        return [d[0] for d in rel.description]

    def match_columns(
        self, path: Path, found: list[str], wanted: dict[str, tuple[str, ...]],
        optional: dict[str, tuple[str, ...]] | None = None,
    ) -> dict[str, str]:
        """Map internal names to the file's columns (case-insensitive, trimmed, BOM-stripped).

        ``wanted``: internal name -> accepted column names (first is the one shown in errors).
        Raises DataValidationError naming the file, line 1 and the closest column found.
        """
        norm = {c.strip().lstrip("\ufeff").casefold(): c for c in found}
        out: dict[str, str] = {}
        for internal, names in {**wanted, **(optional or {})}.items():
            hit = next((norm[n.casefold()] for n in names if n.casefold() in norm), None)
            if hit is not None:
                out[internal] = hit
            elif internal in wanted:
                import difflib

                close = difflib.get_close_matches(names[0].casefold(), list(norm), n=1, cutoff=0.5)
                hint = f"; did you mean {norm[close[0]]!r}?" if close else ""
                if len(found) == 1 and any(sep in found[0] for sep in ",;\t|"):
                    hint += ("; the header could not be split into columns: do all rows have "
                             "the same number of fields?")
                raise DataValidationError(
                    f"{path.name}, line 1 (header): missing column {names[0]!r}{hint} "
                    f"(found columns: {', '.join(found)})"
                )
        return out

    def load(self, path: Path, select: dict[str, str], extra: dict[str, str] | None = None,
             transform: dict[str, str] | None = None) -> None:
        """Append the file's rows to table ``raw`` as text: internal name <- file column.

        ``extra``: internal name -> SQL expression (e.g. a constant from the file name);
        ``transform``: internal name -> SQL template applied to the text value (``{}``).
        """
        transform = transform or {}
        cols = [transform.get(dst, "{}").format(f"CAST({q(src)} AS VARCHAR)") + f" AS {q(dst)}"
                for dst, src in select.items()]
        cols += [f"{expr} AS {q(dst)}" for dst, expr in (extra or {}).items()]
        query = f"SELECT {', '.join(cols)} FROM {self.reader(path)}"
        start = self.spans[-1].end if self.spans else 0
        with self.reading(path):
            if self.spans:
                self.con.execute(f"INSERT INTO raw BY NAME {query}")
            else:
                self.con.execute(f"CREATE TABLE raw AS {query}")
        end = self.con.execute("SELECT count(*) FROM raw").fetchone()[0]
        if end == start:
            raise DataValidationError(
                f"{path.name}: no data rows (only a header); expected at least one row "
                "(nothing was imported)")
        self.spans.append(_Span(path, start, end, path.suffix.lower() in (".parquet", ".pq")))
        self.advance(1)

    # --- locating and failing ------------------------------------------------------------
    def where(self, rowid: int, column: str | None = None) -> str:
        """``'file.csv, line 12, column 'v''`` for a row of table ``raw``."""
        span = next(s for s in self.spans if s.start <= rowid < s.end)
        offset = rowid - span.start
        place = (f"row {offset + 1}" if span.parquet else
                 f"line {record_line(self._csv[span.path], offset)}")
        col = f", column {column!r}" if column else ""
        return f"{span.path.name}, {place}{col}"

    def first_bad(self, condition: str, select: str = "NULL") -> tuple[int, int, Any] | None:
        """(count, first rowid, value) of rows of ``raw`` matching ``condition``, or None."""
        row = self.con.execute(
            f"SELECT count(*), min(rowid), arg_min({select}, rowid) FROM raw WHERE {condition}"
        ).fetchone()
        return None if row[0] == 0 else row

    def check_required(self, column: str, shown: str) -> None:
        bad = self.first_bad(f"{q(column)} IS NULL OR trim({q(column)}) = ''")
        if bad:
            raise DataValidationError(
                f"{self.where(bad[1], shown)}: empty value ({bad[0]} such rows)"
            )

    def check_numbers(self, specs: list[tuple[str, str, dict]]) -> None:
        """Several :meth:`check_number` checks with one scan when the data are clean.

        ``specs``: (column, shown name, keyword options of check_number). A single aggregate
        query counts the problems of every column; only a column with problems is re-checked
        in detail (to find and report its first bad row).
        """
        conds, casts = [], []
        for idx, (column, _shown, opts) in enumerate(specs):
            c, num = q(column), f"_n{idx}"
            casts.append(f"{c}, TRY_CAST({c} AS DOUBLE) AS {num}")  # DuckDB's cast trims blanks
            missing = f"({c} IS NULL OR trim({c}) IN ('', 'NA'))"
            bad = [f"{num} IS NULL AND NOT {missing}", f"{num} < 0", f"NOT isfinite({num})"]
            if not opts.get("nullable"):
                bad.append(f"{num} IS NULL AND {missing}")
            if opts.get("integer"):
                bad.append(f"{num} <> floor({num})")
            conds.append(f"count_if({' OR '.join(f'({b})' for b in bad)})")
        counts = self.con.execute(
            f"SELECT {', '.join(conds)} FROM (SELECT {', '.join(casts)} FROM raw)").fetchone()
        for (column, shown, opts), n in zip(specs, counts, strict=True):
            if n:
                self.check_number(column, shown, **opts)

    def check_number(self, column: str, shown: str, *, nullable: bool = False,
                     integer: bool = False) -> None:
        """Every value of ``raw.column`` is a finite non-negative number (NULL only if nullable)."""
        if not nullable:
            self.check_required(column, shown)
        num = f"TRY_CAST(trim({q(column)}) AS DOUBLE)"
        present = f"{q(column)} IS NOT NULL AND trim({q(column)}) NOT IN ('', 'NA')"
        bad = self.first_bad(f"{present} AND ({num} IS NULL OR NOT isfinite({num}))", q(column))
        if bad:
            raise DataValidationError(
                f"{self.where(bad[1], shown)}: expected a number, found {bad[2]!r} "
                f"({bad[0]} non-numeric rows)"
            )
        bad = self.first_bad(f"{present} AND {num} < 0", q(column))
        if bad:
            raise DataValidationError(
                f"{self.where(bad[1], shown)}: expected a non-negative value, found {bad[2].strip()} "
                f"({bad[0]} negative rows)"
            )
        if integer:
            bad = self.first_bad(f"{present} AND {num} <> round({num})", q(column))
            if bad:
                raise DataValidationError(
                    f"{self.where(bad[1], shown)}: expected a whole number, found {bad[2]!r}"
                )

    def map_codes(self, column: str, shown: str, mapper: Callable[[str], Any], table: str,
                  what: str, hint: str = "") -> int:
        """Map the distinct values of ``raw.column`` with ``mapper`` into table ``table(code, mapped)``.

        ``mapper`` returns the canonical code, :data:`DROP` (row dropped by policy) or None
        (unknown: error naming the first row). Returns the number of rows dropped.
        """
        import pyarrow as pa

        values = [r[0] for r in self.con.execute(
            f"SELECT DISTINCT {q(column)} FROM raw WHERE {q(column)} IS NOT NULL").fetchall()]
        mapped = {v: mapper(v) for v in values}
        unknown = [v for v, m in mapped.items() if m is None]
        if unknown:
            self.con.register("_unknown", pa.table({"code": unknown}))
            bad = self.first_bad(f"{q(column)} IN (SELECT code FROM _unknown)", q(column))
            raise DataValidationError(
                f"{self.where(bad[1], shown)}: unknown {what} {bad[2]!r}{hint} "
                f"({len(unknown)} unknown codes in {bad[0]} rows, e.g. "
                f"{', '.join(map(repr, sorted(unknown)[:5]))})"
            )
        keep = {k: v for k, v in mapped.items() if v is not DROP}
        self.con.execute(f"CREATE OR REPLACE TABLE {table} (code VARCHAR, mapped VARCHAR)")
        if keep:
            self.con.register("_map", pa.table({"code": list(keep), "mapped": list(keep.values())}))
            self.con.execute(f"INSERT INTO {table} SELECT code, mapped FROM _map")
            self.con.unregister("_map")
        dropped = [k for k, v in mapped.items() if v is DROP]
        if not dropped:
            return 0
        self.con.register("_drop", pa.table({"code": dropped}))
        n = self.con.execute(
            f"SELECT count(*) FROM raw WHERE {q(column)} IN (SELECT code FROM _drop)").fetchone()[0]
        self.warn(f"dropped {n} rows whose {what} is an aggregate or special code "
                  f"({len(dropped)} codes: {', '.join(sorted(map(str, dropped))[:10])})")
        return n

    def check_unique(self, keys: dict[str, str], relation: str = "raw",
                     rowid: str = "rowid", maps: Iterable[str] = ()) -> None:
        """No two rows share the key columns (internal name -> shown name).

        ``relation`` may be a sub-query over ``raw`` with canonical (mapped) codes, exposing the
        raw row id as column ``rowid``, so that synonyms ('BY', 'Belarus') count as one key.
        With ``maps`` (mapping tables of :meth:`map_codes`) that sub-query is used only when a
        map has synonyms (two codes -> one canonical code); otherwise ``raw`` is checked
        directly, which is cheaper and equivalent.
        """
        maps = list(maps)
        if maps and not any(self.con.execute(
                f"SELECT count(*) > count(DISTINCT mapped) FROM {m}").fetchone()[0] for m in maps):
            relation, rowid = "raw", "rowid"
        cols = ", ".join(q(k) for k in keys)
        row = self.con.execute(
            f"SELECT list({rowid} ORDER BY {rowid})[1:2], {cols} FROM {relation} "
            f"GROUP BY {cols} HAVING count(*) > 1 ORDER BY min({rowid}) LIMIT 1"
        ).fetchone()
        if row:
            first, second = row[0]
            key_text = ", ".join(f"{shown}={v}" for shown, v in zip(keys.values(), row[1:], strict=True))
            raise DataValidationError(
                f"{self.where(second)}: duplicate key ({key_text}); first seen at "
                f"{self.where(first)}"
            )

    def warn(self, message: str) -> None:
        """A DataQualityWarning, also recorded in the dataset's notes."""
        self.notes.append(message)
        warnings.warn(message, DataQualityWarning, stacklevel=3)

    # --- writing -------------------------------------------------------------------------
    def write(self, select_sql: str, order_by: Iterable[str] = ()) -> Path:
        """``COPY (select [ORDER BY ...]) TO out/data.parquet`` (zstd).

        Without ``order_by`` rows keep the input order (DuckDB preserves insertion order).
        """
        target = self.out_dir / DATA_FILE
        order = ", ".join(q(c) for c in order_by)
        self.con.execute(
            f"COPY ({select_sql}{f' ORDER BY {order}' if order else ''}) TO {lit(target)} "
            "(FORMAT parquet, COMPRESSION zstd)"
        )
        self.advance(1)
        return target

    def summary(self) -> tuple[int, tuple[int, int] | None]:
        """(rows, (first year, last year)) of the written Parquet file."""
        target = self.out_dir / DATA_FILE
        cols = [d[0] for d in self.con.execute(
            f"SELECT * FROM read_parquet({lit(target)}) LIMIT 0").description]
        if C.YEAR in cols:
            rows, lo, hi = self.con.execute(
                f"SELECT count(*), min({C.YEAR}), max({C.YEAR}) FROM read_parquet({lit(target)})"
            ).fetchone()
            return rows, ((int(lo), int(hi)) if rows else None)
        return self.con.execute(f"SELECT count(*) FROM read_parquet({lit(target)})").fetchone()[0], None

    def close(self) -> None:
        self.con.close()


@dataclass
class ImportOutcome:
    """Result of an import: the stored provenance and whether the store changed."""

    info: DatasetInfo
    status: str  # "imported", "replaced" or "unchanged"


def run_import(
    fmt: str, files: list[Path], build: Callable[[Stage], BuildResult], *, store: Store,
    name: str, options: dict[str, Any], progress: bool = False, encoding: str | None = None,
) -> ImportOutcome:
    """Import ``files`` as dataset ``name`` with ``build`` (see the module docstring)."""
    check_name(name)
    files = [Path(f) for f in files]
    if not files:
        raise DataValidationError("no input files given")
    for path in files:
        if not path.is_file():
            raise NotFoundError(f"input file not found: {path}")
    if store.is_bundled(name):
        from tradecoop.errors import ConflictError

        raise ConflictError(f"{name!r} is a bundled dataset; import under another `name`")
    encoding = normalise_encoding(encoding)
    meta = {"format": fmt, "options": options if encoding == UTF8 else
            {**options, "encoding": encoding}}
    state = {"committed": False}
    try:
        with _Progress(progress) as bar:
            content_hash = sha256_files(
                files, bar.task("hashing", total=sum(p.stat().st_size for p in files)))
            existing = {i.name: i for i in store.datasets() if not i.bundled}
            if name in existing and existing[name].content_hash == content_hash \
                    and store.import_meta(name) == meta:
                return ImportOutcome(existing[name], "unchanged")
            return _stage_and_commit(fmt, files, build, store, name, encoding, content_hash,
                                     meta, existing, bar, state)
    except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM turned into one by the CLI
        raise Interrupted(getattr(exc, "detail", "") or (
            f"dataset {name!r} was saved before the signal took effect" if state["committed"]
            else "the import stopped; the store is as it was")) from None
    except RuntimeError as exc:  # what DuckDB's Python client raises when a signal arrives
        if str(exc) != "Query interrupted":
            raise
        raise Interrupted("the import stopped; the store is as it was") from None


def _stage_and_commit(fmt: str, files: list[Path], build: Callable[[Stage], BuildResult],
                      store: Store, name: str, encoding: str, content_hash: str, meta: dict,
                      existing: dict[str, DatasetInfo], bar: _Progress,
                      state: dict[str, bool]) -> ImportOutcome:
    """Steps 2-4 of the module docstring, in a staging directory of this import's own."""
    with store.staging() as staging:
        stage = Stage(staging, bar.task(f"importing {len(files)} file(s)", total=len(files) + 1),
                      encoding=encoding, strict_end=fmt != "csv")
        try:
            result = build(stage)
            rows, years = stage.summary()
        finally:
            stage.close()
        if rows == 0:
            dropped = f" ({'; '.join(stage.notes)})" if stage.notes else ""
            raise DataValidationError(
                f"no rows left to import: every row was dropped{dropped}; nothing was imported")
        info = DatasetInfo(
            name=name, table=result.table, source=result.source,
            files=tuple(p.name for p in files), content_hash=content_hash, rows=int(rows),
            years=years, hs_vintage=result.hs_vintage, licence=result.licence,
            imported_at=datetime.now(UTC).replace(microsecond=0).isoformat(),
            estimated=False, bundled=False, notes=tuple(result.notes),
        )
        record = {**info.to_dict(), "import": meta}
        (staging / "out" / INFO_FILE).write_text(
            json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        status = "replaced" if name in existing else "imported"
        store.commit(name, staging / "out")
        state["committed"] = True
    return ImportOutcome(info, status)
