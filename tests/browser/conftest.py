"""Browser tests of the web workspace: Playwright for Python driving Debian's Chromium.

One ``tradecoop serve`` per test session, on a fresh seeded SQLite registry with a viewer, an
editor and an admin. Without Chromium (``/usr/bin/chromium``, the Debian package ``chromium``)
or Playwright the tests skip with the reason; under ``CI=true`` they fail instead.
Screenshots go to ``$TRADECOOP_WEB_SCREENSHOTS`` when set (``docs/web`` to refresh the docs).
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

#: Debian's Chromium (``TRADECOOP_CHROMIUM`` names another binary, e.g. to check the skip)
CHROMIUM = Path(os.environ.get("TRADECOOP_CHROMIUM", "/usr/bin/chromium"))


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests cannot run under CI=true: {reason}")
    pytest.skip(f"BROWSER TESTS NOT RUN: {reason}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _make_users(url: str) -> dict[str, str]:
    from tradecoop.registry.db import make_engine, session_factory
    from tradecoop.registry.service import RegistryService
    from tradecoop.registry.settings import get_settings

    settings = get_settings(database_url=url)
    engine = make_engine(url)
    tokens = {}
    with session_factory(engine)() as session:
        for role in ("viewer", "editor", "admin"):
            tokens[role] = RegistryService(session, actor="test").create_user(f"web-{role}", role, settings.secret_key)[1]
    engine.dispose()
    return tokens


def sign_in_http(base: str, token: str) -> httpx.Client:
    """An HTTP client signed in through the sign-in form (cookie jar kept by the client)."""
    client = httpx.Client(base_url=base, follow_redirects=False, timeout=120)
    page = client.get("/signin")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    answer = client.post("/signin", data={"token": token, "csrf_token": csrf, "next": "/"})
    assert answer.status_code == 303, answer.text[:300]
    return client


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A running ``tradecoop serve``: its base URL and a token per role."""
    tmp = tmp_path_factory.mktemp("web")
    url = f"sqlite:///{tmp / 'registry.sqlite3'}"
    env = {**os.environ, "TRADECOOP_DATABASE_URL": url, "TRADECOOP_ENV": "development"}
    cli = str(Path(sys.executable).with_name("tradecoop"))
    subprocess.run([cli, "registry", "init"], env=env, check=True, capture_output=True)
    tokens = _make_users(url)
    port = _free_port()
    log = open(tmp / "server.log", "wb")  # noqa: SIM115 - closed at teardown
    proc = subprocess.Popen([cli, "serve", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            if httpx.get(f"{base}/api/v1/health", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"tradecoop serve did not start: {(tmp / 'server.log').read_text()[-2000:]}")
        time.sleep(0.3)
    # start the slow computations (brief, ranking) while the first tests run
    with contextlib.closing(sign_in_http(base, tokens["viewer"])) as client:
        client.get("/pairs/BLR/RU-CHE")
        client.get("/opportunities?a=BLR&b=RU-CHE")
    yield {"base": base, "tokens": tokens, "url": url, "log": tmp / "server.log",
           "sign_in_http": lambda role: sign_in_http(base, tokens[role])}
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        _unavailable(f"playwright is not installed ({exc})")
    with sync_playwright() as pw:
        try:
            chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        except Exception as exc:  # noqa: BLE001 - any launch failure is a reason to skip/fail
            _unavailable(f"Chromium did not start: {exc}")
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def sign_in(browser: Any, server: dict[str, Any]):
    """``sign_in(role, lang="en")`` -> a page of a new browser context, signed in as ``role``."""
    contexts = []

    def _sign_in(role: str, lang: str = "en") -> Any:
        context = browser.new_context(base_url=server["base"], locale="ru-RU" if lang == "ru" else "en-GB",
                                      viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto("/signin")
        page.get_by_label("Ваш ключ доступа" if lang == "ru" else "Your access token").fill(server["tokens"][role])
        page.get_by_role("button", name="Войти" if lang == "ru" else "Sign in").click()
        page.wait_for_url(re.compile(r"/pairs/"))
        return page

    yield _sign_in
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def shots() -> Path | None:
    """Where screenshots go (``$TRADECOOP_WEB_SCREENSHOTS``), or None."""
    target = os.environ.get("TRADECOOP_WEB_SCREENSHOTS")
    if not target:
        return None
    path = Path(target)
    path.mkdir(parents=True, exist_ok=True)
    return path
