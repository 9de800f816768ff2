"""Step 2, clean: stored pages -> documents, text and metadata (docs/clean.md, docs/extract.md)."""
