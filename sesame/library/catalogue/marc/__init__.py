"""The MARC import: UNIMARC and MARC21 files (ISO 2709) as library systems export them.

``read`` cuts a file into records and tells the format, ``decoding`` decodes each record,
``mapping`` reads its fields into the catalogue's, ``checking`` applies the catalogue's rules,
``importer`` recognises what is already there and stores the rest in one transaction, ``report``
says what was done.
"""
