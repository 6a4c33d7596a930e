"""Seed data of the registry: real enterprises and the Belarus-Russia treaties.

* ``enterprises.csv``: enterprises of Belarus and of the Chelyabinsk region (RU-CHE) with names,
  city, NACE Rev.2 division, main products as HS headings and a ``source`` URL (the company's
  website or its Wikipedia article). ``inputs`` are HS headings of the main purchased inputs
  implied by what the enterprise makes (e.g. tyres and diesel engines for a truck maker); they
  are curated, not taken from company disclosures. Unknown fields are left empty; no figures.
* ``agreements.csv``: the eleven treaties with Belarus and Russia as parties in DESTA v2.0
  (Dür, Baccini & Elsig 2014, doi:10.1007/s11558-014-9191-y), list of treaties (dyads) 02_00;
  parties are every country DESTA lists for the treaty.

:func:`load_seed` is idempotent: a record already present (same English name and location, or
same DESTA source) is skipped.
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


def load_seed(session: Session) -> dict[str, int]:
    """Add the seed records that are not there yet; return how many of each were added."""
    from tradecoop.registry.service import RegistryService

    svc = RegistryService(session, actor="seed", autocommit=False)
    added = {"enterprise": 0, "agreement": 0}
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
    session.commit()
    return added
