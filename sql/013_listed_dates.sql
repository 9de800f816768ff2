-- The date the feed or sitemap that listed an article's URL gives for it (RSS pubDate, Atom
-- published, news:publication_date, else the only date given). `liputan clean` takes it as
-- the article's publication time when the page itself states none, and says so:
-- news.articles.published_at_source = 'feed' or 'sitemap'. The crawl time is never taken.

ALTER TABLE liputan.fetches ADD COLUMN listed_published_at timestamptz;
