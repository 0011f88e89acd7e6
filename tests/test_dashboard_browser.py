"""The dashboard in a real browser: headless Debian Chromium driven by Playwright logs in, sees the
charts and the work list, switches language, and axe-core finds no serious or critical WCAG 2.1 AA
violation. `make test` installs Chromium and axe-core (`make browser`); without them this skips."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from adapters.serve import build_app
from bot.catalog import t
from bot.core import Assistant
from fakes.teams_connector import serving
from test_dashboard_http import ENV, SECRET_QUESTION, TOKEN, seed

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_source() -> str | None:
    configured = os.environ.get("DX10_AXE_JS")
    candidates = [Path(configured)] if configured else sorted(ROOT.glob(".cache/axe-core-*/node_modules/axe-core/axe.min.js"))
    found = [p for p in candidates if p.is_file()]
    return found[-1].read_text(encoding="utf-8") if found else None


AXE = axe_source()
pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).is_file(), reason="Chromium is not installed: run `make browser` "
                       "(installs Debian's chromium with apt-get as root)"),
    pytest.mark.skipif(AXE is None, reason="axe-core is not installed: run `make browser` (npm install into .cache/)"),
]


@pytest.fixture
async def page(assistant: Assistant, tmp_path: Path) -> AsyncIterator[tuple[Any, str]]:
    from playwright.async_api import async_playwright

    seed(assistant.store)
    app = build_app(assistant, ENV)
    async with serving(app) as url, async_playwright() as pw:
        # A fresh profile each run; CSP is bypassed only so the test can inject axe-core.
        context = await pw.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, headless=True, args=FLAGS, bypass_csp=True,
            locale="ja-JP", viewport={"width": 1280, "height": 900})
        try:
            yield context.pages[0] if context.pages else await context.new_page(), url
        finally:
            await context.close()


async def serious_violations(page: Any) -> list[str]:
    await page.evaluate(AXE)
    result = await page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    assert len(result["passes"]) > 10  # the scan really ran over the page
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


async def test_an_admin_logs_in_sees_the_charts_switches_language_and_axe_finds_nothing_serious(
        page: tuple[Any, str]) -> None:
    browser, url = page
    response = await browser.goto(url + "/dashboard")
    assert response.status == 401
    assert await browser.locator("h1").inner_text() == t("dashboard.login.title", "ja")
    assert await serious_violations(browser) == []

    await browser.get_by_label(t("dashboard.login.token", "ja")).fill(TOKEN)
    await browser.get_by_role("button", name=t("dashboard.login.submit", "ja")).click()
    await browser.wait_for_url(url + "/dashboard?lang=ja")
    assert await browser.locator("h1").inner_text() == t("dashboard.title", "ja")
    # The charts are images with accessible names, and their numbers are a click away as tables.
    chart = browser.get_by_role("img", name=t("dashboard.per_day", "ja"))
    assert await chart.count() == 1 and await chart.is_visible()
    assert await browser.get_by_role("img", name=t("dashboard.principles", "ja")).count() == 1
    table_toggle = browser.locator("section[aria-labelledby=per-day] summary")
    await table_toggle.click()
    assert await browser.locator("section[aria-labelledby=per-day] table").is_visible()
    # The work list shows the question the bot could not answer.
    worklist = browser.locator("section[aria-labelledby=worklist] table")
    assert SECRET_QUESTION in await worklist.inner_text()
    assert await serious_violations(browser) == []

    await browser.get_by_role("link", name=t("dashboard.lang_switch_label", "ja")).click()
    await browser.wait_for_load_state()
    assert await browser.locator("html").get_attribute("lang") == "en"
    assert await browser.locator("h1").inner_text() == t("dashboard.title", "en")
    assert await browser.get_by_role("img", name=t("dashboard.per_day", "en")).count() == 1
    assert await serious_violations(browser) == []

    # Readable on a phone: nothing wider than the screen.
    await browser.set_viewport_size({"width": 375, "height": 800})
    overflow = await browser.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    assert await serious_violations(browser) == []
    if shot := os.environ.get("DX10_SCREENSHOT"):  # for a person checking the layout by eye
        await browser.screenshot(path=shot, full_page=True)
