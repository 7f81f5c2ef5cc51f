"""The diacritics restorer's parts: tokens, the n-gram model file, channel models, decoding.

`planparse.repair.diacritics` is the public face; these modules are shared with the
training script (`scripts/train_restorer.py`) so training and decoding tokenise alike.
"""
