"""Topics of papers from their titles and abstracts, offline.

Two sources of candidate topics, combined by the ``method`` option:

``vocabulary``
    phrases of the curated vocabulary (machine learning and neighbours), found
    with spaCy PhraseMatchers: precise labels where a paper uses them.
``keyphrase``
    key phrases of any field (:mod:`kg.topics.phrases`): noun phrases and the
    terms inside them, their words weighed by position and co-occurrence, ranked
    twice across the corpus (the whole phrase as printed, and the term that recurs)
    and the two rankings fused. Parts of speech come from a lexicon, offline.
``noun-chunk``
    the same key phrases with parts of speech from a trained spaCy pipeline
    (used only when one is installed).

``vocabulary+keyphrase`` (the default, ``auto``) gives
a paper its vocabulary topics first and fills up to ``max_per_paper`` with key
phrases. Acronyms defined in the text ("recurrent neural networks (RNNs)") join
their long form, plurals and hyphenation are normalised (:mod:`kg.topics.normalize`)
and junk (pronouns, "this paper", "results", bare numbers) never becomes a topic.
The measurements behind these choices are in bench/README.md.
"""

from __future__ import annotations

import gc
import math
import os
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from kg.errors import UsageError
from kg.progress import Progress, Tally
from kg.sizes import size_class
from kg.topics.junk import is_junk  # noqa: F401 (kg.topics.finder.is_junk stays importable)
from kg.topics.normalize import is_acronym, topic_key
from kg.topics.phrases import Candidate, display_label, read_candidates
from kg.topics.tagging import WORD_RE, roles_from_tags, tag_words
from kg.topics.vocabulary import key_to_label, vocabulary_index, weak_keys

METHODS = ("auto", "vocabulary", "keyphrase", "vocabulary+keyphrase", "noun-chunk", "vocabulary+noun-chunk")
TRAINED_PIPELINES = ("en_core_web_sm", "en_core_web_md", "en_core_web_lg", "en_core_web_trf")
# Below this many papers, starting worker processes costs more than it saves (bench/README.md).
PARALLEL_MIN_PAPERS = 4000
_CHUNKS_PER_WORKER = 4  # more chunks than workers: their progress is seen as each chunk ends
_TITLE_WEIGHT = 2.0
# Reciprocal rank fusion (Cormack et al., SIGIR 2009) of the two key-phrase rankings: 1 / (_FUSION_RANK + rank).
_FUSION_RANK = 7
_TITLE_BONUS = 1.5  # a key phrase printed in the title weighs this much more
# Key phrases fill a paper's topics until it has this many vocabulary topics; one is enough when at least
# _IN_FIELD_SHARE of the corpus's papers have vocabulary topics (measured in bench/README.md).
_VOCABULARY_ENOUGH = 2
_IN_FIELD_SHARE = 0.5
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
    counts: Counter = field(default_factory=Counter)  # vocabulary topics: mentions
    in_title: set = field(default_factory=set)  # vocabulary topics in the title
    phrases: list[Candidate] = field(default_factory=list)


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


class TopicReading(NamedTuple):
    """What :meth:`TopicFinder.read` gives for a chunk of papers, for :meth:`TopicFinder.rank`.

    Attributes
    ----------
    papers : list
        Per paper, in order: its vocabulary topics' mentions and its key-phrase candidates.
    forms : dict
        Topic key -> how often each printing of it was seen (added up across chunks).
    """

    papers: list[_Paper]
    forms: dict[str, Counter]


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
        One of :data:`METHODS`. ``auto`` is ``vocabulary+keyphrase``: a trained pipeline's
        parts of speech (``vocabulary+noun-chunk``) were measured no better than kg's lexicon
        and ten times slower (bench/README.md), so it is used only when asked for.
    max_per_paper : int
        Cap on topics per paper.
    min_papers : int
        A key phrase must occur in at least this many papers of the corpus to be
        a topic (1: every paper's own phrases count); vocabulary topics are always kept.
    batch_size : int
        Passed to ``nlp.pipe``.
    n_process : int, optional
        Worker processes; by default one per core (at most 4) for corpora of
        :data:`PARALLEL_MIN_PAPERS` papers or more, else one.
    spacy_model : str, optional
        Name or path of a trained spaCy pipeline (with a tagger) to tag the words of
        key phrases, instead of the first installed one of :data:`TRAINED_PIPELINES`.

    Examples
    --------
    >>> finder = TopicFinder(method="vocabulary")
    >>> hits = finder.find([("Universal Transformers", "Recurrent neural networks (RNNs) ...")])
    >>> [h.label for h in hits[0]]
    ['transformer', 'recurrent neural network']
    >>> hits = TopicFinder(method="keyphrase").find([("Wavelet denoising of seismic traces", "We denoise ...")])
    >>> [h.label for h in hits[0]][:2]
    ['wavelet denoising', 'seismic trace']
    """

    def __init__(
        self,
        method: str = "auto",
        max_per_paper: int = 8,
        min_papers: int = 1,
        batch_size: int = 256,
        n_process: int | None = None,
        spacy_model: str | None = None,
    ) -> None:
        if method not in METHODS:
            raise UsageError(f"unknown topic method {method!r} (known: {', '.join(METHODS)})")
        if max_per_paper < 1 or min_papers < 1:
            raise UsageError("max topics per paper and min papers per topic must be at least 1")
        self.trained = (spacy_model or trained_pipeline_name()) if "noun-chunk" in method else None
        if "noun-chunk" in method and self.trained is None:
            raise UsageError(
                f"topic method {method!r} needs a trained spaCy pipeline ({', '.join(TRAINED_PIPELINES)}) installed;"
                " 'keyphrase' and 'vocabulary+keyphrase' need none"
            )
        if method == "auto":
            # A trained pipeline's tags were measured as good as the lexicon's, at a tenth of the speed.
            method = "vocabulary+keyphrase"
        self.method = method
        self.max_per_paper = max_per_paper
        self.min_papers = min_papers
        self.batch_size = batch_size
        self.n_process = n_process
        self._nlp = None

    @property
    def pipeline(self) -> str:
        """What reads the text, in words."""
        if self.trained:
            return f"spaCy pipeline {self.trained} (parts of speech)"
        if "keyphrase" in self.method:
            return "kg's lexicon tagger (lemminflect)"
        return "a word index of kg/data/topic_vocabulary.json"

    def _load(self):
        """The trained spaCy pipeline, loaded once; None without one.

        The vocabulary index and the tagger's word lists are built here too, so that forked workers
        inherit them instead of each building its own.
        """
        vocabulary_index()
        tag_words("The lexicon, loaded.")
        if self.trained and self._nlp is None:
            import spacy

            try:
                self._nlp = spacy.load(self.trained, exclude=["ner", "textcat", "parser", "lemmatizer"])
            except OSError:
                raise UsageError(f"spaCy pipeline {self.trained!r} is not installed or not a pipeline folder") from None
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

    def read(self, papers: Sequence[tuple[str | None, str | None]]) -> TopicReading:
        """Read one chunk of (title, abstract) pairs: what :meth:`rank` needs of them, and nothing ranked yet.

        Each paper is read alone; a corpus read in chunks (by worker processes, or by
        the tasks of a cluster) and ranked with :meth:`rank` gets the topics
        :meth:`find` gives, because only additive counts cross the chunks.

        Examples
        --------
        >>> finder = TopicFinder(method="vocabulary")
        >>> papers = [("Universal Transformers", "Recurrent neural networks ..."), ("Graph neural networks", "")]
        >>> finder.rank([finder.read(papers[:1]), finder.read(papers[1:])]) == finder.find(papers)
        True
        """
        found, forms = self._read(papers)
        return TopicReading(found, dict(forms))

    def rank(self, readings: Sequence[TopicReading], tally: Tally | None = None) -> list[list[TopicHit]]:
        """The ranked topics of the papers of ``readings`` (from :meth:`read`, in the corpus's order).

        The ranking looks at the whole corpus (how many papers have a phrase, how many are in
        the vocabulary's field), so it runs once, over every chunk's reading.
        """
        found: list[_Paper] = []
        forms: defaultdict[str, Counter] = defaultdict(Counter)
        for reading in readings:
            found.extend(reading.papers)
            for key, counter in reading.forms.items():
                forms[key].update(counter)
        return self._finish(found, forms, len(found), tally)

    def _finish(
        self, found: list[_Paper], forms: defaultdict[str, Counter], size: int, tally: Tally | None = None
    ) -> list[list[TopicHit]]:
        document_frequency: Counter = Counter()
        for paper in found:
            document_frequency.update(candidate.key for candidate in paper.phrases)
        labels = key_to_label()
        vocabulary = [self._vocabulary_topics(paper, forms, labels) for paper in found]
        # In a corpus mostly in the vocabulary's field, one vocabulary topic tells what a paper is about;
        # elsewhere a paper needs two before key phrases stop filling its topics (bench/README.md).
        in_field = sum(1 for hits in vocabulary if hits) >= _IN_FIELD_SHARE * len(found)
        enough = 1 if in_field else _VOCABULARY_ENOUGH
        ranked = [
            self._rank(paper, hits, enough, forms, document_frequency, size, labels)
            for paper, hits in zip(found, vocabulary, strict=True)
        ]
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
            return self.rank(parts, tally)

        return PendingTopics(collect)

    def _read(self, papers, tally: Tally | None = None) -> tuple[list[_Paper], defaultdict[str, Counter]]:
        """Per-paper vocabulary counts and key-phrase candidates, and the printed forms of every topic."""
        nlp = self._load()
        texts = [f"{title or ''}\n\n{abstract or ''}" for title, abstract in papers]
        use_vocabulary = "vocabulary" in self.method
        use_phrases = "keyphrase" in self.method or "noun-chunk" in self.method
        labels = key_to_label()
        index = vocabulary_index()
        found: list[_Paper] = []
        forms: defaultdict[str, Counter] = defaultdict(Counter)
        docs = nlp.pipe(texts, batch_size=self.batch_size) if nlp is not None else texts
        for (title, abstract), text, doc in zip(papers, texts, docs, strict=True):
            paper = _Paper()
            abbreviations = find_abbreviations(text)
            if nlp is not None:
                if len(doc) and not any(token.pos_ for token in doc):
                    raise UsageError(f"spaCy pipeline {self.trained!r} gives no parts of speech (it has no tagger)")
                tagged = roles_from_tags(text, ((token.idx, token.pos_) for token in doc))
            else:
                tagged = tag_words(text) if use_phrases else (WORD_RE.findall(text), [])
            if use_vocabulary:
                title_words = len(WORD_RE.findall(title or ""))
                for first, _, label, form in index.find(tagged[0]):
                    key = topic_key(label)
                    paper.counts[key] += 1
                    forms[key][form] += 1
                    if first < title_words:
                        paper.in_title.add(key)
                for short, long_form in abbreviations.items():
                    if short in paper.counts and long_form != short:
                        paper.counts[long_form] += paper.counts.pop(short)
                        if short in paper.in_title:
                            paper.in_title.add(long_form)
            if use_phrases and not (use_vocabulary and self._enough_vocabulary(paper)):
                merged: dict[str, Candidate] = {}
                for candidate in read_candidates(title or "", abstract or "", tagged):
                    key = abbreviations.get(candidate.key, candidate.key)
                    if use_vocabulary and key in labels:
                        key = topic_key(labels[key])  # a phrase of the vocabulary meets its vocabulary topic
                    if use_vocabulary and key in paper.counts:
                        continue  # found by the vocabulary already
                    forms[key][candidate.form] += 1
                    merged[key] = _merge(merged.get(key), candidate, key)
                # Kept until the whole corpus is read: the printed forms are counted already, and one string
                # per key serves every paper.
                paper.phrases = [c._replace(key=sys.intern(c.key), form="") for c in merged.values()]
            found.append(paper)
            if tally is not None:
                tally.advance()
        return found, forms

    @property
    def _phrase_method(self) -> str:
        return "noun-chunk" if self.trained and "noun-chunk" in self.method else "keyphrase"

    @staticmethod
    def _enough_vocabulary(paper: _Paper) -> bool:
        """The paper has enough vocabulary topics that key phrases would never be added: none are read.

        (The corpus's key-phrase statistics are then those of the papers key phrases are for.)
        """
        return len(_kept_vocabulary(paper)) >= _VOCABULARY_ENOUGH

    def _vocabulary_topics(self, paper: _Paper, forms, labels) -> list[TopicHit]:
        """The paper's vocabulary topics, best first."""
        scored = [
            (round(math.log1p(count) + (_TITLE_WEIGHT if key in paper.in_title else 0.0), 4), key)
            for key, count in _kept_vocabulary(paper)
        ]
        scored.sort(key=lambda item: (-item[0], -item[1].count(" "), item[1]))
        return [
            TopicHit(key, labels.get(key) or key, score, "vocabulary", tuple(sorted(forms[key])))
            for score, key in scored[: self.max_per_paper]
        ]

    def _rank(
        self,
        paper: _Paper,
        vocabulary: list[TopicHit],
        enough: int,
        forms,
        document_frequency: Counter,
        corpus_size: int,
        labels,
    ) -> list[TopicHit]:
        """Vocabulary topics first; with fewer than ``enough`` of them, key phrases fill up to the cap."""
        if len(vocabulary) >= enough or not paper.phrases:
            return vocabulary
        chosen = list(vocabulary)
        room = self.max_per_paper - len(chosen)
        method = self._phrase_method
        for score, candidate in _fused_ranking(paper.phrases, document_frequency, corpus_size, self.min_papers)[:room]:
            label = labels.get(candidate.key) or display_label(_most_common(forms[candidate.key]))
            chosen.append(TopicHit(candidate.key, label, score, method, tuple(sorted(forms[candidate.key]))))
        return chosen


def _kept_vocabulary(paper: _Paper) -> list[tuple[str, int]]:
    """(key, mentions) of the paper's vocabulary topics that count: a broad ("weak") one only from the title
    or two mentions."""
    weak = weak_keys()
    return [
        (key, count) for key, count in paper.counts.items() if key not in weak or key in paper.in_title or count > 1
    ]


def _merge(kept: Candidate | None, candidate: Candidate, key: str) -> Candidate:
    """One candidate of ``key`` from two (a long form and its acronym): counts added, the larger weight."""
    if kept is None:
        return candidate if candidate.key == key else candidate._replace(key=key)
    return kept._replace(
        weight=max(kept.weight, candidate.weight),
        words=max(kept.words, candidate.words),
        count=kept.count + candidate.count,
        standalone=kept.standalone + candidate.standalone,
        in_title=kept.in_title or candidate.in_title,
    )


def _fused_ranking(
    candidates: Sequence[Candidate], document_frequency: Counter, corpus_size: int, min_papers: int
) -> list[tuple[float, Candidate]]:
    """Candidates ranked by two rankings fused, best first, with the fused score.

    One ranks whole noun phrases as printed by their words' weight (specific phrases, as an
    indexer picks them); the other ranks every term, inside longer phrases too, by its words'
    mean weight and how often it occurs (the terms an author lists as keywords). Both scale by
    idf (the corpus's size and the phrase's document frequency by size class, :mod:`kg.sizes`),
    so a phrase in every paper of the corpus counts less, and favour a phrase of the title.
    Measured in bench/README.md.
    """
    kept = [c for c in candidates if document_frequency[c.key] >= min_papers]
    # Sizes by class (kg.sizes): a phrase's weight moves only where a count crosses a power of two.
    corpus_class = size_class(corpus_size)
    factor = {
        c.key: math.log(1 + corpus_class / max(1, size_class(document_frequency[c.key])))
        * (_TITLE_BONUS if c.in_title else 1.0)
        for c in kept
    }
    whole = sorted((c for c in kept if c.standalone), key=lambda c: -c.weight * factor[c.key])
    terms = sorted(kept, key=lambda c: -c.weight / c.words * math.log1p(c.count) * factor[c.key])
    fused: Counter = Counter()
    best_rank: dict[str, int] = {}
    for ranking in (whole, terms):
        for rank, candidate in enumerate(ranking):
            fused[candidate.key] += 1.0 / (_FUSION_RANK + rank)
            best_rank[candidate.key] = min(rank, best_rank.get(candidate.key, rank))
    # On a tie, the one ranked higher by either ranking, then the one printed first.
    order = sorted(enumerate(kept), key=lambda ic: (-fused[ic[1].key], best_rank[ic[1].key], ic[0]))
    return [(round(fused[candidate.key], 4), candidate) for _, candidate in order]


def _most_common(forms: Counter) -> str:
    """The printing seen most often; of printings seen as often, a hyphenated one ("real-time", not "real time")."""
    return max(sorted(forms), key=lambda form: (forms[form], form.count("-")))


_WORKER_EXTRACTOR: TopicFinder | None = None


def _read_chunk(papers) -> TopicReading:
    assert _WORKER_EXTRACTOR is not None
    return _WORKER_EXTRACTOR.read(papers)
