"""Delete one person's data from every table that holds it.

Tables are found by introspecting the schema, so a table added later by any feature is covered
as long as it follows the data contract: a `platform` + `user_id` pair, or a `user_key` (the
keyed hash of the interaction log). Rows that hang off a deleted row without naming the person
(a subscription's deliveries) go with it, through declared foreign keys or CHILD_LINKS. Rows in
the person's one-to-one chat with dx10 are theirs when they name nobody else (a DM subscribed
from the CLI without --user by an older dx10): such rows with `platform` + `conversation` go too.
"""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from bot.privacy import user_key

# child table -> (its column, parent table): links the contract defines without a declared foreign key.
CHILD_LINKS: dict[str, tuple[str, str]] = {"nudge_deliveries": ("subscription_id", "nudge_subscriptions")}


def forget(db: sqlite_utils.Database, secret: bytes, platform: str, user_id: str,
           older_keys: tuple[bytes, ...] = ()) -> dict[str, int]:
    """Delete every row of (platform, user_id); returns rows deleted per table (tables with none omitted).

    `older_keys`: keys the log was written with before (the store's own random key after
    `dx10 key adopt`): rows hashed under them are matched too.
    """
    keys = list(dict.fromkeys(user_key(k, platform, user_id) for k in (secret, *older_keys)))
    deleted: dict[str, int] = {}
    with db.conn:
        chats = sorted(direct_conversations(db, platform, user_id))  # before user_activity and references go
        in_chats = f"conversation in ({', '.join('?' * len(chats))})"
        for name in db.table_names():
            table = db.table(name)
            columns = {c.name for c in table.columns}
            parent_ids: list[object] = []
            if name == "conversations":
                continue  # below: a channel's reference stays, without the person
            if {"platform", "user_id", "conversation"} <= columns and chats:
                # A row in their chat that names nobody is theirs; one that names someone else stays.
                where, params = (f"platform = ? and (user_id = ? or (user_id is null and {in_chats}))",
                                 [platform, user_id, *chats])
            elif {"platform", "conversation"} <= columns and chats:
                where, params = f"platform = ? and {in_chats}", [platform, *chats]
            elif {"platform", "user_id"} <= columns:
                where, params = "platform = ? and user_id = ?", [platform, user_id]
            elif "user_key" in columns:
                where, params = f"user_key in ({', '.join('?' * len(keys))})", list(keys)
            else:
                continue
            children = _children(db, name)
            if children and table.pks:
                pk = table.pks[0]
                parent_ids = [r[0] for r in db.execute(f"select [{pk}] from [{name}] where {where}", params)]
            count = db.execute(f"delete from [{name}] where {where}", params).rowcount
            if count:
                deleted[name] = deleted.get(name, 0) + count
            for child, column in children:
                for start in range(0, len(parent_ids), 500):
                    chunk = parent_ids[start:start + 500]
                    marks = ", ".join("?" * len(chunk))
                    n = db.execute(f"delete from [{child}] where [{column}] in ({marks})", chunk).rowcount
                    if n:
                        deleted[child] = deleted.get(child, 0) + n
        # A stored conversation reference names the last person in it (Slack DM: "user"; Teams:
        # "user.id"). A one-to-one chat goes; a channel's or group's reference stays, because the
        # channel's nudges and quizzes need it, with the person removed from it.
        if db["conversations"].exists():
            gone = scrubbed = 0
            for conversation, reference in db.execute(
                    "select conversation, reference from conversations where platform = ?", [platform]).fetchall():
                data = _load(reference)
                if conversation in chats:
                    db.execute("delete from conversations where platform = ? and conversation = ?", [platform, conversation])
                    gone += 1
                    continue
                if not _names(data, user_id):
                    continue
                if _one_to_one(data):
                    db.execute("delete from conversations where platform = ? and conversation = ?", [platform, conversation])
                    gone += 1
                else:
                    data.pop("user", None)
                    db.execute("update conversations set reference = ? where platform = ? and conversation = ?",
                               [json.dumps(data), platform, conversation])
                    scrubbed += 1
            if gone:
                deleted["conversations"] = gone
            if scrubbed:
                deleted["conversations (person removed from a channel's reference)"] = scrubbed
    return deleted


def is_direct(platform: str, conversation: str, reference: dict[str, Any] | None = None) -> bool:
    """Whether a conversation is one person's chat with dx10 (a Slack DM, a Teams personal chat, the console)."""
    if platform == "console":
        return True
    if platform == "slack":
        return conversation.startswith("D")
    if platform == "teams":
        kind = ((reference or {}).get("conversation") or {})
        return conversation.startswith("a:") or (kind.get("conversationType") == "personal" and not kind.get("isGroup"))
    return False


def direct_conversations(db: sqlite_utils.Database, platform: str, user_id: str) -> set[str]:
    """The person's one-to-one chats with dx10 that the store knows of."""
    found = {user_id} if platform == "console" else set()
    candidates: set[str] = set()
    if db["user_activity"].exists():
        candidates.update(str(c) for (c,) in db.execute(
            "select conversation from user_activity where platform = ? and user_id = ? and conversation != ''",
            [platform, user_id]))
    references: dict[str, dict[str, Any]] = {}
    if db["conversations"].exists():
        for conversation, reference in db.execute(
                "select conversation, reference from conversations where platform = ?", [platform]):
            data = _load(reference)
            references[str(conversation)] = data
            if _names(data, user_id) and _one_to_one(data):
                candidates.add(str(conversation))
    found.update(c for c in candidates if is_direct(platform, c, references.get(c)))
    return found


def unowned_direct_subscriptions(db: sqlite_utils.Database, platform: str) -> list[str]:
    """Active tip subscriptions in a one-to-one chat that name nobody: forget cannot tell whose they are."""
    if not db["nudge_subscriptions"].exists():
        return []
    return [str(c) for (c,) in db.execute(
        "select conversation from nudge_subscriptions where platform = ? and user_id is null and active = 1 "
        "order by conversation", [platform]) if is_direct(platform, str(c))]


def _children(db: sqlite_utils.Database, parent: str) -> list[tuple[str, str]]:
    found = {(child, column) for child, (column, owner) in CHILD_LINKS.items() if owner == parent and db[child].exists()}
    for name in db.table_names():
        for fk in db.table(name).foreign_keys:
            if fk.other_table == parent:
                found.add((name, str(fk.column)))
    return sorted(found)


def _load(reference: str | None) -> dict[str, Any]:
    try:
        data = json.loads(reference or "{}")
    except json.JSONDecodeError:
        return {}
    return data if isinstance(data, dict) else {}


def _names(data: dict[str, Any], user_id: str) -> bool:
    user = data.get("user")
    return user == user_id or (isinstance(user, dict) and user.get("id") == user_id)


def _one_to_one(data: dict[str, Any]) -> bool:
    conversation = data.get("conversation")
    if isinstance(conversation, dict):  # Teams
        return conversation.get("conversationType") in (None, "personal") and not conversation.get("isGroup")
    return True  # Slack keeps references of DMs only
