"""Exit codes, the exception tree and the catalogue of warning codes.

Library functions raise these (or return warnings as data); only the CLI turns them into
exit codes and text.  Every message says what is wrong and, where it can, what to do.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    SOME_FAILED = 1  # some inputs failed, the rest were written (diff: the two differ)
    USAGE = 2
    NOTHING_READ = 3


class PlanparseError(Exception):
    """Base of every error planparse raises on purpose; the message is for the user."""

    exit_code = ExitCode.SOME_FAILED

    def __init__(self, message: str, *, path: str | None = None, page: int | None = None):
        self.path = path
        self.page = page
        super().__init__(message)

    def __str__(self) -> str:
        where = self.path or ""
        if self.page is not None:
            where = f"{where}: page {self.page}" if where else f"page {self.page}"
        message = super().__str__()
        return f"{where}: {message}" if where else message


class InputError(PlanparseError):
    """The input cannot be read: missing, unsupported, corrupt, encrypted, empty."""


class MissingFileError(InputError):
    pass


class UnsupportedInputError(InputError):
    pass


class CorruptInputError(InputError):
    pass


class EncryptedPdfError(InputError):
    pass


class EmptyDocumentError(InputError):
    pass


class DependencyError(PlanparseError):
    """An optional tool or package that this step needs is not installed."""


class DefinitionError(PlanparseError):
    """A campaign definition, scoring config or unit sheet is invalid."""


class OutputError(PlanparseError):
    """An output cannot be written (it would overwrite an input, or the place is not writable)."""


@dataclass(frozen=True)
class WarningCode:
    code: str
    text: str


# The catalogue of warning codes that documents and pages carry as data.
W_LAYER_GARBLED = WarningCode("W102", "the text layer is not Vietnamese (garbled); the page was re-read by OCR")
W_LAYER_LEGACY = WarningCode("W103", "the text layer uses a legacy font encoding; it was converted to Unicode")
W_OCR_NOTHING = WarningCode("W104", "OCR found no text on the page")
W_OCR_LOW_CONF = WarningCode("W105", "OCR confidence on the page is low")
W_TEXT_RESTORED = WarningCode("W106", "diacritics were missing or garbled and were restored")
W_NO_OCR = WarningCode("W107", "the page needs OCR but OCR is off; its text layer was used as it is")
W_TEXT_ENCODING = WarningCode("W108", "the text file was not UTF-8; its encoding was guessed")
