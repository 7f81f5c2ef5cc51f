import os


def test_golden_regeneration_is_off_in_ci() -> None:
    """PLANPARSE_REGEN rewrites expectations; in CI that would make every golden test pass."""
    if os.environ.get("CI"):
        assert os.environ.get("PLANPARSE_REGEN") != "1"
