"""Moving an existing library to Sésame: the borrowers and open loans CSV files (SPEC §2).

``rows`` checks one line (pure), ``files`` reads a whole file (pure), ``services`` imports it in
one transaction, journalled, or refuses it with every problem; the commands ``import_borrowers``
and ``import_loans`` only read the file and print the outcome.
"""
