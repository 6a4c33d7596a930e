"""The workspace's partner index scores as the registry's ``partners_for_product`` does."""

from __future__ import annotations


def test_partner_index_gives_the_registry_answer_for_every_seed_code(tmp_path) -> None:
    from tradecoop.registry.db import make_engine, migrate, session_factory
    from tradecoop.registry.matching import partners_for_product
    from tradecoop.registry.repository import enterprises_by_location
    from tradecoop.registry.seed import load_seed
    from tradecoop.web.partners import partners

    url = f"sqlite:///{tmp_path / 'registry.sqlite3'}"
    migrate(url)
    engine = make_engine(url)
    with session_factory(engine)() as session:
        load_seed(session)
        session.commit()
        codes = sorted({p.hs_code for loc in ("BLR", "RU-CHE") for e in enterprises_by_location(session, loc)
                        for p in e.products})
        codes += ["8701", "870190", "84", "9999", "2710"]
        compared = 0
        for code in codes:
            for location in ("BLR", "RU-CHE"):
                frame = partners_for_product(session, code, location, top=5)
                expected = [(int(i), float(s)) for i, s in zip(frame["id"], frame["score"], strict=True)]
                assert partners(session, code, location, top=5) == expected, (code, location)
                compared += bool(expected)
    engine.dispose()
    assert compared >= 20  # the comparison covered real answers, not only empty ones
