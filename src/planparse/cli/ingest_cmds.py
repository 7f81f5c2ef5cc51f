"""`planparse text`: document -> repaired plain text."""

from __future__ import annotations
