"""The sources file: which outlets to crawl and how, validated once into typed objects.

Every mistake is found here, before anything is fetched, and reported as one line naming the
file, the source and the key (crawler.errors.UserError, exit status 2), so inner code can trust
the objects this module returns. Every key: docs/crawl.md, "The sources file".
"""

from __future__ import annotations

import gc
import ipaddress
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields
from datetime import UTC, date, datetime, time
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import re2  # its error type, for validation messages
import yaml

from crawler.clean.rules import NO_RULES, CleaningRules
from crawler.errors import UserError
from crawler.patterns import compile_pattern
from crawler.zones import default_zone

__all__ = [
    "DEFAULT_USER_AGENT",
    "Config",
    "Source",
    "config_from_json",
    "default_sources_path",
    "load_config",
    "parse_date",
]

DEFAULT_USER_AGENT = "Liputan/0.1 (news research crawler; +https://github.com/liputan/liputan)"
# Used with fullmatch: `$` would also match before a final newline ("abc\n").
_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,62}")
_LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})?")
# Newlines, tabs and other control characters, which no one-line value (URL, user agent) has.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# libyaml's loader when PyYAML has it: several times faster (bench/config.py).
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

RENDERS = ("html", "browser")

# Key -> (minimum, maximum) of the numbers of a sources file. The maxima are far beyond any
# sensible value; they are there so that a typo (or .inf, .nan) cannot hang or disable a crawl:
# a delay of a day is not politeness, it is a hang.
LIMITS: dict[str, tuple[float, float]] = {
    "max_download_bytes": (1024, 1 << 30),  # 1 GiB
    "download_timeout": (0.1, 600.0),
    "retries": (0, 20),
    "retry_backoff": (0.0, 600.0),
    "max_pages": (1, 1_000_000),
    "delay": (0.0, 600.0),
    "concurrency": (1, 100),
    "max_depth": (0, 100),
    "max_listing_pages": (1, 10_000),
    "max_sitemaps": (1, 100_000),
    "min_words": (0, 100_000),
}


@dataclass(frozen=True)
class Source:
    name: str
    url: str
    language: str | None = None
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    start_urls: tuple[str, ...] = ()
    article_url_pattern: str | None = None
    max_pages: int = 30
    delay: float = 1.0
    concurrency: int = 2
    max_depth: int = 2
    max_listing_pages: int = 5
    max_sitemaps: int = 20
    clean_rules: CleaningRules = NO_RULES
    # IANA zone for dates a page gives without one (default: crawler.zones.default_zone)
    timezone: str | None = None
    # exclusions a source may choose; such pages are recorded with the reason, not stored
    languages: tuple[str, ...] = ()  # store only articles in these languages (() = any)
    min_words: int = 0  # store only articles of at least this many words
    render: str = "html"  # html, or browser: article pages built by JavaScript

    @property
    def zone(self) -> ZoneInfo | None:
        """The zone for dates without one: `timezone`, else the language's or the country's."""
        return ZoneInfo(self.timezone) if self.timezone else default_zone(self.url, self.language)

    @property
    def article_regex(self) -> re2._Regexp | None:
        """article_url_pattern compiled by RE2 (linear time: no link can hang the crawl)."""
        return compile_pattern(self.article_url_pattern) if self.article_url_pattern else None

    @property
    def seed_urls(self) -> tuple[str, ...]:
        return self.feeds + self.sitemaps + self.start_urls


@dataclass(frozen=True)
class Config:
    path: Path
    sources: tuple[Source, ...]
    user_agent: str = DEFAULT_USER_AGENT
    obey_robots: bool = True
    max_download_bytes: int = 5 * 1024 * 1024
    download_timeout: float = 30.0
    retries: int = 2
    retry_backoff: float = 2.0
    autothrottle: bool = True
    since: datetime | None = None
    # Networks that may be fetched although not public: () = none (default), or every one
    # when the file says `allow_private_addresses: true`.
    allowed_private_networks: tuple[str, ...] = ()

    @property
    def allow_private_addresses(self) -> bool:
        return bool(self.allowed_private_networks)

    @cached_property
    def _positions(self) -> dict[str, int]:
        return {s.name: index for index, s in enumerate(self.sources)}

    def select(self, names: Iterable[str] | None) -> tuple[Source, ...]:
        """The sources called `names` in file order (all of them for None); UserError on unknown."""
        names = list(names or ())
        if not names:
            return self.sources
        wanted = set(names)
        unknown = [n for n in dict.fromkeys(names) if n not in self._positions]
        if unknown:
            known = sorted(self._positions)
            listed = ", ".join(known[:20]) + (f", ... ({len(known)} in all)"
                                              if len(known) > 20 else "")
            raise UserError(f"{self.path}: no source named {', '.join(map(repr, unknown))} "
                            f"(known: {listed})")
        if len(wanted) == len(self.sources):
            return self.sources
        # Not a scan of every source: a crawl selects each of them, one child at a time.
        return tuple(self.sources[i] for i in sorted(self._positions[n] for n in wanted))

    def source(self, name: str) -> Source:
        if name not in self._positions:
            self.select([name])  # the UserError
        return self.sources[self._positions[name]]

    def to_json(self, names: Iterable[str] | None = None) -> str:
        """This configuration, with only the sources `names`, as JSON for config_from_json:
        what a crawl's child process gets instead of the file to parse and validate again."""
        # Field by field: asdict(self) would copy every source of the file, for each child.
        data = {f.name: getattr(self, f.name) for f in fields(self)
                if f.name not in ("path", "sources", "since")}
        data["path"] = str(self.path)
        data["since"] = self.since.isoformat() if self.since else None
        data["sources"] = [asdict(s) for s in self.select(names)]
        return json.dumps(data, ensure_ascii=False)


def config_from_json(text: str) -> Config:
    """The Config that Config.to_json wrote (validated then: it is not validated again)."""
    data = json.loads(text)
    sources = []
    for raw in data.pop("sources"):
        rules = raw.pop("clean_rules")
        sources.append(Source(**{key: tuple(value) if isinstance(value, list) else value
                                 for key, value in raw.items()},
                              clean_rules=CleaningRules(**{
                                  key: tuple(value) for key, value in rules.items()})))
    since = data.pop("since")
    return Config(path=Path(data.pop("path")), sources=tuple(sources),
                  since=datetime.fromisoformat(since) if since else None,
                  **{key: tuple(value) if isinstance(value, list) else value
                     for key, value in data.items()})


def default_sources_path() -> Path:
    """The Indonesian outlets shipped with Liputan."""
    return Path(__file__).resolve().parent / "sources" / "indonesia.yaml"


# Key -> default, for the crawl-wide part of the file; per-source keys live in SOURCE_KEYS.
GLOBAL_KEYS = ("sources", "user_agent", "obey_robots", "max_download_bytes", "download_timeout",
               "retries", "retry_backoff", "autothrottle", "since", "allow_private_addresses", "defaults")
SOURCE_KEYS = ("name", "url", "language", "feeds", "sitemaps", "start_urls",
               "article_url_pattern", "max_pages", "delay", "concurrency", "max_depth",
               "max_listing_pages", "max_sitemaps", "clean", "timezone", "languages",
               "min_words", "render")
# Keys a `defaults:` mapping may set for every source.
DEFAULTABLE_KEYS = ("language", "max_pages", "delay", "concurrency", "max_depth",
                    "max_listing_pages", "max_sitemaps", "timezone", "languages", "min_words",
                    "render")


def load_config(path: str | Path) -> Config:
    """Read and validate a sources file; any problem is a UserError naming file, source, key."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"{path}: sources file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: cannot read sources file: {exc}") from exc
    # Reading makes millions of objects that all live on: the cyclic garbage collector's
    # passes over them, which find nothing, took three quarters of the time of a 12 MB file.
    collecting = gc.isenabled()
    gc.disable()
    try:
        try:
            data = yaml.load(text, Loader=_YAML_LOADER)  # a safe loader, C or Python
        except yaml.YAMLError as exc:
            raise UserError(f"{path}: not valid YAML: {' '.join(str(exc).split())}") from exc
        except RecursionError:
            # PyYAML's composer recurses once per nesting level; no sources file nests that
            # deep.
            raise UserError(f"{path}: not valid YAML: nested too deeply") from None
        return parse_config(data, path)
    finally:
        if collecting:
            gc.enable()


def parse_config(data: object, path: Path) -> Config:
    where = str(path)
    if not isinstance(data, Mapping):
        raise UserError(f"{where}: expected a mapping with a `sources:` list at the top")
    _no_unknown_keys(data, GLOBAL_KEYS, where)
    defaults = data.get("defaults") or {}
    if not isinstance(defaults, Mapping):
        raise UserError(f"{where}: defaults: expected a mapping")
    _no_unknown_keys(defaults, DEFAULTABLE_KEYS, f"{where}: defaults")
    raw_sources = data.get("sources")
    if not isinstance(raw_sources, list) or not raw_sources:
        raise UserError(f"{where}: sources: expected a non-empty list of sources")
    sources: list[Source] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(raw_sources, start=1):
        source = _parse_source(raw, defaults, where, index)
        if source.name in seen:
            raise UserError(f"{where}: source {source.name!r}: name: duplicate name "
                            f"(also source #{seen[source.name]})")
        seen[source.name] = index
        sources.append(source)
    user_agent = _string(data, "user_agent", where, DEFAULT_USER_AGENT)
    if not re.search(r"https?://|@", user_agent):
        raise UserError(f"{where}: user_agent: must say how to reach you (a URL or an e-mail)")
    if _has_control_characters(user_agent):
        raise UserError(f"{where}: user_agent: must be one line without control characters")
    return Config(
        path=path,
        sources=tuple(sources),
        user_agent=user_agent,
        obey_robots=_boolean(data, "obey_robots", where, True),
        max_download_bytes=_integer(data, "max_download_bytes", where, 5 * 1024 * 1024),
        download_timeout=_number(data, "download_timeout", where, 30.0),
        retries=_integer(data, "retries", where, 2),
        retry_backoff=_number(data, "retry_backoff", where, 2.0),
        autothrottle=_boolean(data, "autothrottle", where, True),
        since=_since(data.get("since"), where),
        allowed_private_networks=_private_networks(data.get("allow_private_addresses"), where),
    )


def _parse_source(raw: object, defaults: Mapping, file: str, index: int) -> Source:
    where = f"{file}: source #{index}"
    if not isinstance(raw, Mapping):
        raise UserError(f"{where}: expected a mapping with name, url, feeds, ...")
    name = raw.get("name")
    if name is None or name == "":
        raise UserError(f"{where}: name: missing name")
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise UserError(f"{where}: name: {name!r} is not a slug (lowercase letters, digits, - _)")
    where = f"{file}: source {name!r}"
    _no_unknown_keys(raw, SOURCE_KEYS, where)
    merged = {**defaults, **raw}
    url = _url(merged.get("url"), f"{where}: url")
    language = merged.get("language")
    if language is not None and (not isinstance(language, str)
                                 or not _LANGUAGE.fullmatch(language)):
        raise UserError(f"{where}: language: {language!r} is not an ISO 639 code like 'id'")
    feeds = _urls(merged, "feeds", where)
    sitemaps = _urls(merged, "sitemaps", where)
    start_urls = _urls(merged, "start_urls", where)
    if not (feeds or sitemaps or start_urls):
        raise UserError(f"{where}: needs at least one of feeds, sitemaps, start_urls")
    pattern = merged.get("article_url_pattern")
    if pattern is not None:
        if not isinstance(pattern, str) or not pattern:
            raise UserError(f"{where}: article_url_pattern: expected a regular expression")
        _check_pattern(pattern, f"{where}: article_url_pattern")
    clean_rules = CleaningRules.from_mapping(merged.get("clean"), where)
    for drop in clean_rules.drop_patterns:  # valid for `re` (from_mapping): RE2 too?
        _check_pattern(drop, f"{where}: clean.drop_patterns")
    return Source(
        name=name, url=url, language=language, feeds=feeds, sitemaps=sitemaps,
        start_urls=start_urls, article_url_pattern=pattern,
        max_pages=_integer(merged, "max_pages", where, 30),
        delay=_number(merged, "delay", where, 1.0),
        concurrency=_integer(merged, "concurrency", where, 2),
        max_depth=_integer(merged, "max_depth", where, 2),
        max_listing_pages=_integer(merged, "max_listing_pages", where, 5),
        max_sitemaps=_integer(merged, "max_sitemaps", where, 20),
        clean_rules=clean_rules,
        timezone=_timezone(merged.get("timezone"), f"{where}: timezone"),
        languages=_languages(merged.get("languages"), f"{where}: languages"),
        min_words=_integer(merged, "min_words", where, 0),
        render=_choice(merged, "render", RENDERS, where),
    )


def _timezone(value: object, where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise UserError(f"{where}: expected an IANA time zone like Asia/Jakarta")
    try:
        ZoneInfo(value.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise UserError(f"{where}: {value!r} is not an IANA time zone like Asia/Jakarta") \
            from None
    return value.strip()


def _languages(value: object, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        raise UserError(f"{where}: expected a list of ISO 639 codes like [id, en]")
    for item in value:
        if not isinstance(item, str) or not _LANGUAGE.fullmatch(item):
            raise UserError(f"{where}: {item!r} is not an ISO 639 code like 'id'")
    return tuple(dict.fromkeys(item.lower()[:3].split("-")[0] for item in value))


def _choice(data: Mapping, key: str, choices: tuple[str, ...], where: str) -> str:
    value = data.get(key, choices[0])
    if value not in choices:
        raise UserError(f"{where}: {key}: expected one of {', '.join(choices)}, got {value!r}")
    return value


def _check_pattern(pattern: str, where: str) -> None:
    """A regex from the file that RE2 takes (compile_pattern, which the crawl will use)."""
    try:
        compile_pattern(pattern)
        return
    except re2.error as exc:
        reason = exc.args[0] if exc.args else ""
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
    try:  # Python's message is the clearer one for a plain syntax error
        re.compile(pattern)
    except re.error as exc:
        raise UserError(f"{where}: bad regex {pattern!r}: {exc}") from None
    raise UserError(f"{where}: {pattern!r} is not supported by RE2, the linear-time engine "
                        f"patterns of a sources file run on ({reason}; no backreferences, "
                        f"lookarounds, atomic groups or possessive repeats; \\z for \\Z)") \
            from None


def parse_date(value: object, where: str) -> datetime:
    """A date or timestamp (YAML or command line) as an aware datetime; naive means UTC."""
    if isinstance(value, datetime):
        result = value
    elif isinstance(value, date):
        result = datetime.combine(value, time.min)
    elif isinstance(value, str):
        try:
            result = datetime.fromisoformat(value.strip())
        except ValueError:
            raise UserError(f"{where}: {value!r} is not a date like 2024-05-01") from None
    else:
        raise UserError(f"{where}: {value!r} is not a date like 2024-05-01")
    return result if result.tzinfo else result.replace(tzinfo=UTC)


def _since(value: object, where: str) -> datetime | None:
    return None if value is None else parse_date(value, f"{where}: since")


def _private_networks(value: object, where: str) -> tuple[str, ...]:
    key = f"{where}: allow_private_addresses"
    if value is None or value is False:
        return ()
    if value is True:
        return ("0.0.0.0/0", "::/0")
    if not isinstance(value, list) or not value:
        raise UserError(f"{key}: expected true, false or a list of networks like 127.0.0.0/8")
    networks = []
    for item in value:
        try:
            networks.append(str(ipaddress.ip_network(str(item), strict=False)))
        except ValueError:
            raise UserError(f"{key}: {item!r} is not a network like 127.0.0.0/8") from None
    return tuple(networks)


def _no_unknown_keys(data: Mapping, allowed: tuple[str, ...], where: str) -> None:
    for key in data:
        if key not in allowed:
            raise UserError(f"{where}: {key}: unknown key (expected one of {', '.join(allowed)})")


def _url(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise UserError(f"{where}: missing URL")
    try:
        parts = urlsplit(value.strip())
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError as exc:  # a bad port, an unclosed IPv6 bracket, ...
        raise UserError(f"{where}: bad URL {value!r} ({exc})") from None
    if (parts.scheme not in ("http", "https") or not parts.hostname or " " in value.strip()
            or _has_control_characters(value.strip())):
        raise UserError(f"{where}: bad URL {value!r} (expected http:// or https:// and a host)")
    return value.strip()


def _urls(data: Mapping, key: str, where: str) -> tuple[str, ...]:
    value = data.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise UserError(f"{where}: {key}: expected a list of URLs")
    return tuple(_url(item, f"{where}: {key}") for item in value)


def _string(data: Mapping, key: str, where: str, default: str) -> str:
    value = data.get(key, default)
    if not isinstance(value, str) or not value.strip():
        raise UserError(f"{where}: {key}: expected a non-empty string")
    return value.strip()


def _boolean(data: Mapping, key: str, where: str, default: bool) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise UserError(f"{where}: {key}: expected true or false, got {value!r}")
    return value


def _has_control_characters(text: str) -> bool:
    return _CONTROL.search(text) is not None


def _integer(data: Mapping, key: str, where: str, default: int) -> int:
    value = data.get(key, default)
    minimum, maximum = LIMITS[key]
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        raise UserError(f"{where}: {key}: expected a whole number from {minimum:,} to "
                        f"{maximum:,}, got {value!r}")
    return value


def _number(data: Mapping, key: str, where: str, default: float) -> float:
    value = data.get(key, default)
    minimum, maximum = LIMITS[key]
    # NaN fails every comparison, infinities the maximum: only finite numbers in range pass.
    if (isinstance(value, bool) or not isinstance(value, (int, float))
            or not minimum <= value <= maximum or not math.isfinite(value)):
        raise UserError(f"{where}: {key}: expected a number of seconds from {minimum:g} to "
                        f"{maximum:g}, got {value!r}")
    return float(value)
