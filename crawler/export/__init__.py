"""`liputan export`: articles with their provenance URLs and story ids, to JSON Lines, CSV or
Parquet, streamed (README.md, "Reaching the data").

One query (query.py) read through a server-side cursor, one writer per format (writers.py)
that writes as rows arrive: memory stays flat whatever the number of articles.
"""

from crawler.export.query import COLUMNS, ExportFilter
from crawler.export.step import FORMATS, ExportResult, export

__all__ = ["COLUMNS", "FORMATS", "ExportFilter", "ExportResult", "export"]
