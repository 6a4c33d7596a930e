"""Builders of the OECD ICIO 2022 extract (``oecd-icio-2022/`` in the raw folder), used by build_bundled.py.

The raw folder holds an extract of the OECD Inter-Country Input-Output tables (2025 release,
reference year 2022) reconstructed from the benchmark network of the MIT-licensed PyPI package
``sanction-simulator`` 0.1.4 (see the raw folder's README): 80 economies x 50 ISIC Rev.4
sectors, **intermediate** flows only (final demand and the rest of the world dropped upstream;
negative cells clipped to 0; two columns' intermediate-input shares capped). Three tables:

* ``icio2022_inputs``: every intermediate input into a Belarusian or Russian sector by origin
  country x sector (domestic included), USD million;
* ``icio2022_gross_output``: gross output by country x sector, USD million, with sector names;
* ``icio2022_pair_intermediate``: intermediate exports by country pair (80 x 79), USD million.

Each builder returns the keyword arguments of ``build_bundled.Built``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

FOLDER = "oecd-icio-2022"
SOURCE = ("OECD Inter-Country Input-Output tables, 2025 release, reference year 2022 (extract via the "
          "PyPI package sanction-simulator 0.1.4)")
LICENCE = (
    "OECD data: CC BY 4.0, attribute 'OECD (2025), Inter-Country Input-Output tables, "
    "http://oe.cd/icio'. Extracted from the benchmark network of the PyPI package sanction-simulator "
    "0.1.4 (MIT licence, LICENSE_sanction_simulator_MIT in the raw folder)."
)
COMMON_NOTES = [
    "Intermediate flows only: the package dropped final-demand columns and the rest of the world, so "
    "these are not total trade; negative cells were clipped to 0 upstream.",
    "Reconstructed as X = A x (omb x go) from the package's coefficient matrix A, intermediate-input "
    "share omb (capped for 2 columns) and gross output go, so cells are the package's, not the OECD "
    "file's exact values; checks: BLR gross output 140.3 bn USD, RUS 4,094.8 bn; BLR->RUS "
    "intermediates 10.1 bn, RUS->BLR 15.9 bn (2022).",
    "50 ISIC Rev.4 sectors (OECD ICIO codes A01 ... T; C24A basic iron and steel, C24B non-ferrous).",
]


def _sector_names(raw: Path) -> dict[str, str]:
    table = pd.read_csv(raw / FOLDER / "OECD_ICIO_2025_sector_code_mapping.csv", encoding="utf-8-sig")
    return dict(zip(table["code"].astype(str), table["economic_activity"].astype(str), strict=True))


def build_icio2022_inputs(raw: Path) -> dict:
    df = pd.read_parquet(raw / FOLDER / "icio2022_inputs_into_blr_rus.parquet")
    out = pd.DataFrame({
        "year": df["year"].astype("int16"),
        "location": df["country_d"].astype(str),
        "output_sector": df["sector_d"].astype(str),
        "input_country": df["country_o"].astype(str),
        "input_sector": df["sector_o"].astype(str),
        "value_usd_mn": df["usd_mn"].astype("float64"),
    }).sort_values(["location", "output_sector", "input_country", "input_sector"], kind="mergesort")
    return dict(
        name="icio2022_inputs", frame=out, table="io_flows", source=SOURCE,
        files=(f"{FOLDER}/icio2022_inputs_into_blr_rus.parquet",), licence=LICENCE, years=(2022, 2022),
        hs_vintage=None,
        notes=[*COMMON_NOTES,
               "Every intermediate input into Belarusian and Russian sectors (location, output_sector) by "
               "origin (input_country, input_sector), domestic included; cells below 0.01 USD mn dropped "
               "upstream. Imported input coefficients: sum over input_country != location, divided by the "
               "using sector's gross output (icio2022_gross_output)."],
    )


def build_icio2022_gross_output(raw: Path) -> dict:
    df = pd.read_parquet(raw / FOLDER / "icio2022_gross_output.parquet")
    names = _sector_names(raw)
    out = pd.DataFrame({
        "year": pd.Series(2022, index=df.index, dtype="int16"),
        "location": df["country"].astype(str),
        "sector": df["sector"].astype(str),
        "sector_name": df["sector"].astype(str).map(names),
        "gross_output_usd_mn": df["gross_output_usd_mn"].astype("float64"),
    }).sort_values(["location", "sector"], kind="mergesort")
    return dict(
        name="icio2022_gross_output", frame=out, table="gross_output", source=SOURCE,
        files=(f"{FOLDER}/icio2022_gross_output.parquet", f"{FOLDER}/OECD_ICIO_2025_sector_code_mapping.csv"),
        licence=LICENCE, years=(2022, 2022), hs_vintage=None,
        notes=[*COMMON_NOTES, "Gross output by country x sector (80 x 50), USD million; year set to 2022 (the "
               "raw file has no year column; the package states the 2022 reference year)."],
    )


def build_icio2022_pair_intermediate(raw: Path) -> dict:
    df = pd.read_parquet(raw / FOLDER / "icio2022_country_pair_intermediate.parquet")
    out = pd.DataFrame({
        "year": df["year"].astype("int16"),
        "exporter": df["exporter"].astype(str),
        "importer": df["importer"].astype(str),
        "value_usd_mn": df["interm_usd_mn"].astype("float64"),
    }).sort_values(["exporter", "importer"], kind="mergesort")
    return dict(
        name="icio2022_pair_intermediate", frame=out, table="bilateral_intermediate", source=SOURCE,
        files=(f"{FOLDER}/icio2022_country_pair_intermediate.parquet",), licence=LICENCE, years=(2022, 2022),
        hs_vintage=None,
        notes=[*COMMON_NOTES, "Intermediate exports of every country to every other (80 x 79 pairs), USD million."],
    )


ICIO_BUILDERS = {
    "icio2022_inputs": build_icio2022_inputs,
    "icio2022_gross_output": build_icio2022_gross_output,
    "icio2022_pair_intermediate": build_icio2022_pair_intermediate,
}
