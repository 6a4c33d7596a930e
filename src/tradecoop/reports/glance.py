"""The brief's one-page summary ("At a glance"): the best ideas with named enterprises.

Two sources of ideas, combined:

* **registry links**: an enterprise of one side makes an HS heading that an enterprise of the
  other side needs as an input (the curated registry: what each enterprise makes and buys, with
  a source URL). These are concrete — who could sign with whom — but say nothing about size.
* **engine ideas**: the opportunity engine's ranked candidates (supply, localisation, value
  chain, joint entry), each with its criteria and, where one is reliable, a value at stake.

A registry link the engine also ranks comes first; then links in order of how many enterprises
they connect; then engine ideas with at least one named maker. Directions alternate, so the five
ideas are not all one side's sales. Every idea names its enterprises with city, role (maker /
buyer / partner), website and the source of that fact, and carries one sentence of why and a
concrete next step, in English and Russian.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tradecoop.reports import model as m
from tradecoop.reports.sectors import in_sectors

#: ideas on the summary page
GLANCE_IDEAS = 5
#: enterprises named per side of one idea
NAMED_PER_SIDE = 3
#: engine types that can appear on the summary page (co-production rests on two-way flows)
_ENGINE_KINDS = {("supply", "ab"): "supply_ab", ("supply", "ba"): "supply_ba",
                 ("localisation", "ab"): "localisation_jv", ("value_chain", "ab"): "value_chain",
                 ("value_chain", "ba"): "value_chain", ("joint_entry", "ab"): "joint_entry"}


@dataclass(frozen=True)
class Firm:
    """A registered enterprise as plain data (read once from the registry)."""

    id: int
    name_en: str
    name_ru: str
    location: str
    city: str
    nace: str
    website: str
    source: str
    makes: tuple[str, ...]
    needs: tuple[str, ...]

    def ref(self, role: str) -> m.EnterpriseRef:
        return m.EnterpriseRef(self.name_en, self.name_ru or self.name_en, self.location, self.city, role,
                               self.website, self.source, self.id)


# --- ideas ----------------------------------------------------------------------------------


def build_ideas(
    a: str, b: str, ranking: Any, firms: dict[str, list[Firm]], names: dict[str, dict[str, str]],
    *, sectors: tuple[str, ...] = (), limit: int = GLANCE_IDEAS,
) -> tuple[m.Idea, ...]:
    """The best ``limit`` ideas for (a, b): registry links and engine ideas, directions alternating.

    ``names[lang][code]`` gives each location's name; ``ranking`` is an
    :class:`~tradecoop.opportunities.engine.OpportunityRanking` or None.
    """
    engine = _engine_index(ranking)
    year = int(ranking.year) if ranking is not None else None
    makers_of = {code: _by_heading(firms.get(code, []), "makes") for code in (a, b)}
    users_of = {code: _by_heading(firms.get(code, []), "needs") for code in (a, b)}
    candidates: list[tuple[tuple, m.Idea]] = []
    for supplier, buyer in ((a, b), (b, a)):
        for product, makers, users in _links(makers_of[supplier], users_of[buyer]):
            if not in_sectors(product, sectors):
                continue
            opp = engine.get((supplier, product))
            key = (0 if opp else 1, -(len(makers) + len(users)), product)
            candidates.append((key, _link_idea(product, supplier, buyer, makers, users, opp, names, year)))
    linked = {(i.supplier, i.product) for _, i in candidates}
    for opp in (ranking.opportunities if ranking is not None else ()):
        kind = _ENGINE_KINDS.get((opp.type, opp.direction))
        product = str(opp.product)[:4]
        if kind is None or (opp.source, product) in linked or not in_sectors(product, sectors):
            continue
        makers = makers_of.get(opp.source, {}).get(product, [])
        users = users_of.get(opp.target, {}).get(product, [])
        if not makers:
            continue
        candidates.append(((2, opp.rank, -len(users), product), _engine_idea(kind, opp, makers, users, names, year)))
        linked.add((opp.source, product))
    candidates.sort(key=lambda kv: kv[0])
    return _alternate([i for _, i in candidates], limit)


def _alternate(ideas: list[m.Idea], limit: int) -> tuple[m.Idea, ...]:
    """Take the best idea of each direction in turn (A->B, B->A, ...), distinct products."""
    by_dir: dict[str, list[m.Idea]] = {}
    for i in ideas:
        by_dir.setdefault(i.supplier, []).append(i)
    queues = sorted(by_dir.values(), key=lambda q: ideas.index(q[0]))
    out: list[m.Idea] = []
    seen: set[str] = set()
    while len(out) < limit and any(queues):
        for q in queues:
            while q and q[0].product in seen:
                q.pop(0)
            if q and len(out) < limit:
                idea = q.pop(0)
                out.append(idea)
                seen.add(idea.product)
    return tuple(out)


def _by_heading(firms: list[Firm], field: str) -> dict[str, list[Firm]]:
    """HS4 heading -> the firms that make (``field="makes"``) or need it, in registry order."""
    out: dict[str, list[Firm]] = {}
    for f in firms:
        for h in getattr(f, field):
            out.setdefault(h, []).append(f)
    return out


def _links(makers: dict[str, list[Firm]], users: dict[str, list[Firm]]) -> list[tuple[str, list[Firm], list[Firm]]]:
    """(heading, makers, users) for every heading one side makes and the other needs."""
    return [(h, makers[h], users[h]) for h in sorted(makers.keys() & users.keys())]


def _engine_index(ranking: Any) -> dict[tuple[str, str], Any]:
    """(supplier, HS4) -> the engine's best supply or value-chain opportunity for it."""
    out: dict[tuple[str, str], Any] = {}
    for opp in (ranking.opportunities if ranking is not None else ()):
        if opp.type in ("supply", "value_chain"):
            key = (opp.source, str(opp.product)[:4])
            if key not in out or opp.rank < out[key].rank:
                out[key] = opp
    return out


def short_name(product: str, lang: str) -> str:
    """The HS heading's name cut at its first clause: 'Flat-rolled products of iron or non-alloy steel'."""
    from tradecoop.data.nomenclature.hs import product_name
    from tradecoop.errors import TradecoopError
    from tradecoop.reports.names_ru import SHORT_PRODUCT_NAMES

    if product[:4] in SHORT_PRODUCT_NAMES:
        name = SHORT_PRODUCT_NAMES[product[:4]][1 if lang == "ru" else 0]
        return name[:1].upper() + name[1:]
    try:
        text = product_name(product, lang)
    except TradecoopError:
        return product
    for sep in (";", ":", ", ", " ("):
        head = text.split(sep)[0]
        if len(head) >= 12:
            text = head
            break
    return text if len(text) <= 90 else text[:87].rstrip() + "…"


def _refs(makers: list[Firm], users: list[Firm]) -> tuple[m.EnterpriseRef, ...]:
    return tuple([f.ref("maker") for f in makers[:NAMED_PER_SIDE]] + [f.ref("buyer") for f in users[:NAMED_PER_SIDE]])


def _names(firms: list[Firm], lang: str) -> str:
    shown = [(f.name_ru or f.name_en) if lang == "ru" else f.name_en for f in firms[:NAMED_PER_SIDE]]
    more = len(firms) - len(shown)
    if more > 0:
        shown.append(f"ещё {more}" if lang == "ru" else f"{more} more")
    return ", ".join(shown)


def _value(opp: Any, year: int | None) -> tuple[float | None, int | None, str, str, bool]:
    """(value, year, method, note, estimated) of an engine opportunity, or 'no reliable value'."""
    if opp is None:
        return None, None, "", "no_value.registry_only", False
    if "-" in str(opp.source) or "-" in str(opp.target):
        return None, None, "", "no_value.region", False
    value = getattr(opp, "value_usd", None)
    try:
        value = float(value) if value is not None else None
    except (TypeError, ValueError):
        value = None
    if value is None or value != value or value <= 0:
        return None, None, str(getattr(opp, "value_method", "")), "no_value.engine", False
    return value, year, _METHOD_KEYS.get(opp.type, str(opp.value_method)), "", bool(opp.estimated)


#: engine type -> catalogue key of its value method (the long method text stays in the annex)
_METHOD_KEYS = {"supply": "untapped_potential", "localisation": "third_country_imports",
                "value_chain": "io_weighted_flow", "joint_entry": "world_demand", "co_production": "two_way_flow"}


def _link_idea(product, supplier, buyer, makers, users, opp, names, year) -> m.Idea:
    value, value_year, method, note, estimated = _value(opp, year)
    why, step = {}, {}
    for lang in ("en", "ru"):
        pname = short_name(product, lang)
        s, t = names[lang][supplier], names[lang][buyer]
        more = len(users) - NAMED_PER_SIDE
        if lang == "ru":
            why[lang] = (f"Производители стороны «{s}» выпускают то, что покупатели стороны «{t}» "
                         "закупают как сырьё или комплектующие (реестр предприятий).")
            step[lang] = (f"Деловая встреча {users[0].name_ru or users[0].name_en} ↔ "
                          f"{makers[0].name_ru or makers[0].name_en} ({product}): объёмы и условия поставок.")
        else:
            why[lang] = f"The makers in {s} make what the buyers in {t} use as an input (enterprise registry)."
            step[lang] = (f"B2B meeting {users[0].name_en} ↔ {makers[0].name_en} on {pname.lower()} "
                          f"({product}): volumes and terms.")
        if opp is not None:  # the engine's rank and evidence say more than the registry sentence
            kind = kind_name(_engine_kind(opp), lang).format(a=s, b=t)
            why[lang] = (f"Модель: {opp.rank}-е место ({kind})." if lang == "ru"
                         else f"Engine: No. {opp.rank} ({kind}).") + evidence_sentence(opp, lang, s, t, year)
        if more > 0:
            why[lang] += (f" Ещё покупателей в реестре: {more}." if lang == "ru" else f" {more} more buyers registered.")
    return m.Idea("registry_link", product, short_name(product, "en"), short_name(product, "ru"),
                  supplier, buyer, _refs(makers, users), why, step, value, value_year, method, note, estimated,
                  evidence="registry" + (" + engine" if opp is not None else ""))


def _engine_idea(kind, opp, makers, users, names, year) -> m.Idea:
    product = str(opp.product)[:4]
    value, value_year, method, note, estimated = _value(opp, year)
    why, step = {}, {}
    for lang in ("en", "ru"):
        pname = short_name(product, lang)
        s, t = names[lang][opp.source], names[lang][opp.target]
        buyers = _names(users, lang) if users else (f"покупатели ({t})" if lang == "ru" else f"buyers in {t}")
        if lang == "ru":
            why[lang] = f"Модель: {opp.rank}-е место ({kind_name(_engine_kind(opp), 'ru').format(a=s, b=t)})."
            why[lang] += evidence_sentence(opp, lang, s, t, year)
            step[lang] = (f"Предложить {makers[0].name_ru or makers[0].name_en} переговоры с: {buyers} — "
                          f"{pname.lower()} ({product}).")
        else:
            why[lang] = f"Engine: No. {opp.rank} ({kind_name(_engine_kind(opp), 'en').format(a=s, b=t)})."
            why[lang] += evidence_sentence(opp, lang, s, t, year)
            step[lang] = f"Propose talks between {makers[0].name_en} and {buyers} on {pname.lower()} ({product})."
    return m.Idea(kind, product, short_name(product, "en"), short_name(product, "ru"), opp.source,
                  opp.target, _refs(makers, users), why, step, value, value_year, method, note, estimated,
                  evidence="engine")


def evidence_sentence(opp: Any, lang: str, src: str, dst: str, year: int | None) -> str:
    """The raw values of the engine's two strongest positive criteria, as one sentence."""
    from tradecoop.reports.raw_values import raw_text, side_names

    parts = sorted((p for p in getattr(opp, "explanation", ()) if (p.get("contribution") or 0) > 0),
                   key=lambda p: -p["contribution"])
    texts = [raw_text(p["criterion"], p.get("raw_value"), p.get("raw_unit", ""), lang,
                      *side_names(src, dst, str(opp.source), str(opp.target), p.get("proxy_of"), lang),
                      p.get("rca")) for p in parts[:2]]
    texts = [t for t in texts if t]
    if not texts:
        return ""
    text = "; ".join(texts)
    suffix = f" ({year})" if year else ""
    return " " + text[:1].upper() + text[1:] + suffix + "."


def _engine_kind(opp: Any) -> str:
    """The catalogue kind of an engine opportunity, direction included (supply A->B or B->A)."""
    if opp.type == "supply":
        return "supply_dir"
    return _ENGINE_KINDS.get((opp.type, opp.direction), opp.type)


def kind_name(kind: str, lang: str) -> str:
    """The kind's name in ``lang``; ``{a}``/``{b}`` left for the caller where the kind has them."""
    from tradecoop.reports import i18n

    if kind == "supply_dir":
        return "поставки {a} → {b}" if lang == "ru" else "supply {a} → {b}"
    return i18n.t(f"ideakind.{kind}", lang, a="{a}", b="{b}").strip()
