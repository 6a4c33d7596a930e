"""Checks shared by several formats: one HS vintage per dataset, HS product codes of one level."""

from __future__ import annotations

from collections.abc import Callable

from tradecoop import columns as C
from tradecoop.data.nomenclature.hs_codes import hs6_codes
from tradecoop.data.sources._stage import Stage, lit, q
from tradecoop.errors import DataValidationError, NotFoundError


def single_vintage(stage: Stage, column: str, shown: str, given: str | None,
                   normalise: Callable[[str], str]) -> str:
    """The one HS vintage of ``raw.column`` (text per row); error at the first row that differs.

    ``given`` (from ``--hs-vintage``) wins when the rows agree with it.
    """
    first = stage.con.execute(
        f'SELECT "{column}" FROM raw WHERE "{column}" IS NOT NULL ORDER BY rowid LIMIT 1').fetchone()
    if first is None:
        if given is None:
            raise DataValidationError(f"column {shown!r} is empty; pass `hs_vintage`")
        return given

    def norm(value: str) -> str | None:
        try:
            return normalise(value)
        except NotFoundError:
            return None

    expected = given or norm(first[0])
    found = [r[0] for r in stage.con.execute(
        f'SELECT DISTINCT "{column}" FROM raw WHERE "{column}" IS NOT NULL').fetchall()]
    other = sorted(v for v in found if norm(v) != expected)
    if expected is None or other:
        listed = ", ".join(lit(v) for v in (other or found))
        bad = stage.first_bad(f'"{column}" IN ({listed})', f'"{column}"')
        what = (f"mixed HS vintages in one dataset: found {bad[2]!r}, expected {expected}; import "
                "each vintage under its own `name`") if expected else (
                f"unknown HS vintage {bad[2]!r}; pass `hs_vintage`")
        raise DataValidationError(f"{stage.where(bad[1], shown)}: {what}")
    return expected


def check_products(stage: Stage, column: str, shown: str, vintage: str, *,
                   keep_most_detailed: bool = False) -> int:
    """Zero-pad ``raw.column`` HS codes, check they exist in ``vintage``; returns the digit level.

    Codes must share one level (2, 4 or 6 digits). With ``keep_most_detailed`` rows at coarser
    levels or non-numeric totals (Comtrade ``TOTAL``) are dropped with a warning instead.
    """
    stage.check_required(column, shown)
    c = f'"{column}"'
    stage.con.execute(f"UPDATE raw SET {c} = trim({c})")
    stage.con.execute(f"UPDATE raw SET {c} = lpad({c}, CAST(length({c}) + length({c}) % 2 AS "
                      f"INTEGER), '0') WHERE regexp_full_match({c}, '[0-9]+')")
    if keep_most_detailed:
        levels = [r[0] for r in stage.con.execute(
            f"SELECT DISTINCT length({c}) FROM raw WHERE regexp_full_match({c}, '[0-9]{{2}}|[0-9]{{4}}|[0-9]{{6}}')"
        ).fetchall()]
        if levels:
            level = max(levels)
            n = stage.con.execute(f"SELECT count(*) FROM raw WHERE NOT (regexp_full_match({c}, "
                                  f"'[0-9]+') AND length({c}) = {level})").fetchone()[0]
            if n:
                stage.con.execute(f"DELETE FROM raw WHERE NOT (regexp_full_match({c}, '[0-9]+') "
                                  f"AND length({c}) = {level})")
                stage.warn(f"dropped {n} rows at other product levels than HS{level} "
                           "(totals and aggregates)")
    counts = dict(stage.con.execute(
        f"SELECT length({c}), count(*) FROM raw GROUP BY 1 ORDER BY 1").fetchall())
    lengths = sorted(counts)
    bad = stage.first_bad(f"NOT regexp_full_match({c}, '[0-9]+')", c)
    if bad:
        raise DataValidationError(
            f"{stage.where(bad[1], shown)}: expected a numeric HS code, found {bad[2]!r}")
    if len(lengths) > 1 or lengths[0] not in (2, 4, 6):
        odd = [n for n in lengths if n not in (2, 4, 6)]
        other = odd[0] if odd else min(lengths, key=lambda n: (counts[n], -n))  # the rarer one
        bad = stage.first_bad(f"length({c}) = {other}", c)
        raise DataValidationError(
            f"{stage.where(bad[1], shown)}: expected HS codes of one length (2, 4 or 6 digits), "
            f"found {bad[2]!r} among codes of length {', '.join(map(str, lengths))}")
    digits = lengths[0]
    codes = {code[:digits] for code in hs6_codes(vintage)}
    stage.map_codes(column, shown, lambda v: v if v in codes else None, "map_product",
                    "product code", f" (not an HS{digits} code of {vintage})")
    return digits


def write_reported_flows(stage: Stage, *, year: str, flow: str, reporter: str, partner: str,
                         joins: str, vintage: str, source: str) -> None:
    """Write ``raw r`` (with text columns ``product``, ``value`` (USD), ``weight`` (kg)) as a
    ``reported_flows`` table, summing rows that share a key (months, HS10 within an HS6, ...).

    ``year``, ``flow`` (``'X'``/``'M'``), ``reporter`` and ``partner`` are SQL expressions over
    ``r`` and the mapping tables in ``joins``. X rows: exporter = reporter; M: importer = reporter.
    """
    stage.write(
        f"""SELECT {year} AS {C.YEAR},
                  CASE WHEN {flow} = 'X' THEN {reporter} ELSE {partner} END AS {C.EXPORTER},
                  CASE WHEN {flow} = 'X' THEN {partner} ELSE {reporter} END AS {C.IMPORTER},
                  r.product AS {C.PRODUCT}, {lit(vintage)} AS {C.HS_VINTAGE},
                  sum(CAST(r.value AS DOUBLE)) AS {C.VALUE_USD},
                  sum(TRY_CAST(r.weight AS DOUBLE) / 1000) AS {C.QUANTITY},
                  {lit(source)} AS {C.SOURCE}, false AS {C.ESTIMATED},
                  {flow} AS {q(C.FLOW)}, {reporter} AS {C.REPORTER}
           FROM raw r {joins}
           GROUP BY ALL""",
        [C.YEAR, C.REPORTER, C.FLOW, C.EXPORTER, C.IMPORTER, C.PRODUCT],  # small tables: sorted
    )
