"""Russian customs (FCS) regional statistics of foreign trade by federal subject.

Source: Federal Customs Service of Russia, customs statistics by subjects of the Russian
Federation (open data, customs.gov.ru). Columns: ``DIRECTION`` (``EXP``/``IMP``), ``PERIOD``
(``MM/YYYY``), ``COUNTRY`` (ISO 3166-1 alpha-2 partner), ``HS`` (10-digit TN VED code), ``UM``
(supplementary unit), ``VALUE`` (USD), ``NETWEIGHT`` (kg), ``QUANTITY`` (supplementary units),
``REGION`` (``75000 - CHELYABINSK REGION``: OKATO code - name), ``REGION_S`` (federal district).

The region is the reporter: ``EXP`` rows become exports of the region (exporter = ``RU-CHE``,
importer = partner, flow ``X``), ``IMP`` rows imports (importer = region, flow ``M``). Months are
summed to years; HS10 is cut to HS6 (TN VED EAEU's first six digits are the HS subheading);
``quantity`` is net weight in tonnes. REGION maps to ISO 3166-2 through the OKATO prefix
(``okato_regions.csv``). The HS vintage is ``--hs-vintage`` or, by default, the TN VED edition of
the years: HS12 before 2017, HS17 for 2017-2021, HS22 from 2022 (a file spanning editions must
be split or given --hs-vintage).
"""

from __future__ import annotations

from pathlib import Path

from tradecoop import columns as C
from tradecoop.data.nomenclature.hs_codes import normalise_vintage
from tradecoop.data.nomenclature.locations import okato_to_iso, resolve_location
from tradecoop.data.sources._checks import check_products
from tradecoop.data.sources._stage import DROP, BuildResult, Stage, lit, q
from tradecoop.data.store import REPORTED_FLOWS
from tradecoop.errors import DataValidationError, NotFoundError

LICENCE = "Federal Customs Service of Russia open data (customs.gov.ru); cite 'FCS of Russia'"
COLUMNS = {"direction": ("DIRECTION",), "period": ("PERIOD",), "country": ("COUNTRY",),
           "hs": ("HS",), "value": ("VALUE",), "region": ("REGION",)}
OPTIONAL = {"weight": ("NETWEIGHT",), "um": ("UM",), "quantity": ("QUANTITY",),
            "district": ("REGION_S",)}
PERIOD_PATTERN = "(0[1-9]|1[0-2])/[0-9]{4}"
REGION_PATTERN = r"\s*([0-9]{5})\s*-\s*(.*)"


def vintage_of_year(year: int) -> str:
    """TN VED edition -> HS vintage: HS12 before 2017, HS17 2017-2021, HS22 from 2022."""
    return "HS12" if year < 2017 else "HS17" if year < 2022 else "HS22"


def _country(code: str) -> str | None:
    code = code.strip()
    if len(code) != 2:
        return None
    try:
        return resolve_location(code)
    except NotFoundError:
        return None


def _region(label: str) -> object:
    import re

    m = re.fullmatch(REGION_PATTERN, label)
    region = okato_to_iso(m.group(1)) if m else None
    if region is None:
        return None
    return region.iso or DROP


def build(stage: Stage, files: list[Path], hs_vintage: str | None = None) -> BuildResult:
    """Stage, validate and write FCS regional files as a ``reported_flows`` table."""
    for path in files:
        cols = stage.match_columns(path, stage.header(path), COLUMNS, OPTIONAL)
        stage.load(path, cols, {k: "CAST(NULL AS VARCHAR)" for k in OPTIONAL if k not in cols})
    for col in ("direction", "period", "country", "hs", "region"):
        stage.check_required(col, col.upper())
    stage.con.execute("UPDATE raw SET direction = upper(trim(direction)), period = trim(period)")
    bad = stage.first_bad("direction NOT IN ('EXP', 'IMP')", "direction")
    if bad:
        raise DataValidationError(
            f"{stage.where(bad[1], 'DIRECTION')}: expected EXP or IMP, found {bad[2]!r}")
    bad = stage.first_bad(f"NOT regexp_full_match(period, '{PERIOD_PATTERN}')", "period")
    if bad:
        raise DataValidationError(
            f"{stage.where(bad[1], 'PERIOD')}: malformed period {bad[2]!r}; expected MM/YYYY "
            f"(e.g. 03/2021) ({bad[0]} malformed rows)")
    stage.check_number("value", "VALUE")
    stage.check_number("weight", "NETWEIGHT", nullable=True)
    stage.con.execute("UPDATE raw SET hs = trim(hs)")
    bad = stage.first_bad("NOT regexp_full_match(hs, '[0-9]{9,10}')", "hs")
    if bad:
        raise DataValidationError(
            f"{stage.where(bad[1], 'HS')}: expected a 10-digit TN VED code, found {bad[2]!r}")
    stage.con.execute("ALTER TABLE raw ADD COLUMN product VARCHAR")
    stage.con.execute("UPDATE raw SET product = substr(lpad(hs, 10, '0'), 1, 6)")
    years = [r[0] for r in stage.con.execute(
        "SELECT DISTINCT CAST(substr(period, 4) AS INTEGER) FROM raw ORDER BY 1").fetchall()]
    if hs_vintage:
        vintage = normalise_vintage(hs_vintage)
    else:
        editions = {vintage_of_year(y) for y in years}
        vintage = vintage_of_year(years[0])
        if len(editions) > 1:
            later = next(y for y in years if vintage_of_year(y) != vintage)
            bad = stage.first_bad(f"CAST(substr(period, 4) AS INTEGER) = {later}", "period")
            raise DataValidationError(
                f"{stage.where(bad[1], 'PERIOD')}: mixed HS vintages in one dataset: {bad[2]} is "
                f"{vintage_of_year(later)} (TN VED edition), earlier rows {vintage}; split the file "
                "or pass --hs-vintage")
    check_products(stage, "product", "HS", vintage)
    stage.map_codes("country", "COUNTRY", _country, "map_country", "partner country",
                    " (expected an ISO 3166-1 alpha-2 code)")
    stage.map_codes("region", "REGION", _region, "map_region", "region",
                    " (expected 'OKATO - NAME' with a federal subject's OKATO code, "
                    "e.g. '75000 - CHELYABINSK REGION')")
    stage.check_unique({"direction": "DIRECTION", "period": "PERIOD", "country": "COUNTRY",
                        "hs": "HS", "region": "REGION"})
    source = "FCS of Russia, regional customs statistics"
    stage.write(
        f"""SELECT CAST(substr(r.period, 4) AS INTEGER) AS {C.YEAR},
                  CASE WHEN r.direction = 'EXP' THEN mr.mapped ELSE mc.mapped END AS {C.EXPORTER},
                  CASE WHEN r.direction = 'EXP' THEN mc.mapped ELSE mr.mapped END AS {C.IMPORTER},
                  r.product AS {C.PRODUCT}, {lit(vintage)} AS {C.HS_VINTAGE},
                  sum(CAST(trim(r.value) AS DOUBLE)) AS {C.VALUE_USD},
                  sum(TRY_CAST(trim(r.weight) AS DOUBLE) / 1000) AS {C.QUANTITY},
                  {lit(source)} AS {C.SOURCE}, false AS {C.ESTIMATED},
                  CASE WHEN r.direction = 'EXP' THEN 'X' ELSE 'M' END AS {q(C.FLOW)},
                  mr.mapped AS {C.REPORTER}
           FROM raw r JOIN map_region mr ON r.region = mr.code
                      JOIN map_country mc ON r.country = mc.code
           GROUP BY ALL""",
        [C.YEAR, C.REPORTER, C.FLOW, C.EXPORTER, C.IMPORTER, C.PRODUCT],
    )
    notes = ["months summed to years; HS10 (TN VED) cut to HS6; quantity = net weight in "
             "tonnes; the region is the reporter (flow X = its exports, M = its imports)",
             *stage.notes]
    return BuildResult(REPORTED_FLOWS, source, LICENCE, vintage, notes)


def default_name(files: list[Path]) -> str:
    import re

    stem = re.sub(r"[^a-z0-9_.\-]+", "_", files[0].stem.lower()).strip("_.-")
    return f"fcs_{stem}"[:64]
