"""A catastrophic pattern and a crafted link cannot hang a crawl: patterns run on RE2."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]

# The news spider deciding about one link, as a crawl does, with '(a+)+$' as the source's
# pattern. Python's backtracking `re` takes 2**60 steps on this link: it never returns.
DECIDE = textwrap.dedent("""
    import sys
    from crawler.config import load_config
    from crawler.fetch.spiders.news import NewsSpider

    config = load_config(sys.argv[1])
    spider = NewsSpider(source="kabar", config=config)
    link = "https://kabar.example/" + "a" * 60 + "!"
    requests = list(spider.consider(link, "listing", "https://kabar.example/", None, depth=1,
                                    trusted=False))
    print("requested", len(requests))
""")


def test_catastrophic_pattern_and_crafted_link_return_at_once(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_text("user_agent: 'Liputan-test (+https://example.org/contact)'\n"
                    "sources:\n  - name: kabar\n    url: https://kabar.example/\n"
                    "    start_urls: [https://kabar.example/]\n"
                    "    article_url_pattern: '(a+)+$'\n")
    # Generous: this takes well under a second once Scrapy is imported; on `re` it never ends.
    done = subprocess.run([sys.executable, "-c", DECIDE, str(path)], cwd=PROJECT,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["requested", "0"]
