"""Export and import every registry entity as JSON or CSV (round-trip safe).

JSON: ``{"enterprises": [...], "agreements": [...], "projects": [...], "events": [...],
"figures": [...]}`` with the API's record shape (older files without ``figures`` still import). CSV: one file, one row per record, an ``entity`` column first, then the
union of all fields; lists of codes or names are ``;``-joined and lists of objects (parties,
milestones, participants, sources) are JSON text in the cell.

Import is atomic: every row is validated and written inside one transaction; if any row fails,
nothing is written and :class:`DataValidationError` lists each bad row with its line number
(CSV: the physical line in the file; JSON: the line where the record's object starts).
Ids in the file are remapped: references between imported records (``enterprise_id``,
``agreement_id``, ``project_id``) follow their new ids; other ids refer to existing records.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tradecoop.errors import DataValidationError, TradecoopError
from tradecoop.registry import repository as repo
from tradecoop.registry.records import SPECS, to_dict

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

ORDER = ("enterprise", "agreement", "project", "event", "figure")
PLURAL = {e: e + "s" for e in ORDER}
_OBJECT_LISTS = {"parties", "milestones", "participants", "sources"}
_SCALAR_LISTS = {"aliases", "products", "inputs", "agreement_ids", "project_ids"}


def export_records(session: Session) -> dict[str, list[dict[str, Any]]]:
    """Every record of every entity, in id order."""
    from sqlalchemy import select

    return {PLURAL[e]: [to_dict(o) for o in session.scalars(select(repo.MODELS[e]).order_by(repo.MODELS[e].id))] for e in ORDER}


def _csv_columns(data: dict[str, list[dict[str, Any]]]) -> list[str]:
    cols: list[str] = ["entity"]
    for e in ORDER:
        for rec in data[PLURAL[e]][:1] or [_empty(e)]:
            cols += [k for k in rec if k not in cols]
    return cols


def _empty(entity: str) -> dict[str, Any]:
    spec = SPECS[entity]
    keys = ["id", "version", *spec.scalars]
    keys += {"enterprise": ["aliases", "products", "inputs", "sources"], "agreement": ["parties"],
             "project": ["parties", "products", "milestones"], "event": ["participants", "agreement_ids", "project_ids"],
             "figure": ["parties"]}[entity]
    return dict.fromkeys(keys)


def _cell(key: str, value: Any) -> str:
    if value is None:
        return ""
    if key in _OBJECT_LISTS:
        return json.dumps(value, ensure_ascii=False)
    if key in _SCALAR_LISTS:
        return ";".join(str(v) for v in value)
    return str(value)


def export_file(session: Session, path: Path) -> dict[str, int]:
    """Write all records to ``path`` (``.json`` or ``.csv``); return counts per entity."""
    data = export_records(session)
    fmt = _format(path)
    if fmt == "json":
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    else:
        buf = io.StringIO()
        cols = _csv_columns(data)
        w = csv.DictWriter(buf, fieldnames=cols, lineterminator="\n")
        w.writeheader()
        for e in ORDER:
            for rec in data[PLURAL[e]]:
                w.writerow({"entity": e, **{k: _cell(k, v) for k, v in rec.items()}})
        text = buf.getvalue()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return {PLURAL[e]: len(data[PLURAL[e]]) for e in ORDER}


def _format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in (".json", ".csv"):
        raise DataValidationError(f"registry files must end in .json or .csv; found {path.name!r}")
    return suffix[1:]


def _read(path: Path) -> list[tuple[int, str, dict[str, Any]]]:
    """(line, entity, record) for every record in the file."""
    if not path.is_file():
        raise DataValidationError(f"no such file: {path}" if not path.exists() else f"{path} is not a file")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataValidationError(f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8 and try again") from None
    except OSError as exc:
        raise DataValidationError(f"{path}: cannot be read: {exc.strerror}") from None
    if _format(path) == "json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DataValidationError(f"{path}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
        if not isinstance(data, dict) or set(data) - set(PLURAL.values()):
            raise DataValidationError(f"{path}: expected an object with keys {', '.join(PLURAL.values())}; found {sorted(data) if isinstance(data, dict) else type(data).__name__}")
        lines = _object_lines(text)
        out, k = [], 0
        for e in ORDER:
            records = data.get(PLURAL[e], [])
            if not isinstance(records, list):
                raise DataValidationError(f"{path}: `{PLURAL[e]}` must be a list of records; found {type(records).__name__}")
            for rec in records:
                out.append((lines[k] if k < len(lines) else 0, e, rec))
                k += 1
        return out
    reader = csv.DictReader(io.StringIO(text))
    out = []
    try:
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        raise DataValidationError(f"{path}: not a valid CSV file at line {reader.line_num}: {exc}") from None
    for line, row in rows:
        entity = (row.pop("entity", "") or "").strip()
        rec: dict[str, Any] = {}
        for key, value in row.items():
            if key is None or value in (None, ""):
                continue
            if key in _OBJECT_LISTS:
                try:
                    rec[key] = json.loads(value)
                except json.JSONDecodeError:
                    rec[key] = value  # reported by validation below
            elif key in _SCALAR_LISTS:
                rec[key] = [v for v in value.split(";") if v]
            else:
                rec[key] = value
        out.append((line, entity, rec))
    return out


def _object_lines(text: str) -> list[int]:
    """Line numbers where the records (objects at depth 2) of a JSON export start."""
    lines, depth, line, in_str, esc = [], 0, 1, False, False
    for ch in text:
        if ch == "\n":
            line += 1
        if in_str:
            esc = (not esc) and ch == "\\"
            if ch == '"' and not esc:
                in_str = False
            continue
        if ch == '"':
            in_str = True
        elif ch in "{[":
            depth += 1
            if ch == "{" and depth == 3:
                lines.append(line)
        elif ch in "}]":
            depth -= 1
    return lines


def import_file(session: Session, path: Path, *, actor: str = "import") -> dict[str, int]:
    """Import every record of ``path`` in one transaction (see the module notes)."""
    from tradecoop.registry.db import begin_write
    from tradecoop.registry.service import RegistryService

    records = _read(path)
    begin_write(session)  # one writing transaction for the whole file
    svc = RegistryService(session, actor=actor, autocommit=False)
    ids: dict[str, dict[int, int]] = {e: {} for e in ORDER}
    errors: list[str] = []
    counts = {PLURAL[e]: 0 for e in ORDER}
    for line, entity, rec in records:
        if entity not in SPECS:
            errors.append(f"line {line}: `entity` must be one of {', '.join(ORDER)}; found {entity!r}")
            continue
        if not isinstance(rec, dict):
            errors.append(f"line {line} ({entity}): a record must be an object; found {type(rec).__name__}")
            continue
        old_id = rec.pop("id", None)
        rec.pop("version", None)
        try:
            _remap(rec, ids)
            with session.begin_nested():
                obj = svc.create(entity, rec)
        except TradecoopError as exc:
            errors.append(f"line {line} ({entity}): {exc}")
            continue
        if old_id not in (None, ""):
            ids[entity][int(old_id)] = obj.id
        counts[PLURAL[entity]] += 1
    if errors:
        session.rollback()
        shown = "; ".join(errors[:20]) + (f"; and {len(errors) - 20} more" if len(errors) > 20 else "")
        raise DataValidationError(f"{path}: {len(errors)} bad row(s), nothing imported: {shown}")
    session.commit()
    return counts


def _remap(rec: dict[str, Any], ids: dict[str, dict[int, int]]) -> None:
    def new(entity: str, value: Any) -> Any:
        try:
            return ids[entity].get(int(value), value)
        except (TypeError, ValueError):
            return value

    for key in ("parties", "participants"):
        if isinstance(rec.get(key), list):
            rec[key] = [{**p, "enterprise_id": new("enterprise", p.get("enterprise_id"))} if isinstance(p, dict) and p.get("enterprise_id") not in (None, "") else p for p in rec[key]]
    if rec.get("agreement_id") not in (None, ""):
        rec["agreement_id"] = new("agreement", rec["agreement_id"])
    for key, entity in (("agreement_ids", "agreement"), ("project_ids", "project")):
        if isinstance(rec.get(key), list):
            rec[key] = [new(entity, v) for v in rec[key]]
