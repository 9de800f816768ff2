"""One module per `liputan` subcommand, each with `register(commands)` adding its parser.

A command module only parses arguments and prints; the work lives in the step modules
(crawler.crawl, crawler.clean, crawler.load, ...), which import nothing from here.
"""
