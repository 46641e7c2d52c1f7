"""Writing a fresh index in one go (generations.build): `BulkWriter`, a Whoosh SegmentWriter that
writes the same segment as Whoosh's with less work per posting, and `write_parallel`, which shares
the documents between writer processes, one segment each (what Whoosh's MpWriter does with
multisegment=True), and counts the word list's forms in them.

Whoosh's writer keeps each posting as a tuple (field, term as bytes, document, weight, value) in
a pool it sorts at the end, pickling every posting into a run file and back whenever the pool
spills, and reads each posting's field length back from the lengths column as it writes the
segment. `TermPool` keeps a term's postings together in arrays instead, in the order documents
come (which is the order they are written), so the end sorts terms, not postings; a spill writes
one pickle per term; and the lengths come from memory. The postings are handed to Whoosh's own
postings writer a block at a time, with the block statistics its add_posting would have kept: the
segment's files are byte for byte those Whoosh writes from the same documents.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import pickle
import queue
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator

from whoosh.fields import FieldType
from whoosh.util import random_name
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

from forum.search.whoosh.fields import PositionsFormat, TextAnalyzer

# Whoosh reads a field length back as byte_to_length of its byte, or None for a zero byte.
_LENGTH_OF_BYTE = [None] + [byte_to_length(b) for b in range(1, 256)]
# Bytes a posting (document number, weight, value end, arrays' spare room; its value besides) and
# a new term (its key, dictionary entry and four growing arrays) take in the pool, measured with
# tracemalloc on 15,000 answers (1.02 million postings, 55,609 terms).
_POSTING_BYTES = 20
_TERM_BYTES = 800
# Documents handed to a writer process at a time.
BATCH = 250


class TermPool:
    """Postings by field and term, each term's as arrays in document order; spills sorted runs of
    whole terms to temporary files past `limitmb`."""

    def __init__(self, tempstore, limitmb: int):
        self.tempstore = tempstore
        self.limit = limitmb * 1024 * 1024
        self.size = 0
        self.fields: dict[str, dict[bytes, list]] = {}
        self.fieldnames: set[str] = set()
        self.runs: list[str] = []

    def terms_of(self, fieldname: str) -> dict[bytes, list]:
        try:
            return self.fields[fieldname]
        except KeyError:
            self.fieldnames.add(fieldname)
            terms = self.fields[fieldname] = {}
            return terms

    def add_to(self, terms: dict, tbytes: bytes, docnum: int, weight: float, vbytes) -> None:
        """One posting; a term's postings must come in increasing document order."""
        try:
            docnums, weights, values, ends = terms[tbytes]
        except KeyError:
            docnums, weights, values, ends = terms[tbytes] = (
                array("I"), array("d"), bytearray(), array("I"))  # fmt: skip
            self.size += _TERM_BYTES + len(tbytes)
        docnums.append(docnum)
        weights.append(weight)
        if vbytes:
            values += vbytes
            self.size += _POSTING_BYTES + len(vbytes)
        else:
            self.size += _POSTING_BYTES
        ends.append(len(values))

    def add(self, item: tuple) -> None:
        """A posting as Whoosh's PostingPool takes it: (field, term bytes, document, weight,
        value)."""
        fieldname, tbytes, docnum, weight, vbytes = item
        self.add_to(self.terms_of(fieldname), tbytes, docnum, weight, vbytes)
        self.check()

    def check(self) -> None:
        if self.size > self.limit:
            self.save()

    def save(self) -> None:
        """Write the pool out as a run of terms in order, one pickle each, and empty it."""
        if not self.fields:
            return
        path = f"{random_name()}.run"
        with self.tempstore.create_file(path).raw_file() as f:
            # A pickle each, not one Pickler: its memo would keep every term's bytes alive.
            for fieldname, tbytes, postings in self._sorted():
                docnums, weights, values, ends = postings
                item = (fieldname, tbytes, docnums.tobytes(), weights.tobytes(), bytes(values),
                        ends.tobytes())  # fmt: skip
                pickle.dump(item, f, pickle.HIGHEST_PROTOCOL)
        self.runs.append(path)
        self.fields = {}
        self.size = 0

    def _sorted(self) -> Iterator[tuple[str, bytes, tuple]]:
        for fieldname in sorted(self.fields):
            terms = self.fields[fieldname]
            for tbytes in sorted(terms):
                yield fieldname, tbytes, terms[tbytes]

    def _read_run(self, path: str) -> Iterator[tuple[str, bytes, tuple]]:
        try:
            with self.tempstore.open_file(path).raw_file() as f:
                while True:
                    try:
                        # (One Unpickler would keep every term it read in its memo.)
                        loaded = pickle.load(f)  # noqa: S301 - a run this writer wrote
                        fieldname, tbytes, docnums, weights, values, ends = loaded
                    except EOFError:
                        return
                    yield fieldname, tbytes, (array("I", docnums), array("d", weights),
                                              values, array("I", ends))  # fmt: skip
        finally:
            self.tempstore.delete_file(path)

    def terms(self) -> Iterator[tuple[str, bytes, tuple]]:
        """Every (field, term, postings) in order, a term's postings from every run joined."""
        if not self.runs:
            yield from self._sorted()
            return
        self.save()  # what is left in memory goes too, so merging holds one term of each run
        sources = [self._read_run(path) for path in self.runs]
        self.runs = []
        merged = heapq.merge(*sources, key=lambda item: (item[0], item[1]))
        for (fieldname, tbytes), group in itertools.groupby(
            merged, key=lambda item: (item[0], item[1])
        ):
            parts = [postings for _, _, postings in group]
            if len(parts) == 1:
                yield fieldname, tbytes, parts[0]
                continue
            docnums, weights, values, ends = array("I"), array("d"), bytearray(), array("I")
            for part_docnums, part_weights, part_values, part_ends in parts:
                base = len(values)
                docnums += part_docnums
                weights += part_weights
                values += part_values
                ends.extend(base + end for end in part_ends)
            yield fieldname, tbytes, (docnums, weights, values, ends)

    def cleanup(self) -> None:
        for path in self.runs:
            with contextlib.suppress(OSError):
                self.tempstore.delete_file(path)
        self.runs = []
        self.fields = {}


def positions_of(field):
    """The TextAnalyzer.positions a BulkWriter reads a field's postings from, or None when it
    writes the field otherwise."""
    analyzer = field.analyzer if field.indexed else None
    if (
        type(field).index is FieldType.index
        and type(field.format) is PositionsFormat
        and not field.separate_spelling()
        and not field.vector
        and isinstance(analyzer, TextAnalyzer)
        and analyzer._term_cache() is not None
    ):
        return analyzer.positions
    return None


class BulkWriter(SegmentWriter):
    """A SegmentWriter for a new segment of a fresh index, writing the segment Whoosh's would,
    through a TermPool. Documents with Whoosh's special keys ("_boost", "_stored_x") or fields
    with vectors or separate spelling go through Whoosh's own add_document."""

    def __init__(self, ix, limitmb: int = 128, spelled: Iterable[str] = (), **kwargs):
        """`spelled`: fields whose kept words, lower-cased, `words` counts once a document (the
        word list's forms, when spelling.read_in_analysis says they are the same)."""
        super().__init__(ix, limitmb=limitmb, **kwargs)
        self.pool = TermPool(self._tempstorage, limitmb)
        # Each scorable field's length bytes by document number (less docbase).
        self.lengths: dict[str, bytearray] = {}
        self.spelled = frozenset(spelled)
        self.words: Counter = Counter()
        self._plans: dict[str, tuple] = {}
        self._single: dict[int, bytes] = {}  # the value of a posting at one position, by position

    def add_reader(self, reader):
        raise NotImplementedError("BulkWriter writes a fresh segment; it merges nothing")

    def _plan(self, fieldname: str) -> tuple:
        """How a field is written: (field, its positions function or None, its own index() or
        None for FieldType's, format's word_values, analyzer, scorable, stored, column); None
        when Whoosh must write it."""
        try:
            return self._plans[fieldname]
        except KeyError:
            self._check_fields(self.schema, [fieldname])
            field = self.schema[fieldname]
            plan = None
            if not field.separate_spelling() and not field.vector:
                own = type(field).index is not FieldType.index
                analyzer = field.analyzer if field.indexed else None
                positions = positions_of(field)
                plan = (field, positions, field.index if own else None,
                        field.format.word_values if field.indexed and not own else None,
                        analyzer, field.scorable, field.stored, field.column_type)  # fmt: skip
            if fieldname in self.spelled and (plan is None or plan[1] is None):
                raise ValueError(
                    f"field {fieldname!r}: its words cannot be read in analysis"
                ) from None
            self._plans[fieldname] = plan
            return plan

    def add_document(self, **fields):
        names = sorted(fields)
        plans = [self._plan(name) for name in names]
        if any(name.startswith("_") for name in names) or None in plans:
            super().add_document(**fields)
            self._note_lengths(self.docnum - 1, fields)
            return
        self._check_state()
        perdoc = self.perdocwriter
        pool = self.pool
        docnum = self.docnum
        kept: set[str] | None = set() if self.spelled else None
        perdoc.start_doc(docnum)
        for name, plan in zip(names, plans, strict=True):
            value = fields[name]
            if value is None:
                continue
            field, positions, index, word_values, analyzer, scorable, stored, column = plan
            length = 0
            if field.indexed:
                terms = pool.terms_of(name)
                if positions is not None and isinstance(value, str):
                    found = positions(value, kept if name in self.spelled else None)
                    length = self._add_positions(terms, found, docnum, field.format)
                else:
                    add = pool.add_to
                    items = (
                        ((w.encode("utf-8"), f, wt, v)
                         for w, f, wt, v in word_values(value, analyzer, mode="index"))
                        if index is None else index(value)
                    )  # fmt: skip
                    for tbytes, freq, weight, vbytes in items:
                        length += freq
                        add(terms, tbytes, docnum, weight * 1.0, vbytes)
                if not scorable:
                    length = 0
                elif length:
                    self._length_bytes(name)[docnum - self.docbase] = length_to_byte(length)
            perdoc.add_field(name, field, value if stored else None, length)
            if column:
                perdoc.add_column_value(name, column, field.to_column_value(value))
        perdoc.finish_doc()
        if kept:
            self.words.update({word.lower() for word in kept})
        self._added = True
        self.docnum += 1
        pool.check()

    def _add_positions(self, terms: dict, found: dict, docnum: int, format_) -> int:
        """A text's postings (what PositionsFormat.word_values and FieldType.index give: weight
        the positions times the field's boost, value the positions encoded); returns the field's
        length. TermPool.add_to, inlined."""
        boost = format_.field_boost
        encode = format_.encode
        single = self._single
        pool = self.pool
        size = 0
        length = 0
        for term, places in found.items():
            tbytes = term.encode("utf-8")
            count = len(places)
            length += count
            if count == 1:
                vbytes = single.get(places[0])
                if vbytes is None:
                    vbytes = single[places[0]] = encode(places)
            else:
                vbytes = encode(places)
            try:
                docnums, weights, values, ends = terms[tbytes]
            except KeyError:
                docnums, weights, values, ends = terms[tbytes] = (
                    array("I"), array("d"), bytearray(), array("I"))  # fmt: skip
                size += _TERM_BYTES + len(tbytes)
            docnums.append(docnum)
            weights.append(count * boost * 1.0)
            values += vbytes
            ends.append(len(values))
            size += _POSTING_BYTES + len(vbytes)
        pool.size += size
        return length

    def _length_bytes(self, fieldname: str) -> bytearray:
        lengths = self.lengths.get(fieldname)
        if lengths is None:
            lengths = self.lengths[fieldname] = bytearray()
        wanted = self.docnum + 1 - self.docbase
        if len(lengths) < wanted:
            lengths.extend(bytes(max(wanted - len(lengths), 1024)))
        return lengths

    def _note_lengths(self, docnum: int, fields: dict) -> None:
        """Remember the field lengths (and count the words) of a document Whoosh's add_document
        wrote (it keeps lengths only in the lengths column), by analysing its fields again."""
        kept: set[str] = set()
        for name in self.spelled & set(fields):
            if isinstance(fields[name], str):
                self.schema[name].analyzer.positions(fields[name], kept)
        self.words.update({word.lower() for word in kept})
        for name, value in fields.items():
            if name.startswith("_") or value is None or name not in self.schema:
                continue
            field = self.schema[name]
            if field.indexed and field.scorable:
                length = sum(freq for _, freq, _, _ in field.index(value))
                if length:
                    self._length_bytes(name)[docnum - self.docbase] = length_to_byte(length)

    def _flush_segment(self):
        self.perdocwriter.close()
        self._write_postings()
        self.fieldwriter.close()

    def _write_postings(self) -> None:
        """Each term's postings to Whoosh's postings writer, a block at a time, with the block
        statistics W3PostingsWriter.add_posting keeps (the largest weight, the shortest and
        longest non-zero field length)."""
        fieldwriter = self.fieldwriter
        schema = self.schema
        docbase = self.docbase
        current = None
        lengths = None
        for fieldname, tbytes, (docnums, weights, values, ends) in self.pool.terms():
            if fieldname != current:
                if current is not None:
                    fieldwriter.finish_field()
                fieldwriter.start_field(fieldname, schema[fieldname])
                current = fieldname
                lengths = self.lengths.get(fieldname)
            fieldwriter.start_term(tbytes)
            writer = fieldwriter._postwriter
            limit = writer._blocklimit
            count = len(docnums)
            start_value = 0
            for start in range(0, count, limit):
                if start:
                    writer._write_block()
                stop = min(start + limit, count)
                writer._ids.extend(docnums[start:stop])
                block_weights = weights[start:stop].tolist()
                writer._weights.fromlist(block_weights)
                heaviest = max(block_weights)
                if heaviest > writer._maxweight:
                    writer._maxweight = heaviest
                stored = writer._values
                for end in ends[start:stop]:
                    if end != start_value:
                        stored.append(bytes(values[start_value:end]))
                        start_value = end
                if lengths is not None:
                    found = [
                        _LENGTH_OF_BYTE[lengths[d - docbase]] if d - docbase < len(lengths) else 0
                        for d in docnums[start:stop]
                    ]
                    found = [n for n in found if n]
                    if found:
                        writer._minlength = min(found)
                        writer._maxlength = max(found)
            fieldwriter.finish_term()
        if current is not None:
            fieldwriter.finish_field()


def write_parallel(
    ix,
    documents: Iterable[dict],
    procs: int,
    limitmb: int,
    words: Words,
    progress: Callable[[int], None] | None = None,
) -> tuple[int, Counter]:
    """Write these documents into `ix` (a fresh index) from `procs` writer processes, one segment
    each, and commit; returns how many documents there were and the word list's counts, counted
    in the writers."""
    import multiprocessing

    writer = SegmentWriter(ix, compound=False)  # holds the index lock; writes no segment itself
    jobs = multiprocessing.Queue(procs * 2)
    results = multiprocessing.Queue()
    tasks = [
        multiprocessing.Process(
            target=_write_segment,
            args=(ix.storage, ix.indexname, jobs, results, limitmb, words),
            daemon=True,
        )
        for _ in range(procs)
    ]
    count = 0
    try:
        for task in tasks:
            task.start()
        batch: list[dict] = []
        for document in documents:
            batch.append(document)
            count += 1
            if len(batch) == BATCH:
                _put(jobs, tasks, pickle.dumps(batch, pickle.HIGHEST_PROTOCOL))
                batch = []
                if progress:
                    progress(BATCH)
        if batch:
            _put(jobs, tasks, pickle.dumps(batch, pickle.HIGHEST_PROTOCOL))
            if progress:
                progress(len(batch))
        for _ in tasks:
            _put(jobs, tasks, None)
        segments, counted = [], Counter()
        for _ in tasks:
            outcome = _get(results, tasks)
            if isinstance(outcome, BaseException):
                raise outcome
            segment, counts = outcome
            if segment is not None:
                segments.append(segment)
            counted.update(counts)
        for task in tasks:
            task.join()
    except BaseException:
        for task in tasks:
            if task.is_alive():
                task.terminate()
        for task in tasks:
            if task.pid is not None:
                task.join()
        writer.cancel()
        raise
    writer._close_segment()
    writer._commit_toc(writer.segments + segments)
    writer._finish()
    return count, counted


def _put(jobs, tasks, item) -> None:
    while True:
        try:
            jobs.put(item, timeout=1.0)
            return
        except queue.Full:
            if not all(task.is_alive() for task in tasks):
                raise RuntimeError("a search index writer process died") from None


def _get(results, tasks):
    while True:
        try:
            return results.get(timeout=1.0)
        except queue.Empty:
            if not all(task.is_alive() or task.exitcode == 0 for task in tasks):
                raise RuntimeError("a search index writer process died") from None


def _write_segment(storage, indexname, jobs, results, limitmb, words: Words) -> None:
    """A writer process: documents from `jobs` into a segment of its own; puts (the segment or
    None, the words' counts) on `results`, or the exception that stopped it."""
    try:
        ix = storage.open_index(indexname)
        writer = BulkWriter(ix, _lk=False, limitmb=limitmb, compound=False, spelled=words.spelled)
        try:
            while (batch := jobs.get()) is not None:
                for document in pickle.loads(batch):  # noqa: S301 - from the parent process
                    writer.add_document(**document)
                    words.count(writer, document)
            # Not writer._finish(): every writer of the index shares its temporary folder, which
            # the parent's writer removes at the end.
            if writer._added:
                segment = writer._finalize_segment()
            else:
                writer._close_segment()
                segment = None
        except BaseException:
            writer._close_segment()
            raise
        results.put((segment, writer.words))
    except BaseException as error:  # noqa: BLE001 - the parent raises it
        results.put(error)


class Words:
    """How a writer counts the word list's words: read in analysis from the `spelled` fields, or
    (when analysis cannot give them) `forms` of each document."""

    def __init__(
        self, spelled: Iterable[str] = (), forms: Callable[[dict], Iterable[str]] | None = None
    ):
        self.spelled = tuple(spelled)
        self.forms = forms

    def count(self, writer: BulkWriter, document: dict) -> None:
        if self.forms is not None:
            writer.words.update(self.forms(document))
