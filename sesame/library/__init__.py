"""The CDI's library system (what BCDI does): one folder per capability, one ``library`` app.

Where things live — each capability has ``services.py`` (changes: keyword-only, one transaction,
``acting_user`` required, refusals with a code), ``selectors.py`` (reads), and its own
``forms.py``, ``views.py`` and ``urls.py``; templates under ``templates/library/<capability>/``:

=====================  ============================================================================
``models/``            every table, one module per aggregate, all re-exported from ``models``
``common/``            what every capability may use: the tenant gate (``tenancy``), the error base
                       (``errors.LibraryRefused``), the audit trail (``audit.event_record``), row
                       locks (``locking``), page helpers (``pages``), text clean-up (``text``),
                       the dashboard's counts (``selectors.library_summary``)
``borrowers/``         *Gestion des emprunteurs*: search expressions (``expressions``, pure), the
                       record page and its edits; ``check/`` the check before the first update
``update/``            *Mettre à jour* (seed C): the borrower update from the ENT's users file,
                       analysis, decisions, import in one transaction, report, exact undo
``circulation/``       *Prêt / retour*: loans, returns, renewals, loan rules, reservations and
                       their queue, alerts to the librarian, overdue loans and reminder letters
``temporary_users/``   *Usagers temporaires* (seed C7): borrowers the update set aside
``catalogue/``         records and copies, ISBN rules (``isbn``, pure), ``marc/`` the MARC import
``tools/``             *Outils*: backup, restore, anonymising the loan history, statistics
``migration/``         moving an existing library in: the borrowers and loans CSV files
``demo/``              the demo's library base and catalogue (``make demo``)
``home``, ``help``     sign-in, the choice of library, the dashboard; the French guide
``management/``        thin commands: ``_common`` finds the library from ``--uai`` and reads files
=====================  ============================================================================

What may import what (checked by import-linter, ``pyproject.toml``): inside a capability
``urls`` → ``views`` → ``forms`` → ``services`` → ``selectors``, all on ``models`` and ``common``;
``common`` and ``models`` import no capability. Between capabilities only these edges:
the update uses the borrowers' expressions, the circulation's ``reservations`` (a deleted
borrower's reservations) and the tools' backup (offered before an update); temporary users use
circulation and borrowers; the tools read other capabilities' selectors and the expressions;
the demo may use everything and nothing imports it.
"""
