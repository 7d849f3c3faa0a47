"""Playwright with Debian's Chromium (never a downloaded browser).

Without /usr/bin/chromium the browser tests skip, unless REQUIRE_BROWSER=1 (CI), where they fail.
Screenshots go to var/screenshots/ to be looked at.
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the tests
# themselves (fixtures, assertions) are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class PageGuard:
    """Records console errors and any request that leaves the test server."""

    def __init__(self, page, origin):
        self.errors, self.external = [], []
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: None if r.url.startswith((origin, "data:", "blob:"))
                else self.external.append(r.url))


@pytest.fixture
def make_page(browser, live_server):
    contexts = []

    def make(viewport=None, locale="es-MX", **kwargs):
        context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900},
                                      locale=locale, **kwargs)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        page.guard = PageGuard(page, live_server.url)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name, full_page=True):
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        assert path.stat().st_size > 5000  # something was drawn
        return path

    return take


@pytest.fixture
def demo_data(transactional_db):
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
