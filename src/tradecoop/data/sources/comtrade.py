"""UN Comtrade bulk CSV (current API/bulk column names and the legacy ones).

Reference: United Nations, UN Comtrade Database, https://comtradeplus.un.org (terms of use:
free for non-commercial use with attribution "UN Comtrade").

Reporter-side data: each row is what ``reporter`` declared for trade with ``partner``. Exports
(flow ``X``) and imports (``M``) are kept apart in a ``reported_flows`` table with columns
``flow`` and ``reporter`` beside ``exporter``/``importer`` (X: exporter = reporter; M: importer =
reporter), so mirror flows can be compared later. Re-exports/re-imports and other flows are
dropped with a DataQualityWarning; so are breakdown rows (second partner, customs procedure,
mode of transport other than the totals) and partner/reporter area codes that are not
countries (``_X``, ``S19``, ...). ``W00``/``WLD`` (world) is kept as ``WLD``. Net weight (kg) is
stored as ``quantity`` in tonnes.
"""

from __future__ import annotations

import re
from pathlib import Path

from tradecoop import columns as C
from tradecoop.data.nomenclature.hs_codes import normalise_vintage
from tradecoop.data.nomenclature.locations import resolve_location
from tradecoop.data.sources._checks import check_products, single_vintage
from tradecoop.data.sources._stage import DROP, BuildResult, Stage, lit, q
from tradecoop.data.store import REPORTED_FLOWS
from tradecoop.errors import NotFoundError

LICENCE = "UN Comtrade Database (United Nations Statistics Division); cite 'UN Comtrade'"
#: internal name -> (current name, legacy name, other accepted names)
COLUMNS = {
    "year": ("refYear", "Year", "period"),
    "reporter": ("reporterISO", "Reporter ISO"),
    "partner": ("partnerISO", "Partner ISO"),
    "flow": ("flowCode", "Trade Flow Code"),
    "product": ("cmdCode", "Commodity Code"),
    "value": ("primaryValue", "Trade Value (US$)"),
}
OPTIONAL = {
    "weight": ("netWgt", "Netweight (kg)"),
    "classification": ("classificationCode", "Classification"),
    "partner2": ("partner2ISO", "2nd Partner ISO"),
    "customs": ("customsCode",),
    "mot": ("motCode",),
}
#: legacy Trade Flow Code: 1 import, 2 export, 3 re-export, 4 re-import
_FLOWS = {"X": "X", "M": "M", "2": "X", "1": "M"}
_TOTAL_PARTNER2 = ("W00", "WLD", "0", "World")


def _area(code: str) -> object:
    code = code.strip()
    if code.upper() in ("W00", "WLD"):
        return C.WORLD
    if not re.fullmatch(r"[A-Za-z]{3}", code):
        return DROP  # Comtrade areas (_X, S19, X1 ...) are not countries
    try:
        return resolve_location(code)
    except NotFoundError:
        return None


def build(stage: Stage, files: list[Path], hs_vintage: str | None = None) -> BuildResult:
    """Stage, validate and write Comtrade files as a ``reported_flows`` table."""
    names: dict[str, str] = {}
    for path in files:
        found = stage.header(path)
        wanted = {k: v for k, v in COLUMNS.items()}
        legacy = any(c.strip() in ("Trade Flow Code", "Reporter ISO") for c in found)
        if legacy:  # show the legacy name in errors for legacy files
            wanted = {k: (v[1], *v) for k, v in COLUMNS.items()}
        cols = stage.match_columns(path, found, wanted, OPTIONAL)
        names = names or dict(cols)
        extra = {k: "CAST(NULL AS VARCHAR)" for k in OPTIONAL if k not in cols}
        stage.load(path, cols, extra)
    shown = {**{k: v[0] for k, v in {**COLUMNS, **OPTIONAL}.items()}, **names}
    stage.check_number("year", shown["year"], integer=True)
    stage.check_number("value", shown["value"])
    stage.check_number("weight", shown["weight"], nullable=True)
    stage.check_required("flow", shown["flow"])
    breakdown = ("(partner2 IS NOT NULL AND trim(partner2) NOT IN ({}))".format(
        ", ".join(lit(v) for v in _TOTAL_PARTNER2))
        + " OR (customs IS NOT NULL AND trim(customs) <> 'C00')"
        + " OR (mot IS NOT NULL AND trim(mot) <> '0')")
    n = stage.con.execute(f"SELECT count(*) FROM raw WHERE {breakdown}").fetchone()[0]
    if n:
        stage.con.execute(f"DELETE FROM raw WHERE {breakdown}")
        stage.warn(f"dropped {n} breakdown rows (second partner, customs procedure or mode of "
                   "transport other than the total)")
    flows = [r[0] for r in stage.con.execute("SELECT DISTINCT trim(flow) FROM raw").fetchall()]
    other = sorted(f for f in flows if f not in _FLOWS)
    if other:
        n = stage.con.execute(
            f"SELECT count(*) FROM raw WHERE trim(flow) IN ({', '.join(map(lit, other))})").fetchone()[0]
        stage.con.execute(f"DELETE FROM raw WHERE trim(flow) IN ({', '.join(map(lit, other))})")
        stage.warn(f"dropped {n} rows with flows other than exports and imports "
                   f"({', '.join(other)}: re-exports, re-imports, ...)")
    stage.con.execute("UPDATE raw SET flow = CASE trim(flow) WHEN '2' THEN 'X' WHEN '1' THEN 'M' "
                      "ELSE trim(flow) END")
    given = normalise_vintage(hs_vintage) if hs_vintage else None
    vintage = single_vintage(stage, "classification", shown["classification"], given,
                             normalise_vintage)
    check_products(stage, "product", shown["product"], vintage, keep_most_detailed=True)
    n = stage.con.execute("SELECT count(*) FROM raw WHERE partner IS NULL OR trim(partner) = ''"
                          ).fetchone()[0]
    if n:
        stage.con.execute("DELETE FROM raw WHERE partner IS NULL OR trim(partner) = ''")
        stage.warn(f"dropped {n} rows without a partner ISO code (areas not elsewhere specified)")
    stage.check_required("reporter", shown["reporter"])
    stage.map_codes("reporter", shown["reporter"], _area, "map_reporter", "reporter code")
    stage.map_codes("partner", shown["partner"], _area, "map_partner", "partner code")
    stage.check_unique({k: shown[k] for k in ("year", "reporter", "flow", "partner", "product")})
    source = "UN Comtrade"
    stage.write(
        f"""SELECT CAST(CAST(trim(r.year) AS DOUBLE) AS INTEGER) AS {C.YEAR},
                  CASE WHEN r.flow = 'X' THEN mr.mapped ELSE mp.mapped END AS {C.EXPORTER},
                  CASE WHEN r.flow = 'X' THEN mp.mapped ELSE mr.mapped END AS {C.IMPORTER},
                  r.product AS {C.PRODUCT}, {lit(vintage)} AS {C.HS_VINTAGE},
                  sum(CAST(trim(r.value) AS DOUBLE)) AS {C.VALUE_USD},
                  sum(TRY_CAST(trim(r.weight) AS DOUBLE) / 1000) AS {C.QUANTITY},
                  {lit(source)} AS {C.SOURCE}, false AS {C.ESTIMATED},
                  r.flow AS {q(C.FLOW)}, mr.mapped AS {C.REPORTER}
           FROM raw r JOIN map_reporter mr ON r.reporter = mr.code
                      JOIN map_partner mp ON r.partner = mp.code
           GROUP BY ALL""",
        [C.YEAR, C.REPORTER, C.FLOW, C.EXPORTER, C.IMPORTER, C.PRODUCT],
    )
    notes = ["reporter-side flows: flow X = exports declared by the reporter, M = imports; "
             "quantity = net weight in tonnes", *stage.notes]
    return BuildResult(REPORTED_FLOWS, source, LICENCE, vintage, notes)


