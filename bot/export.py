"""Daily aggregates for the open data catalogue: counts only, no user ids, keys or texts."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

import sqlite_utils

from bot.stats import DAILY_FIELDS, Period, collect, daily_rows

FORMATS = ("csv", "json")


def first_day(db: sqlite_utils.Database) -> date | None:
    row = db.execute("select min(at) from interactions").fetchone()
    return date.fromisoformat(row[0][:10]) if row and row[0] else None


def export(db: sqlite_utils.Database, period: Period, fmt: str, *, roll_up: bool = True) -> str:
    """`roll_up=False`: the store is read only (bot/stats.py collect)."""
    rows = daily_rows(collect(db, period, with_texts=False, roll_up=roll_up).days)
    if fmt == "json":
        doc: dict[str, Any] = {"period": {"from": period.lo, "to": period.end.isoformat()}, "fields": list(DAILY_FIELDS),
                               "days": rows}
        return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=DAILY_FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
