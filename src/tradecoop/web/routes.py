"""Pages: sign-in, the language toggle, the pair overview, the opportunities explorer and the
enterprise directory. The tracker (agreements, projects) and user management are in
:mod:`tradecoop.web.tracker`."""

from __future__ import annotations

import csv
import io
import math
import re
import tempfile
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from tradecoop.errors import AuthError, NotFoundError, TradecoopError
from tradecoop.web import auth
from tradecoop.web import overview as ov
from tradecoop.web.core import WebRoute, read_db, render
from tradecoop.web.i18n import LANG_COOKIE, LANGS, label, request_lang

router = APIRouter(route_class=WebRoute, include_in_schema=False)

DEFAULT_PAIR = ("BLR", "RU-CHE")
Location = Annotated[str, Query(min_length=2, max_length=12, pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,3})?$")]
_LOCATION = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,3})?$")
#: rows of the explorer shown on the page (the CSV has them all)
EXPLORER_ROWS = 100
OPPORTUNITY_TYPES = ("supply", "localisation", "value_chain", "joint_entry", "co_production")
#: the engine's default weight preset (the brief's)
DEFAULT_WEIGHTS = "balanced"


def _user(request: Request) -> Any:
    with read_db(request) as session:
        return auth.current_user(request, session)


def _safe_next(target: str | None) -> str:
    """A local path to return to (never another site)."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


# --- sign-in, sign-out, language ------------------------------------------------------------------
@router.get("/signin", response_class=HTMLResponse)
def signin_page(request: Request, next: str | None = None) -> HTMLResponse:
    # start the default pair's overview while the user signs in (computed once per hour at most),
    # like the API's cache warm-up (TRADECOOP_WARM_CACHES)
    if request.app.state.settings.warm_caches:
        _compute_overview(request, *DEFAULT_PAIR)
    return render(request, "signin.html", {"next": _safe_next(next), "failed": False})


@router.post("/signin", response_class=HTMLResponse)
def signin(request: Request, token: Annotated[str, Form(max_length=200)] = "",
           csrf_token: Annotated[str, Form(max_length=200)] = "", next: Annotated[str, Form(max_length=2000)] = "/",
           ) -> Response:
    auth.check_csrf(request, {"csrf_token": csrf_token})
    with read_db(request) as session:
        try:
            _, web_session = auth.sign_in(request, session, token)
        except AuthError:
            return render(request, "signin.html", {"next": _safe_next(next), "failed": True}, status=401)
    response = RedirectResponse(_safe_next(next), status_code=303)
    auth.write_session(request, response, web_session)
    return response


@router.post("/signout")
def signout(request: Request, csrf_token: Annotated[str, Form(max_length=200)] = "") -> Response:
    auth.check_csrf(request, {"csrf_token": csrf_token})
    response = RedirectResponse("/signin", status_code=303)
    auth.write_session(request, response, None)
    return response


@router.get("/lang/{lang}")
def switch_language(request: Request, lang: str, next: str | None = None) -> Response:
    """Set the language cookie (it sticks) and go back to the page."""
    if lang not in LANGS:
        raise NotFoundError(f"language {lang!r}; known: {', '.join(LANGS)}")
    target = re.sub(r"([?&])lang=[a-z]{2}&?", r"\1", _safe_next(next)).rstrip("?&")
    response = RedirectResponse(target or "/", status_code=303)
    secure = request.app.state.settings.env != "development"
    response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, path="/", secure=secure, httponly=True, samesite="lax")
    return response


@router.get("/")
def home(request: Request) -> Response:
    _user(request)
    return RedirectResponse(f"/pairs/{DEFAULT_PAIR[0]}/{DEFAULT_PAIR[1]}", status_code=303)


# --- pair overview --------------------------------------------------------------------------------
def _pair(a: str, b: str) -> tuple[str, str]:
    from tradecoop.data.nomenclature.locations import resolve_location

    for code in (a, b):
        if not _LOCATION.match(code):
            raise NotFoundError(f"location {code!r}: use ISO codes such as BLR or RU-CHE")
    return resolve_location(a), resolve_location(b)


def _registry_revision(request: Request) -> tuple[str, int]:
    """The registry's revision: results that read the registry are kept per revision, so a write
    (a new enterprise, an accepted reported figure) is in the next overview and ranking."""
    from tradecoop.registry import repository as repo

    with read_db(request) as session:
        return repo.revision(session)


def _compute_overview(request: Request, a: str, b: str) -> Any:
    sessionmaker = request.app.state.sessionmaker
    revision = _registry_revision(request)

    def compute() -> tuple[Any, Any, Any]:
        from tradecoop.services.brief import build_brief
        from tradecoop.services.request import PairRequest

        brief = build_brief(PairRequest.of(a, b), with_potential=False)
        with sessionmaker() as session:
            partners = ov.named_partners(session, brief)
            ids = [p.id for found in partners.values() for people in found.values() for p in people]
            names = ov.enterprise_names(session, ids)
        return brief, partners, names

    return ov.BACKGROUND.submit(("overview", a, b, revision), compute, family=("overview", a, b))


@router.get("/pairs", response_class=HTMLResponse)
def pair_picker(request: Request, a: Location = DEFAULT_PAIR[0], b: Location = DEFAULT_PAIR[1]) -> Response:
    _user(request)
    a, b = _pair(a, b)
    return RedirectResponse(f"/pairs/{a}/{b}", status_code=303)


@router.get("/pairs/{a}/{b}", response_class=HTMLResponse)
def pair_overview(request: Request, a: str, b: str) -> HTMLResponse:
    user = _user(request)
    a, b = _pair(a, b)
    future = _compute_overview(request, a, b)
    return render(request, "pair.html", {"a": a, "b": b, **_overview_state(request, future, a, b)}, user=user)


@router.get("/pairs/{a}/{b}/body", response_class=HTMLResponse)
def pair_overview_body(request: Request, a: str, b: str) -> HTMLResponse:
    """The overview's content (htmx polls it while the brief is computed). With ``refresh=1`` (an
    earlier overview is on the page) it answers 204, which htmx leaves alone, until the new one is
    ready."""
    user = _user(request)
    a, b = _pair(a, b)
    future = _compute_overview(request, a, b)
    if request.query_params.get("refresh") and not future.done():
        return Response(status_code=204)
    return render(request, "pair_body.html", {"a": a, "b": b, **_overview_state(request, future, a, b)}, user=user)


def _overview_state(request: Request, future: Any, a: str, b: str) -> dict[str, Any]:
    if not future.done():
        # an overview of an earlier registry revision stands in while the new one is computed
        stale = ov.BACKGROUND.latest(("overview", a, b))
        if stale is None:
            return {"pending": True, "view": None, "failure": None}
        brief, partners, names = stale.result()
        return {"pending": True, "failure": None, "view": ov.overview(brief, partners, names, request_lang(request))}
    if future.exception() is not None:
        exc = future.exception()
        message = str(exc) if isinstance(exc, TradecoopError) else type(exc).__name__
        return {"pending": False, "view": None, "failure": message}
    brief, partners, names = future.result()
    return {"pending": False, "failure": None, "view": ov.overview(brief, partners, names, request_lang(request))}


@router.get("/pairs/{a}/{b}/brief.html", response_class=HTMLResponse)
def pair_brief_html(request: Request, a: str, b: str, edition: Annotated[str, Query(pattern="^(en|ru)$")] = "en",
                    ) -> Response:
    """The full brief (the briefing pack's HTML) in ``edition``, as a download."""
    import dataclasses

    from tradecoop.reports import render_html

    _user(request)
    a, b = _pair(a, b)
    brief = _compute_overview(request, a, b).result(timeout=120)[0]
    html = render_html(dataclasses.replace(brief, lang=edition))
    name = f"brief_{a}_{b}_{brief.year}_{edition}.html"
    return HTMLResponse(html, headers={"Content-Disposition": f'attachment; filename="{name}"'})


#: PDFs are laid out in their own thread (WeasyPrint takes seconds), kept ten minutes
PDF_JOBS = ov.Background(ttl=600, size=8)
_PDF_DIR: list[Path] = []


def _pdf_job(request: Request, a: str, b: str, edition: str) -> tuple[Any, Any]:
    """(overview future, PDF future): the PDF waits for the brief, then WeasyPrint lays it out."""
    import dataclasses

    overview = _compute_overview(request, a, b)

    def compute() -> Path:
        from tradecoop.reports import write_pdf

        brief = overview.result(timeout=900)[0]
        if not _PDF_DIR:
            _PDF_DIR.append(Path(tempfile.mkdtemp(prefix="tradecoop-web-pdf-")))
        return write_pdf(dataclasses.replace(brief, lang=edition), _PDF_DIR[0] / f"brief_{a}_{b}_{brief.year}_{edition}.pdf")

    return overview, PDF_JOBS.submit(("pdf", a, b, edition, _registry_revision(request)), compute)


Edition = Annotated[str, Query(pattern="^(en|ru)$")]


@router.get("/pairs/{a}/{b}/brief.pdf")
def pair_brief_pdf(request: Request, a: str, b: str, edition: Edition = "en") -> Response:
    """The brief as PDF once laid out; until then a page that shows the progress."""
    user = _user(request)
    a, b = _pair(a, b)
    overview, pdf = _pdf_job(request, a, b, edition)
    if pdf.done() and pdf.exception() is None:
        path = pdf.result()
        return FileResponse(path, media_type="application/pdf", filename=path.name)
    return render(request, "pdf.html", _pdf_state(a, b, edition, overview, pdf), user=user)


@router.get("/pairs/{a}/{b}/brief.pdf/status", response_class=HTMLResponse)
def pair_brief_pdf_status(request: Request, a: str, b: str, edition: Edition = "en") -> HTMLResponse:
    user = _user(request)
    a, b = _pair(a, b)
    overview, pdf = _pdf_job(request, a, b, edition)
    return render(request, "pdf_status.html", _pdf_state(a, b, edition, overview, pdf), user=user)


def _pdf_state(a: str, b: str, edition: str, overview: Any, pdf: Any) -> dict[str, Any]:
    failure = None
    if pdf.done() and pdf.exception() is not None:
        exc = pdf.exception()
        failure = str(exc) if isinstance(exc, TradecoopError) else type(exc).__name__
    stage = "ready" if pdf.done() else ("layout" if overview.done() else "brief")
    return {"a": a, "b": b, "edition": edition, "stage": stage, "failure": failure}


# --- opportunities explorer --------------------------------------------------------------------------
def _ranking(request: Request, a: str, b: str, weights: str = DEFAULT_WEIGHTS) -> Any:
    """The pair's full ranking under weight preset ``weights`` (rows with their HS section)."""
    def compute() -> list[dict[str, Any]]:
        from tradecoop.data.nomenclature.hs import hs_section
        from tradecoop.opportunities.weights import preset_weights
        from tradecoop.serialise import to_jsonable
        from tradecoop.services.opportunities import RankingOptions, pair_opportunities
        from tradecoop.services.request import PairRequest

        ranking = pair_opportunities(PairRequest.of(a, b), RankingOptions(top=None, weights=preset_weights(weights)))
        rows = to_jsonable(ranking.to_dict())["opportunities"]
        for row in rows:
            try:
                row["section"] = hs_section(row["product"])
            except TradecoopError:
                row["section"] = ""
        return rows

    return ov.BACKGROUND.submit(("ranking", a, b, weights, _registry_revision(request)), compute)


def _sector(name: str | None) -> str | None:
    """A sector preset of the brief (:mod:`tradecoop.reports.sectors`), or None for all."""
    from tradecoop.reports.sectors import SECTOR_PRESETS

    if name and name not in SECTOR_PRESETS:
        raise NotFoundError(f"no sector preset {name!r}; presets: {', '.join(SECTOR_PRESETS)}")
    return name or None


def hs_sections(lang: str) -> list[tuple[str, str]]:
    """(Roman numeral, name) of the 21 HS sections in ``lang``."""
    if lang not in _SECTIONS:
        from tradecoop.data.nomenclature.hs import product_name

        numerals = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX", "XXI"]
        _SECTIONS[lang] = [(n, product_name(n, lang)) for n in numerals]
    return _SECTIONS[lang]


_SECTIONS: dict[str, list[tuple[str, str]]] = {}


def _filtered(rows: list[dict[str, Any]], type_: str | None, direction: str | None, min_score: float | None,
              sort: str, section: str | None = None, sector: str | None = None) -> list[dict[str, Any]]:
    from tradecoop.reports.sectors import in_sectors

    out = [r for r in rows if (not type_ or r["type"] == type_) and (not direction or r["direction"] == direction)
           and (not section or r.get("section") == section)
           and (not sector or in_sectors(r["product"], (sector,)))
           and (min_score is None or (r["score"] is not None and r["score"] >= min_score))]
    if sort == "value":
        return sorted(out, key=lambda r: (-(r["value_usd"] or -math.inf), -r["score"], r["product"]))
    return sorted(out, key=lambda r: (-r["score"], r["product"]))


ExplorerType = Annotated[str | None, Query(pattern=r"^(|supply|localisation|value_chain|joint_entry|co_production)$")]
ExplorerDirection = Annotated[str | None, Query(pattern=r"^(|ab|ba)$")]
ExplorerSort = Annotated[str, Query(pattern=r"^(score|value)$")]
MinScore = Annotated[str | None, Query(max_length=12, pattern=r"^(|-?\d+(\.\d+)?)$")]
Section = Annotated[str | None, Query(max_length=5, pattern=r"^(|[IVX]{1,5})$")]
Sector = Annotated[str | None, Query(max_length=30, pattern=r"^(|[a-z_]+)$")]
Weights = Annotated[str, Query(pattern=r"^(low_hanging|balanced|long_jump|parsimonious|light_touch)$")]


@router.get("/opportunities", response_class=HTMLResponse)
def opportunities(request: Request, a: Location = DEFAULT_PAIR[0], b: Location = DEFAULT_PAIR[1],
                  type: ExplorerType = None, direction: ExplorerDirection = None, section: Section = None,
                  sector: Sector = None, min_score: MinScore = None, sort: ExplorerSort = "score",
                  weights: Weights = DEFAULT_WEIGHTS) -> HTMLResponse:
    from tradecoop.opportunities.weights import DIVERSIFICATION_PRESETS
    from tradecoop.reports.sectors import SECTOR_PRESETS

    user = _user(request)
    a, b = _pair(a, b)
    sector = _sector(sector)
    lang = request_lang(request)
    future = _ranking(request, a, b, weights)
    context: dict[str, Any] = {"a": a, "b": b, "type": type or "", "direction": direction or "",
                               "min_score": min_score or "", "sort": sort, "types": OPPORTUNITY_TYPES,
                               "section": section or "", "sections": hs_sections(lang), "sector": sector or "",
                               "sectors": [(k, v[1] if lang == "ru" else v[0]) for k, v in SECTOR_PRESETS.items()],
                               "weights": weights, "presets": list(DIVERSIFICATION_PRESETS),
                               "pending": not future.done(), "rows": [], "total": 0, "failure": None,
                               "query": request.url.query, "max_rows": EXPLORER_ROWS}
    if future.done():
        if future.exception() is not None:
            context["failure"] = str(future.exception())
        else:
            rows = _filtered(future.result(), type, direction, float(min_score) if min_score else None, sort,
                             section, sector)
            context.update(rows=rows[:EXPLORER_ROWS], total=len(rows))
    template = "opportunities_rows.html" if request.headers.get("hx-request") else "opportunities.html"
    return render(request, template, context, user=user)


@router.get("/opportunities.csv")
def opportunities_csv(request: Request, a: Location = DEFAULT_PAIR[0], b: Location = DEFAULT_PAIR[1],
                      type: ExplorerType = None, direction: ExplorerDirection = None, section: Section = None,
                      sector: Sector = None, min_score: MinScore = None, sort: ExplorerSort = "score",
                      weights: Weights = DEFAULT_WEIGHTS) -> Response:
    _user(request)
    a, b = _pair(a, b)
    rows = _filtered(_ranking(request, a, b, weights).result(timeout=120), type, direction,
                     float(min_score) if min_score else None, sort, section, _sector(sector))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["rank", "type", "direction", "source", "target", "product", "hs_section", "name_en", "name_ru",
                     "score", "value_usd", "value_method", "estimated", "weights"])
    for r in rows:
        writer.writerow([r["rank"], r["type"], r["direction"], r["source"], r["target"], r["product"], r["section"],
                         r["name_en"], r["name_ru"], r["score"], r["value_usd"], r["value_method"], r["estimated"],
                         weights])
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="opportunities_{a}_{b}.csv"'})


@router.get("/opportunities/{a}/{b}/{type_}/{direction}/{product}", response_class=HTMLResponse)
def opportunity(request: Request, a: str, b: str, type_: str, direction: str, product: str,
                weights: Weights = DEFAULT_WEIGHTS) -> HTMLResponse:
    from tradecoop.reports import charts
    from tradecoop.reports import i18n as bi
    from tradecoop.web.partners import partners

    user = _user(request)
    a, b = _pair(a, b)
    rows = _ranking(request, a, b, weights).result(timeout=120)
    found = [r for r in rows if r["type"] == type_ and r["direction"] == direction and r["product"] == product]
    if not found:
        raise NotFoundError(f"no {type_} opportunity {direction} for product {product} in {a}–{b}")
    opp = found[0]
    lang = request_lang(request)
    steps = sorted(opp["explanation"], key=lambda e: (-abs(e["contribution"] or 0), e["criterion"]))
    chart = charts.contribution_chart(
        chart_id="chart-explanation", title=label("opp.explanation", lang),
        desc=label("opp.explanation", lang), keys=[e["criterion"] for e in steps],
        labels=[bi.t_or(f"criterion.{e['criterion']}", lang, e["criterion"]) for e in steps],
        values=[e["contribution"] or 0.0 for e in steps], total=sum(e["contribution"] or 0.0 for e in steps),
        total_label=bi.t("chart.score_total", lang), x_label=bi.t("chart.contrib_axis", lang),
        caption=opp["value_method"][:120], value_format=lambda v: bi.format_number(v, lang, 3),
    )
    with read_db(request) as session:
        sides = {}
        for loc in (opp["source"], opp["target"]):
            found = partners(session, product, loc, top=5)
            names = ov.enterprise_names(session, [i for i, _ in found])
            sides[loc] = [{"id": i, "name": names.get(i, {}).get(lang, ""), "score": score} for i, score in found]
    return render(request, "opportunity.html", {"a": a, "b": b, "opp": opp, "steps": steps, "chart": chart,
                                                "sides": sides}, user=user)


# --- enterprises ------------------------------------------------------------------------------------
@router.get("/enterprises", response_class=HTMLResponse)
def enterprises(request: Request, q: Annotated[str, Query(max_length=200)] = "",
                location: Annotated[str, Query(max_length=12, pattern=r"^(|[A-Za-z]{2,3}(-[A-Za-z0-9]{1,3})?)$")] = "",
                nace: Annotated[str, Query(max_length=5, pattern=r"^(|\d{2}(\.\d{1,2})?)$")] = "",
                hs: Annotated[str, Query(max_length=10, pattern=r"^(|\d{2,10})$")] = "",
                offset: Annotated[int, Query(ge=0)] = 0) -> HTMLResponse:
    from tradecoop.registry import repository as repo

    user = _user(request)
    with read_db(request) as session:
        page = repo.list_enterprises(session, q=q.strip() or None, location=location.upper() or None,
                                     nace=nace or None, hs=hs or None, limit=50, offset=offset)
    context = {"items": page.items, "total": page.total, "q": q, "location": location, "nace": nace, "hs": hs,
               "offset": offset, "limit": 50}
    template = "enterprise_rows.html" if request.headers.get("hx-request") else "enterprises.html"
    return render(request, template, context, user=user)


@router.get("/enterprises/{enterprise_id:int}", response_class=HTMLResponse)  # not /enterprises/new
def enterprise(request: Request, enterprise_id: int) -> HTMLResponse:
    from tradecoop.registry import repository as repo
    from tradecoop.registry.matching import match_enterprise
    from tradecoop.web.related import for_enterprise

    user = _user(request)
    with read_db(request) as session:
        docs = repo.enterprise_documents(session, [enterprise_id])
        if enterprise_id not in docs:
            raise NotFoundError(f"no enterprise with id {enterprise_id}")
        matches = match_enterprise(session, enterprise_id, top=10)
        related = for_enterprise(session, enterprise_id)
        records = matches.to_dict("records")
        names = ov.enterprise_names(session, [int(r["id"]) for r in records if "id" in r])
    lang = request_lang(request)
    for r in records:
        r["display_name"] = names.get(int(r.get("id", 0)), {}).get(lang) or r.get("name_en", "")
    return render(request, "enterprise.html", {"e": docs[enterprise_id], "matches": records, "related": related},
                  user=user)
