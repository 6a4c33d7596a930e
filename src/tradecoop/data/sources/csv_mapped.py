"""Any CSV or Parquet file with a column mapping: ``mapping="year=COL,exporter=COL,..."``.

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
from tradecoop.data.nomenclature.hs_codes import normalise_vintage
from tradecoop.data.nomenclature.locations import resolve_location
from tradecoop.data.sources._checks import check_products, single_vintage
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
                    f"`mapping`: expected FIELD=COLUMN pairs separated by commas, found {part!r}")
            mapping[field.strip()] = column.strip()
    unknown = sorted(set(mapping) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise DataValidationError(
            f"`mapping`: unknown field(s) {', '.join(unknown)}; fields: {', '.join(REQUIRED + OPTIONAL)}")
    missing = [f for f in REQUIRED if f not in mapping]
    if missing:
        raise DataValidationError(
            f"`mapping`: missing field(s) {', '.join(missing)} (required: {', '.join(REQUIRED)})")
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
        raise DataValidationError(f"`unit`: expected one of {', '.join(UNITS)}, found {unit!r}")
    for path in files:
        cols = stage.match_columns(path, stage.header(path),
                                   {f: (c,) for f, c in mapping.items()})
        stage.load(path, cols)
    stage.check_numbers([("year", mapping["year"], {"integer": True}),
                         ("value", mapping["value"], {}),
                         *([("quantity", mapping["quantity"], {"nullable": True})]
                           if "quantity" in mapping else [])])
    vintage = normalise_vintage(hs_vintage) if hs_vintage else None
    if "hs_vintage" in mapping:
        stage.check_required("hs_vintage", mapping["hs_vintage"])
        vintage = single_vintage(stage, "hs_vintage", mapping["hs_vintage"], vintage,
                                 normalise_vintage)
    if vintage is None:
        raise DataValidationError("`hs_vintage` is required (e.g. HS17) unless an "
                                  "hs_vintage column is mapped")
    check_products(stage, "product", mapping["product"], vintage)
    sides = ["exporter"] + (["importer"] if "importer" in mapping else [])
    for side in sides:
        stage.map_codes(side, mapping[side], _location, f"map_{side}", f"{side} location")
    keys = {"year": mapping["year"], "exporter": mapping["exporter"]}
    if "importer" in mapping:
        keys["importer"] = mapping["importer"]
    keys["product"] = mapping["product"]
    join = "JOIN map_exporter me ON r.exporter = me.code"
    importer_key = ""
    if "importer" in mapping:
        join += " JOIN map_importer mi ON r.importer = mi.code"
        importer_key = "mi.mapped AS importer, "
    stage.check_unique(keys, f"(SELECT r.rowid AS _rid, r.year, me.mapped AS exporter, "
                             f"{importer_key}r.product FROM raw r {join}) k", "_rid",
                       maps=["map_exporter", *(["map_importer"] if "importer" in mapping else [])])
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
    )
    table = C.BILATERAL_FLOWS if "importer" in mapping else C.WORLD_EXPORTS
    notes = [f"value_usd = {scale:g} x column {mapping['value']!r} ({unit})", *stage.notes]
    return BuildResult(table, source, licence, vintage, notes)
