"""planparse: Vietnamese emulation plans -> campaign definitions you can compute with."""

import os

# planparse does no large matrix algebra, and parallel work goes through processes
# (`--jobs`).  NumPy's bundled OpenBLAS would otherwise start a thread per core when numpy
# is imported, threads that spin and compete with the one doing the work: measured on the
# restorer's 10-page start-up run, 0.33 s wall and 0.43 s CPU with them against 0.24 s
# and 0.24 s without.  Only a default: a value the user set is kept, and numpy imported
# before planparse keeps its own.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"
