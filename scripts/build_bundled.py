"""Build the bundled datasets: real public files from ``../shared/data/raw`` -> zstd Parquet.

Usage::

    .venv/bin/python scripts/build_bundled.py            # or: make bundle
    .venv/bin/python scripts/build_bundled.py --raw DIR  # another copy of the raw folder
    .venv/bin/python scripts/build_bundled.py --only treaties,io_coefficients

Writes ``src/tradecoop/data/datasets/<name>.parquet`` and ``manifest.json`` (one entry per
dataset: the :class:`tradecoop.data.provenance.DatasetInfo` fields plus ``path``). Rows are
sorted on the key columns and written with fixed Parquet settings, so the same input gives the
same content. ``imported_at`` is the build time, or ``SOURCE_DATE_EPOCH`` when that is set
(reproducible builds). Sources, licences and caveats: ``src/tradecoop/data/datasets/DATA.md``.

The descriptive nomenclature and concordance tables (not datasets: no manifest entry) are
built by the ``NOMENCLATURE_BUILDERS`` of ``scripts/build_bundled_nomenclature.py``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from tradecoop.data.nomenclature.concordances import WIOD13_SECTORS  # noqa: E402
from tradecoop.data.provenance import DatasetInfo  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_bundled_icio import ICIO_BUILDERS  # noqa: E402
from build_bundled_nomenclature import NOMENCLATURE_BUILDERS, read_rda  # noqa: E402

OUT_DIR = REPO / "src" / "tradecoop" / "data" / "datasets"
#: ``../shared/data/raw`` from the repository root (one level higher for a git worktree in a subfolder)
RAW_CANDIDATES = (
    REPO.parent / "shared" / "data" / "raw",
    REPO.parent.parent / "shared" / "data" / "raw",
)
DEFAULT_RAW = next((p for p in RAW_CANDIDATES if p.is_dir()), RAW_CANDIDATES[0])

#: WDI aggregates and other non-country codes in the WDI file that are kept anyway
WDI_KEEP_NON_ISO = {"WLD", "XKX"}
#: old UN/Comtrade codes for countries that still exist, mapped to their ISO 3166-1 code
OLD_TO_ISO3 = {"ROM": "ROU", "ZAR": "COD", "TMP": "TLS"}
#: a zero flow is "suspect" when the mirror flow of the same pair and year is at least this (USD)
SUSPECT_MIRROR_USD = 1e8


@dataclass
class Built:
    """One built table plus the provenance fields that the build knows."""

    name: str
    frame: pd.DataFrame
    table: str
    source: str
    files: tuple[str, ...]
    licence: str
    years: tuple[int, int] | None
    hs_vintage: str | None
    estimated: bool = False
    notes: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------------------------
# readers
# --------------------------------------------------------------------------------------------
def read_rdata_objects(path: Path, *, encoding: str | None = None, rds: bool = False) -> object:
    """Lists / matrices / latin-1 frames of an R file through the ``rdata`` package."""
    import rdata

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = rdata.parser.parse_file(path, extension="rds" if rds else None)
        if encoding:
            return rdata.conversion.convert(
                parsed, default_encoding=encoding, force_default_encoding=True
            )
        return rdata.conversion.convert(parsed)


def sha256_files(paths: list[Path]) -> str:
    """sha256 over the bytes of the files, in the given order."""
    h = hashlib.sha256()
    for p in paths:
        h.update(p.read_bytes())
    return h.hexdigest()


def iso3_from_numeric(code: float | int, name: str) -> str:
    """ISO 3166-1 alpha-3 from a UN M49 numeric code (DESTA); Kosovo and old entities by name."""
    import pycountry

    special = {900: "XKX", 530: "ANT"}
    code = int(code)
    if code in special:
        return special[code]
    found = pycountry.countries.get(numeric=f"{code:03d}")
    if found is None:
        hist = [
            c for c in pycountry.historic_countries if getattr(c, "numeric", None) == f"{code:03d}"
        ]
        if not hist:
            raise SystemExit(f"DESTA: no ISO3 for numeric code {code} ({name})")
        return hist[0].alpha_3
    return found.alpha_3


# --------------------------------------------------------------------------------------------
# datasets
# --------------------------------------------------------------------------------------------
ECX_LICENCE = (
    "Apache-2.0 (R package economiccomplexity, Vargas Sepulveda 2020); data UN Comtrade via "
    "Open Trade Statistics (tradestatistics.io). Cite: Vargas Sepulveda, M. (2020) "
    "economiccomplexity: Computational Methods for Economic Complexity, JOSS 5(46), 1866, "
    "doi:10.21105/joss.01866"
)
BACI_LICENCE = (
    "Etalab Open Licence 2.0 (CEPII BACI V202601, aggregated by the BRICS+ Trade Dashboard). "
    "Cite: Gaulier, G. & Zignago, S. (2010) BACI: International Trade Database at the "
    "Product-Level. The 1994-2007 Version. CEPII Working Paper 2010-23"
)


def build_world_hs4_2017(raw: Path) -> Built:
    path = raw / "economiccomplexity-r" / "world_trade_2017.rda"
    df = read_rda(path)
    n_all = len(df)
    nan = df["export_value_usd"].isna()
    df = df.loc[~nan]
    out = pd.DataFrame(
        {
            "year": np.int16(2017),
            "exporter": df["reporter_iso"].str.upper().to_numpy(),
            "product": df["product_code"].astype(str).str.zfill(4).to_numpy(),
            "hs_vintage": "HS07",
            "value_usd": df["export_value_usd"].astype("float64").to_numpy(),
            "source": "UN Comtrade via economiccomplexity-r (world_trade_2017)",
            "estimated": False,
        }
    )
    return Built(
        name="world_hs4_2017",
        frame=out.sort_values(["exporter", "product"], kind="mergesort"),
        table="world_exports",
        source="UN Comtrade via Open Trade Statistics (R package economiccomplexity)",
        files=("economiccomplexity-r/world_trade_2017.rda",),
        licence=ECX_LICENCE,
        years=(2017, 2017),
        hs_vintage="HS07",
        notes=[
            f"{int(nan.sum())} of {n_all} source rows ({nan.mean():.1%}) had NaN export_value_usd "
            "= not reported; they were dropped, not set to zero. A missing (exporter, product) pair "
            "therefore means 'not reported', which for small exporters is often a true zero.",
            "Exports to the world by reporter (reporter-side data, not mirror-reconciled).",
            "HS vintage HS07: the 1,222 four-digit codes are exactly the HS 2007 heading list "
            "(concordance-r hs3_desc); all of them also exist in HS 2012, which has 3 more.",
        ],
    )


def _baci_world_exports(raw: Path, file: str, name: str, source: str, notes: list[str]) -> Built:
    """A BRICS+ dashboard BACI table (year, [exporter,] hs6, value) as world_exports."""
    df = pd.read_parquet(raw / "brics-dashboard-baci" / file)
    exporter = df["exporter"].astype(str) if "exporter" in df.columns else "WLD"
    out = pd.DataFrame(
        {
            "year": df["year"].astype("int16"),
            "exporter": exporter,
            "product": df["hs6"].astype(str).str.zfill(6),
            "hs_vintage": "HS12",
            "value_usd": df["value"].astype("float64"),
            "source": "CEPII BACI V202601 (via BRICS+ dashboard)",
            "estimated": False,
        }
    )
    return Built(
        name=name,
        frame=out.sort_values(["year", "exporter", "product"], kind="mergesort"),
        table="world_exports",
        source=source,
        files=(f"brics-dashboard-baci/{file}",),
        licence=BACI_LICENCE,
        years=(int(out["year"].min()), int(out["year"].max())),
        hs_vintage="HS12",
        notes=notes,
    )


def build_brics_hs6(raw: Path) -> Built:
    return _baci_world_exports(
        raw,
        "world_exports.parquet",
        "brics_hs6",
        "CEPII BACI V202601, aggregated to exports-to-world by the BRICS+ Trade Dashboard",
        [
            "Exports to the world of the 11 BRICS+ members only (BRA RUS IND CHN ZAF EGY ETH IRN "
            "SAU ARE IDN); Belarus is not in this table.",
            "BACI values are reconciled mirror data (FOB, current USD), not what the exporter "
            "reported; they differ from Comtrade reporter totals.",
            "Use world_totals_hs6 as the RCA denominator for these codes.",
        ],
    )


def build_world_totals_hs6(raw: Path) -> Built:
    return _baci_world_exports(
        raw,
        "world_totals.parquet",
        "world_totals_hs6",
        "CEPII BACI V202601, world exports by HS6 (all exporters), BRICS+ Trade Dashboard",
        [
            "exporter = 'WLD': the sum over all exporters of exports to the world, per HS6 and "
            "year (the RCA denominator for brics_hs6).",
            "BACI values are reconciled mirror data (FOB, current USD).",
        ],
    )


def build_bilateral_totals(raw: Path) -> Built:
    path = raw / "penppml-r" / "trade.rda"
    df = read_rda(path)
    exp = df["exp"].astype(str).replace(OLD_TO_ISO3)
    imp = df["imp"].astype(str).replace(OLD_TO_ISO3)
    out = pd.DataFrame(
        {
            "year": df["time"].astype(str).astype("int16"),
            "exporter": exp,
            "importer": imp,
            "value_usd": df["export"].astype("float64"),
            "source": "UN Comtrade via penppml-r (trade)",
            "estimated": False,
        }
    )
    # the documented non-reports: RUS -> BLR is 0 in 2000, 2004, 2008 (SOURCES.md)
    known = (
        (out["exporter"] == "RUS") & (out["importer"] == "BLR") & out["year"].between(2000, 2008)
    )
    known &= out["value_usd"] == 0
    out["missing_report"] = known
    # suspect zeros: zero while the mirror flow of the pair in the same year is large and the
    # same direction is positive in some other year of the panel (a rule, not a fact: flagged
    # separately from the documented cases)
    mirror = out[["year", "exporter", "importer", "value_usd"]].rename(
        columns={"exporter": "importer", "importer": "exporter", "value_usd": "mirror_usd"}
    )
    merged = out.merge(mirror, on=["year", "exporter", "importer"], how="left")
    ever_positive = (
        out.groupby(["exporter", "importer"], observed=True)["value_usd"].transform("max") > 0
    )
    out["suspect_zero"] = (
        (out["value_usd"] == 0)
        & (merged["mirror_usd"].fillna(0).to_numpy() >= SUSPECT_MIRROR_USD)
        & ever_positive.to_numpy()
    )
    # RTA in force (World Bank deep trade agreements database, as coded in penppml): id > 0;
    # the agreement name is given on most rows of an id, so names are mapped by id
    wb_id = df["id"].fillna(0).astype(int).to_numpy()
    named = df.loc[df["agreement"].astype(str).str.strip() != "", ["id", "agreement"]]
    names = named.drop_duplicates("id").set_index("id")["agreement"].astype(str).str.strip()
    out["rta"] = wb_id > 0
    out["wb_agreement_id"] = pd.array(np.where(wb_id > 0, wb_id, 0), dtype="Int16")
    out.loc[~out["rta"], "wb_agreement_id"] = pd.NA
    out["agreement"] = pd.Series(wb_id, index=out.index).map(names.to_dict()).where(out["rta"])
    n_suspect = int(out["suspect_zero"].sum())
    n_zero = int((out["value_usd"] == 0).sum())
    nonstd = sorted(set(out["exporter"]) | set(out["importer"]))
    import pycountry

    iso = {c.alpha_3 for c in pycountry.countries}
    nonstd = [c for c in nonstd if c not in iso]
    return Built(
        name="bilateral_totals",
        frame=out.sort_values(["year", "exporter", "importer"], kind="mergesort"),
        table="bilateral_totals",
        source="UN Comtrade aggregate bilateral exports (R package penppml, data 'trade')",
        files=("penppml-r/trade.rda",),
        licence=(
            "MIT (R package penppml, Ferreras Garrucho, Zylkin, Cruz & Apfel). "
            "Cite: Breinlich, Corradi, Rocha, Ruta, Santos Silva & Zylkin (2021) Machine Learning in International Trade Research: "
            "Evaluating the Impact of Trade Agreements, World Bank Policy Research WP 9629; "
            "agreement data Mattoo, Rocha & Ruta (2020) Handbook of Deep Trade Agreements"
        ),
        years=(int(out["year"].min()), int(out["year"].max())),
        hs_vintage=None,
        notes=[
            "Years 1964-2016 every 4 years only; values in current USD.",
            f"{n_zero} of {len(out)} rows are 0. A 0 can be a true zero or a missing report.",
            "missing_report = True for RUS->BLR 2000, 2004, 2008 (documented non-reports: Russia "
            "did not report its exports to Belarus in those years); treat as missing, not zero.",
            f"suspect_zero = True for {n_suspect} rows where the value is 0 although the mirror "
            f"flow of the same pair and year is >= {SUSPECT_MIRROR_USD:,.0f} USD and the same "
            "direction is positive in another year: likely non-reports (a rule, not a fact).",
            "rta = True where a trade agreement of the World Bank deep trade agreements database "
            "(Mattoo, Rocha & Ruta 2020) is in force for the pair in that year, as coded in penppml "
            "(column id > 0); wb_agreement_id and agreement give the agreement (name mapped by id). "
            "Only agreements in that database count; False is 'none in the database'.",
            "Old codes mapped: ROM->ROU, ZAR->COD, TMP->TLS. Kept as in the source (historic or "
            "non-ISO entities): " + ", ".join(nonstd) + ".",
        ],
    )


#: pairs whose common official language CEPII's comlang_off misses: Russian is an official language
#: of Belarus (Constitution art. 17, since the 1995 referendum) as of Russia, Kazakhstan and
#: Kyrgyzstan, which CEPII codes correctly among themselves (KAZ-RUS, KGZ-RUS = 1)
LANGUAGE_CORRECTIONS: tuple[tuple[str, str, str], ...] = (
    ("BLR", "RUS", "Russian"), ("BLR", "KAZ", "Russian"), ("BLR", "KGZ", "Russian"),
)


def build_gravity_covariates(raw: Path) -> Built:
    path = raw / "tradestatistics-r" / "ots_distances.rda"
    df = read_rda(path)
    a = pd.DataFrame(
        {
            "exporter": df["country1"].str.upper(),
            "importer": df["country2"].str.upper(),
            "dist": df["dist"].astype("float64"),
            "distcap": df["distcap"].astype("float64"),
            "cntg": df["contig"].astype("int8"),
            "lang": df["comlang_off"].astype("int8"),
            "lang_ethno": df["comlang_ethno"].astype("int8"),
            "clny": df["colony"].astype("int8"),
        }
    )
    # the source stores each unordered pair once; the covariates are symmetric -> both directions
    b = a.rename(columns={"exporter": "importer", "importer": "exporter"})
    out = pd.concat([a, b[a.columns]], ignore_index=True)
    out = out.drop_duplicates(["exporter", "importer"])
    corrected = 0
    for x, y, _language in LANGUAGE_CORRECTIONS:
        hit = ((out["exporter"] == x) & (out["importer"] == y)) | ((out["exporter"] == y) & (out["importer"] == x))
        corrected += int((out.loc[hit, "lang"] == 0).sum())
        out.loc[hit, "lang"] = np.int8(1)
    out["source"] = "CEPII GeoDist via tradestatistics-r (ots_distances)"
    return Built(
        name="gravity_covariates",
        frame=out.sort_values(["exporter", "importer"], kind="mergesort"),
        table="gravity_covariates",
        source="CEPII GeoDist dyadic distances via rOpenSci tradestatistics (ots_distances)",
        files=("tradestatistics-r/ots_distances.rda",),
        licence=(
            "Apache-2.0 (R package tradestatistics, rOpenSci); data CEPII GeoDist. Cite: Mayer, T. "
            "& Zignago, S. (2011) Notes on CEPII's distances measures: the GeoDist database, CEPII "
            "WP 2011-25"
        ),
        years=None,
        hs_vintage=None,
        notes=[
            "dist = population-weighted great-circle distance (km), distcap = distance between "
            "capitals (km); cntg = contiguity, lang = common official language (comlang_off), "
            "lang_ethno = language spoken by >= 9% of both populations, clny = ever in a colonial "
            "relationship.",
            "The source lists each pair once; both directions are stored (symmetric covariates); "
            "rows with exporter == importer are internal distances.",
            "No RTA column (covariates here are time-invariant): per-year RTA membership is the "
            "rta column of bilateral_totals (1964-2016, every 4 years, World Bank deep trade "
            "agreements); treaty signature / in-force years are in treaties (DESTA).",
            "ANT (Netherlands Antilles, dissolved 2010) is kept as in the source.",
            f"lang corrected to 1 for {corrected} directed rows where comlang_off omits a shared official "
            "language: " + ", ".join(f"{x}-{y} ({lang})" for x, y, lang in LANGUAGE_CORRECTIONS)
            + "; Russian is official in Belarus (Constitution art. 17) as in Russia, Kazakhstan and Kyrgyzstan.",
        ],
    )


DESTA_TYPEMEMB = {
    1: "bilateral",
    2: "plurilateral",
    3: "plurilateral_and_third_country",
    4: "region_region",
    5: "accession",
    6: "accession_third_country",
}


def build_treaties(raw: Path) -> Built:
    path = raw / "desta-baci-replication" / "desta_list_of_treaties_02_00_dyads_data.rds"
    wpath = raw / "desta-baci-replication" / "desta_dyadic_withdrawal_02_00.rds"
    d = read_rdata_objects(path, encoding="cp1252", rds=True)
    w = read_rdata_objects(wpath, encoding="cp1252", rds=True)
    d = pd.DataFrame(d)
    codes = {}
    for col_c, col_i in (("country1", "iso1"), ("country2", "iso2")):
        for name, num in d[[col_c, col_i]].drop_duplicates().itertuples(index=False):
            codes[(name, num)] = iso3_from_numeric(num, name)
    d["p1"] = [codes[(n, i)] for n, i in zip(d["country1"], d["iso1"], strict=True)]
    d["p2"] = [codes[(n, i)] for n, i in zip(d["country2"], d["iso2"], strict=True)]
    rows = []
    for number, g in d.groupby("number", sort=False):
        first = g.iloc[0]
        parties = sorted(set(g["p1"]) | set(g["p2"]))
        rows.append(
            {
                "agreement_id": f"DESTA-{number}",
                "name": str(first["name"]).strip(),
                "type": DESTA_TYPEMEMB.get(
                    int(first["typememb"]), f"typememb={int(first['typememb'])}"
                ),
                "parties": ";".join(parties),
                "signed_year": None if pd.isna(first["year"]) else int(first["year"]),
                "in_force_year": None
                if pd.isna(first["entryforceyear"])
                else int(first["entryforceyear"]),
                "entry_type": str(first["entry_type"]),
                "base_treaty": None
                if pd.isna(first["base_treaty"])
                else f"DESTA-{int(first['base_treaty'])}",
                "wto_listed": bool(first["wto_listed"] == 1),
                "source": "DESTA v2.0 (list of treaties, dyadic)",
            }
        )
    out = pd.DataFrame(rows)
    out["signed_year"] = out["signed_year"].astype("Int16")
    out["in_force_year"] = out["in_force_year"].astype("Int16")
    out["_num"] = out["agreement_id"].str.extract(r"DESTA-(\d+)")[0].astype(float)
    out = out.sort_values(["_num", "agreement_id"], kind="mergesort").drop(columns="_num")
    w = pd.DataFrame(w)
    return Built(
        name="treaties",
        frame=out,
        table="agreements",
        source="Design of Trade Agreements (DESTA) database v2.0, dyadic list of treaties",
        files=(
            "desta-baci-replication/desta_list_of_treaties_02_00_dyads_data.rds",
            "desta-baci-replication/desta_dyadic_withdrawal_02_00.rds",
        ),
        licence=(
            "DESTA: free for research use with citation. Cite: Dür, A., Baccini, L. & Elsig, M. "
            "(2014) The Design of International Trade Agreements: Introducing a New Dataset, "
            "Review of International Organizations 9(3), 353-375, doi:10.1007/s11558-013-9179-8"
        ),
        years=(int(out["signed_year"].min()), int(out["signed_year"].max())),
        hs_vintage=None,
        notes=[
            f"One row per DESTA treaty number ({len(out)} treaties from {len(d)} dyadic rows); "
            "parties = ';'-joined ISO3 of every country in any dyad of the treaty.",
            "type from DESTA 'typememb' (1 bilateral, 2 plurilateral, 3 plurilateral and third "
            "country, 4 region-region; 5 and 6 are accessions, labels inferred from the entries).",
            "in_force_year is missing where DESTA does not record entry into force (e.g. the "
            "Belarus-Russia bilateral treaties of 1992 and 1995).",
            f"Withdrawals ({len(w)} dyadic rows, e.g. Venezuela from the Andean Community) are not "
            "subtracted from parties; the parties are the signatories.",
            "Codes: Kosovo -> XKX (user-assigned), Netherlands Antilles -> ANT (historic).",
        ],
    )


def build_io_coefficients(raw: Path) -> Built:
    path = raw / "wiod2013-r" / "wiot_2011.RData"
    obj = read_rdata_objects(path)["wiot_2011"]
    countries = [str(c) for c in obj["countries"]]
    inds = [str(c) for c in obj["industries"]]
    n = len(inds)
    if n != len(WIOD13_SECTORS):
        raise SystemExit(f"{path}: expected {len(WIOD13_SECTORS)} industries, found {n}")
    z = np.asarray(obj["inter"].values, dtype="float64")
    x = np.asarray(obj["output"], dtype="float64")
    codes = [c for c, _, _ in WIOD13_SECTORS]
    frames = []
    undefined = 0
    for k, country in enumerate(countries):
        s = slice(k * n, (k + 1) * n)
        zd = z[s, s]
        # all supplying countries' sector r into this location's sector s (domestic + imported)
        zt = z[:, s].reshape(len(countries), n, n).sum(axis=0)
        xs = x[s]
        ok = xs > 0
        undefined += int((~ok).sum())
        with np.errstate(divide="ignore", invalid="ignore"):
            a = zd / xs[None, :]
            a_total = zt / xs[None, :]
        r, c = np.nonzero(np.broadcast_to(ok[None, :], a.shape))
        frames.append(
            pd.DataFrame(
                {
                    "year": np.int16(int(obj["year"][0])),
                    "location": "ROW"
                    if country == "RoW"
                    else ("ROU" if country == "ROM" else country),
                    "input_sector": np.asarray(codes)[r],
                    "output_sector": np.asarray(codes)[c],
                    "coefficient": a[r, c],
                    "coefficient_total": a_total[r, c],
                }
            )
        )
    out = pd.concat(frames, ignore_index=True)
    out["source"] = "WIOD 2013 release, WIOT 2011"
    sector_order = {c: i for i, c in enumerate(codes)}
    out = out.assign(
        _r=out["input_sector"].map(sector_order), _c=out["output_sector"].map(sector_order)
    )
    out = out.sort_values(["location", "_r", "_c"], kind="mergesort").drop(columns=["_r", "_c"])
    return Built(
        name="io_coefficients",
        frame=out,
        table="io_coefficients",
        source="World Input-Output Database, 2013 release, world input-output table 2011",
        files=("wiod2013-r/wiot_2011.RData",),
        licence=(
            "WIOD: free to use with citation. Cite: Timmer, M. P., Dietzenbacher, E., Los, B., "
            "Stehrer, R. & de Vries, G. J. (2015) An Illustrated User Guide to the World Input-Output "
            "Database: the Case of Global Automotive Production, Review of International Economics "
            "23, 575-605, doi:10.1111/roie.12178. R package wiod (Quast)."
        ),
        years=(2011, 2011),
        hs_vintage=None,
        notes=[
            "Domestic technical coefficients a_rs = Z_rs / x_s: Z_rs = intermediate use of the "
            "location's own sector r output by its sector s (imported inputs excluded), x_s = gross "
            "output of sector s, both in USD million. Check: RUS 27t28 -> 29 = 0.151, "
            "27t28 -> 34t35 = 0.107.",
            "coefficient_total = total-use coefficient: the same with Z_rs summed over all "
            "supplying economies (domestic + imported inputs of sector r); RUS 27t28 -> 29 = 0.163.",
            f"{undefined} (location, output sector) pairs with zero gross output are left out "
            "(coefficient undefined).",
            "35 WIOD 2013 industries (NACE Rev.1.1 based codes: 27t28 = basic metals and fabricated "
            "metal, 29 = machinery n.e.c., 34t35 = transport equipment). The WIOD_IndClass.rda file "
            "in the raw folder describes the 56-industry 2016 release and does not match this table; "
            "names here are the 2013 release list.",
            "40 economies + ROW (rest of the world). Belarus is only inside ROW; ROM is mapped to "
            "ROU. Values are for 2011 (pre-EAEU).",
        ],
    )


def build_population_2017(raw: Path) -> Built:
    import pycountry

    path = raw / "economiccomplexity-r" / "world_gdp_and_population_2017.rda"
    df = read_rda(path)
    code = df["reporter_iso"].str.upper().replace(OLD_TO_ISO3)
    iso = {c.alpha_3 for c in pycountry.countries}
    keep = code.isin(iso) | code.isin(WDI_KEEP_NON_ISO)
    dropped = sorted(code[~keep])
    out = pd.DataFrame(
        {
            "year": np.int16(2017),
            "location": code[keep].to_numpy(),
            "population": df.loc[keep, "population_total"].astype("float64").to_numpy(),
            "gdp_usd": df.loc[keep, "gdp_current_usd"].astype("float64").to_numpy(),
            "source": "World Bank WDI via economiccomplexity-r",
        }
    )
    n_nan_gdp = int(out["gdp_usd"].isna().sum())
    return Built(
        name="population_2017",
        frame=out.sort_values("location", kind="mergesort"),
        table="population",
        source="World Bank World Development Indicators 2017 (R package economiccomplexity)",
        files=("economiccomplexity-r/world_gdp_and_population_2017.rda",),
        licence="CC BY 4.0 (World Bank WDI); packaged in economiccomplexity (Apache-2.0). "
        + ECX_LICENCE,
        years=(2017, 2017),
        hs_vintage=None,
        notes=[
            "population = total population; gdp_usd = GDP in current USD (2017).",
            f"{len(dropped)} non-ISO codes dropped (World Bank regional/income aggregates; CHI = "
            f"Channel Islands): {', '.join(dropped)}; "
            "WLD (world) and XKX (Kosovo) kept. ROM mapped to ROU.",
            f"{n_nan_gdp} locations have no GDP (NaN kept, not zero).",
        ],
    )


DATASET_BUILDERS: dict[str, Callable[[Path], Built]] = {
    "world_hs4_2017": build_world_hs4_2017,
    "brics_hs6": build_brics_hs6,
    "world_totals_hs6": build_world_totals_hs6,
    "bilateral_totals": build_bilateral_totals,
    "gravity_covariates": build_gravity_covariates,
    "treaties": build_treaties,
    "io_coefficients": build_io_coefficients,
    "population_2017": build_population_2017,
    # OECD ICIO 2022 extract (scripts/build_bundled_icio.py)
    **{name: (lambda raw, _b=builder: Built(**_b(raw))) for name, builder in ICIO_BUILDERS.items()},
}


# --------------------------------------------------------------------------------------------
# writing
# --------------------------------------------------------------------------------------------
def write_parquet(frame: pd.DataFrame, path: Path) -> None:
    """Deterministic zstd Parquet: no index, fixed row groups and compression level (pandas dtypes kept)."""
    table = pa.Table.from_pandas(frame.reset_index(drop=True), preserve_index=False)
    pq.write_table(
        table,
        path,
        compression="zstd",
        compression_level=9,
        row_group_size=1_000_000,
        use_dictionary=True,
        write_statistics=True,
    )


def build_time() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    now = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    return now.replace(microsecond=0).isoformat()


def entry_for(built: Built, raw: Path, imported_at: str) -> dict:
    info = DatasetInfo(
        name=built.name,
        table=built.table,
        source=built.source,
        files=built.files,
        content_hash=sha256_files([raw / f for f in built.files]),
        rows=len(built.frame),
        years=built.years,
        hs_vintage=built.hs_vintage,
        licence=built.licence,
        imported_at=imported_at,
        estimated=built.estimated,
        bundled=True,
        notes=tuple(built.notes),
    )
    return {**info.to_dict(), "path": f"{built.name}.parquet"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--raw", type=Path, default=DEFAULT_RAW, help="folder with the raw files")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output folder")
    parser.add_argument("--only", default="", help="comma-separated dataset names (default: all)")
    args = parser.parse_args(argv)
    raw: Path = args.raw.resolve()
    if not raw.is_dir():
        print(f"raw data folder not found: {raw} (use --raw DIR)", file=sys.stderr)
        return 2
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    builders = dict(DATASET_BUILDERS)
    only = [s for s in args.only.split(",") if s]
    unknown = [s for s in only if s not in builders and s not in NOMENCLATURE_BUILDERS]
    if unknown:
        print(
            f"unknown dataset(s): {unknown}; known: {sorted(builders) + sorted(NOMENCLATURE_BUILDERS)}",
            file=sys.stderr,
        )
        return 2
    manifest_path = out / "manifest.json"
    manifest = (
        json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
    )
    imported_at = build_time()
    for name, builder in builders.items():
        if only and name not in only:
            continue
        built = builder(raw)
        write_parquet(built.frame, out / f"{name}.parquet")
        manifest[name] = entry_for(built, raw, imported_at)
        print(f"{name:20s} {len(built.frame):>9,d} rows", file=sys.stderr)
    for name, builder in NOMENCLATURE_BUILDERS.items():
        if only and name not in only:
            continue
        frame = builder(raw)
        write_parquet(frame, out / f"{name}.parquet")
        print(f"{name:20s} {len(frame):>9,d} rows (nomenclature)", file=sys.stderr)
    ordered = {k: manifest[k] for k in DATASET_BUILDERS if k in manifest}
    manifest_path.write_text(
        json.dumps(ordered, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
