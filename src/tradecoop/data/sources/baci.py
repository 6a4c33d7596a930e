"""CEPII BACI: bilateral trade flows by HS6 product (``t,i,j,k,v,q``).

Reference: Gaulier, G. & Zignago, S. (2010), *BACI: International Trade Database at the
Product-Level. The 1994-2007 Version*, CEPII Working Paper 2010-23. Licence Etalab 2.0
(attribution required).

- ``t`` year, ``i`` exporter, ``j`` importer (BACI numeric country codes), ``k`` HS6 product,
  ``v`` value in **thousand** USD (stored as USD: ``value_usd = 1000 * v``), ``q`` quantity in
  metric tonnes (``NA`` when unknown).
- HS vintage and BACI version come from the file name: ``BACI_HS17_Y2022_V202401.csv``.
- Country codes are mapped to ISO alpha-3 with the release's ``country_codes_V*.csv`` (columns
  ``country_code`` + ``iso_3digit_alpha`` or ``country_iso3``); codes without an ISO code there
  (``N/A``: "Other Asia, nes" etc.) are dropped with a DataQualityWarning giving counts.
- Products are checked against ``product_codes_*.csv`` when given, else the HS vintage's list.
"""

from __future__ import annotations

import re
from pathlib import Path

from tradecoop import columns as C
from tradecoop.data.nomenclature.hs_codes import hs6_codes, normalise_vintage
from tradecoop.data.sources._baci_fast import build_fast
from tradecoop.data.sources._stage import DROP, BuildResult, Stage, lit, q
from tradecoop.errors import DataValidationError

FILE_RE = re.compile(r"BACI_(HS\d{2})_Y(\d{4})_V(\d{6}\w*)", re.IGNORECASE)
ZIP_RE = re.compile(r"BACI_(HS\d{2})_V(\d{6}\w*)\.zip$", re.IGNORECASE)
LICENCE = ("Etalab Open Licence 2.0; cite Gaulier & Zignago (2010), BACI, CEPII Working Paper "
           "2010-23")
#: BACI ``v`` is in thousand USD
VALUE_UNIT_USD = 1000.0
_DATA_COLUMNS = {"t": ("t",), "i": ("i",), "j": ("j",), "k": ("k",), "v": ("v",)}
#: try the one-pass typed import first (:mod:`._baci_fast`); False forces the text path
FAST_PATH = True


def split_files(files: list[Path]) -> tuple[list[Path], Path | None, Path | None]:
    """(data files, country_codes file, product_codes file); looks beside the data if not given."""
    data = [p for p in files if not p.name.lower().startswith(("country_codes", "product_codes"))]
    countries = next((p for p in files if p.name.lower().startswith("country_codes")), None)
    products = next((p for p in files if p.name.lower().startswith("product_codes")), None)
    if data:
        folder = data[0].parent
        countries = countries or next(iter(sorted(folder.glob("country_codes*.csv"))), None)
        products = products or next(iter(sorted(folder.glob("product_codes*.csv"))), None)
    return data, countries, products


def expand_files(files: list[Path]) -> list[Path]:
    """The data files plus the country/product code files found beside them (all are hashed)."""
    data, countries, products = split_files(files)
    return data + [p for p in (countries, products) if p is not None]


def parse_file_name(path: Path) -> tuple[str, int, str]:
    """(HS vintage, year, BACI version) from ``BACI_HS17_Y2022_V202401.csv``."""
    m = FILE_RE.search(path.name)
    if not m:
        raise DataValidationError(
            f"{path.name}: cannot read HS vintage and version from the file name; expected a BACI "
            "name like BACI_HS17_Y2022_V202401.csv (or pass --hs-vintage)"
        )
    return normalise_vintage(m.group(1)), int(m.group(2)), m.group(3)


def _country_map(stage: Stage, path: Path) -> dict[str, str | None]:
    found = stage.header(path)
    cols = stage.match_columns(path, found, {"code": ("country_code",)},
                               {"iso3": ("iso_3digit_alpha", "country_iso3")})
    if "iso3" not in cols:
        stage.match_columns(path, found, {"iso3": ("country_iso3", "iso_3digit_alpha")})
    with stage.reading(path):
        rows = stage.con.execute(
            f"SELECT trim({q(cols['code'])}), trim({q(cols['iso3'])}) "
            f"FROM {stage.reader(path)}").fetchall()
    out: dict[str, str | None] = {}
    for code, iso in rows:
        key = str(int(code)) if code and code.isdigit() else code
        out[key] = iso if iso and re.fullmatch(r"[A-Z]{3}", iso) else None
    return out


def build(stage: Stage, files: list[Path], hs_vintage: str | None = None) -> BuildResult:
    """Stage, validate and write BACI files as a ``bilateral_flows`` table."""
    data, countries_file, products_file = split_files(files)
    if not data:
        raise DataValidationError("no BACI data file given (expected BACI_HS17_Y2022_V202401.csv)")
    if countries_file is None:
        raise DataValidationError(
            f"{data[0].name}: BACI country codes are numeric; give the release's "
            "country_codes_V*.csv (or put it beside the data file)")
    vintages: dict[str, Path] = {}
    versions: set[str] = set()
    for path in data:
        if hs_vintage:
            vintages.setdefault(normalise_vintage(hs_vintage), path)
        else:
            vintage, _year, version = parse_file_name(path)
            versions.add(version)
            vintages.setdefault(vintage, path)
    if len(vintages) > 1:
        (va, pa_), (vb, pb) = list(vintages.items())[:2]
        raise DataValidationError(
            f"mixed HS vintages in one dataset: {pa_.name} is {va}, {pb.name} is {vb}; "
            "import each vintage under its own --name")
    vintage = next(iter(vintages))
    version = ", ".join(sorted(versions)) or "unknown version"
    source = f"CEPII BACI {vintage} V{version}" if versions else f"CEPII BACI {vintage}"
    country = _country_map(stage, countries_file)
    if products_file is not None:
        code = stage.match_columns(products_file, stage.header(products_file),
                                   {"code": ("code",)})["code"]
        with stage.reading(products_file):
            codes = {r[0].strip().zfill(6) for r in stage.con.execute(
                f"SELECT {q(code)} FROM {stage.reader(products_file)}").fetchall() if r[0]}
        where = products_file.name
    else:
        codes, where = hs6_codes(vintage), f"the {vintage} nomenclature"
    notes = ["value_usd = 1000 x BACI v (thousand USD); quantity in metric tonnes (BACI q)"]
    if FAST_PATH and build_fast(stage, data, country, codes, vintage, source):
        return BuildResult(C.BILATERAL_FLOWS, source, LICENCE, vintage, notes + stage.notes)

    for path in data:
        cols = stage.match_columns(path, stage.header(path), _DATA_COLUMNS, {"q": ("q",)})
        extra = {} if "q" in cols else {"q": "CAST(NULL AS VARCHAR)"}
        # zero-pad short codes ('40690' -> '040690'); lpad would also cut long ones to 6
        stage.load(path, cols, extra, transform={
            "k": "CASE WHEN length(trim({0})) < 6 THEN lpad(trim({0}), 6, '0') ELSE trim({0}) END"})
    stage.check_numbers([("t", "t", {"integer": True}), ("i", "i", {"integer": True}),
                         ("j", "j", {"integer": True}), ("v", "v", {}),
                         ("q", "q", {"nullable": True})])
    stage.check_required("k", "k")
    bad = stage.first_bad("NOT regexp_full_match(k, '[0-9]{6}')", "k")
    if bad:
        raise DataValidationError(
            f"{stage.where(bad[1], 'k')}: expected a 6-digit HS code, found {bad[2]!r}")

    def map_country(code: str) -> object:
        code = str(int(float(code)))  # ' 112', '112.0' -> '112' (checked numeric above)
        if code not in country:
            return None
        return country[code] or DROP

    stage.map_codes("i", "i", map_country, "map_i", "exporter code",
                    f" (not in {countries_file.name})")
    stage.map_codes("j", "j", map_country, "map_j", "importer code",
                    f" (not in {countries_file.name})")
    stage.map_codes("k", "k", lambda c: c if c in codes else None, "map_k", "product code",
                    f" (not in {where})")
    stage.check_unique(
        {"t": "t", "i": "i", "j": "j", "k": "k"},
        "(SELECT r.rowid AS _rid, r.t, mi.mapped AS i, mj.mapped AS j, r.k FROM raw r "
        "JOIN map_i mi ON r.i = mi.code JOIN map_j mj ON r.j = mj.code) x", "_rid",
        maps=("map_i", "map_j"))
    stage.write(
        f"""SELECT CAST(CAST(r.t AS DOUBLE) AS INTEGER) AS {C.YEAR},
                  mi.mapped AS {C.EXPORTER}, mj.mapped AS {C.IMPORTER}, r.k AS {C.PRODUCT},
                  {lit(vintage)} AS {C.HS_VINTAGE},
                  CAST(r.v AS DOUBLE) * {VALUE_UNIT_USD} AS {C.VALUE_USD},
                  TRY_CAST(r.q AS DOUBLE) AS {C.QUANTITY},
                  {lit(source)} AS {C.SOURCE}, false AS {C.ESTIMATED}
           FROM raw r JOIN map_i mi ON r.i = mi.code JOIN map_j mj ON r.j = mj.code""",
    )
    return BuildResult(C.BILATERAL_FLOWS, source, LICENCE, vintage, notes + stage.notes)


def default_name(files: list[Path]) -> str:
    data, _c, _p = split_files(files)
    m = FILE_RE.search(data[0].name) if data else None
    if m:
        return f"baci_{m.group(1).lower()}_v{m.group(3).lower()}"
    m = ZIP_RE.search(data[0].name) if data else None  # CEPII's archive: BACI_HS17_V202401.zip
    if m:
        return f"baci_{m.group(1).lower()}_v{m.group(2).lower()}"
    return "baci"
