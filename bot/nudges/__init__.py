"""Nudges: daily and weekly tips from the knowledge base, on Tokyo working days, delivered exactly once.

`schedule` (with `bot.workdays`) decides when, `tips` decides what, `repo` keeps subscriptions and the
delivery outbox, `scheduler` fans the due slots out through `bot.senders.Sender`s, and `feature`
lets people subscribe, pause and stop from chat.
"""
