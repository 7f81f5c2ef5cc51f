"""Golden files: compare with the committed expectation, or rewrite it under PLANPARSE_REGEN=1."""

from __future__ import annotations

import json
import os
import unicodedata
from pathlib import Path
from typing import Any

REGEN = os.environ.get("PLANPARSE_REGEN") == "1"


def check_text(path: Path, actual: str) -> None:
    actual = unicodedata.normalize("NFC", actual)
    if REGEN:
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"{path} missing: run the tests once with PLANPARSE_REGEN=1 and review the file"
    expected = unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))
    assert actual == expected, f"{path.name} differs from the output (regenerate with PLANPARSE_REGEN=1 if intended)"


def check_json(path: Path, actual: Any) -> None:
    if REGEN:
        path.write_text(json.dumps(actual, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        return
    assert path.exists(), f"{path} missing: run the tests once with PLANPARSE_REGEN=1 and review the file"
    assert actual == json.loads(path.read_text(encoding="utf-8"))
