"""Any CSV or Parquet file with a column mapping: ``--map year=COL,exporter=COL,...``.

Canonical fields: ``year``, ``exporter``, ``importer`` (optional: without it the table is a
``world_exports`` table), ``product``, ``value``; optional ``quantity`` and ``hs_vintage``.
``--unit usd|thousand_usd|million_usd`` scales ``value`` to USD. Locations may be any code or name
:func:`~tradecoop.data.nomenclature.locations.resolve_location` understands; products are HS codes
of one length (2, 4 or 6 digits, zero-padded) checked against the HS vintage given by
``--hs-vintage`` (or the mapped ``hs_vintage`` column, which must hold a single vintage).
"""

from __future__ import annotations

from pathlib import Path

from tradecoop import columns as C
from tradecoop.data.nomenclature.hs_codes import hs6_codes, normalise_vintage
from tradecoop.data.nomenclature.locations import resolve_location
from tradecoop.data.sources._stage import BuildResult, Stage, lit
from tradecoop.errors import DataValidationError, NotFoundError

UNITS = {"usd": 1.0, "thousand_usd": 1e3, "million_usd": 1e6}
REQUIRED = ("year", "exporter", "product", "value")
OPTIONAL = ("importer", "quantity", "hs_vintage")


def parse_mapping(text: str | dict[str, str]) -> dict[str, str]:
    """``'year=Year,exporter=From,...'`` -> dict; checks field names and required fields."""
    if isinstance(text, dict):
        mapping = dict(text)
    else:
        mapping = {}
        for part in filter(None, (p.strip() for p in text.split(","))):
            field, sep, column = part.partition("=")
            if not sep or not column.strip():
                raise DataValidationError(
                    f"--map: expected FIELD=COLUMN pairs separated by commas, found {part!r}")
            mapping[field.strip()] = column.strip()
    unknown = sorted(set(mapping) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise DataValidationError(
            f"--map: unknown field(s) {', '.join(unknown)}; fields: {', '.join(REQUIRED + OPTIONAL)}")
    missing = [f for f in REQUIRED if f not in mapping]
    if missing:
        raise DataValidationError(
            f"--map: missing field(s) {', '.join(missing)} (required: {', '.join(REQUIRED)})")
    return mapping


def _location(code: str) -> str | None:
    try:
        return resolve_location(code)
    except NotFoundError:
        return None


def build(stage: Stage, files: list[Path], mapping: dict[str, str] | str, unit: str = "usd",
          hs_vintage: str | None = None, source: str | None = None,
          licence: str = "as stated by the data's publisher (recorded by the user)") -> BuildResult:
    """Stage, validate and write mapped files as ``bilateral_flows`` or ``world_exports``."""
    mapping = parse_mapping(mapping)
    if unit not in UNITS:
        raise DataValidationError(f"--unit: expected one of {', '.join(UNITS)}, found {unit!r}")
    for path in files:
        cols = stage.match_columns(path, stage.header(path),
                                   {f: (c,) for f, c in mapping.items()})
        stage.load(path, cols)
    stage.check_number("year", mapping["year"], integer=True)
    stage.check_number("value", mapping["value"])
    if "quantity" in mapping:
        stage.check_number("quantity", mapping["quantity"], nullable=True)
    vintage = normalise_vintage(hs_vintage) if hs_vintage else None
    if "hs_vintage" in mapping:
        stage.check_required("hs_vintage", mapping["hs_vintage"])
        first = stage.con.execute("SELECT hs_vintage FROM raw ORDER BY rowid LIMIT 1").fetchone()[0]
        expected = vintage or normalise_vintage(first)
        found = [r[0] for r in stage.con.execute("SELECT DISTINCT hs_vintage FROM raw").fetchall()]
        other = sorted(v for v in found if normalise_vintage(v) != expected)
        if other:
            listed = ", ".join(lit(v) for v in other)
            bad = stage.first_bad(f"hs_vintage IN ({listed})", "hs_vintage")
            raise DataValidationError(
                f"{stage.where(bad[1], mapping['hs_vintage'])}: mixed HS vintages in one dataset: "
                f"found {bad[2]!r}, expected {expected}; import each vintage under its own --name")
        vintage = expected
    if vintage is None:
        raise DataValidationError("--hs-vintage is required (e.g. --hs-vintage HS17) unless an "
                                  "hs_vintage column is mapped")
    stage.check_required("product", mapping["product"])
    stage.con.execute("UPDATE raw SET product = trim(product)")
    stage.con.execute("UPDATE raw SET product = lpad(product, CAST(length(product) + "
                      "length(product) % 2 AS INTEGER), '0')")  # 10121 -> 010121, 101 -> 0101
    lengths = [r[0] for r in stage.con.execute(
        "SELECT DISTINCT length(product) FROM raw ORDER BY 1").fetchall()]
    if len(lengths) > 1 or lengths[0] not in (2, 4, 6):
        other = lengths[-1] if lengths[0] in (2, 4, 6) else lengths[0]
        bad = stage.first_bad(f"length(product) = {other}", "product")
        raise DataValidationError(
            f"{stage.where(bad[1], mapping['product'])}: expected HS codes of one length "
            f"(2, 4 or 6 digits), found {bad[2]!r} among codes of length "
            f"{', '.join(map(str, lengths))}")
    digits = lengths[0]
    codes = {c[:digits] for c in hs6_codes(vintage)}
    stage.map_codes("product", mapping["product"], lambda c: c if c in codes else None, "map_k",
                    "product code", f" (not an HS{digits} code of {vintage})")
    sides = ["exporter"] + (["importer"] if "importer" in mapping else [])
    for side in sides:
        stage.map_codes(side, mapping[side], _location, f"map_{side}", f"{side} location")
    keys = {"year": mapping["year"], "exporter": mapping["exporter"]}
    if "importer" in mapping:
        keys["importer"] = mapping["importer"]
    keys["product"] = mapping["product"]
    stage.check_unique(keys)
    scale = UNITS[unit]
    source = source or f"user file {files[0].name}"
    quantity = ("sum(TRY_CAST(trim(r.quantity) AS DOUBLE))" if "quantity" in mapping
                else "CAST(NULL AS DOUBLE)")
    importer_sel = f"mj.mapped AS {C.IMPORTER}, " if "importer" in mapping else ""
    importer_join = "JOIN map_importer mj ON r.importer = mj.code" if "importer" in mapping else ""
    quantity_sel = f"{quantity} AS {C.QUANTITY}, " if "importer" in mapping else ""
    stage.write(
        f"""SELECT CAST(CAST(trim(r.year) AS DOUBLE) AS INTEGER) AS {C.YEAR},
                  me.mapped AS {C.EXPORTER}, {importer_sel}r.product AS {C.PRODUCT},
                  {lit(vintage)} AS {C.HS_VINTAGE},
                  sum(CAST(trim(r.value) AS DOUBLE) * {scale}) AS {C.VALUE_USD}, {quantity_sel}
                  {lit(source)} AS {C.SOURCE}, false AS {C.ESTIMATED}
           FROM raw r JOIN map_exporter me ON r.exporter = me.code {importer_join}
           GROUP BY ALL""",
        [C.YEAR, C.EXPORTER, *([C.IMPORTER] if "importer" in mapping else []), C.PRODUCT],
    )
    table = C.BILATERAL_FLOWS if "importer" in mapping else C.WORLD_EXPORTS
    notes = [f"value_usd = {scale:g} x column {mapping['value']!r} ({unit})", *stage.notes]
    return BuildResult(table, source, licence, vintage, notes)
