"""The fixture news web: real HTTP servers on 127.0.0.1 serving several fake outlets.

Use the pytest fixture `news_web` (tests/newsweb/fixtures.py, registered for every test in
tests/conftest.py) or, outside pytest, `with NewsWeb() as web: ...`.
"""

from tests.newsweb.server import ExpectedArticle, NewsWeb, RequestRecord, generated_web

__all__ = ["ExpectedArticle", "NewsWeb", "RequestRecord", "generated_web"]
