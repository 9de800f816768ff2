-- Near-duplicate sketches computed where the text is made, not where it is merged.
--
-- The MinHash sketch of a document's text (crawler/fingerprint.py) was computed by the load's
-- reader, ~0.17 ms per document in Python: measured, the reader then limited `liputan load`
-- to ~4,800 documents/s whatever the database did. The clean step already computes the text's
-- hash and word count on every core, beside an extraction that costs ~50 ms a page; the sketch
-- joins them there (and in crawler.load.store_documents). The load reads it instead of the
-- text, and computes it itself only where it is NULL (documents stored before this migration).

ALTER TABLE liputan.documents ADD COLUMN sketch integer[];
COMMENT ON COLUMN liputan.documents.sketch IS
    'MinHash sketch of text (crawler/fingerprint.py): one value per bin, -1 = empty bin; '
    '{} = text too short to judge; NULL = not computed yet (the load computes it).';
