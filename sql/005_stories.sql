-- Stories: articles of any outlets that report the same event, grouped by crawler/stories.py.
--
-- Assignment is incremental and final: an article gets a story once (liputan.story_articles)
-- and keeps it; later runs only place articles that have none yet. The clustering state a run
-- needs (document frequencies, each story's term vector) lives here so that nothing has to be
-- recomputed from history.

-- One row per story. centroid: term -> mean boosted term frequency of its members (top terms
-- only); weights are applied with the current document frequencies at comparison time.
CREATE TABLE liputan.stories (
    story_id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title               text,                   -- the title of its first article
    first_article_id    bigint      NOT NULL REFERENCES liputan.articles,
    first_published_at  timestamptz NOT NULL,
    last_published_at   timestamptz NOT NULL,
    article_count       integer     NOT NULL DEFAULT 0,
    centroid            jsonb       NOT NULL DEFAULT '{}',
    languages           text[]      NOT NULL DEFAULT '{}',  -- of its members, e.g. {en,id}
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CHECK (first_published_at <= last_published_at)
);
-- Placing looks stories up by their first article's time; listings by their latest.
CREATE INDEX stories_first_published ON liputan.stories (first_published_at);
CREATE INDEX stories_last_published ON liputan.stories (last_published_at DESC);

-- Which story each article belongs to, how it got there, and the term vector it was compared
-- with (kept so that later articles can be compared with it without re-reading its text).
CREATE TABLE liputan.story_articles (
    article_id    bigint      PRIMARY KEY REFERENCES liputan.articles,
    story_id      bigint      NOT NULL REFERENCES liputan.stories,
    published_at  timestamptz NOT NULL,  -- published_at, else first_seen_at, when assigned
    how           text        NOT NULL CHECK (how IN ('new', 'similar', 'duplicate')),
    similarity    real,                  -- score against the story it joined ('similar' only)
    terms         jsonb       NOT NULL DEFAULT '{}',
    assigned_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX story_articles_story ON liputan.story_articles (story_id, published_at);

-- Document frequencies over every article ever assigned (title + lead terms), and their count.
CREATE TABLE liputan.story_terms (
    term  text    PRIMARY KEY,
    df    integer NOT NULL CHECK (df > 0)
);
CREATE TABLE liputan.story_corpus (
    singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    documents  bigint  NOT NULL DEFAULT 0
);
INSERT INTO liputan.story_corpus (singleton, documents) VALUES (true, 0);

-- ---------------------------------------------------------------------------------------
-- The consumer interface.

-- A lateral count rather than GROUP BY: filters on the story's dates reach its index.
CREATE VIEW news.stories AS
SELECT s.story_id, s.title, s.first_published_at, s.last_published_at,
       c.article_count, c.source_count
FROM liputan.stories s
CROSS JOIN LATERAL (
    SELECT count(*)::integer                  AS article_count,
           count(DISTINCT a.source)::integer  AS source_count
    FROM liputan.story_articles sa
    JOIN liputan.articles a USING (article_id)
    WHERE sa.story_id = s.story_id
) c;
COMMENT ON VIEW news.stories IS
    'One row per story: the articles of any outlets reporting the same event. title: of its '
    'first article; first/last_published_at: over its articles; source_count: distinct outlets.';

CREATE VIEW news.story_articles AS
SELECT sa.story_id, sa.article_id, a.source, sa.published_at, a.url, a.title, a.language,
       a.duplicate_of, sa.how, sa.similarity
FROM liputan.story_articles sa
JOIN liputan.articles a USING (article_id);
COMMENT ON VIEW news.story_articles IS
    'One row per article of a story, with its outlet (source). how: new (it started the story), '
    'similar (joined by content and time), duplicate (joined its original''s story).';

-- ---------------------------------------------------------------------------------------
-- Privileges: as in 001, the reader sees the views only.

GRANT SELECT ON news.stories, news.story_articles TO liputan_reader, liputan_writer;
GRANT SELECT, INSERT, UPDATE, DELETE
    ON liputan.stories, liputan.story_articles, liputan.story_terms, liputan.story_corpus
    TO liputan_writer;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA liputan TO liputan_writer;
