"""Shared test fixtures: paths, and small documents built on the fly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
FONT = Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf")

os.environ.setdefault("OMP_THREAD_LIMIT", "1")


def run_cli(*args: str, stdin: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the real console entry point (`python -m planparse`) and capture its output."""
    return subprocess.run(
        [sys.executable, "-m", "planparse", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


@pytest.fixture(scope="session")
def font() -> Path:
    if not FONT.exists():
        pytest.fail(f"{FONT} missing: run ./scripts/setup (installs fonts-liberation2)")
    return FONT
