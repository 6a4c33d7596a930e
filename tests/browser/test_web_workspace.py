"""The web workspace in a real browser (Chromium through Playwright): sign-in, the pages in both
languages, filters, search, the tracker, optimistic concurrency, roles and CSRF."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from pathlib import Path
from typing import Any

import httpx

#: seconds a page may take to show a computed result (brief and ranking, computed once per server)
COMPUTE_TIMEOUT_MS = 180_000

#: Latin words allowed on a Russian page outside elements marked translate="no": names of
#: standards, codes and formats that Russian texts write in Latin letters too
ALLOWED_LATIN = {"tradecoop", "b2b", "api", "html", "csv", "pdf", "nace", "hs", "iso", "url", "blr", "rus", "ru", "che",
                 "en", "usd", "rca", "pci", "cog", "log", "bec", "eci", "hhi", "tc", "tii", "v1", "ru-che"}

#: location codes (ISO 3166-1 alpha-3, ISO 3166-2) are codes, not English words
ISO_CODE = re.compile(r"^[A-Z]{3}$|^[A-Z]{2}-[A-Z0-9]{1,3}$")

LATIN_WORDS_JS = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest('[translate="no"], script, style, svg, [hidden]')) continue;
    if (el.offsetParent === null && getComputedStyle(el).position !== 'fixed') continue;
    out.push(node.textContent);
  }
  for (const el of document.querySelectorAll('[aria-label], [placeholder], input[type=submit]')) {
    if (!el.closest('[translate="no"]')) out.push(el.getAttribute('aria-label') || el.getAttribute('placeholder') || el.value || '');
  }
  return out.join(' ');
}"""


def _shot(page: Any, shots: Path | None, name: str) -> None:
    if shots is not None:
        page.screenshot(path=str(shots / f"{name}.png"), full_page=True)


def _english_words(page: Any) -> set[str]:
    text = page.evaluate(LATIN_WORDS_JS)
    words = set(re.findall(r"[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*", text)) - {w for w in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
    return {w for w in words if w.lower() not in ALLOWED_LATIN and not ISO_CODE.match(w)}


def test_nothing_visible_without_signing_in_and_a_wrong_token_is_refused(browser: Any, server: dict,
                                                                         shots: Path | None) -> None:
    context = browser.new_context(base_url=server["base"], locale="en-GB")
    page = context.new_page()
    for path in ("/", "/pairs/BLR/RU-CHE", "/enterprises", "/projects", "/opportunities"):
        page.goto(path)
        assert "/signin" in page.url, path
        assert page.get_by_label("Your access token").is_visible()
    _shot(page, shots, "signin_en")
    page.get_by_label("Your access token").fill("tc_000000000000_not-a-token")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").inner_text().startswith("This token is not valid")
    # by keyboard alone: the skip link first, then the language toggle, then the token field
    page.locator("body").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "token"
    page.keyboard.type(server["tokens"]["viewer"])
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/opportunities$"))  # back to the last page asked for
    cookie = next(c for c in context.cookies() if c["name"] == "tradecoop_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    context.close()


def test_pair_overview_names_enterprises_in_both_languages(sign_in: Any, shots: Path | None) -> None:
    page = sign_in("editor")
    page.goto("/pairs/BLR/RU-CHE")
    links = page.locator("ol.ideas a.enterprise")
    links.first.wait_for(timeout=COMPUTE_TIMEOUT_MS)
    english = links.all_inner_texts()
    assert len(english) >= 3 and all(name.strip() for name in english)
    # the latest reported figures, each with who stated it and a link to where
    reported = page.locator("table.reported tbody tr")
    assert reported.count() >= 1 and reported.first.locator("a[href^='http']").count() == 1
    assert page.locator("h1").inner_text() == "Belarus and Chelyabinsk Oblast: at a glance"  # names, not codes
    _shot(page, shots, "pair_en")
    page.set_viewport_size({"width": 768, "height": 1024})  # a tablet: nothing wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 768
    _shot(page, shots, "pair_tablet_en")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name="Русский").click()
    page.locator("ol.ideas a.enterprise").first.wait_for(timeout=COMPUTE_TIMEOUT_MS)
    assert re.search("[а-я]", page.locator("h1").inner_text()) and "кратко" in page.locator("h1").inner_text()
    russian = page.locator("ol.ideas a.enterprise").all_inner_texts()
    assert len(russian) == len(english) and any(re.search("[А-Яа-я]", n) for n in russian)
    _shot(page, shots, "pair_ru")
    page.locator("ol.ideas a.enterprise").first.click()  # a named enterprise opens its page
    assert re.search(r"/enterprises/\d+$", page.url)
    assert page.locator("h1").inner_text() == russian[0]
    page.get_by_role("link", name="English").click()


def test_pair_overview_of_two_countries_has_turnover_and_structure(sign_in: Any, shots: Path | None) -> None:
    page = sign_in("viewer")
    page.goto("/pairs?a=BLR&b=RUS")  # the picker's form
    page.wait_for_url(re.compile(r"/pairs/BLR/RUS$"))
    chart = page.locator("#chart-turnover")
    chart.wait_for(timeout=COMPUTE_TIMEOUT_MS)
    assert "Trade between Belarus and Russia" in chart.inner_html()
    assert page.locator("table.structure").count() == 2  # each way
    assert page.locator("table.structure").first.locator("tr").count() >= 3
    _shot(page, shots, "pair_country_en")


def test_brief_pdf_is_made_in_the_background_with_progress(sign_in: Any, shots: Path | None) -> None:
    page = sign_in("viewer", lang="ru")
    page.goto("/pairs/BLR/RU-CHE")
    page.get_by_role("link", name="PDF, русский").click(timeout=COMPUTE_TIMEOUT_MS)
    page.wait_for_url(re.compile(r"/pairs/BLR/RU-CHE/brief\.pdf\?edition=ru$"))
    assert "Шаг" in page.get_by_role("status").first.inner_text()  # progress, not a frozen page
    assert page.context.request.get("/enterprises").status == 200  # others are served meanwhile
    link = page.locator("#pdf-link")
    link.wait_for(timeout=COMPUTE_TIMEOUT_MS)
    _shot(page, shots, "pdf_ru")
    pdf = page.context.request.get(link.get_attribute("href"))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF") and len(pdf.body()) > 20_000


def test_filter_opportunities_and_open_one(sign_in: Any, shots: Path | None) -> None:
    page = sign_in("viewer")
    page.goto("/opportunities?a=BLR&b=RU-CHE")
    page.locator("#opp-count").wait_for(timeout=COMPUTE_TIMEOUT_MS)
    everything = int(re.search(r"\d+", page.locator("#opp-count").inner_text()).group())
    page.get_by_label("Type").select_option("supply")
    page.get_by_label("Direction").select_option("ab")
    page.get_by_label("Minimum score").fill("0.5")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r"min_score=0\.5"))
    rows = page.locator("table.opps tbody tr")
    rows.first.wait_for()
    filtered = int(re.search(r"\d+", page.locator("#opp-count").inner_text()).group())
    assert 0 < filtered < everything
    for row in rows.all():
        assert row.get_attribute("data-type") == "supply" and row.get_attribute("data-direction") == "ab"
        assert float(row.get_attribute("data-score")) >= 0.5
    _shot(page, shots, "opportunities_en")
    # a sector preset of the brief: agricultural machinery (harvesters 8433, tractors 8701...)
    sector = page.context.request.get("/opportunities?a=BLR&b=RU-CHE&sector=agri_machinery").text()
    products = re.findall(r'data-product="(\d+)"', sector)
    assert products and all(p.startswith(("8432", "8433", "8434", "8435", "8436", "8437", "8701", "8716"))
                            for p in products)
    csv = page.context.request.get(page.locator("a[download]").get_attribute("href"))
    lines = csv.text().strip().splitlines()
    assert csv.status == 200 and len(lines) == filtered + 1 and all(",supply,ab," in line for line in lines[1:])
    page.get_by_label("HS section").select_option("XVI")  # machinery: a narrower view, changed at once
    page.wait_for_url(re.compile(r"section=XVI"))
    page.wait_for_function("[...document.querySelectorAll('table.opps tbody tr')].every(r => r.dataset.section === 'XVI')")
    assert 0 < int(re.search(r"\d+", page.locator("#opp-count").inner_text()).group()) <= filtered
    product = rows.first.locator("a").inner_text().split()[0]
    rows.first.locator("a").click()
    page.wait_for_url(re.compile(rf"/opportunities/BLR/RU-CHE/supply/ab/{product}$"))
    assert product.startswith(("84", "85"))
    assert page.locator("h1").inner_text().startswith(product)
    assert page.locator("#chart-explanation [data-criterion]").count() >= 2
    assert page.locator("section", has_text="Partner enterprises").locator(".card h3").all_inner_texts() == [
        "Enterprises in BLR", "Enterprises in RU-CHE"]
    _shot(page, shots, "opportunity_en")
    page.get_by_role("link", name="Русский").click()
    assert "Из чего складывается оценка" in page.content()
    _shot(page, shots, "opportunity_ru")
    page.goto("/opportunities?a=BLR&b=RU-CHE")
    page.locator("#opp-count").wait_for()
    _shot(page, shots, "opportunities_ru")
    page.get_by_role("link", name="English").click()


def test_search_in_any_spelling_reaches_the_same_page(sign_in: Any, shots: Path | None) -> None:
    page = sign_in("viewer")
    reached = []
    for spelling in ("Гомсельмаш", "Homselmash"):
        page.goto("/enterprises")
        page.get_by_label("Name in any spelling").fill(spelling)
        page.get_by_role("button", name="Search").click()
        page.wait_for_url(re.compile(r"q="))
        page.locator("table.enterprises a.enterprise").first.click()
        page.wait_for_url(re.compile(r"/enterprises/\d+$"))
        reached.append(page.url)
    assert reached[0] == reached[1]
    assert "Gomselmash" in page.locator("h1").inner_text()
    assert page.locator("section", has_text="Best-matching partners").locator("a.enterprise").count() >= 3
    _shot(page, shots, "enterprise_en")
    page.goto("/enterprises")
    _shot(page, shots, "enterprises_en")


def _new_project(page: Any, title: str, due: str) -> int:
    page.goto("/projects")
    page.get_by_role("link", name="New project").click()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Kind").select_option("co-production")
    page.get_by_label("Parties").fill("BLR, RU-CHE")
    page.locator("#due_date_0").fill(due)
    page.locator("#note_0").fill("feasibility study")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/projects/\d+$"))
    return int(page.url.rsplit("/", 1)[1])


def test_editor_creates_a_project_with_an_overdue_milestone(sign_in: Any, shots: Path | None) -> None:
    page = sign_in("editor")
    past = (dt.date.today() - dt.timedelta(days=30)).isoformat()
    project_id = _new_project(page, "Harvester cabs co-production", past)
    flag = page.locator("table.milestones tr.overdue .flag-overdue")
    assert flag.inner_text() == "overdue"
    # red: the row's background and the flag's colour
    assert flag.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(161, 18, 18)"
    _shot(page, shots, "project_en")
    page.goto("/projects")
    row = page.locator("tr.overdue", has_text="Harvester cabs co-production")
    assert row.locator(".flag-overdue").is_visible()
    _shot(page, shots, "projects_en")
    page.get_by_role("link", name="Русский").click()
    assert page.locator("tr.overdue .flag-overdue").first.inner_text() == "просрочено"
    _shot(page, shots, "projects_ru")
    page.goto(f"/projects/{project_id}")
    _shot(page, shots, "project_ru")
    page.goto(f"/projects/{project_id}/edit")
    _shot(page, shots, "project_form_ru")
    page.get_by_role("link", name="English").click()
    _shot(page, shots, "project_form_en")


def _save_stage(page: Any, stage: str, field: str = "Stage", button: str = "Save") -> Any:
    page.get_by_label(field).fill(stage)
    with page.expect_response(re.compile(r"/edit$")) as answer:
        page.get_by_role("button", name=button).click()
    return answer.value


def test_second_of_two_browsers_editing_one_record_gets_the_conflict_screen(sign_in: Any, shots: Path | None) -> None:
    first, second = sign_in("editor"), sign_in("editor", lang="ru")
    project_id = _new_project(first, "Joint tractor assembly", "2031-06-30")
    for page in (first, second):
        page.goto(f"/projects/{project_id}/edit")
    assert _save_stage(first, "signed").status == 303
    first.wait_for_url(re.compile(rf"/projects/{project_id}$"))
    assert _save_stage(second, "negotiation", "Стадия", "Сохранить").status == 409
    assert second.locator("h1").inner_text() == "Запись уже сохранил кто-то другой"
    changed = second.locator("table.conflict tbody tr", has_text="Стадия")
    assert changed.locator("td").all_inner_texts() == ["signed", "negotiation"]
    _shot(second, shots, "conflict_ru")
    stored = second.context.request.get(f"/projects/{project_id}").text()
    assert ">signed<" in stored and "negotiation" not in stored  # nothing overwritten silently
    second.get_by_role("button", name="Применить мои значения к текущей версии").click()
    second.wait_for_url(re.compile(rf"/projects/{project_id}$"))
    assert "negotiation" in second.locator("dl.facts").inner_text()
    # and the other way round, in English: the first browser's form is now two versions old
    first.goto(f"/projects/{project_id}/edit")
    second.goto(f"/projects/{project_id}/edit")
    assert _save_stage(second, "closed", "Стадия", "Сохранить").status == 303
    assert _save_stage(first, "suspended").status == 409
    assert first.locator("h1").inner_text() == "Someone else saved this record first"
    _shot(first, shots, "conflict_en")
    first.get_by_role("link", name="Discard my changes").click()
    assert "closed" in first.locator("dl.facts").inner_text()
    # closing: a button on the page (its version checked like an edit); then no button
    first.goto(f"/projects/{project_id}/edit")
    assert _save_stage(first, "signed").status == 303
    first.get_by_role("button", name="Close").click()
    first.wait_for_url(re.compile(rf"/projects/{project_id}$"))
    assert "closed" in first.locator("dl.facts").inner_text()
    assert first.get_by_role("button", name="Close").count() == 0


def test_editor_creates_and_edits_an_enterprise_found_by_any_spelling(sign_in: Any) -> None:
    page = sign_in("editor")
    page.goto("/enterprises")
    page.get_by_role("link", name="New enterprise").click()
    page.get_by_label("Name in English").fill("Zhlobin Test Works")
    page.get_by_label("Name in Russian").fill("Жлобинский опытный завод")
    page.get_by_label("Location").fill("BLR")
    page.get_by_label("Products").fill("8433, 8708")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/enterprises/\d+$"))
    enterprise_url = page.url
    assert page.locator("h1").inner_text() == "Zhlobin Test Works"
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("City").fill("Zhlobin")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(enterprise_url)
    assert "Zhlobin" in page.locator("p.meta").inner_text()
    page.goto("/enterprises?q=" + "Жлобинский опытный")  # the search index follows the write
    page.locator("table.enterprises a.enterprise").first.click()
    assert page.url == enterprise_url
    # a project with the enterprise as a party: linked both ways
    enterprise_id = enterprise_url.rsplit("/", 1)[1]
    page.goto("/projects/new")
    page.get_by_label("Title").fill("Zhlobin cabs")
    page.get_by_label("Parties").fill(f"RU-CHE, #{enterprise_id}")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/projects/\d+$"))
    page.locator("dl.facts a", has_text="Zhlobin Test Works").click()
    assert page.url == enterprise_url
    assert page.locator("ul.related a", has_text="Zhlobin cabs").count() == 1


def test_viewer_sees_no_edit_controls_and_a_forged_post_is_forbidden(sign_in: Any, server: dict) -> None:
    page = sign_in("viewer")
    page.goto("/enterprises")
    assert page.get_by_role("link", name="New enterprise").count() == 0
    page.locator("table.enterprises a.enterprise").first.click()
    assert page.get_by_role("link", name="Edit").count() == 0
    with contextlib.closing(server["sign_in_http"]("editor")) as editor:  # a project to try it on
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', editor.get("/projects/new").text).group(1)
        made = editor.post("/projects/new", data={"csrf_token": csrf, "kind": "investment",
                                                  "title": "Viewer test <script>window.pwned = 1</script>"})
        assert made.status_code == 303, made.text[:300]
        project_id = int(made.headers["location"].rsplit("/", 1)[1])
    page.goto("/projects")
    assert page.get_by_role("link", name="New project").count() == 0
    page.goto(f"/projects/{project_id}")
    assert page.locator("h1").inner_text() == "Viewer test <script>window.pwned = 1</script>"  # escaped
    assert page.evaluate("window.pwned") is None
    assert page.get_by_role("link", name="Edit").count() == 0
    csrf = page.locator("input[name=csrf_token]").first.get_attribute("value")  # the viewer's own valid token
    forged = page.context.request.post(f"/projects/{project_id}/edit", max_redirects=0,
                                       form={"csrf_token": csrf, "version": "1", "title": "forged", "kind": "investment"})
    assert forged.status == 403
    created = page.context.request.post("/projects/new", max_redirects=0,
                                        form={"csrf_token": csrf, "title": "forged", "kind": "investment"})
    assert created.status == 403
    page.goto("/projects")
    assert "forged" not in page.content()


def test_a_post_without_the_csrf_token_is_refused(sign_in: Any, server: dict) -> None:
    page = sign_in("editor")
    for form in ({"title": "no token", "kind": "investment"},
                 {"title": "wrong token", "kind": "investment", "csrf_token": "x" * 43}):
        answer = page.context.request.post("/projects/new", form=form, max_redirects=0)
        assert answer.status == 403 and "form token" in answer.text()
    # and from another site's page: the browser sends the cookie (SameSite=Lax lets no POST through
    # from other sites, but the token check stands on its own): still 403 without the token
    with contextlib.closing(server["sign_in_http"]("editor")) as client:
        assert client.post("/projects/new", data={"title": "x", "kind": "investment"}).status_code == 403
        assert client.post("/signout").status_code == 403
    page.goto("/projects")
    assert "no token" not in page.content() and "wrong token" not in page.content()


def test_admin_deactivates_a_user_and_reissues_a_token(sign_in: Any, browser: Any, server: dict) -> None:
    admin = sign_in("admin")
    admin.goto("/admin/users")
    admin.get_by_label("Name").fill("web-temporary")
    admin.get_by_label("Role").select_option("viewer")
    admin.get_by_role("button", name="Create a user").click()
    token = admin.locator("code.token").inner_text()  # shown once, whole
    assert re.fullmatch(r"tc_[0-9a-f]{12}_[A-Za-z0-9_-]{43}", token)
    other = browser.new_context(base_url=server["base"], locale="en-GB").new_page()
    other.goto("/signin")
    other.get_by_label("Your access token").fill(token)
    other.get_by_role("button", name="Sign in").click()
    other.wait_for_url(re.compile(r"/pairs/"))
    row = admin.locator('tr[data-user="web-temporary"]')
    row.get_by_role("button", name="New token").click()
    new_token = admin.locator("code.token").inner_text()
    assert new_token != token
    other.goto("/projects")  # the old token's session ended with it
    assert "/signin" in other.url
    other.get_by_label("Your access token").fill(token)
    other.get_by_role("button", name="Sign in").click()
    assert other.get_by_role("alert").is_visible()
    other.get_by_label("Your access token").fill(new_token)
    other.get_by_role("button", name="Sign in").click()
    other.wait_for_url(re.compile(r"/projects$"))
    admin.locator('tr[data-user="web-temporary"]').get_by_role("button", name="Deactivate").click()
    assert admin.locator('tr[data-user="web-temporary"] td').nth(3).inner_text() == "no"
    other.goto("/enterprises")  # a deactivated user is signed out at the next request
    assert "/signin" in other.url
    other.context.close()


def test_russian_pages_have_no_english_words(sign_in: Any, shots: Path | None) -> None:
    page = sign_in("admin", lang="ru")  # Accept-Language: ru
    assert page.locator("html").get_attribute("lang") == "ru"
    page.locator("ol.ideas a.enterprise").first.wait_for(timeout=COMPUTE_TIMEOUT_MS)
    pages = ["/pairs/BLR/RU-CHE", "/opportunities?a=BLR&b=RU-CHE", "/enterprises", "/enterprises?q=Гомсельмаш",
             "/agreements", "/projects", "/projects/new", "/admin/users", "/agreements/1", "/news?status=all"]
    for path in pages:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        assert _english_words(page) == set(), path
    for path, name in (("/enterprises", "enterprises_ru"), ("/agreements", "agreements_ru"), ("/admin/users", "users_ru")):
        page.goto(path)
        _shot(page, shots, name)
    page.goto("/enterprises?q=Гомсельмаш")
    page.locator("table.enterprises a.enterprise").first.click()
    assert _english_words(page) == set()
    _shot(page, shots, "enterprise_ru")
    # the toggle sticks: English on every page after one click, Russian words gone
    page.get_by_role("link", name="English").click()
    for path in ("/projects", "/enterprises"):
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == "en"
        assert not re.search("[А-Яа-я]", page.locator("header nav").inner_text())
    for path, name in (("/agreements", "agreements_en"), ("/admin/users", "users_en")):
        page.goto(path)
        _shot(page, shots, name)
    page.context.clear_cookies()
    page.goto("/signin")
    _shot(page, shots, "signin_ru" if page.locator("html").get_attribute("lang") == "ru" else "signin_en")


def test_api_docs_are_served_offline(browser: Any, server: dict) -> None:
    context = browser.new_context(base_url=server["base"])
    page = context.new_page()
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(server["base"]) else None)
    page.goto("/docs")
    page.locator(".swagger-ui .info .title").wait_for()
    assert "tradecoop API" in page.locator(".swagger-ui .info .title").inner_text()
    assert outside == []
    assert httpx.get(f"{server['base']}/docs").text.count("/static/vendor/swagger-ui-5.35.0/") == 3
    context.close()


NEWS_TEXT = ("Минск, 11 августа. Президент Беларуси провёл переговоры с губернатором Челябинской области. "
             "Товарооборот Беларуси и Челябинской области в 2024 году составил 812 млн долларов. "
             "Стороны обсудили поставки техники.")


def _news_fact(url: str, evidence: str, **fields: Any) -> int:
    """A document and one extracted fact in the review queue (as `tradecoop news ingest` stores them)."""
    import json

    from tradecoop.registry.db import make_engine, session_factory
    from tradecoop.registry.news_models import NewsDocumentRow, NewsFactRow

    engine = make_engine(url)
    start = NEWS_TEXT.index(evidence)
    with session_factory(engine)() as session:
        doc = NewsDocumentRow(url=f"https://news.example/{fields['type']}-{start}", content_hash=f"{fields['type']}{start}",
                              simhash=1, title="Переговоры", publisher="Example News", text=NEWS_TEXT, language="ru")
        session.add(doc)
        session.flush()
        fact = NewsFactRow(document_id=doc.id, evidence=evidence, start_char=start, end_char=start + len(evidence),
                           polarity="fact", organizations="[]", persons="[]", products="[]",
                           **{k: json.dumps(v) if k == "locations" else v for k, v in fields.items()})
        session.add(fact)
        session.commit()
        fact_id = fact.id
    engine.dispose()
    return fact_id


def test_news_review_highlights_evidence_and_accepted_facts_link_to_records(sign_in: Any, server: dict,
                                                                              shots: Path | None) -> None:
    figure = _news_fact(server["url"], "Товарооборот Беларуси и Челябинской области в 2024 году составил 812 млн долларов.",
                        type="trade_figure", value=812e6, unit="USD", period="2024", locations=["BLR"])
    other = _news_fact(server["url"], "Стороны обсудили поставки техники.", type="other", locations=[])
    viewer = sign_in("viewer")
    viewer.goto(f"/news/{figure}")
    assert viewer.get_by_role("button", name="Accept").count() == 0  # viewers only read
    page = sign_in("editor", lang="ru")
    page.goto("/news")
    assert page.locator(f'tr:has(a[href="/news/{figure}"])').get_attribute("data-status") == "pending"
    page.locator(f'a[href="/news/{figure}"]').first.click()
    assert page.locator("mark#evidence").inner_text().startswith("Товарооборот Беларуси и Челябинской")
    assert page.locator("blockquote.source-text").inner_text().startswith("Минск, 11 августа.")
    _shot(page, shots, "news_fact_ru")
    page.locator("summary", has_text="Исправить перед принятием").click()  # the fact named Belarus only
    page.get_by_label("Территории (коды ISO через запятую)").fill("BLR, RU-CHE")
    page.get_by_role("button", name="Сохранить исправления").click()
    page.wait_for_url(re.compile(rf"/news/{figure}$"))
    assert "исправлено" in page.locator("h1").inner_text()
    page.get_by_role("button", name="Принять").click()
    page.wait_for_url(re.compile(rf"/news/{figure}$"))
    assert "принято" in page.locator("h1").inner_text()
    assert "опубликованная цифра" in page.locator("#record-link").inner_text()
    page.goto(f"/news/{other}")
    page.get_by_label("Причина отклонения (необязательно)").fill("не факт сотрудничества")
    page.get_by_role("button", name="Отклонить").click()
    assert "отклонено" in page.locator("h1").inner_text()
    page.goto("/news?status=all")
    _shot(page, shots, "news_ru")
    page.get_by_role("link", name="English").click()
    _shot(page, shots, "news_en")
    # the accepted figure is in the registry, and the pair overview (kept per registry revision)
    # lists it among the reported figures with its source
    assert any(f["value"] == 812e6 for f in _reported(server["url"]))
    page.goto("/pairs/BLR/RU-CHE")
    row = page.locator("table.reported tbody tr", has_text="USD 812 mn")
    row.wait_for(timeout=COMPUTE_TIMEOUT_MS)
    assert row.locator("a").inner_text().startswith("Example News")


def _reported(url: str) -> list[dict]:
    from sqlalchemy import select

    from tradecoop.registry import models as m
    from tradecoop.registry.db import make_engine, session_factory

    engine = make_engine(url)
    with session_factory(engine)() as session:
        rows = [{"value": f.value, "period": f.period} for f in session.scalars(select(m.ReportedFigure))]
    engine.dispose()
    return rows
