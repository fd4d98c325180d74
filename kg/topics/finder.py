"""Topics of papers from their titles and abstracts, with spaCy, offline.

Three sources of candidate topics, combined by the ``method`` option:

``vocabulary``
    phrases of the curated vocabulary, found with spaCy PhraseMatchers.
``keyphrase``
    statistical key phrases: runs of 2-4 content words (split at stop
    words, punctuation and numbers), kept when they recur in at least
    ``min_papers`` papers of the corpus and scored by tf-idf.
``noun-chunk``
    the same, but candidates are the noun chunks and lemmas of a trained
    spaCy pipeline (used only when one is installed).

Acronyms defined in the text ("recurrent neural networks (RNNs)") join their
long form, plurals and hyphenation are normalised (:mod:`kg.topics.normalize`)
and junk (pronouns, "this paper", "results", bare numbers) never becomes a
topic. Each paper keeps at most ``max_per_paper`` topics, ranked by score.
"""

from __future__ import annotations

import gc
import math
import os
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache

from kg.data import load_json
from kg.errors import UsageError
from kg.progress import Progress, Tally
from kg.topics.normalize import is_acronym, topic_key
from kg.topics.vocabulary import build_matchers, key_to_label, weak_keys

METHODS = ("auto", "vocabulary", "keyphrase", "vocabulary+keyphrase", "noun-chunk", "vocabulary+noun-chunk")
TRAINED_PIPELINES = ("en_core_web_sm", "en_core_web_md", "en_core_web_lg", "en_core_web_trf")
# Below this many papers, starting worker processes costs more than it saves (bench/README.md).
PARALLEL_MIN_PAPERS = 4000
_CHUNKS_PER_WORKER = 4  # more chunks than workers: their progress is seen as each chunk ends
_TITLE_WEIGHT = 2.0
_KEYPHRASE_WEIGHT = 0.6
_ABBREVIATION_RE = re.compile(r"\(([A-Za-z][A-Za-z0-9\-]{1,9})\)")


@dataclass(frozen=True)
class TopicHit:
    """One topic of one paper."""

    key: str
    label: str
    score: float
    method: str
    forms: tuple[str, ...] = ()


@dataclass
class _Paper:
    counts: Counter = field(default_factory=Counter)
    in_title: set = field(default_factory=set)
    methods: dict = field(default_factory=dict)


@cache
def _stoplist() -> dict[str, frozenset[str]]:
    data = load_json("topic_stoplist.json")
    return {key: frozenset(value) for key, value in data.items() if isinstance(value, list)}


def is_junk(key: str) -> bool:
    """True for keys that are never topics: generic nouns, pronouns, numbers, one letter.

    Examples
    --------
    >>> is_junk("this paper"), is_junk("results"), is_junk("2019"), is_junk("knowledge graph")
    (True, True, True, False)
    """
    from spacy.lang.en.stop_words import STOP_WORDS

    words = key.split()
    stop = _stoplist()
    if not words or key in stop["never_topics"] or any(w in stop["pronouns"] for w in words):
        return True
    if words[0] in STOP_WORDS or words[-1] in STOP_WORDS:
        return True  # "a novel approach", "learning of"
    if all(w in stop["never_topics"] or w in stop["trim_words"] or w in STOP_WORDS for w in words):
        return True
    return any(not re.search(r"[a-z]", w) for w in words) or len(key) < 2


def find_abbreviations(text: str) -> dict[str, str]:
    """Acronym key -> long-form key for "long form (ACRONYM)" definitions in ``text``.

    The long form is the run of words just before the parenthesis whose initial
    letters spell the acronym (a simplified Schwartz-Hearst rule).

    Examples
    --------
    >>> find_abbreviations("We study recurrent neural networks (RNNs) and state space models (SSMs).")
    {'rnn': 'recurrent neural network', 'ssm': 'state space model'}
    """
    found: dict[str, str] = {}
    for match in _ABBREVIATION_RE.finditer(text):
        acronym = match.group(1)
        if not is_acronym(acronym):
            continue
        letters = [c.lower() for c in acronym.rstrip("s") if c.isalpha()]
        words = re.findall(r"[\w\-]+", text[: match.start()])[-(len(letters) + 2) :]
        for start in range(len(words)):
            window = words[start:]
            initials = [part[0].lower() for w in window for part in w.split("-") if part]
            if initials == letters or [w[0].lower() for w in window] == letters:
                found[topic_key(acronym)] = topic_key(" ".join(window))
                break
    return found


def trained_pipeline_name() -> str | None:
    """The first installed trained English spaCy pipeline, or None."""
    import spacy.util

    return next((name for name in TRAINED_PIPELINES if spacy.util.is_package(name)), None)


class PendingTopics:
    """Topics being read (see :meth:`TopicFinder.start`); :meth:`result` waits for them, once."""

    def __init__(self, collect: Callable[[], list[list[TopicHit]]]) -> None:
        self._collect = collect
        self._result: list[list[TopicHit]] | None = None

    def result(self) -> list[list[TopicHit]]:
        if self._result is None:
            self._result = self._collect()
        return self._result


class TopicFinder:
    """Finds ranked topics for a corpus of (title, abstract) pairs.

    Parameters
    ----------
    method : str
        One of :data:`METHODS`. ``auto`` is vocabulary plus noun chunks when a
        trained pipeline is installed, else vocabulary only (the measured best
        without one; see bench/README.md).
    max_per_paper : int
        Cap on topics per paper.
    min_papers : int
        A statistical key phrase must occur in at least this many papers;
        vocabulary topics are always kept.
    max_phrases : int
        Cap on statistical key phrases per paper (they rank after vocabulary topics).
    batch_size : int
        Passed to ``nlp.pipe``.
    n_process : int, optional
        Worker processes; by default one per core (at most 4) for corpora of
        :data:`PARALLEL_MIN_PAPERS` papers or more, else one.
    spacy_model : str, optional
        Name or path of a trained spaCy pipeline (with a parser) to use for
        noun chunks instead of the first installed one of
        :data:`TRAINED_PIPELINES`.

    Examples
    --------
    >>> finder = TopicFinder(method="vocabulary")
    >>> hits = finder.find([("Universal Transformers", "Recurrent neural networks (RNNs) ...")])
    >>> [h.label for h in hits[0]]
    ['transformer', 'recurrent neural network']
    """

    def __init__(
        self,
        method: str = "auto",
        max_per_paper: int = 8,
        min_papers: int = 2,
        max_phrases: int = 3,
        batch_size: int = 256,
        n_process: int | None = None,
        spacy_model: str | None = None,
    ) -> None:
        if method not in METHODS:
            raise UsageError(f"unknown topic method {method!r} (known: {', '.join(METHODS)})")
        if max_per_paper < 1 or min_papers < 1:
            raise UsageError("max topics per paper and min papers per topic must be at least 1")
        wants_chunks = "noun-chunk" in method or method == "auto"
        self.trained = (spacy_model or trained_pipeline_name()) if wants_chunks else None
        if "noun-chunk" in method and self.trained is None:
            raise UsageError(f"topic method {method!r} needs a trained spaCy pipeline ({', '.join(TRAINED_PIPELINES)})")
        if method == "auto":
            method = "vocabulary+noun-chunk" if self.trained else "vocabulary"
        self.method = method
        self.max_per_paper = max_per_paper
        self.min_papers = min_papers
        self.max_phrases = max_phrases
        self.batch_size = batch_size
        self.n_process = n_process
        self._nlp = None

    @property
    def pipeline(self) -> str:
        """The spaCy pipeline in use, in words."""
        return self.trained if self.trained else 'spacy.blank("en") + PhraseMatcher'

    def _load(self):
        import spacy

        if self._nlp is None:
            if self.trained:
                try:
                    self._nlp = spacy.load(self.trained, exclude=["ner", "textcat"])
                except OSError:
                    raise UsageError(
                        f"spaCy pipeline {self.trained!r} is not installed or not a pipeline folder"
                    ) from None
            else:
                self._nlp = spacy.blank("en")
            self._matchers = build_matchers(self._nlp)
        return self._nlp

    def find(self, papers: Sequence[tuple[str | None, str | None]]) -> list[list[TopicHit]]:
        """Ranked topics of each (title, abstract) pair, in the order given.

        Large corpora are read by several processes (each its own spaCy
        pipeline, sharing nothing but the results); the result is identical
        to a serial run because only additive counts cross processes.
        """
        return self.start(papers).result()

    def start(self, papers: Sequence[tuple[str | None, str | None]], progress: Progress | None = None) -> PendingTopics:
        """Begin :meth:`find` in worker processes and return at once; ``.result()`` waits for it.

        A build hands topics to the workers and goes on resolving authors and
        writing statements meanwhile. Small inputs are read at once, here.
        ``progress`` is told how many papers were read (the stage ``"finding topics"``,
        see :mod:`kg.progress`); with workers, from a thread of this process as each
        part of the papers is done.
        """
        self._load()
        tally = Tally(progress, "finding topics", len(papers))
        workers = self._workers(len(papers))
        if workers <= 1:
            found, forms = self._read(papers, tally)
            return PendingTopics(lambda: self._finish(found, forms, len(papers), tally))
        return self._start_in_parallel(papers, workers, tally)

    def _finish(
        self, found: list[_Paper], forms: defaultdict[str, Counter], size: int, tally: Tally | None = None
    ) -> list[list[TopicHit]]:
        document_frequency: Counter = Counter()
        for paper in found:
            document_frequency.update(paper.counts.keys())
        labels = key_to_label()
        ranked = [self._rank(paper, forms, document_frequency, size, labels) for paper in found]
        if tally is not None:
            tally.finish()
        return ranked

    def _workers(self, size: int) -> int:
        if self.n_process is not None:
            return max(1, self.n_process)
        return min(os.cpu_count() or 1, 4) if size >= PARALLEL_MIN_PAPERS else 1

    def _start_in_parallel(self, papers, workers: int, tally: Tally) -> PendingTopics:
        global _WORKER_EXTRACTOR
        from kg.io.workers import worker_pool

        size = -(-len(papers) // (workers * _CHUNKS_PER_WORKER))
        _WORKER_EXTRACTOR = self  # inherited by the forked workers, never pickled
        pool = worker_pool(workers)
        # Frozen objects are skipped by the workers' garbage collector, which would otherwise write to
        # every inherited object and so copy the whole parent (records and all) into each worker.
        gc.freeze()
        try:
            # Every worker is forked now, while the papers are the ones given: later changes
            # in this process do not reach them.
            futures = [pool.submit(_read_chunk, list(papers[i : i + size])) for i in range(0, len(papers), size)]
            for start, future in zip(range(0, len(papers), size), futures, strict=True):
                done = min(size, len(papers) - start)
                future.add_done_callback(lambda _, done=done: tally.advance(done))
        finally:
            _WORKER_EXTRACTOR = None
            gc.unfreeze()

        def collect() -> list[list[TopicHit]]:
            try:
                parts = [future.result() for future in futures]
            finally:
                pool.shutdown(cancel_futures=True)
            found: list[_Paper] = []
            forms: defaultdict[str, Counter] = defaultdict(Counter)
            for part_found, part_forms in parts:
                found.extend(part_found)
                for key, counter in part_forms.items():
                    forms[key].update(counter)
            return self._finish(found, forms, len(papers), tally)

        return PendingTopics(collect)

    def _read(self, papers, tally: Tally | None = None) -> tuple[list[_Paper], defaultdict[str, Counter]]:
        """Per-paper topic counts and the printed forms of every topic."""
        nlp = self._load()
        texts = [f"{title or ''}\n\n{abstract or ''}" for title, abstract in papers]
        title_lengths = [len(title or "") for title, _ in papers]
        use_vocabulary = "vocabulary" in self.method
        use_phrases = "keyphrase" in self.method or "noun-chunk" in self.method
        labels = key_to_label()
        found: list[_Paper] = []
        forms: defaultdict[str, Counter] = defaultdict(Counter)
        docs = nlp.pipe(texts, batch_size=self.batch_size)
        for text, title_length, doc in zip(texts, title_lengths, docs, strict=True):
            paper = _Paper()
            abbreviations = find_abbreviations(text)
            if use_vocabulary:
                for span in self._vocabulary_spans(doc):
                    self._count(paper, forms, nlp.vocab.strings[span.label], span, title_length, "vocabulary")
            if use_phrases:
                for span, key in self._phrase_spans(doc):
                    key = abbreviations.get(key, key)
                    key = topic_key(labels[key]) if key in labels and use_vocabulary else key
                    if key not in paper.methods or paper.methods[key] != "vocabulary":
                        self._count(paper, forms, key, span, title_length, self._phrase_method)
            for short, long_form in abbreviations.items():
                if short in paper.counts and long_form != short:
                    paper.counts[long_form] += paper.counts.pop(short)
                    paper.methods.setdefault(long_form, paper.methods.pop(short))
                    if short in paper.in_title:
                        paper.in_title.add(long_form)
            found.append(paper)
            if tally is not None:
                tally.advance()
        return found, forms

    @property
    def _phrase_method(self) -> str:
        return "noun-chunk" if self.trained and "noun-chunk" in self.method else "keyphrase"

    def _vocabulary_spans(self, doc):
        from spacy.util import filter_spans

        long_forms, acronyms = self._matchers
        spans = long_forms(doc, as_spans=True) + acronyms(doc, as_spans=True)
        return filter_spans(spans)

    def _phrase_spans(self, doc):
        if self.trained:
            try:
                chunks = list(doc.noun_chunks)
            except ValueError:
                raise UsageError(
                    f"spaCy pipeline {self.trained!r} gives no dependency parse, so no noun chunks"
                ) from None
            for chunk in chunks:
                words = [t for t in chunk if not (t.is_stop or t.is_punct or t.like_num or t.pos_ in ("DET", "PRON"))]
                if len(words) >= 2:
                    span = doc[words[0].i : words[-1].i + 1]
                    head = (words[-1].lemma_ or words[-1].text).lower()
                    yield span, topic_key(" ".join([*(t.lower_ for t in words[:-1]), head]))
            return
        trim = _stoplist()["trim_words"]
        for run in _content_runs(doc, trim):
            for size in (2, 3, 4):
                for start in range(len(run) - size + 1):
                    words = run[start : start + size]
                    if _edge_ok(words[0].lower_, first=True) and _edge_ok(words[-1].lower_, first=False):
                        span = doc[words[0].i : words[-1].i + 1]
                        yield span, topic_key(span.text)

    @staticmethod
    def _count(paper: _Paper, forms, key: str, span, title_length: int, method: str) -> None:
        key = topic_key(key) if method == "vocabulary" else key
        if not key or (method != "vocabulary" and is_junk(key)):
            return  # the curated vocabulary is trusted; statistical phrases are screened
        paper.counts[key] += 1
        paper.methods.setdefault(key, method)
        forms[key][span.text] += 1
        if span.start_char < title_length:
            paper.in_title.add(key)

    def _rank(self, paper: _Paper, forms, document_frequency: Counter, corpus_size: int, labels) -> list[TopicHit]:
        weak = weak_keys()
        scored = []
        for key, count in paper.counts.items():
            method = paper.methods[key]
            if method != "vocabulary" and document_frequency[key] < self.min_papers:
                continue
            if key in weak and key not in paper.in_title and count < 2:
                continue
            score = math.log1p(count) + (_TITLE_WEIGHT if key in paper.in_title else 0.0)
            if method != "vocabulary":
                score *= _KEYPHRASE_WEIGHT * math.log1p(corpus_size / document_frequency[key])
            scored.append((round(score, 4), key, method))
        # Vocabulary topics first (measured the more precise), then key phrases fill what is left.
        # On a tie the longer phrase wins: it is the more specific one.
        scored.sort(key=lambda item: (item[2] != "vocabulary", -item[0], -item[1].count(" "), item[1]))
        chosen: list[TopicHit] = []
        phrases = 0
        for score, key, method in scored:
            if method != "vocabulary":
                if phrases == self.max_phrases or any(key in hit.key or hit.key in key for hit in chosen):
                    continue  # a phrase inside (or around) one already chosen says nothing new
                phrases += 1
            label = labels.get(key) or _display_label(forms[key])
            chosen.append(TopicHit(key, label, score, method, tuple(sorted(forms[key]))))
            if len(chosen) == self.max_per_paper:
                break
        return chosen


_WORKER_EXTRACTOR: TopicFinder | None = None


def _read_chunk(papers):
    assert _WORKER_EXTRACTOR is not None
    found, forms = _WORKER_EXTRACTOR._read(papers)
    return found, dict(forms)


def _content_runs(doc, trim: frozenset[str]):
    """Runs of content words, broken at stop words, punctuation, numbers and -ly adverbs.

    A hyphenated compound ("state-of-the-art", "model-based") is one unit: it
    joins a run whole, or breaks it when it holds a stop word.
    """
    units: list[list] = []
    for token in doc:
        glued = (
            units
            and token.i > 0
            and (doc[token.i - 1].text == "-" or token.text == "-")
            and not doc[token.i - 1].whitespace_
        )
        if glued:
            units[-1].append(token)
        else:
            units.append([token])
    run: list = []
    for unit in [*units, None]:
        words = [t for t in unit if t.text != "-"] if unit else []
        content = bool(words) and all(
            t.is_alpha and not t.is_stop and len(t) > 1 and t.lower_ not in trim and not t.lower_.endswith("ly")
            for t in words
        )
        if content:
            run.extend(words)
            continue
        if run:
            yield run
        run = []


def _edge_ok(word: str, first: bool) -> bool:
    """Participles and verb forms at a phrase's edge ("trained LMs", "methods based") make no topic."""
    if word.endswith("ed"):
        return False
    return first or not word.endswith(("ing", "es")) or word in ("learning", "modeling", "modelling", "processing")


def _display_label(forms: Counter) -> str:
    """The most common printing, lower-cased unless it is an acronym."""
    text = max(sorted(forms), key=lambda form: forms[form])
    words = [w if is_acronym(w) else w.lower() for w in text.split()]
    return topic_key(" ".join(words)) if not any(is_acronym(w) for w in words) else " ".join(words)
