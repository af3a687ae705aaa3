"""What every library capability may import: the tenant gate, the error base, the audit trail,
locking idioms, page helpers, text clean-up and the dashboard's summary (``selectors``). It imports
the models and nothing else of the library."""
