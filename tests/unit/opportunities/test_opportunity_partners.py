"""Partner lists: makers only on the supplying side, buyers on the buying side of supply."""

from __future__ import annotations

import contextlib

import pandas as pd

from tradecoop.opportunities import rank_opportunities
from tradecoop.services import opportunities as service


def _fake_registry(monkeypatch) -> None:
    # Belarus: MAZ needs steel bars (7214), BMZ makes them; Russia: a mill makes them, a truck plant needs them,
    # a wire plant needs only something of the same chapter (not a buyer)
    firms = {
        "AAA": [("MAZ", 0, 0, 40, 0), ("BMZ", 60, 0, 0, 0)],
        "BBB": [("Mill", 60, 0, 0, 0), ("KAMAZ", 0, 0, 40, 0), ("Wire", 0, 0, 0, 20)],
    }

    def partners_for_product(_session, hs, location, *, top=10):
        rows = [{"id": i, "name_en": n, "location": location, "city": "c", "makes_heading": mh, "makes_chapter": mc,
                 "needs_heading": nh, "needs_chapter": nc, "score": mh + mc + nh + nc}
                for i, (n, mh, mc, nh, nc) in enumerate(firms.get(location, []))]
        return pd.DataFrame(rows).sort_values("score", ascending=False).head(top)

    import tradecoop.registry.matching as matching
    import tradecoop.registry.session as registry_session

    monkeypatch.setattr(matching, "partners_for_product", partners_for_product)
    monkeypatch.setattr(registry_session, "open_session", lambda: contextlib.nullcontext(None))


def test_suppliers_are_makers_and_buyers_need_the_product(toy_context, monkeypatch) -> None:
    _fake_registry(monkeypatch)
    ranking = service.attach_partners(rank_opportunities(toy_context, types=["supply"]))
    for o in ranking.opportunities:
        makers = {"AAA": "BMZ", "BBB": "Mill"}
        buyers = {"AAA": "MAZ", "BBB": "KAMAZ"}
        assert [p.split(" (")[0] for p in o.partners_source] == [makers[o.source]]
        assert [p.split(" (")[0] for p in o.partners_target] == [buyers[o.target]]
        assert o.partners == o.partners_source + o.partners_target
