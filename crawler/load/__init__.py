"""Step 3, load: documents -> articles, versions, provenance, duplicates, search (docs/load.md)."""
