"""`liputan report --html`: a coverage report as one static HTML file (README.md, "Reaching
the data"): recent stories with the outlets that covered each on a timeline, and each
source's health (articles per day, why pages were not stored, its crawl runs) as small charts.

data.py reads the news.* views (a liputan_reader role may run it); html.py renders with
inline CSS and inline SVG only: no script, no external resource, every text escaped.
"""

from crawler.report.data import ReportData, gather
from crawler.report.html import render_html

__all__ = ["ReportData", "gather", "render_html"]
