"""What every library capability may import: the tenant gate, the error base, the audit trail,
locking idioms and page helpers. It imports the models and nothing else of the library."""
