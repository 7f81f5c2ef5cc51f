"""The command line: thin typer commands over library functions.

The only place that prints, logs and draws progress bars.  stdout carries data only;
messages, warnings and progress go to stderr.  Every command module registers itself on
`app`; heavy libraries are imported inside the commands so `planparse --help` stays fast.
"""

from __future__ import annotations

from planparse.cli.common import app, main

# Importing the command modules registers their commands on `app`.
from planparse.cli import ingest_cmds, restore_cmds, score_cmds  # noqa: E402,F401

__all__ = ["app", "main"]
