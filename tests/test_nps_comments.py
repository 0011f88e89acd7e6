"""NPS comments are free text: kept for DX10_RETENTION_DAYS like question texts, deleted by
`forget`, and shown to admins on the dashboard without who wrote them (never in the JSON)."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest

from adapters.serve import build_app
from bot.assembly import build_assistant
from bot.catalog import t
from bot.core import Assistant
from bot.store import Store
from conftest import run_dx10
from fakes.teams_connector import serving
from knowledge.schema import KnowledgeBase
from test_dashboard_http import ENV, Admin
from tests.quiz_helpers import dm

SECRET = {"DX10_SECRET": "nps-comments-test"}
COMMENT = "山田課長に勧められたが、使い方が分かりにくい。内線1234"


async def comment(assistant: Assistant, user: str, score: int, text: str) -> None:
    await assistant.handle(dm(value=f"nps:{score}", user=user))
    [noted] = await assistant.handle(dm(f"コメント: {text}", user=user))
    assert noted.fallback == t("quiz.nps.comment_thanks", "ja")


async def test_retention_deletes_old_comments_and_keeps_the_scores(kb: KnowledgeBase, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DX10_SECRET", SECRET["DX10_SECRET"])
    path = tmp_path / "dx10.db"
    store = Store(path)
    assistant = build_assistant(kb, store, env={})
    await comment(assistant, "U102", 3, COMMENT)
    await comment(assistant, "U103", 9, "便利です")
    old = (datetime.now(UTC) - timedelta(days=91)).isoformat(timespec="seconds")
    store.db.execute("update nps_responses set at = ? where user_id = 'U102'", [old])
    store.db.conn.commit()
    store.close()

    result = run_dx10("retention", "run", "--db", str(path), env=SECRET)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode() == "deleted the text of 0 question(s) and 1 NPS comment(s) older than 90 day(s)\n"
    conn = sqlite3.connect(path)
    rows = conn.execute("select user_id, score, comment from nps_responses order by user_id").fetchall()
    conn.close()
    assert rows == [("U102", 3, None), ("U103", 9, "便利です")]
    assert COMMENT.encode() not in path.read_bytes()
    # What the in-chat privacy answer promises is what retention does.
    said = t("privacy.text", "en", days=90)
    assert "NPS" in said and "survey comment are kept for 90 days" in said
    assert "アンケートに添えたコメントは、改善のため90日間" in t("privacy.text", "ja", days=90)


async def test_forget_deletes_the_persons_comment(kb: KnowledgeBase, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DX10_SECRET", SECRET["DX10_SECRET"])
    path = tmp_path / "dx10.db"
    store = Store(path)
    assistant = build_assistant(kb, store, env={})
    await assistant.handle(dm("第3条とは", user="U102"))
    await comment(assistant, "U102", 3, COMMENT)
    store.close()
    result = run_dx10("forget", "--platform", "slack", "--user", "U102", "--db", str(path), env=SECRET)
    assert result.returncode == 0 and "  nps_responses: 1 row(s)" in result.stdout.decode().splitlines()
    assert COMMENT.encode() not in path.read_bytes()


async def test_admins_see_the_comments_escaped_and_without_who_wrote_them(kb: KnowledgeBase, store: Store) -> None:
    assistant = build_assistant(kb, store, env={})
    await comment(assistant, "U102", 3, COMMENT)
    await comment(assistant, "U104", 10, "<script>alert('x')</script> とても良い")
    app = build_app(assistant, ENV)
    async with serving(app) as url, aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        admin = Admin(url, http, app)
        assert (await admin.login())[0].status == 303
        _, page = await admin.get("/dashboard?lang=en")
        _, page_ja = await admin.get("/dashboard?lang=ja")
        async with http.get(url + "/api/stats.json") as response:
            raw = await response.text()
    section = page[page.index('<section aria-labelledby="comments">'):]
    section = section[:section.index("</section>")]
    assert t("dashboard.comments", "en") in section and COMMENT in section
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; とても良い" in section and "<script>" not in page
    today = datetime.now(UTC).date().isoformat()
    assert f"<th scope=\"row\">{today}</th>" in section  # the day, not the time
    assert "U102" not in page and "U104" not in page and store.user_key("slack", "U102") not in page
    assert t("dashboard.comments", "ja") in page_ja and COMMENT in page_ja
    assert COMMENT not in raw and "とても良い" not in raw and json.loads(raw)["nps"]["responses"] == 2
