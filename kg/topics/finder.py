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

import functools
import gc
import hashlib
import math
import os
import re
import sys
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
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
# A worker holds one chunk's readings at a time: at most this many papers (a million papers in 8 chunks made
# each worker hold 2.6 GB).
_MAX_CHUNK = 2000
# Up to this many papers, the kept readings a build decodes are held until the ranking (see TopicPlan.assemble).
_HELD_READINGS = 250_000
_TITLE_WEIGHT = 2.0
# Reciprocal rank fusion (Cormack et al., SIGIR 2009) of the two key-phrase rankings: 1 / (_FUSION_RANK + rank).
_FUSION_RANK = 7
_TITLE_BONUS = 1.5  # a key phrase printed in the title weighs this much more
# Key phrases fill a paper's topics until it has this many vocabulary topics; one is enough when at least
# _IN_FIELD_SHARE of the corpus's papers have vocabulary topics (measured in bench/README.md).
_VOCABULARY_ENOUGH = 2
_IN_FIELD_SHARE = 0.5
# The word lists a paper's reading depends on (kg/data).
_READING_DATA = ("topic_vocabulary.json", "phrase_grammar.json", "topic_stoplist.json")
_ABBREVIATION_RE = re.compile(r"\(([A-Za-z][A-Za-z0-9\-]{1,9})\)")


@dataclass(frozen=True, slots=True)
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


# What a paper's reading is kept as (one line of a kept file): its text key, then its vocabulary mentions, its
# vocabulary topics in the title, its key-phrase candidates and its printed forms.
_READING_KEY_LENGTH = 32
_KEPT_HEADER = b'{"kg": "topic readings", "blake2b": "%s"}\n'


def text_key(title: str | None, abstract: str | None) -> str:
    """The key of a paper's text among kept readings: a digest of its title and abstract.

    Examples
    --------
    >>> len(text_key("Universal Transformers", None)), text_key("A", "b") == text_key("A", "b")
    (32, True)
    >>> text_key("A b", None) == text_key("A", "b")
    False
    """
    data = f"{title or ''}\x00{abstract or ''}".encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=_READING_KEY_LENGTH // 2).hexdigest()


def _encode_reading(key: str, paper: _Paper, forms: Counter) -> bytes:
    """One paper's reading as a kept line (``forms``: how often the paper printed each (key, form))."""
    import orjson

    return orjson.dumps(
        [
            key,
            sorted(paper.counts.items()),
            sorted(paper.in_title),
            [[c.key, c.weight, c.words, c.count, c.standalone, c.in_title] for c in paper.phrases],
            sorted([key, form, count] for (key, form), count in forms.items()),
        ]
    )


def _decode_reading(line: bytes) -> tuple[str, _Paper, Counter]:
    """A kept line read back: its text key, the paper's reading and its forms.

    Raises
    ------
    ValueError
        The line is not one :func:`_encode_reading` writes (each value's type is checked).
    """
    import orjson

    key, counts, in_title, phrases, forms = orjson.loads(line)
    if not isinstance(key, str) or len(key) != _READING_KEY_LENGTH:
        raise ValueError("not a text key")
    paper = _Paper(Counter({_text(k): _count(n) for k, n in counts}), {_text(k) for k in in_title})
    for topic, weight, words, count, standalone, in_title_ in phrases:
        if not isinstance(weight, float) or not isinstance(in_title_, bool):
            raise ValueError("not a candidate")
        paper.phrases.append(
            Candidate(sys.intern(_text(topic)), "", weight, _count(words), _count(count), _count(standalone), in_title_)
        )
    return key, paper, Counter({(_text(k), _text(form)): _count(n) for k, form, n in forms})


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("not a text")
    return value


def _count(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError("not a count")
    return value


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

    Each paper's reading travels and waits for the ranking as the line a store keeps (about 500 bytes; as
    objects, its key-phrase candidates took about 10 KB), with what the ranking adds up across chunks.

    Attributes
    ----------
    lines : tuple of bytes
        Per paper, in order: its vocabulary topics' mentions, key-phrase candidates and printed forms, as a
        line to keep (see :meth:`TopicFinder.start`).
    forms : dict
        Topic key -> how often each printing of it was seen (added up across chunks).
    document_frequency : Counter
        Key-phrase key -> how many of the chunk's papers have it.
    in_field : int
        How many of the chunk's papers have a vocabulary topic.
    """

    lines: tuple[bytes, ...]
    forms: dict[str, Counter]
    document_frequency: Counter
    in_field: int


class PendingTopics:
    """Topics being read (see :meth:`TopicFinder.start`); :meth:`result` waits for them, once.

    :meth:`kept` gives, once they are read, each paper's reading as a line to keep, where they were asked for.
    """

    def __init__(
        self,
        collect: Callable[[], tuple[list[list[TopicHit]], list[bytes] | None]],
        cancel: Callable[[], None] | None = None,
    ) -> None:
        self._collect = collect
        self._cancel = cancel
        self._result: list[list[TopicHit]] | None = None
        self._kept: list[bytes] | None = None
        self.read_again = 0  # how many papers were read (the others' readings were kept)
        self.in_workers = False  # whether worker processes of this machine read them

    def result(self) -> list[list[TopicHit]]:
        if self._result is None:
            self._result, self._kept = self._collect()
        return self._result

    def cancel(self) -> None:
        """Drop the chunks not yet read, when the build stops before it asks for the topics (interrupted, or
        failed): only the chunks being read are finished, so kg does not wait for the whole corpus to exit."""
        if self._result is None and self._cancel is not None:
            self._cancel()

    def kept(self) -> bytes | None:
        """Every paper's reading as lines to keep (each paper once, in the corpus's order, after a line with their
        digest), or None when :meth:`TopicFinder.start` was not asked to keep them; waits for the topics."""
        parts = self.kept_parts()
        return None if parts is None else b"".join(parts)

    def kept_parts(self) -> Iterator[bytes] | None:
        """:meth:`kept` in parts, to be written one after the other (never joined: a million papers' are 500 MB)."""
        self.result()
        if self._kept is None:
            return None
        digest = hashlib.blake2b()
        lines = dict.fromkeys(self._kept)
        for line in lines:
            digest.update(line)
            digest.update(b"\n")

        def parts() -> Iterator[bytes]:
            yield _KEPT_HEADER % digest.hexdigest().encode("ascii")
            for line in lines:
                yield line
                yield b"\n"

        return parts()


class TopicPlan(NamedTuple):
    """What :meth:`TopicFinder.plan` gives: the papers left to read, whether their readings are kept (read them
    with ``read(chunk)``), and ``assemble(readings, tally)``, which gives the corpus's topics and (when
    kept) every paper's reading as a line to keep."""

    unread: list[tuple[str | None, str | None]]
    keep: bool
    assemble: Callable[..., tuple[list[list[TopicHit]], list[bytes] | None]]


class KeptReadings:
    """Readings of papers kept from an earlier build, by text key, and which papers of a corpus are left to read.

    ``lines`` is what :meth:`PendingTopics.kept` gave; None, or lines that are not what it gave (their digest
    differs), are read as nothing kept, and a line that does not decode as a reading keeps nothing of its paper:
    such papers are read again.

    Examples
    --------
    >>> finder = TopicFinder(method="keyphrase")
    >>> papers = [("Wavelet denoising of seismic traces", ""), ("Graph neural networks", "")]
    >>> pending = finder.start(papers[:1], kept=KeptReadings(None))
    >>> later = finder.start(papers, kept=KeptReadings(pending.kept()))
    >>> later.result() == finder.find(papers), later.read_again
    (True, 1)
    """

    def __init__(self, lines: bytes | None) -> None:
        self._lines: dict[str, bytes] = {}
        header, _, body = (lines or b"").partition(b"\n")
        if header != _KEPT_HEADER.rstrip(b"\n") % hashlib.blake2b(body).hexdigest().encode("ascii"):
            return
        for line in body.splitlines():
            key = line[2 : 2 + _READING_KEY_LENGTH]
            if line[:2] == b'["' and len(key) == _READING_KEY_LENGTH:
                self._lines[key.decode("ascii", "replace")] = line

    def split(self, papers: Sequence[tuple[str | None, str | None]]) -> tuple[list[str], dict[int, bytes], list[int]]:
        """Each paper's text key, the kept lines of some (by position; decoded when the topics are ranked, so
        they are not held meanwhile), and the positions of the papers left to read."""
        keys = [text_key(title, abstract) for title, abstract in papers]
        known: dict[int, bytes] = {}
        unread: list[int] = []
        for position, key in enumerate(keys):
            line = self._lines.get(key)
            if line is None:
                unread.append(position)
            else:
                known[position] = line
        return keys, known, unread


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

    @property
    def reading_kind(self) -> str:
        """The name papers read with these settings are kept under (:meth:`PendingTopics.kept`): a digest of how
        a paper is read (method, tagger, kg's topic code and word lists), so what other settings or another kg
        read is never taken for this one's."""
        from importlib import metadata
        from pathlib import Path

        from kg.data import __file__ as data_init

        parts = [self.method, self.trained or "", metadata.version("lemminflect")]
        if self.trained:
            parts.append(metadata.version("spacy"))
        folder = Path(__file__).parent
        files = [*sorted(folder.glob("*.py")), *(Path(data_init).parent / name for name in _READING_DATA)]
        digest = hashlib.sha256("\x00".join(parts).encode("utf-8"))
        for path in files:
            digest.update(path.read_bytes())
        return f"topic-readings-{digest.hexdigest()[:16]}"

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

    def start(
        self,
        papers: Sequence[tuple[str | None, str | None]],
        progress: Progress | None = None,
        kept: KeptReadings | None = None,
        alongside: bool = False,
    ) -> PendingTopics:
        """Begin :meth:`find` in worker processes and return at once; ``.result()`` waits for it.

        A build hands topics to the workers and goes on resolving authors and
        writing statements meanwhile (``alongside``: a core is left to it, since it
        waits for nothing and the build waits for it). Small inputs are read at once, here.
        ``progress`` is told how many papers were read (the stage ``"finding topics"``,
        see :mod:`kg.progress`); with workers, from a thread of this process as each
        part of the papers is done.

        With ``kept``, papers whose text an earlier build read are not read again (a paper's
        reading depends on its text alone; only the ranking looks at the whole corpus), and
        the result's :meth:`PendingTopics.kept` gives every paper's reading to keep.
        """
        self._load()
        plan = self.plan(papers, kept)
        tally = Tally(progress, "finding topics", len(plan.unread))
        workers = self._workers(len(plan.unread), alongside)
        if workers == 0:
            reading = self._read_reading(plan.unread, tally)
            pending = PendingTopics(lambda: plan.assemble([reading], tally))
        else:
            pending = self._start_in_parallel(plan, workers, tally)
        pending.read_again = len(plan.unread)
        pending.in_workers = workers > 0
        return pending

    def plan(self, papers: Sequence[tuple[str | None, str | None]], kept: KeptReadings | None = None) -> TopicPlan:
        """Which of ``papers`` are left to read (none of those ``kept`` has read), and how their readings
        (:meth:`read`, in order, in chunks) make the corpus's topics with the kept ones."""
        if kept is None:
            keys, known, unread = None, {}, list(range(len(papers)))  # type: ignore[var-annotated]
        else:
            keys, known, unread = kept.split(papers)

        def assemble(readings: Sequence[TopicReading], tally: Tally | None = None):
            forms: defaultdict[str, Counter] = defaultdict(Counter)
            document_frequency: Counter = Counter()
            in_field = 0
            for reading in readings:
                for key, counter in reading.forms.items():
                    forms[key].update(counter)
                document_frequency.update(reading.document_frequency)
                in_field += reading.in_field
            fresh = (line for reading in readings for line in reading.lines)
            lines: list[bytes] = []
            # The kept readings decoded here are held for the ranking, which would decode them again, where
            # they take little memory (about 1.3 KB a paper).
            held: list[_Paper | None] | None = [] if len(papers) <= _HELD_READINGS else None
            for position in range(len(papers)):
                if position not in known:
                    lines.append(next(fresh))
                    if held is not None:
                        held.append(None)
                    continue
                line = known[position]
                try:
                    _, paper, paper_forms = _decode_reading(line)
                except (ValueError, TypeError):  # not a line this kg writes: the paper is read again
                    again = self._read_reading(papers[position : position + 1])
                    (line,), paper_forms = again.lines, again.forms
                    document_frequency.update(again.document_frequency)
                    in_field += again.in_field
                    paper_forms = Counter({(k, f): n for k, c in paper_forms.items() for f, n in c.items()})
                    paper = None
                else:
                    document_frequency.update(candidate.key for candidate in paper.phrases)
                    in_field += bool(_kept_vocabulary(paper))
                for (key, form), count in paper_forms.items():
                    forms[key][form] += count
                lines.append(line)
                if held is not None:
                    held.append(paper)
            ranked = self._finish(lines, forms, document_frequency, in_field, tally, held)
            return ranked, (lines if keys is not None else None)

        return TopicPlan([papers[position] for position in unread], keys is not None, assemble)

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
        return self._read_reading(papers)

    def rank(self, readings: Sequence[TopicReading], tally: Tally | None = None) -> list[list[TopicHit]]:
        """The ranked topics of the papers of ``readings`` (from :meth:`read`, in the corpus's order).

        The ranking looks at the whole corpus (how many papers have a phrase, how many are in
        the vocabulary's field), so it runs once, over every chunk's reading.
        """
        size = sum(len(reading.lines) for reading in readings)
        return self.plan([("", "")] * size).assemble(readings, tally)[0]

    def _finish(
        self,
        lines: Sequence[bytes],
        forms: defaultdict[str, Counter],
        document_frequency: Counter,
        in_field: int,
        tally: Tally | None = None,
        held: Sequence[_Paper | None] | None = None,
    ) -> list[list[TopicHit]]:
        """Every paper's ranked topics, from its reading's line (decoded one paper at a time, unless ``held``
        gives it decoded) and the corpus's counts (``in_field``: how many papers have a vocabulary topic)."""
        labels = key_to_label()
        # In a corpus mostly in the vocabulary's field, one vocabulary topic tells what a paper is about;
        # elsewhere a paper needs two before key phrases stop filling its topics (bench/README.md).
        enough = 1 if in_field >= _IN_FIELD_SHARE * len(lines) else _VOCABULARY_ENOUGH
        printings: dict[str, tuple[str, ...]] = {}  # one tuple of a topic's printings for all its papers
        ranked = []
        for position, line in enumerate(lines):
            paper = held[position] if held is not None else None
            if paper is None:
                _, paper, _ = _decode_reading(line)
            hits = self._vocabulary_topics(paper, forms, labels, printings)
            ranked.append(self._rank(paper, hits, enough, forms, document_frequency, len(lines), labels, printings))
        if tally is not None:
            tally.finish()
        return ranked

    def _workers(self, size: int, alongside: bool = False) -> int:
        """How many worker processes read ``size`` papers (0: this one, at once). ``alongside``: one core is left
        to this process, which works meanwhile."""
        if self.n_process is not None:
            return max(1, self.n_process) if self.n_process > 1 else 0
        if size < PARALLEL_MIN_PAPERS:
            return 0
        workers = min((os.cpu_count() or 1) - alongside, 4)
        return max(1, workers) if alongside else (workers if workers > 1 else 0)

    def _start_in_parallel(self, plan: TopicPlan, workers: int, tally: Tally) -> PendingTopics:
        global _WORKER_EXTRACTOR
        from kg.io.workers import worker_pool

        papers = plan.unread
        size = min(_MAX_CHUNK, -(-len(papers) // (workers * _CHUNKS_PER_WORKER)))
        _WORKER_EXTRACTOR = self  # inherited by the forked workers, never pickled
        pool = worker_pool(workers)
        # Frozen objects are skipped by the workers' garbage collector, which would otherwise write to
        # every inherited object and so copy the whole parent (records and all) into each worker.
        gc.freeze()
        try:
            # Every worker is forked now, while the papers are the ones given: later changes
            # in this process do not reach them.
            chunks = [list(papers[i : i + size]) for i in range(0, len(papers), size)]
            futures = [pool.submit(_read_chunk, chunk) for chunk in chunks]
            # The pool's thread counts the chunks workers read, this one those it takes back (below): one at a time.
            counting = threading.Lock()
            for chunk, future in zip(chunks, futures, strict=True):
                future.add_done_callback(functools.partial(_count_chunk, tally, counting, len(chunk)))
        finally:
            _WORKER_EXTRACTOR = None
            gc.unfreeze()

        def collect():
            # Asked for, the topics are what this process waits for: it reads the chunks no worker has started,
            # from the last, while the workers finish theirs (the parts are the same, whoever reads them).
            parts: list[TopicReading | None] = [None] * len(chunks)
            try:
                for number in reversed(range(len(chunks))):
                    if futures[number].cancel():
                        parts[number] = self._read_reading(chunks[number])
                        with counting:
                            tally.advance(len(chunks[number]))
                for number, future in enumerate(futures):
                    if parts[number] is None:
                        parts[number] = future.result()
            finally:
                pool.shutdown(cancel_futures=True)
            return plan.assemble(parts, tally)

        return PendingTopics(collect, lambda: pool.shutdown(wait=False, cancel_futures=True))

    def _read_reading(self, papers, tally: Tally | None = None) -> TopicReading:
        """Per paper, its vocabulary counts, key-phrase candidates and printed forms as a line (what a store keeps),
        with the chunk's printed forms of every topic, key phrases' document frequencies and papers in the
        vocabulary's field (added up across chunks); a paper's objects are dropped once it is encoded."""
        nlp = self._load()
        texts = [f"{title or ''}\n\n{abstract or ''}" for title, abstract in papers]
        use_vocabulary = "vocabulary" in self.method
        use_phrases = "keyphrase" in self.method or "noun-chunk" in self.method
        labels = key_to_label()
        index = vocabulary_index()
        lines: list[bytes] = []
        forms: defaultdict[str, Counter] = defaultdict(Counter)
        document_frequency: Counter = Counter()
        in_field = 0
        docs = nlp.pipe(texts, batch_size=self.batch_size) if nlp is not None else texts
        for (title, abstract), text, doc in zip(papers, texts, docs, strict=True):
            paper = _Paper()
            printed: Counter = Counter()  # this paper's (key, form) printings
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
                    printed[key, form] += 1
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
                    printed[key, candidate.form] += 1
                    merged[key] = _merge(merged.get(key), candidate, key)
                # Kept until the whole corpus is read: the printed forms are counted already, and one string
                # per key serves every paper.
                paper.phrases = [c._replace(key=sys.intern(c.key), form="") for c in merged.values()]
            for (key, form), count in printed.items():
                forms[key][form] += count
            document_frequency.update(candidate.key for candidate in paper.phrases)
            in_field += bool(_kept_vocabulary(paper))
            lines.append(_encode_reading(text_key(title, abstract), paper, printed))
            if tally is not None:
                tally.advance()
        return TopicReading(tuple(lines), dict(forms), document_frequency, in_field)

    @property
    def _phrase_method(self) -> str:
        return "noun-chunk" if self.trained and "noun-chunk" in self.method else "keyphrase"

    @staticmethod
    def _enough_vocabulary(paper: _Paper) -> bool:
        """The paper has enough vocabulary topics that key phrases would never be added: none are read.

        (The corpus's key-phrase statistics are then those of the papers key phrases are for.)
        """
        return len(_kept_vocabulary(paper)) >= _VOCABULARY_ENOUGH

    def _vocabulary_topics(self, paper: _Paper, forms, labels, printings: dict[str, tuple[str, ...]]) -> list[TopicHit]:
        """The paper's vocabulary topics, best first (``printings``: each topic's sorted printings, shared)."""
        scored = [
            (round(math.log1p(count) + (_TITLE_WEIGHT if key in paper.in_title else 0.0), 4), key)
            for key, count in _kept_vocabulary(paper)
        ]
        scored.sort(key=lambda item: (-item[0], -item[1].count(" "), item[1]))
        return [
            TopicHit(key, labels.get(key) or key, score, "vocabulary", _printings(printings, forms, key))
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
        printings: dict[str, tuple[str, ...]],
    ) -> list[TopicHit]:
        """Vocabulary topics first; with fewer than ``enough`` of them, key phrases fill up to the cap."""
        if len(vocabulary) >= enough or not paper.phrases:
            return vocabulary
        chosen = list(vocabulary)
        room = self.max_per_paper - len(chosen)
        method = self._phrase_method
        for score, candidate in _fused_ranking(paper.phrases, document_frequency, corpus_size, self.min_papers)[:room]:
            label = labels.get(candidate.key) or display_label(_most_common(forms[candidate.key]))
            chosen.append(TopicHit(candidate.key, label, score, method, _printings(printings, forms, candidate.key)))
        return chosen


def _printings(printings: dict[str, tuple[str, ...]], forms, key: str) -> tuple[str, ...]:
    """The sorted printings of topic ``key``: one tuple for every paper that has it."""
    found = printings.get(key)
    if found is None:
        found = printings[key] = tuple(sorted(forms[key]))
    return found


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


def _count_chunk(tally: Tally, counting: threading.Lock, papers: int, future) -> None:
    if not future.cancelled():
        with counting:
            tally.advance(papers)


def _read_chunk(papers) -> TopicReading:
    assert _WORKER_EXTRACTOR is not None
    return _WORKER_EXTRACTOR.read(papers)
