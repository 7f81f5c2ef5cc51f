"""planparse: Vietnamese emulation plans -> campaign definitions you can compute with."""

__version__ = "0.1.0"
