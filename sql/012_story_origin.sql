-- A syndicated or translated copy that names its original (news.articles.origin_*) joins the
-- original's story without being compared; news.story_articles.how says so with 'origin'
-- (crawler/stories/origins.py, docs/stories.md).

ALTER TABLE liputan.story_articles DROP CONSTRAINT story_articles_how_check;
ALTER TABLE liputan.story_articles ADD CONSTRAINT story_articles_how_check
    CHECK (how IN ('new', 'similar', 'duplicate', 'origin'));

COMMENT ON VIEW news.story_articles IS
    'One row per article of a story, with its outlet (source). how: new (it started the story), '
    'similar (joined by content and time), duplicate (joined its original''s story), origin '
    '(its own lines name the original, e.g. "Artikel ini telah tayang di ...": joined its story).';

-- Copies matched to their original by URL look articles up by their first URL too.
CREATE INDEX articles_url ON liputan.articles (url);
