"""Provenance of a dataset: where every number came from and whether it is an estimate.

Shared by the bundled datasets (``tradecoop.data.bundled``) and the imported ones
(``tradecoop.data.store``); ``tradecoop data list`` / ``data show`` print these fields.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class DatasetInfo:
    """One dataset in the store (bundled or imported) with its provenance.

    Attributes
    ----------
    name : dataset name used on the command line (``--dataset NAME``)
    table : canonical table kind from :mod:`tradecoop.columns` (e.g. ``bilateral_flows``)
    source : who published the data (e.g. ``CEPII BACI V202401``)
    files : original file names
    content_hash : sha256 of the original files' bytes (hex), in file order
    rows : number of rows stored
    years : (first, last) year, or None for time-less tables
    hs_vintage : HS vintage of product codes (``HS17``) or None
    licence : licence and citation text
    imported_at : ISO 8601 timestamp (UTC) of the import or the bundle build
    estimated : True when any number in it is an estimate, not an observation
    bundled : True for datasets shipped with the package
    notes : caveats a reader must know (e.g. missing reports that look like zeros)
    """

    name: str
    table: str
    source: str
    files: tuple[str, ...]
    content_hash: str
    rows: int
    years: tuple[int, int] | None
    hs_vintage: str | None
    licence: str
    imported_at: str
    estimated: bool = False
    bundled: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["files"] = list(self.files)
        out["years"] = list(self.years) if self.years else None
        out["notes"] = list(self.notes)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DatasetInfo:
        data = dict(data)
        data["files"] = tuple(data.get("files") or ())
        years = data.get("years")
        data["years"] = tuple(years) if years else None
        data["notes"] = tuple(data.get("notes") or ())
        return cls(**data)

    @property
    def provenance_label(self) -> str:
        """One line for the foot of a table: source, years, vintage, observed/estimated."""
        years = f"{self.years[0]}-{self.years[1]}" if self.years else "n/a"
        kind = "ESTIMATED" if self.estimated else "observed"
        vintage = f", {self.hs_vintage}" if self.hs_vintage else ""
        return f"{self.source} ({years}{vintage}; {kind}; dataset '{self.name}')"
