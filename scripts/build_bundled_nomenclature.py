"""Nomenclature and concordance tables for ``scripts/build_bundled.py`` (run through it).

Each builder reads unchanged upstream files from the raw folder and returns a tidy frame that
``build_bundled.py`` writes to ``src/tradecoop/data/datasets/<name>.parquet``:

- ``hs_nomenclature``: HS 2022 sections, chapters, headings, subheadings (English, ODC-PDDL
  datasets/harmonized-system), Russian section/chapter/heading names from the TN VED EAEU
  classifier (Russian Federal Tax Service files, currently valid rows), older-vintage HS6/HS4
  descriptions from concordance-r where HS 2022 lacks a code.
- ``conc_hs_isic4``, ``conc_hs_isic3``, ``conc_isic4_isic3``: concordance-r (WITS tables).
- ``conc_hs_bec4``: HS (each vintage) -> BEC Rev.4 basic category (concordance-r, UN Stats).
- ``conc_hs_lall``: HS 2012 -> Lall (2000) technology class (BRICS+ dashboard lookup).
- ``conc_hs_bridges``: adjacent HS vintage links HS92 <-> ... <-> HS22 (concordance-r).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

#: concordance-r file prefix -> HS vintage (hs0 = HS 1988/92, ..., hs6 = HS 2022)
CONCORDANCE_VINTAGES = {
    "hs0": "HS92",
    "hs1": "HS96",
    "hs2": "HS02",
    "hs3": "HS07",
    "hs4": "HS12",
    "hs5": "HS17",
    "hs6": "HS22",
}
ROMAN = [
    "I",
    "II",
    "III",
    "IV",
    "V",
    "VI",
    "VII",
    "VIII",
    "IX",
    "X",
    "XI",
    "XII",
    "XIII",
    "XIV",
    "XV",
    "XVI",
    "XVII",
    "XVIII",
    "XIX",
    "XX",
    "XXI",
    "XXII",
]


def read_rda(path: Path) -> pd.DataFrame:
    """The single data frame of an ``.rda`` / ``.RData`` file (pyreadr)."""
    import pyreadr

    result = pyreadr.read_r(str(path))
    if len(result) != 1:
        raise SystemExit(f"{path}: expected one data frame, found {list(result)}")
    return next(iter(result.values()))


def _read_tnved(path: Path, names: list[str]) -> pd.DataFrame:
    """A TN VED file: UTF-8, '|'-separated, first line = file version, trailing '|'."""
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    rows = []
    for number, line in enumerate(lines, start=2):
        if not line.strip():
            continue
        parts = line.split("|")
        if len(parts) < len(names):
            raise SystemExit(
                f"{path}:{number}: expected {len(names)} '|'-separated fields, found {len(parts)}"
            )
        rows.append(parts[: len(names)])
    return pd.DataFrame(rows, columns=names)


def _current(frame: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """One row per key: the currently valid one (empty end date DATA1, latest start date), or,
    for a code no longer valid, its last valid row (``DATA1`` then says until when)."""
    cur = frame.copy()
    cur["DATA1"] = cur["DATA1"].str.strip()
    cur["_open"] = cur["DATA1"] == ""
    cur["_end"] = pd.to_datetime(cur["DATA1"], format="%d.%m.%Y", errors="coerce")
    cur["_start"] = pd.to_datetime(cur["DATA"], format="%d.%m.%Y", errors="coerce")
    cur = cur.sort_values([*key, "_open", "_end", "_start"], kind="mergesort", na_position="first")
    return cur.drop_duplicates(key, keep="last").drop(columns=["_open", "_end", "_start"])


def _ru_case(text: str) -> str:
    """TN VED names are in capitals: keep the first letter, lower the rest, drop a final ':'."""
    text = " ".join(text.split()).rstrip(":").strip()
    return text[:1] + text[1:].lower() if text.isupper() or text.upper() == text else text


def build_hs_nomenclature(raw: Path) -> pd.DataFrame:
    hs_dir = raw / "datasets-harmonized-system"
    hs = pd.read_csv(hs_dir / "harmonized-system.csv", dtype=str, keep_default_na=False)
    hs = hs[hs["level"].isin(["2", "4", "6"])].copy()
    # chapter 99 'commodities not specified' is a UN Comtrade code, in no HS section
    hs.loc[hs["section"] == "TOTAL", "section"] = ""
    hs.loc[hs["parent"] == "TOTAL", "parent"] = ""
    sections = pd.read_csv(
        hs_dir / "sections.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig"
    )
    en = pd.DataFrame(
        {
            "code": hs["hscode"],
            "level": hs["level"].astype("int8"),
            "section": hs["section"],
            "parent": hs["parent"].where(hs["level"] != "2", hs["section"]),  # chapter -> section
            "name_en": hs["description"].str.strip(),
            "vintage": "HS22",
        }
    )
    sec = pd.DataFrame(
        {
            "code": sections["section"],
            "level": 0,
            "section": sections["section"],
            "parent": "",
            "name_en": sections["name"].str.strip().map(lambda s: s[:1].upper() + s[1:]),
            "vintage": "HS22",
        }
    )
    # older vintages: HS4/HS6 codes that HS 2022 lacks, with the latest vintage that has them
    older = []
    known = set(en["code"])
    section_of_chapter = dict(
        zip(en.loc[en["level"] == 2, "code"], en.loc[en["level"] == 2, "section"], strict=True)
    )
    for prefix in ("hs5", "hs4", "hs3", "hs2", "hs1", "hs0"):
        desc = read_rda(raw / "concordance-r" / f"{prefix}_desc.RData")
        desc = desc[desc["code"].str.len().isin([4, 6]) & ~desc["code"].isin(known)]
        for code, text in desc[["code", "desc"]].itertuples(index=False):
            older.append(
                {
                    "code": code,
                    "level": len(code),
                    "section": section_of_chapter.get(code[:2], ""),
                    "parent": code[:2] if len(code) == 4 else code[:4],
                    "name_en": str(text).strip(),
                    "vintage": CONCORDANCE_VINTAGES[prefix],
                }
            )
            known.add(code)
    out = pd.concat([sec, en, pd.DataFrame(older)], ignore_index=True)
    out["level"] = out["level"].astype("int8")

    # Russian names: TN VED sections (RAZDEL 01..21), groups (= HS chapters), headings
    tn = raw / "fns-tnved-circool"
    t1 = _current(
        _read_tnved(tn / "TNVED1.TXT", ["RAZDEL", "NAIM", "PRIM", "DATA", "DATA1"]), ["RAZDEL"]
    )
    t2 = _current(
        _read_tnved(tn / "TNVED2.TXT", ["RAZDEL", "GRUPPA", "NAIM", "PRIM", "DATA", "DATA1"]),
        ["GRUPPA"],
    )
    t3 = pd.concat(
        [
            _read_tnved(tn / "TNVED3.TXT", ["GRUPPA", "TOV_POZ", "NAIM", "DATA", "DATA1"]),
            _read_tnved(tn / "TNVED3.ADD.TXT", ["GRUPPA", "TOV_POZ", "NAIM", "DATA", "DATA1"]),
        ],
        ignore_index=True,
    )
    t3 = _current(t3, ["GRUPPA", "TOV_POZ"])
    ru: dict[str, tuple[str, str]] = {}  # code -> (Russian name, valid-to date or "")
    for razdel, name, end in t1[["RAZDEL", "NAIM", "DATA1"]].itertuples(index=False):
        number = int(razdel)
        if 1 <= number <= len(ROMAN):
            ru[ROMAN[number - 1]] = (_ru_case(name), end)
    # TN VED chapters 98-99 are EAEU national codes (99 99 = 'FIFA2018'), not HS: left out
    t2 = t2[~t2["GRUPPA"].isin(["98", "99"])]
    t3 = t3[~t3["GRUPPA"].isin(["98", "99"])]
    for g, n, end in t2[["GRUPPA", "NAIM", "DATA1"]].itertuples(index=False):
        ru[g] = (_ru_case(n), end)
    for g, p, n, end in t3[["GRUPPA", "TOV_POZ", "NAIM", "DATA1"]].itertuples(index=False):
        ru[g + p] = (_ru_case(n), end)
    found = out["code"].map(ru)
    # a name that is no longer valid is used only for codes that HS 2022 no longer has: HS 2022
    # codes can carry new meanings (8485 was machine parts, is now additive manufacturing)
    expired = found.map(lambda t: isinstance(t, tuple) and t[1] != "").astype(bool)
    found = found.where(~(expired & (out["vintage"] == "HS22")))
    name_ru = found.map(lambda t: t[0], na_action="ignore")
    out["ru_fallback"] = name_ru.isna()
    out["name_ru"] = name_ru.fillna(out["name_en"])
    out["ru_valid_to"] = found.map(lambda t: t[1], na_action="ignore").fillna("")
    roman_order = {r: i for i, r in enumerate(ROMAN)}
    out["_key"] = out["code"].map(lambda c: f"{roman_order[c]:02d}" if c in roman_order else c)
    out = out.sort_values(["level", "_key"], kind="mergesort").drop(columns="_key")
    out["source"] = (
        "HS2022 (datasets/harmonized-system, ODC-PDDL); TN VED EAEU 2019 (FNS); concordance-r"
    )
    cols = [
        "code",
        "level",
        "section",
        "parent",
        "name_en",
        "name_ru",
        "ru_fallback",
        "ru_valid_to",
    ]
    return out[[*cols, "vintage", "source"]]


def build_conc_hs_isic4(raw: Path) -> pd.DataFrame:
    d = read_rda(raw / "concordance-r" / "hs_isic4.RData")
    d = d.dropna(subset=["ISIC4_4d"])
    out = pd.DataFrame(
        {"product": d["HS_6d"], "isic4_class": d["ISIC4_4d"], "isic4_division": d["ISIC4_2d"]}
    ).drop_duplicates()
    return out.sort_values(["product", "isic4_class"], kind="mergesort")


def build_conc_hs_isic3(raw: Path) -> pd.DataFrame:
    d = read_rda(raw / "concordance-r" / "hs_isic3.RData").dropna(subset=["ISIC3_4d"])
    out = pd.DataFrame(
        {"product": d["HS_6d"], "isic3_class": d["ISIC3_4d"], "isic3_division": d["ISIC3_2d"]}
    ).drop_duplicates()
    return out.sort_values(["product", "isic3_class"], kind="mergesort")


def build_conc_isic4_isic3(raw: Path) -> pd.DataFrame:
    d = read_rda(raw / "concordance-r" / "isic4_isic3.RData")
    out = pd.DataFrame(
        {
            "isic4_class": d["ISIC4_4d"],
            "isic4_division": d["ISIC4_2d"],
            "isic3_class": d["ISIC3_4d"],
            "isic3_division": d["ISIC3_2d"],
        }
    ).drop_duplicates()
    return out.sort_values(["isic4_class", "isic3_class"], kind="mergesort")


def build_conc_hs_bec4(raw: Path) -> pd.DataFrame:
    frames = []
    for prefix, vintage in CONCORDANCE_VINTAGES.items():
        d = read_rda(raw / "concordance-r" / f"{prefix}_bec4.RData")
        code_col = [c for c in d.columns if c.endswith("_6d")][0]
        bec = d["BEC4_3d"].astype(str)
        # zero-padded to 3 digits upstream: '410' -> basic category '41', '700' -> '7',
        # '320' -> '32' (processed fuels, not split into 321 motor spirit / 322 other)
        basic = bec.str.rstrip("0")
        frames.append(pd.DataFrame({"vintage": vintage, "product": d[code_col], "bec_code": basic}))
    out = pd.concat(frames, ignore_index=True).dropna().drop_duplicates()
    return out.sort_values(["vintage", "product", "bec_code"], kind="mergesort")


def build_conc_hs_lall(raw: Path) -> pd.DataFrame:
    base = raw / "brics-dashboard-baci"
    look = pd.read_csv(base / "lookup_hs6_lall.csv", dtype=str)
    dim = pd.read_csv(base / "dim_lall.csv", dtype=str)
    out = look.merge(
        dim[["lall_code", "label_en"]], on="lall_code", how="left", validate="many_to_one"
    )
    out = out.rename(columns={"hs6": "product", "label_en": "lall_class"})
    out["vintage"] = "HS12"
    return out[["vintage", "product", "lall_code", "lall_class", "sitc3"]].sort_values(
        "product", kind="mergesort"
    )


def build_conc_hs_bridges(raw: Path) -> pd.DataFrame:
    prefixes = list(CONCORDANCE_VINTAGES)
    frames = []
    for newer, older in zip(prefixes[1:], prefixes[:-1], strict=True):
        d = read_rda(raw / "concordance-r" / f"{newer}_{older}.RData")
        new_col = f"{newer.upper()}_6d"
        old_col = f"{older.upper()}_6d"
        frames.append(
            pd.DataFrame(
                {
                    "newer_vintage": CONCORDANCE_VINTAGES[newer],
                    "newer_code": d[new_col],
                    "older_vintage": CONCORDANCE_VINTAGES[older],
                    "older_code": d[old_col],
                }
            )
        )
    out = pd.concat(frames, ignore_index=True).dropna().drop_duplicates()
    return out.sort_values(["newer_vintage", "newer_code", "older_code"], kind="mergesort")


NOMENCLATURE_BUILDERS: dict[str, Callable[[Path], pd.DataFrame]] = {
    "hs_nomenclature": build_hs_nomenclature,
    "conc_hs_isic4": build_conc_hs_isic4,
    "conc_hs_isic3": build_conc_hs_isic3,
    "conc_isic4_isic3": build_conc_isic4_isic3,
    "conc_hs_bec4": build_conc_hs_bec4,
    "conc_hs_lall": build_conc_hs_lall,
    "conc_hs_bridges": build_conc_hs_bridges,
}
