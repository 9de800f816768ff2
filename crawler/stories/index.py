"""Placing articles into stories, in memory; crawler/stories/assign.py reads and writes them.

Each article, in publication order, joins the best-scoring story around its time or starts one;
nothing already assigned ever moves, so a nightly run costs what its new articles cost.
Candidates, score and thresholds (`StoryParams`): docs/stories.md, "Method", step 3.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from crawler.stories.text import TextOptions

logger = logging.getLogger(__name__)

__all__ = ["Assignment", "Story", "StoryIndex", "StoryParams", "Vocabulary", "group"]


@dataclass(frozen=True)
class StoryParams:
    """Chosen on tests/fixtures/stories/tuning.jsonl with `bench/stories_eval.py --grid`, from
    the middle of the plateau of best mean F1 per parameter rather than one lucky point; the
    holdout sets were scored with these values only."""

    # How far from a story's first article another may be and still join. Anchored at the
    # first article, not the latest, so that a chain of follow-ups cannot drift into the next
    # event about the same people (the KPU tally, then the court challenge two days later).
    window: timedelta = timedelta(days=2)
    threshold: float = 0.24
    # Title + lead of an English and an Indonesian report share only names and numbers.
    cross_language_threshold: float = 0.14
    # Score multiplier 1 / (1 + decay * days from the story's first article): the same
    # people a day or two later are more often a new event than a late report.
    decay: float = 0.5
    # 'centroid' (cosine with the story's mean vector), 'member' (closest member) or 'max' of
    # both; centroid scored as well as max on the grid and needs no member vectors.
    link: str = "centroid"
    centroid_terms: int = 80      # strongest terms kept in a story's centroid
    query_terms: int = 12         # article terms used to look up candidate stories
    members_compared: int = 20    # most recent members compared one by one ('member', 'max')
    text: TextOptions = field(default_factory=TextOptions)


@dataclass
class Story:
    story_id: int
    title: str | None
    first_article_id: int
    first: datetime
    last: datetime
    count: int
    sums: dict[str, float]                      # sum of member vectors (centroid up to scale)
    languages: set[str] = field(default_factory=set)
    members: list[dict[str, float]] = field(default_factory=list)
    dirty: bool = False
    posted: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Assignment:
    article_id: int
    story_id: int
    how: str                 # 'new' | 'similar'
    similarity: float | None
    published_at: datetime
    terms: dict[str, float]
    language: str | None = None


class Vocabulary:
    """Document frequencies; `loader` fetches the ones of terms not seen yet (database mode)."""

    def __init__(self, df: dict[str, int] | None = None, documents: int = 0,
                 loader: Callable[[list[str]], dict[str, int]] | None = None) -> None:
        self.df: dict[str, int] = dict(df or {})
        self.documents = documents
        self.added: Counter[str] = Counter()    # not yet written back
        self.added_documents = 0
        self.generation = 0                     # changes whenever an idf may have changed
        self._loader = loader
        self._known: set[str] = set(self.df) if loader else set()
        self._idf: dict[str, float] = {}
        self._idf_generation = -1

    def require(self, terms: Iterable[str]) -> None:
        if self._loader is None:
            return
        missing = [t for t in set(terms) if t not in self._known]
        if missing:
            self.df.update(self._loader(missing))
            self._known.update(missing)
            self.generation += 1

    def add_documents(self, vectors: Iterable[dict[str, float]]) -> None:
        vectors = list(vectors)
        self.require(t for v in vectors for t in v)
        for vector in vectors:
            for term in vector:
                self.df[term] = self.df.get(term, 0) + 1
                self.added[term] += 1
            self.documents += 1
            self.added_documents += 1
        self.generation += 1

    def idf(self, term: str) -> float:
        if self._idf_generation != self.generation:
            self._idf.clear()
            self._idf_generation = self.generation
        value = self._idf.get(term)
        if value is None:
            value = math.log((self.documents + 1) / (self.df.get(term, 0) + 1)) + 1.0
            self._idf[term] = value
        return value

    def written(self) -> None:
        self.added.clear()
        self.added_documents = 0


def _terms_of(stories: list[Story]) -> set[str]:
    terms: set[str] = set()
    for story in stories:
        terms.update(story.sums)
        for member in story.members:
            terms.update(member)
    return terms


def _language(code: str | None) -> str | None:
    """'id-ID' and 'id' are one language; unknown stays unknown."""
    return code.split("-")[0].lower() if code else None


def _top(vector: dict[str, float], n: int) -> dict[str, float]:
    if len(vector) <= n:
        return vector
    return dict(sorted(vector.items(), key=lambda item: (-item[1], item[0]))[:n])


class StoryIndex:
    """The stories around the articles being placed, and the placing itself."""

    def __init__(self, params: StoryParams, vocabulary: Vocabulary,
                 allocate_id: Callable[[], int],
                 load_stories: Callable[[datetime, datetime], list[Story]] | None = None,
                 ) -> None:
        self.params = params
        self.vocabulary = vocabulary
        self._allocate_id = allocate_id
        self._load_stories = load_stories
        self.stories: dict[int, Story] = {}
        self._evicted: dict[int, Story] = {}    # out of reach, maybe still to be written
        self._postings: dict[str, set[int]] = {}
        self._loaded: tuple[datetime, datetime] | None = None
        self._norms: dict[int, tuple[int, dict[str, float], float]] = {}
        self._placed = 0

    # -- state -------------------------------------------------------------------------
    def add_story(self, story: Story) -> None:
        if story.story_id in self.stories or story.story_id in self._evicted:
            return
        self.vocabulary.require(_terms_of([story]))
        self.stories[story.story_id] = story
        self._post(story)

    def dirty_stories(self) -> list[Story]:
        found = [s for s in self.stories.values() if s.dirty]
        found += [s for s in self._evicted.values() if s.dirty]
        return found

    def written(self) -> None:
        for story in self.dirty_stories():
            story.dirty = False
        self._evicted.clear()

    def _post(self, story: Story) -> None:
        for term in story.sums:
            if term not in story.posted:
                self._postings.setdefault(term, set()).add(story.story_id)
                story.posted.add(term)

    def _evict_before(self, moment: datetime) -> None:
        for story_id in [i for i, s in self.stories.items()
                         if s.first + self.params.window < moment]:
            story = self.stories.pop(story_id)
            for term in story.posted:
                ids = self._postings.get(term)
                if ids is not None:
                    ids.discard(story_id)
                    if not ids:
                        del self._postings[term]
            story.posted.clear()
            self._norms.pop(story_id, None)
            self._evicted[story_id] = story

    def _ensure_loaded(self, at: datetime) -> None:
        if self._load_stories is None:
            return
        low, high = at - self.params.window, at + self.params.window
        if self._loaded and self._loaded[0] <= low and high <= self._loaded[1]:
            return
        # Load a day ahead so that a run over sorted articles queries about once a day.
        high += timedelta(days=1)
        stories = self._load_stories(low, high)
        # One frequency lookup for all of them, not one per story.
        self.vocabulary.require(_terms_of(stories))
        for story in stories:
            self.add_story(story)
        if self._loaded and low <= self._loaded[1] and self._loaded[0] <= high:
            self._loaded = (min(low, self._loaded[0]), max(high, self._loaded[1]))
        else:
            self._loaded = (low, high)

    # -- scoring -----------------------------------------------------------------------
    def _weights(self, vector: dict[str, float]) -> tuple[dict[str, float], float]:
        idf = self.vocabulary.idf
        weights = {t: w * idf(t) for t, w in vector.items()}
        return weights, math.sqrt(sum(w * w for w in weights.values())) or 1.0

    def _story_weights(self, story: Story) -> tuple[dict[str, float], float]:
        """The story centroid with idf applied, cached until the story or the idf change."""
        cached = self._norms.get(story.story_id)
        if cached and cached[0] == self.vocabulary.generation:
            return cached[1], cached[2]
        weights, norm = self._weights(story.sums)
        self._norms[story.story_id] = (self.vocabulary.generation, weights, norm)
        return weights, norm

    @staticmethod
    def _dot(a: dict[str, float], b: dict[str, float]) -> float:
        if len(a) > len(b):
            a, b = b, a
        return sum(w * b[t] for t, w in a.items() if t in b)

    def score(self, weights: dict[str, float], norm: float, story: Story) -> float:
        link = self.params.link
        best = 0.0
        if link in ("max", "centroid"):
            story_weights, story_norm = self._story_weights(story)
            best = self._dot(weights, story_weights) / (norm * story_norm)
        if link in ("max", "member"):
            for member in story.members[-self.params.members_compared:]:
                member_weights, member_norm = self._weights(member)
                best = max(best, self._dot(weights, member_weights) / (norm * member_norm))
        return best

    def candidates(self, weights: dict[str, float], at: datetime) -> list[Story]:
        window = self.params.window
        common = 0.05 * self.vocabulary.documents if self.vocabulary.documents >= 200 else None
        query = sorted(weights.items(), key=lambda item: (-item[1], item[0]))
        found: set[int] = set()
        used = 0
        for term, _ in query:
            if used >= self.params.query_terms:
                break
            # Terms in more than 5% of all articles point at too many stories to narrow.
            if common is not None and self.vocabulary.df.get(term, 0) > common:
                continue
            used += 1
            found.update(self._postings.get(term, ()))
        stories = (self.stories[i] for i in sorted(found))
        return [s for s in stories if s.first - window <= at <= s.first + window]

    # -- placing -----------------------------------------------------------------------
    def place(self, article_id: int, title: str | None, at: datetime,
              vector: dict[str, float], language: str | None = None) -> Assignment:
        """Put one article (with its vector counted in the vocabulary) into a story."""
        self._placed += 1
        if self._placed % 500 == 0:
            self._evict_before(at)
        self._ensure_loaded(at)
        weights, norm = self._weights(vector)
        best: Story | None = None
        best_score = 0.0
        language = _language(language)
        params = self.params
        best: Story | None = None
        best_margin = 0.0
        best_score = 0.0
        for story in self.candidates(weights, at):
            days = abs((at - story.first).total_seconds()) / 86400
            score = self.score(weights, norm, story) / (1.0 + params.decay * days)
            foreign = language and story.languages and language not in story.languages
            threshold = params.cross_language_threshold if foreign else params.threshold
            # Ranked by how far above its own threshold: a bar, not a bonus.
            if score >= threshold and (best is None or score - threshold > best_margin):
                best, best_margin, best_score = story, score - threshold, score
        if best is not None:
            self._join(best, at, vector, language)
            return Assignment(article_id, best.story_id, "similar", round(best_score, 4), at,
                              vector, language)
        story = Story(story_id=self._allocate_id(), title=title, first_article_id=article_id,
                      first=at, last=at, count=0, sums={}, dirty=True)
        self.stories[story.story_id] = story
        self._join(story, at, vector, language)
        return Assignment(article_id, story.story_id, "new", None, at, vector, language)

    def _join(self, story: Story, at: datetime, vector: dict[str, float],
              language: str | None) -> None:
        sums = dict(story.sums)
        for term, w in vector.items():
            sums[term] = sums.get(term, 0.0) + w
        story.sums = _top(sums, self.params.centroid_terms)
        story.members.append(vector)
        del story.members[: -self.params.members_compared]
        story.count += 1
        if language:
            story.languages.add(language)
        story.first, story.last = min(story.first, at), max(story.last, at)
        story.dirty = True
        self._norms.pop(story.story_id, None)
        self._post(story)


@dataclass(frozen=True)
class Item:
    """One article for in-memory grouping (the evaluation and the tests use this path)."""

    key: str
    title: str | None
    text: str | None
    published_at: datetime
    duplicate_of: str | None = None
    language: str | None = None


def group(items: Iterable[Item], params: StoryParams | None = None,
          batches: int = 1) -> dict[str, int]:
    """key -> story id for `items`, placed as `batches` successive runs would place them.

    The same StoryIndex as update_stories(): the database only adds persistence.
    """
    from crawler.stories.text import article_terms

    params = params or StoryParams()
    items = sorted(items, key=lambda i: (i.published_at, i.key))
    counter = iter(range(1, 10**9))
    vocabulary = Vocabulary()
    index = StoryIndex(params, vocabulary, allocate_id=lambda: next(counter))
    story_of: dict[str, int] = {}
    size = max(1, math.ceil(len(items) / batches))
    for start in range(0, len(items), size):
        batch = [i for i in items[start:start + size] if i.duplicate_of is None]
        vectors = {i.key: article_terms(i.title, i.text, params.text) for i in batch}
        vocabulary.add_documents(vectors.values())
        for position, item in enumerate(batch):
            assignment = index.place(position, item.title, item.published_at, vectors[item.key],
                                     item.language)
            story_of[item.key] = assignment.story_id
    pending = [i for i in items if i.duplicate_of is not None]
    while pending:
        # Copies join their original's story; a copy of a copy once the first copy has one.
        left = [i for i in pending if i.duplicate_of not in story_of]
        for item in pending:
            if item.duplicate_of in story_of:
                story_of[item.key] = story_of[item.duplicate_of]
        if len(left) == len(pending):
            raise ValueError(f"duplicate_of points at unknown articles: {left[0].key}")
        pending = left
    return story_of
