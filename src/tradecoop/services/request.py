"""One request from the edge down: the pair asked about, resolved once, and its shared data.

``PairRequest`` is what the CLI, the API and the web workspace build from what the user typed;
every service takes it instead of repeating ``a, b, year, store, lang`` keywords. ``PairData``
holds what the sections of one answer share: the store opened once and the registry's
enterprises of the pair read once (one query, products and sources loaded with it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tradecoop.errors import DataValidationError

if TYPE_CHECKING:
    from tradecoop.data.store import Store
    from tradecoop.reports.glance import Firm
    from tradecoop.reports.model import ReportedFigure

@dataclass(frozen=True)
class PairRequest:
    """The pair (A, B) as canonical location codes, with the options every service shares.

    Build it with :meth:`of`, which resolves codes and names (``"Belarus"``, ``"by"``,
    ``"Челябинская область"``) and checks the options once.
    """

    a: str
    b: str
    year: int | None = None
    store: Path | None = None
    lang: str = "en"
    sectors: tuple[str, ...] = ()

    @classmethod
    def of(cls, a: str, b: str, *, year: int | None = None, store: Path | str | None = None,
           lang: str = "en", sectors: tuple[str, ...] | str | None = ()) -> PairRequest:
        """Resolve ``a`` and ``b`` and check the options.

        >>> PairRequest.of("Belarus", "ru-che", sectors="vehicles")
        PairRequest(a='BLR', b='RU-CHE', year=None, store=None, lang='en', sectors=('vehicles',))

        Raises
        ------
        NotFoundError
            For a location that is not known (the message lists close matches).
        DataValidationError
            For the same location twice, an unknown language or sector preset, or a year
            outside 1900-2100.
        """
        from tradecoop.data.nomenclature.locations import resolve_location
        from tradecoop.reports.model import LANGS
        from tradecoop.reports.sectors import parse_sectors

        ra, rb = resolve_location(a), resolve_location(b)
        if ra == rb:
            raise DataValidationError(f"a pair needs two different locations; got {ra} twice")
        if lang not in LANGS:  # the brief's languages
            raise DataValidationError(f"unknown language {lang!r}; expected one of {', '.join(LANGS)}")
        if year is not None and not 1900 <= int(year) <= 2100:
            raise DataValidationError(f"year {year} is outside 1900-2100")
        chosen = parse_sectors(sectors if isinstance(sectors, str) or sectors is None else ",".join(sectors))
        return cls(ra, rb, None if year is None else int(year), None if store is None else Path(store), lang, chosen)

    @property
    def codes(self) -> tuple[str, str]:
        return self.a, self.b

    @property
    def regions(self) -> tuple[str, ...]:
        """The sides that are regions (ISO 3166-2 codes such as ``RU-CHE``)."""
        return tuple(c for c in self.codes if "-" in c)


@dataclass
class PairData:
    """What the sections of one answer share, loaded on first use and then kept.

    Not shared between requests or threads: the web workspace builds one per computation.
    """

    request: PairRequest
    _store: Any = field(default=None, repr=False)
    _registry: tuple[dict[str, list[Firm]], tuple[ReportedFigure, ...]] | None = field(default=None, repr=False)

    @property
    def store(self) -> Store:
        """The data store, opened once."""
        if self._store is None:
            from tradecoop.data.store import open_store

            self._store = open_store(self.request.store)
        return self._store

    def firms(self) -> dict[str, list[Firm]]:
        """Registered enterprises of each side (a country with those of its regions), read once."""
        return self._read_registry()[0]

    def reported(self) -> tuple[ReportedFigure, ...]:
        """The registry's reported figures of the pair or its countries, read once."""
        return self._read_registry()[1]

    def forget_registry(self) -> None:
        """Answer without the registry (it could not be read): no enterprises, no figures."""
        self._registry = ({c: [] for c in self.request.codes}, ())

    def _read_registry(self) -> tuple[dict[str, list[Firm]], tuple[ReportedFigure, ...]]:
        if self._registry is None:
            from tradecoop.registry.session import open_session
            from tradecoop.services.registry_reads import pair_firms, pair_reported_figures

            with open_session() as session:  # one session (one migration check) for both reads
                self._registry = (pair_firms(session, self.request.codes),
                                  pair_reported_figures(session, *self.request.codes))
        return self._registry
