"""Seed data of the registry: real enterprises and the Belarus-Russia treaties.

* ``enterprises.csv``: enterprises of Belarus and of the Chelyabinsk region (RU-CHE) with names,
  city, NACE Rev.2 division, main products as HS headings and a ``source`` URL (the company's
  website or its Wikipedia article). ``inputs`` are HS headings of the main purchased inputs
  implied by what the enterprise makes (e.g. tyres and diesel engines for a truck maker); they
  are curated, not taken from company disclosures. Unknown fields are left empty; no figures.
* ``agreements.csv``: the eleven treaties with Belarus and Russia as parties in DESTA v2.0
  (Dür, Baccini & Elsig 2014, doi:10.1007/s11558-014-9191-y), list of treaties (dyads) 02_00;
  parties are every country DESTA lists for the treaty.
* ``figures.csv``: reported figures (turnover, targets, joint projects' output) from public
  governmental and news-agency statements, each with its source URL and date; columns
  ``metric,value,unit,period,parties,reporter,source_publisher,source_url,source_date,note``,
  ``parties`` ``;``-separated ISO codes (``BLR;RU-CHE``). Conflicting reports are all kept.

:func:`load_seed` is idempotent: a record already present (same English name and location; same
DESTA source; for figures the same metric, period, parties and source URL) is skipped.
"""

from __future__ import annotations

import csv
from importlib import resources
from typing import TYPE_CHECKING

from sqlalchemy import select

from tradecoop.registry import models as m

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def enterprise_rows() -> list[dict[str, str]]:
    """The seed enterprises as CSV rows (strings)."""
    return _rows("enterprises.csv")


def agreement_rows() -> list[dict[str, str]]:
    """The seed agreements as CSV rows (strings)."""
    return _rows("agreements.csv")


#: the columns of ``figures.csv``, in order
FIGURE_COLUMNS = ("metric", "value", "unit", "period", "parties", "reporter", "source_publisher",
                  "source_url", "source_date", "note")


def figure_rows() -> list[dict[str, str]]:
    """The seed figures as CSV rows (strings); a missing file or unexpected header is an error."""
    text = resources.files(__name__).joinpath("figures.csv").read_text(encoding="utf-8")
    reader = csv.DictReader(text.splitlines())
    if tuple(reader.fieldnames or ()) != FIGURE_COLUMNS:
        from tradecoop.errors import DataValidationError

        raise DataValidationError(
            f"seed figures.csv must have the header {','.join(FIGURE_COLUMNS)}; found {','.join(reader.fieldnames or [])!r}")
    return list(reader)


def _figure_key(metric: str, period: str, locations: list[str], url: str | None) -> tuple:
    return (metric, period, frozenset(locations), url or None)


def load_seed(session: Session) -> dict[str, int]:
    """Add the seed records that are not there yet; return how many of each were added."""
    from tradecoop.registry.db import begin_write
    from tradecoop.registry.service import RegistryService

    begin_write(session)  # one writing transaction for the whole seed
    svc = RegistryService(session, actor="seed", autocommit=False)
    added: dict[str, int] = {"enterprise": 0, "agreement": 0}
    existing = {(n, loc) for n, loc in session.execute(select(m.Enterprise.name_en, m.Enterprise.location))}
    for row in enterprise_rows():
        if (row["name_en"], row["location"]) in existing:
            continue
        data = {k: (row[k] or None) for k in (
            "name_en", "name_ru", "name_be", "location", "city", "nace", "description_en",
            "description_ru", "website")}
        data.update(aliases=row["aliases"], products=row["products"], inputs=row["inputs"],
                    sources=[{"field": "*", "url": row["source"]}])
        svc.create("enterprise", data)
        added["enterprise"] += 1
    have = set(session.scalars(select(m.Agreement.source)))
    for row in agreement_rows():
        if row["source"] in have:
            continue
        svc.create("agreement", {
            "title": row["title"], "kind": row["kind"], "signed_year": row["signed_year"],
            "in_force_year": row["in_force_year"] or None, "source": row["source"],
            "status": "in force" if row["in_force_year"] else None,
            "parties": [{"location": p} for p in row["parties"].split(";")],
        })
        added["agreement"] += 1
    added["figure"] = _load_figures(session, svc)
    session.commit()
    return added


def _load_figures(session: Session, svc) -> int:
    """Add the seed figures not there yet (see the module notes); return how many were added."""
    from tradecoop.errors import DataValidationError
    from tradecoop.registry.records import check_location, check_period

    have = {_figure_key(f.metric, f.period, [p.location for p in f.parties if p.location], f.source_url)
            for f in session.scalars(select(m.ReportedFigure))}
    added = 0
    for line, row in enumerate(figure_rows(), start=2):
        try:
            locations = [check_location(p, "parties") for p in row["parties"].split(";") if p.strip()]
            key = _figure_key(row["metric"].strip().lower(), check_period(row["period"]), locations,
                              (row["source_url"] or "").strip())
            if key in have:
                continue
            svc.create("figure", {k: (row[k].strip() or None) for k in FIGURE_COLUMNS if k != "parties"}
                       | {"parties": [{"location": loc} for loc in locations]})
        except DataValidationError as exc:
            raise DataValidationError(f"seed figures.csv line {line}: {exc}") from None
        have.add(key)
        added += 1
    return added
