"""PairRequest: the pair resolved once, options checked once; PairData reads the registry once."""

from __future__ import annotations

import pytest

from tradecoop.errors import DataValidationError, NotFoundError
from tradecoop.services.request import PairData, PairRequest


def test_names_and_codes_resolve_to_canonical_codes():
    req = PairRequest.of("Belarus", "Челябинская область", year="2017", sectors="vehicles, metallurgy")
    assert (req.a, req.b, req.year, req.sectors) == ("BLR", "RU-CHE", 2017, ("vehicles", "metallurgy"))
    assert req.regions == ("RU-CHE",)
    assert PairRequest.of("by", "RUS", sectors=("vehicles",)).sectors == ("vehicles",)


@pytest.mark.parametrize(("a", "b", "options", "error", "match"), [
    ("BLR", "Belarus", {}, DataValidationError, "two different locations"),
    ("BLR", "RUS", {"lang": "de"}, DataValidationError, "unknown language 'de'"),
    ("BLR", "RUS", {"sectors": "cars"}, DataValidationError, "unknown sector cars"),
    ("BLR", "RUS", {"sectors": ("cars",)}, DataValidationError, "unknown sector cars"),
    ("BLR", "RUS", {"year": 17}, DataValidationError, "outside 1900-2100"),
    ("BLR", "Atlantis", {}, NotFoundError, "unknown location 'Atlantis'"),
])
def test_bad_requests_say_what_was_expected(a, b, options, error, match):
    with pytest.raises(error, match=match):
        PairRequest.of(a, b, **options)


def test_request_is_frozen():
    req = PairRequest.of("BLR", "RUS")
    with pytest.raises(AttributeError):
        req.a = "KAZ"  # type: ignore[misc]


def test_pair_data_reads_the_registry_once(monkeypatch):
    from tradecoop.services import registry_reads

    calls = []

    def firms(session, codes):
        calls.append(tuple(codes))
        return {c: [] for c in codes}

    monkeypatch.setattr(registry_reads, "pair_firms", firms)
    monkeypatch.setattr(registry_reads, "pair_reported_figures", lambda session, a, b: ())
    data = PairData(PairRequest.of("BLR", "RU-CHE"))
    assert data.firms() == {"BLR": [], "RU-CHE": []} and data.reported() == ()
    data.firms()
    assert calls == [("BLR", "RU-CHE")]
