"""The catalogue (SPEC §2): records (*notices*) and their copies (*exemplaires*).

``rules`` (the field rules, shared by the forms, the services and the import), ``isbn`` (pure),
``errors``, ``selectors`` (the search, a record's copies), ``services`` (every change, journalled),
``marc/`` (the UNIMARC / MARC21 import: ``read`` cuts the file, ``decoding``, ``mapping``,
``checking``, ``importer`` stores, ``report``), and the pages (``forms``, ``views``, ``urls``).
"""
