"""Import/export round trips, registry-derived capabilities and partner lookups (SQLite and PostgreSQL)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from tradecoop.errors import DataValidationError, NotFoundError
from tradecoop.registry import models as m
from tradecoop.registry.io import export_file, export_records, import_file
from tradecoop.registry.matching import (
    WEIGHTS,
    MatchContext,
    match_enterprise,
    partners_for_product,
    resolve_enterprise,
)
from tradecoop.registry.service import RegistryService


def _add_linked_records(session) -> None:
    svc = RegistryService(session)
    a = svc.create("agreement", {"title": "Cooperation memo", "kind": "memorandum", "signed_date": "2024-06-27",
                                 "parties": [{"location": "BLR"}, {"location": "RU-CHE"}, {"enterprise_id": 5}]})
    p = svc.create("project", {"title": "Harvester kits", "kind": "co-production", "agreement_id": a.id,
                               "investment_amount": 1.5, "investment_currency": "USD", "products": ["8433"],
                               "parties": [{"enterprise_id": 5}, {"enterprise_id": 24}],
                               "milestones": [{"due_date": "2025-01-31", "done_date": None, "note": "first kits"}]})
    svc.create("event", {"title": "Forum of Regions", "kind": "forum", "date": "2024-06-27", "place": "Minsk",
                         "participants": [{"name": "Delegation", "location": "RU-CHE"}, {"enterprise_id": 24}],
                         "agreement_ids": [a.id], "project_ids": [p.id]})


@pytest.mark.parametrize("suffix", [".json", ".csv"])
def test_export_import_round_trip(seeded_session, session, tmp_path, suffix):
    _add_linked_records(seeded_session)
    original = export_records(seeded_session)
    path = tmp_path / f"registry{suffix}"
    counts = export_file(seeded_session, path)
    assert counts["enterprises"] == len(original["enterprises"]) and counts["events"] == 1
    imported = import_file(session, path)  # into an empty database
    assert imported == counts
    again = export_records(session)
    assert again == original  # same ids (fresh sequences), same fields, references remapped


def test_import_is_atomic_and_names_bad_lines(session, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "entity,name_en,location,products\n"
        "enterprise,Good One,BLR,8701\n"
        "enterprise,Bad Place,XX-QQQ,8701\n"
        "enterprise,Good Two,RU-CHE,8408\n"
        "enterprise,Bad Code,BLR,87x1\n"
        "planet,Mars,,\n",
        encoding="utf-8",
    )
    with pytest.raises(DataValidationError) as info:
        import_file(session, path)
    msg = str(info.value)
    assert "3 bad row(s)" in msg and "line 3" in msg and "line 5" in msg and "line 6" in msg
    assert "line 2" not in msg and "line 4" not in msg
    session.expire_all()
    assert session.scalar(select(func.count(m.Enterprise.id))) == 0  # nothing imported


def test_import_json_reports_record_lines(session, tmp_path):
    data = {"enterprises": [{"name_en": "Fine", "location": "BLR"}, {"name_en": "Broken", "location": "BLR", "nace": "machines"}]}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    # indent=2 layout: 1 "{", 2 "enterprises": [, 3 "{" (Fine), 4-5 fields, 6 "},", 7 "{" (Broken)
    with pytest.raises(DataValidationError, match=r"line 7 \(enterprise\).*nace"):
        import_file(session, path)


def test_partners_for_product(seeded_session):
    # hand check from seed/enterprises.csv, HS 840820 in RU-CHE:
    #   ChSDM makes 8429 (chapter 84: 30) and needs 8408 (heading: 40) -> 70
    #   ChTZ-Uraltrac makes 8408 (heading: 60; its 8429 adds no chapter points)  -> 60
    #   Ural Automotive Plant makes 8704 (chapter 87: 0) and needs 8408 (40)     -> 40
    got = partners_for_product(seeded_session, "840820", "RU-CHE")
    top3 = [(r.name_en, r.score) for r in got.head(3).itertuples()]
    assert top3 == [("Chelyabinsk Road-Construction Machinery Plant", 70.0), ("ChTZ-Uraltrac", 60.0),
                    ("Ural Automotive Plant", 40.0)]
    assert (got[["makes_heading", "makes_chapter", "needs_heading", "needs_chapter"]].sum(axis=1) == got["score"]).all()
    with pytest.raises(DataValidationError):
        partners_for_product(seeded_session, "84x", "RU-CHE")


def test_match_every_seeded_enterprise_reasons_add_up(seeded_session):
    ctx = MatchContext(io={("27t28", "29"): 0.151, ("27t28", "34t35"): 0.107})  # RUS values quoted by the bundle notes
    ids = seeded_session.scalars(select(m.Enterprise.id)).all()
    for rid in ids[:12]:
        frame = match_enterprise(seeded_session, rid, top=5, context=ctx)
        sums = frame[list(WEIGHTS)].sum(axis=1)
        assert ((frame["score"] - sums).abs() < 1e-9).all()
        assert list(frame["score"]) == sorted(frame["score"], reverse=True)
    target = resolve_enterprise(seeded_session, "Gomselmash")
    frame = match_enterprise(seeded_session, target.id, top=50, context=ctx)
    assert set(frame["location"]) == {"RU-CHE"}
    # hand check: MMK (NACE 24 -> WIOD 27t28) makes steel 7208 that Gomselmash (NACE 28 -> WIOD 29)
    # needs: direction 30; a(27t28 -> 29) = 0.151 >= 0.15 -> io 25. ChTZ makes engines 8408 that
    # Gomselmash needs: direction 30, same chapter 84 -> co-production 10, no io entry for 29 -> 29.
    top = frame.set_index("name_en")
    assert (top.loc["Magnitogorsk Iron and Steel Works", "direction"], top.loc["Magnitogorsk Iron and Steel Works", "io_complementarity"]) == (30.0, 25.0)
    assert (top.loc["ChTZ-Uraltrac", "direction"], top.loc["ChTZ-Uraltrac", "co_production"], top.loc["ChTZ-Uraltrac", "io_complementarity"]) == (30.0, 10.0, 0.0)
    with pytest.raises(NotFoundError):
        resolve_enterprise(seeded_session, "Qwertyuiop")


@pytest.mark.parametrize(("content", "message"), [
    (b"\xff\xfe\x00e\x00n", "not UTF-8"),
    (b'{"enterprises": {"name_en": "X"}}', "must be a list"),
    (b'{"enterprises": ["X"]}', "must be an object"),
    (b"entity,name_en\nenterprise,A\x00B\n", "line"),
])
def test_malformed_files_are_one_clear_error(session, tmp_path, content, message):
    path = tmp_path / ("bad.csv" if content.startswith(b"entity") else "bad.json")
    path.write_bytes(content)
    with pytest.raises(DataValidationError, match=message):
        import_file(session, path)
    assert session.scalar(select(func.count(m.Enterprise.id))) == 0
