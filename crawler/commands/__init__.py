"""One module per `liputan` subcommand, each with `register(commands)` adding its parser.

A command module only parses arguments and prints; the work lives in the step modules
(crawler.fetch.crawl, crawler.clean.step, crawler.load.merge, ...), which import nothing from
here. Every subcommand: README.md, "Two commands".
"""

import argparse


def positive_int(text: str) -> int:
    """argparse type for counts and limits: a whole number >= 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, not {text!r}")
    return value
