"""The `planparse` console script and `python -m planparse`: the command line, started fast.

A command-line run is short and its start-up is mostly imports (typer; numpy when a
command needs it), which allocate hundreds of thousands of objects that live as long as
the process.  The cyclic garbage collector would walk them again and again and free
nothing: with it paused during the imports and what they built frozen out of its sight,
`planparse restore` on ten pages starts ~40 ms sooner.  The collector is back on before
any command runs, so long batches still free their cycles.
"""

from __future__ import annotations

import gc

# glibc's mallopt parameters (malloc.h)
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3


def _keep_freed_memory() -> None:
    """Let glibc keep freed blocks of up to 32 MB for reuse instead of handing them back to
    the kernel at once.  The restorer decodes a text in chunks whose arrays are a few MB
    each: kept, each chunk reuses the last one's memory instead of faulting in fresh pages
    (`planparse restore` on the 10-page OCR bench: 19,000 -> 14,000 page faults, ~4 % of
    its time; fresh pages are especially slow on virtual machines).  Only with glibc."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(M_MMAP_THRESHOLD, 32 << 20)
        libc.mallopt(M_TRIM_THRESHOLD, 128 << 20)
    except (OSError, AttributeError):
        pass


def main() -> None:
    was_enabled = gc.isenabled()
    gc.disable()
    _keep_freed_memory()
    from planparse.cli import main as cli_main

    gc.freeze()
    if was_enabled:
        gc.enable()
    cli_main()
