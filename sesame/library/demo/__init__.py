"""The demo's library (``make demo``): nothing imports it, and it may use every capability.

``base`` builds the demo CDI from the ENT's users file (``borrowers`` as typed by hand over the
years, ``catalogue`` about 300 real titles, a year of loans) and loads it; ``catalogue_bulk``
grows the catalogue to a real size from the word lists of ``catalogue_words``.
"""
