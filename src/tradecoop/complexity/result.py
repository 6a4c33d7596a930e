"""Frozen result objects of :func:`tradecoop.complexity.compute_complexity`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from tradecoop.complexity.product_space import proximity

if TYPE_CHECKING:
    import pandas as pd

#: columns of :meth:`ComplexityResult.to_frame`, in order (the CLI's output contract)
FRAME_COLUMNS = (
    "year", "location", "product", "value", "rca", "M", "density", "distance", "cog",
    "eci", "pci", "diversity", "ubiquity", "coi",
)


def _labels(labels: np.ndarray, codes: np.ndarray):
    """A long label column: categorical when the labels are text (fast, small), else plain."""
    import pandas as pd

    if all(isinstance(x, str) for x in labels[:1000]) and len(labels) > 0:
        return pd.Categorical.from_codes(codes, categories=pd.Index(labels, dtype=object))
    return labels[codes]


def _panel_labels(years: list, name: str):
    """A label column over several years: categorical on the union of the years' labels."""
    import pandas as pd

    attr = "locations" if name == "location" else "products"
    labels = [getattr(y, attr) for y in years]
    if not all(isinstance(x, str) for lab in labels for x in lab[:1000]):
        return np.concatenate([y.to_frame_column(name) for y in years])
    union = pd.Index(np.concatenate(labels)).unique().sort_values()
    codes = []
    for y, lab in zip(years, labels, strict=True):
        idx = union.get_indexer(lab)
        nc, np_ = y.m.shape
        codes.append(np.repeat(idx, np_) if name == "location" else np.tile(idx, nc))
    return pd.Categorical.from_codes(np.concatenate(codes), categories=union)


@dataclass(frozen=True, eq=False)
class ComplexityYear:
    """Complexity of one year's location x product matrix (arrays indexed like the labels).

    Attributes
    ----------
    year, locations, products : labels; ``values`` (Nc, Np) export values used
    rca, m : Balassa RCA (also under ``rca_mode`` 'rpop'/'both', where M comes from RPOP)
        and the binary presence (float64 0/1)
    diversity, ubiquity : row and column sums of ``m``
    eci, pci : standardised (Stata's constants; for ``method='fitness'`` fitness F and
        complexity Q, each with mean 1, not standardised)
    density, distance, cog : (Nc, Np); coi : (Nc,) — NaN for ``method='fitness'``
    q : un-centred PCI kp / sigma used by COI/COG; mu, sigma : ECI's standardisation constants
    coi_mu, coi_sd : COI's standardisation constants (used for external locations)
    proximity_kind : 'discrete' or 'continuous'; ``phi`` is stored only for continuous
    eigenvalues : the three largest eigenvalues (eigenvector method), else None
    iterations : iterations used by reflections / fitness, else None
    """

    year: object
    locations: np.ndarray
    products: np.ndarray
    values: np.ndarray
    rca: np.ndarray
    m: np.ndarray
    diversity: np.ndarray
    ubiquity: np.ndarray
    eci: np.ndarray
    pci: np.ndarray
    density: np.ndarray
    cog: np.ndarray
    coi: np.ndarray
    q: np.ndarray
    mu: float
    sigma: float
    coi_mu: float
    coi_sd: float
    method: str
    threshold: float
    proximity_kind: str = "discrete"
    phi: np.ndarray | None = field(default=None, repr=False)
    eigenvalues: tuple[float, ...] | None = None
    iterations: int | None = None

    @property
    def distance(self) -> np.ndarray:
        """d_cp = 1 - density_cp."""
        return 1.0 - self.density

    def proximity(self) -> np.ndarray:
        """The (Np, Np) proximity matrix (discrete: built on demand from ``m``, zero diagonal)."""
        if self.phi is not None:
            return self.phi
        return proximity(self.m, self.ubiquity)

    def proximity_frame(self, min_value: float = 0.0) -> pd.DataFrame:
        """Long proximity table ``year, product_1, product_2, proximity`` (upper triangle, > min_value)."""
        import pandas as pd

        phi = self.proximity()
        i, j = np.triu_indices(phi.shape[0], k=1)
        vals = phi[i, j]
        keep = vals > min_value
        return pd.DataFrame({
            "year": self.year,
            "product_1": self.products[i[keep]],
            "product_2": self.products[j[keep]],
            "proximity": vals[keep],
        })

    def to_frame_column(self, name: str) -> np.ndarray:
        """One column of :meth:`to_frame` as a fresh array (labels as plain arrays)."""
        nc, np_ = self.m.shape
        per_cell = {"value": self.values, "rca": self.rca, "density": self.density, "cog": self.cog}
        if name in per_cell:
            return per_cell[name].ravel().copy()
        if name == "distance":
            return 1.0 - self.density.ravel()
        if name == "M":
            return self.m.ravel().astype(np.int8)
        if name == "year":
            return np.full(nc * np_, self.year, dtype=object if self.year is None else None)
        per_location = {"location": self.locations, "eci": self.eci, "coi": self.coi,
                        "diversity": self.diversity.astype(np.int64)}
        if name in per_location:
            return np.repeat(per_location[name], np_)
        per_product = {"product": self.products, "pci": self.pci,
                       "ubiquity": self.ubiquity.astype(np.int64)}
        return np.tile(per_product[name], nc)

    def to_frame(self) -> pd.DataFrame:
        """One row per (location, product): the columns of :data:`FRAME_COLUMNS`.

        Text labels become categorical columns (fast, small); the frame is built with
        ``copy=False`` from fresh arrays, which skips pandas' block consolidation.
        """
        import pandas as pd

        nc, np_ = self.m.shape
        columns = {name: self.to_frame_column(name) for name in FRAME_COLUMNS
                   if name not in ("location", "product")}
        columns["location"] = _labels(self.locations, np.repeat(np.arange(nc), np_))
        columns["product"] = _labels(self.products, np.tile(np.arange(np_), nc))
        return pd.DataFrame({name: columns[name] for name in FRAME_COLUMNS}, copy=False)

    def to_arrow(self):
        """:meth:`to_frame` as a ``pyarrow.Table`` built straight from the arrays (no pandas).

        Text labels are dictionary columns (the Parquet writer stores them as such, and
        pandas reads them back as categoricals); the float columns wrap the result arrays
        without a copy. Built from buffers (:mod:`tradecoop.complexity.arrow`), so that
        pyarrow does not import pandas.
        """
        import pyarrow as pa

        from tradecoop.complexity import arrow

        nc, np_ = self.m.shape
        n = nc * np_
        columns = {}
        for name in FRAME_COLUMNS:
            if name == "year":
                columns[name] = pa.nulls(n) if self.year is None else arrow.from_values(np.full(n, self.year))
            elif name in ("location", "product"):
                labels = self.locations if name == "location" else self.products
                codes = np.repeat(np.arange(nc, dtype=np.int32), np_) if name == "location" \
                    else np.tile(np.arange(np_, dtype=np.int32), nc)
                if len(labels) and all(isinstance(x, str) for x in labels[:1000]):
                    columns[name] = arrow.dictionary(codes, labels)
                else:
                    columns[name] = arrow.from_values(labels[codes].tolist())
            elif name in ("value", "rca", "density", "cog"):
                columns[name] = arrow.from_numpy(getattr(self, "values" if name == "value" else name).reshape(-1))
            else:
                columns[name] = arrow.from_numpy(self.to_frame_column(name))
        return pa.table(columns)

    def eci_frame(self) -> pd.DataFrame:
        """``year, location, eci, diversity, coi`` sorted by ECI (highest first)."""
        import pandas as pd

        frame = pd.DataFrame({
            "year": self.year, "location": self.locations, "eci": self.eci,
            "diversity": self.diversity.astype(np.int64), "coi": self.coi,
        })
        return frame.sort_values("eci", ascending=False, kind="stable").reset_index(drop=True)

    def pci_frame(self) -> pd.DataFrame:
        """``year, product, pci, ubiquity`` sorted by PCI (highest first)."""
        import pandas as pd

        frame = pd.DataFrame({
            "year": self.year, "product": self.products, "pci": self.pci,
            "ubiquity": self.ubiquity.astype(np.int64),
        })
        return frame.sort_values("pci", ascending=False, kind="stable").reset_index(drop=True)


@dataclass(frozen=True, eq=False)
class ComplexityResult:
    """Complexity per year: ``years`` in order and ``by_year[year]`` a :class:`ComplexityYear`.

    ECI and PCI are standardised per year: they are not comparable across years or samples.
    """

    by_year: dict
    options: dict

    @property
    def years(self) -> list:
        return list(self.by_year)

    def __getitem__(self, year: object) -> ComplexityYear:
        return self.by_year[year]

    def only(self) -> ComplexityYear:
        """The single year's result (raises ValueError when there are several)."""
        if len(self.by_year) != 1:
            raise ValueError(f"result has {len(self.by_year)} years; index it by year")
        return next(iter(self.by_year.values()))

    def _concat(self, method: str) -> pd.DataFrame:
        import pandas as pd

        frames = [getattr(y, method)() for y in self.by_year.values()]
        return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]

    def to_frame(self) -> pd.DataFrame:
        """One row per (year, location, product) with :data:`FRAME_COLUMNS`.

        For panels the columns are concatenated year by year (no per-year frames, whose
        categorical label columns with different categories pandas would have to re-encode).
        """
        import pandas as pd

        years = list(self.by_year.values())
        if len(years) == 1:
            return years[0].to_frame()
        columns = {}
        for name in FRAME_COLUMNS:
            if name in ("location", "product"):
                columns[name] = _panel_labels(years, name)
                continue
            columns[name] = np.concatenate([y.to_frame_column(name) for y in years])
        return pd.DataFrame(columns, copy=False)

    def eci_frame(self) -> pd.DataFrame:
        """ECI per (year, location)."""
        return self._concat("eci_frame")

    def pci_frame(self) -> pd.DataFrame:
        """PCI per (year, product)."""
        return self._concat("pci_frame")

    def proximity(self, year: object = None) -> np.ndarray:
        """Proximity matrix of ``year`` (may be omitted for a single-year result)."""
        return (self.only() if year is None else self.by_year[year]).proximity()
