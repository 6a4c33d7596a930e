"""Reported figures: validation, versioning and audit, the seed, the brief's read function and
import/export (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest

from tradecoop.errors import ConflictError, DataValidationError, NotFoundError
from tradecoop.registry import repository as repo
from tradecoop.registry.io import export_file, export_records, import_file
from tradecoop.registry.records import check_period, period_end, to_dict
from tradecoop.registry.seed import figure_rows
from tradecoop.registry.service import RegistryService, reported_figures


def _figure(**overrides):
    data = {"metric": "turnover", "value": 230.8e6, "unit": "USD", "period": "2025H1",
            "parties": ["BLR", "RU-CHE"], "reporter": "Belarusian side", "source_publisher": "TASS",
            "source_url": "https://tass.ru/ekonomika/24754263", "source_date": "2025-08-11"}
    return data | overrides


def test_figure_is_versioned_and_audited(session):
    svc = RegistryService(session, actor="alice")
    f = svc.create("figure", _figure())
    assert (f.version, to_dict(f)["parties"]) == (1, [{"location": "BLR", "enterprise_id": None},
                                                      {"location": "RU-CHE", "enterprise_id": None}])
    f = svc.update("figure", f.id, {"value": 231e6, "note": "revised"}, version=1)
    assert (f.version, f.value) == (2, 231e6)
    with pytest.raises(ConflictError, match="version 2"):
        svc.update("figure", f.id, {"value": 1.0}, version=1)
    svc.delete("figure", f.id, version=2)
    log = repo.audit_entries(session, entity="figure", entity_id=f.id)
    assert [a.action for a in log] == ["delete", "update", "create"]
    assert log[1].before["value"] == 230.8e6 and log[1].after["value"] == 231e6
    with pytest.raises(NotFoundError):
        repo.get(session, "figure", f.id)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("value", float("nan"), "finite"), ("value", "inf", "finite"), ("value", None, "value"),
    ("value", True, "number"), ("metric", "Turn over", "metric"), ("period", "2025-2024", "forward"),
    ("period", "", "period"), ("parties", [], "at least one"), ("parties", ["XX-YYY"], "parties"),
    ("source_date", "11.08.2025", "YYYY-MM-DD"), ("unit", "", "unit"),
])
def test_bad_figures_are_rejected_naming_the_field(session, field, value, message):
    with pytest.raises(DataValidationError, match=message):
        RegistryService(session).create("figure", _figure(**{field: value}))


def test_a_figure_needs_a_source(session):
    with pytest.raises(DataValidationError, match="source"):
        RegistryService(session).create("figure", _figure(source_url=None, source_publisher=None))


def test_a_party_enterprise_must_exist(session):
    with pytest.raises(NotFoundError, match="enterprise 999"):
        RegistryService(session).create("figure", _figure(parties=[{"enterprise_id": 999}]))


@pytest.mark.parametrize(("period", "normalised", "end"), [
    ("2023", "2023", dt.date(2023, 12, 31)), ("2024h1", "2024H1", dt.date(2024, 6, 30)),
    ("2025Q3", "2025Q3", dt.date(2025, 9, 30)), ("2024M02", "2024M02", dt.date(2024, 2, 29)),
    ("2025M01-M10", "2025M01-M10", dt.date(2025, 10, 31)), ("2021-2025", "2021-2025", dt.date(2025, 12, 31)),
    ("Current", "current", None), ("within five years of 2025", "within five years of 2025", None),
])
def test_periods_are_normalised_and_end_on_their_last_day(period, normalised, end):
    assert check_period(period) == normalised
    assert period_end(normalised) == end


def test_conflicting_reports_are_kept_and_newest_comes_first(session):
    svc = RegistryService(session)
    old = svc.create("figure", _figure(period="2023", value=53e9, parties=["BLR", "RUS"], source_date="2024-12-05"))
    other = svc.create("figure", _figure(period="2023", value=54e9, parties=["BLR", "RUS"], source_date="2024-01-29"))
    regional = svc.create("figure", _figure())
    undated = svc.create("figure", _figure(period="2024", source_date=None, source_url="https://example.org/x"))
    assert [f["id"] for f in reported_figures(session, ("BLR", "RUS"))] == [old.id, other.id]
    assert [f["id"] for f in reported_figures(session, ("blr", "RU-CHE"))] == [regional.id, undated.id]
    every = reported_figures(session, ("RUS", "RU-CHE"), match="any")
    assert [f["id"] for f in every] == [regional.id, old.id, other.id, undated.id]
    assert every[0]["locations"] == ["BLR", "RU-CHE"] and every[0]["period_end"] == "2025-06-30"
    assert reported_figures(session, metrics=["exports"]) == []
    with pytest.raises(DataValidationError, match="locations"):
        reported_figures(session, ("Belarus",))


def test_reported_figures_reads_a_database_url(seeded_database_url):
    rows = reported_figures(seeded_database_url, locations=("BLR", "RU-CHE"))
    seeded = [r for r in figure_rows() if set(r["parties"].split(";")) >= {"BLR", "RU-CHE"}]
    assert len(rows) == len(seeded) > 0
    dates = [r["source_date"] for r in rows]
    assert dates == sorted(dates, reverse=True)
    assert all(r["source_url"] or r["source_publisher"] for r in rows)


def test_seed_figures_are_loaded_once_each(seeded_session):
    from tradecoop.registry.seed import load_seed

    assert load_seed(seeded_session)["figure"] == 0
    stored = {(f["metric"], f["period"], f["source_url"], f["value"]) for f in reported_figures(seeded_session)}
    assert stored == {(r["metric"], check_period(r["period"]), r["source_url"], float(r["value"])) for r in figure_rows()}


@pytest.mark.parametrize("suffix", [".json", ".csv"])
def test_figures_round_trip_through_export_and_import(session, tmp_path, suffix):
    from tradecoop.registry.db import make_engine, migrate, session_factory

    svc = RegistryService(session)
    e = svc.create("enterprise", {"name_en": "Test Works", "location": "BLR"})
    svc.create("figure", _figure(parties=[{"location": "BLR"}, {"enterprise_id": e.id}], note='say "hi", 1;2'))
    path = tmp_path / f"registry{suffix}"
    assert export_file(session, path)["figures"] == 1
    target = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    migrate(target)
    engine = make_engine(target)
    with session_factory(engine)() as other:
        RegistryService(other).create("enterprise", {"name_en": "Shifts the ids", "location": "RUS"})
        assert import_file(other, path)["figures"] == 1
        imported = export_records(other)["figures"][0]
    engine.dispose()
    original = export_records(session)["figures"][0]
    new_enterprise = imported["parties"][1]["enterprise_id"]
    assert new_enterprise != e.id  # remapped to the imported copy of the enterprise
    assert {**imported, "id": None, "parties": None} == {**original, "id": None, "parties": None}
