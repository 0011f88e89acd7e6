"""What a command group does when called without its subcommand: show its help, exit 2."""

from __future__ import annotations

import argparse
from collections.abc import Callable


def shows_help(parser: argparse.ArgumentParser) -> Callable[[argparse.Namespace], int]:
    def run(_args: argparse.Namespace) -> int:
        parser.print_help()
        return 2

    return run
