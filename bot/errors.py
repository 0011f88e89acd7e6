"""The one kind of error the operator can fix: a setting, a path, a store, an argument.

Every command of the CLI turns it into one line on stderr and exit status 2 (adapters/cli.py
`main`), so each module raises its own subclass and none of them formats the line itself.
"""

from __future__ import annotations


class UserError(Exception):
    """Something the operator can fix; its message is the whole line dx10 prints (after "dx10: ")."""
