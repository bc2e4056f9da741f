"""The ground floor of iid-audit: what every other package may import, and which imports
nothing of the project above it.

- `core.outcomes`: how a run ends (ordered enum, exit codes) and the errors users see;
- `core.settings`: every limit and default, and the configuration read once from the env;
- `core.catalog`: the year-versioned IID catalog (indicators, weights, thresholds) as models;
- `core.tables`: the tables of an IID export, declared as data;
- `core.findings`: the one Finding contract every rule produces;
- `core.safe_cells`, `core.files`: formula-safe cells, atomic writes.

Layering (checked by `tests/test_layering.py`): core → ingest → checks → reports → store →
delivery → job → flows → iid_audit (the CLI); each imports only what is left of it.
"""
