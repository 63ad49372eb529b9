"""Browser tests of the console: Playwright drives Debian's Chromium (/usr/bin/chromium) against a real
uvicorn server over a migrated SQLite (or PostgreSQL) database. Playwright's own browser download
cannot work on this network, so the system Chromium is used; without one these tests skip, saying so.

Every page's requests are recorded; a request to any host other than the server fails the test.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from liandong.api.app import create_app
from liandong.routing.router import load_router
from tests.builders import make_world
from tests.console_kit import give_passwords
from tests.fakes import ScriptedRouter
from tests.servers import serving

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
CHINESE_UI = {"LANGUAGE": "zh_CN", "LANG": "zh_CN.UTF-8"}  # native widgets (date, file) in Chinese, with Debian's chromium-l10n
VENDOR = Path(__file__).resolve().parents[2] / "src/liandong/console/static/vendor/htmx.min.js"
USERS = ("operator", "handler_urban", "handler_water", "police", "admin")


def chromium_path() -> str | None:
    for candidate in (os.environ.get("LIANDONG_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


@pytest.fixture
def browser():
    """One Chromium per test. Not shared across tests: Playwright's sync API keeps an event loop
    running in this thread while it is started, which would break later tests that call asyncio.run."""
    path = chromium_path()
    if path is None:
        pytest.skip("Chromium not found (/usr/bin/chromium; Debian: apt-get install chromium): browser tests need it")
    if not VENDOR.exists():
        pytest.fail(f"{VENDOR} is missing: run `make vendor` (npm ci) before the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, env={**os.environ, **CHINESE_UI})
        yield b
        b.close()


@pytest.fixture
def desk(db_url, clock, request):
    """A world of users (passwords for the console, tokens for the API) and a real server on it. Screenshots for
    the docs (`make screenshots`) are taken with the demo city's real router, so they show its reasons, except
    in tests marked `scripted_router` (e.g. a review queue of chosen appeals)."""
    real = os.environ.get("LIANDONG_CONSOLE_SHOTS") and not request.node.get_closest_marker("scripted_router")
    world = make_world(db_url, clock, router=load_router("demo") if real else ScriptedRouter())
    give_passwords(world.ctx, *USERS)
    with serving(create_app(world.ctx)) as url:
        world.url = url
        yield world
    world.ctx.close()


class Recorder:
    def __init__(self, origin: str) -> None:
        self.origin = urlsplit(origin).netloc
        self.urls: list[str] = []

    def __call__(self, request) -> None:
        self.urls.append(request.url)

    def foreign(self) -> list[str]:
        return [u for u in self.urls if urlsplit(u).scheme not in ("data", "blob", "about")
                and urlsplit(u).netloc != self.origin]


@pytest.fixture
def new_page(browser, desk):
    """Pages in their own browser contexts (separate cookies), each with a request recorder."""
    contexts, recorders = [], []

    def make():
        context = browser.new_context(base_url=desk.url, locale="zh-CN", viewport={"width": 1280, "height": 800})
        page = context.new_page()
        recorder = Recorder(desk.url)
        page.on("request", recorder)
        contexts.append(context)
        recorders.append(recorder)
        return page

    yield make
    for context in contexts:
        context.close()
    foreign = [u for r in recorders for u in r.foreign()]
    assert not foreign, f"pages requested other hosts: {foreign}"
    assert not recorders or any(r.urls for r in recorders)  # the recorder saw the pages' requests


@pytest.fixture
def shots(tmp_path) -> Path:
    """Where screenshots go: docs/console/ with LIANDONG_CONSOLE_SHOTS=docs/console (`make screenshots`)."""
    target = os.environ.get("LIANDONG_CONSOLE_SHOTS")
    path = Path(target) if target else tmp_path / "shots"
    path.mkdir(parents=True, exist_ok=True)
    return path
