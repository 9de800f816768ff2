"""Per-source cleaning rules: what only one site does, given as data in the sources file.

`drop_selectors` (CSS: elements removed before extraction) and `drop_patterns` (regexes: lines
removed after it), validated once, when the sources file is read, so a bad one is a one-line
error naming the file and source instead of a crash in the middle of a clean.
docs/extract.md, "Per-source rules".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from crawler.errors import UserError

__all__ = ["NO_RULES", "CleaningRules"]

KEYS = ("drop_selectors", "drop_patterns")


@dataclass(frozen=True)
class CleaningRules:
    drop_selectors: tuple[str, ...] = ()
    drop_patterns: tuple[str, ...] = ()

    @classmethod
    def from_mapping(cls, data: object, where: str) -> CleaningRules:
        """Validate `clean:` of one source; `where` names it in errors ("FILE: source X")."""
        if data is None:
            return NO_RULES
        if not isinstance(data, Mapping):
            raise UserError(f"{where}: clean: expected a mapping with {', '.join(KEYS)}")
        for key in data:
            if key not in KEYS:
                raise UserError(f"{where}: clean: unknown key {key!r} "
                                f"(expected {', '.join(KEYS)})")
        values: dict[str, tuple[str, ...]] = {}
        for key in KEYS:
            items = data.get(key) or []
            if isinstance(items, str) or not isinstance(items, list) or not all(
                    isinstance(item, str) and item for item in items):
                raise UserError(f"{where}: clean.{key}: expected a list of non-empty strings")
            values[key] = tuple(items)
        for selector in values["drop_selectors"]:
            check_selector(selector, f"{where}: clean.drop_selectors")
        for pattern in values["drop_patterns"]:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise UserError(f"{where}: clean.drop_patterns: bad regex {pattern!r}: {exc}") \
                    from exc
        return cls(**values)


NO_RULES = CleaningRules()


def check_selector(selector: str, where: str) -> None:
    from cssselect import GenericTranslator, SelectorError

    try:
        GenericTranslator().css_to_xpath(selector)
    except SelectorError as exc:
        raise UserError(f"{where}: bad CSS selector {selector!r}: {exc}") from exc
