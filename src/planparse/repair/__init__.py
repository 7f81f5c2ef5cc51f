"""Text repair: Unicode normalisation, legacy font encodings, Vietnamese syllable rules.

`syllables` knows what a Vietnamese syllable is and scores text quality; `unicode` brings
text to NFC with one tone-placement convention; `legacy` converts TCVN3/VNI mojibake.
"""
