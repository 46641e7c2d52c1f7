"""Writing a fresh index in one go (generations.build): `BulkWriter`, a Whoosh SegmentWriter that
writes the same segment as Whoosh's with less work per posting (parallel.py shares documents
between several, one segment each).

Whoosh's writer sorts a tuple per posting, pickles each through its spill runs, and reads each
posting's field length back from the lengths column as it writes the segment. BulkWriter keeps
postings in a pool.TermPool, field lengths in memory, and hands each term's postings to Whoosh's
own postings writer a block at a time, with the block statistics its add_posting would have kept:
the segment's files are byte for byte those Whoosh writes from the same documents
(tests/search/test_bulk_writer.py). It can count the word list's forms as it analyses (`spelled`).
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Callable, Iterable

from whoosh.fields import FieldType
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

from forum.search.whoosh.fields import PositionsFormat, TextAnalyzer
from forum.search.whoosh.pool import POSTING_BYTES, TERM_BYTES, TermPool

# Whoosh reads a field length back as byte_to_length of its byte, or None for a zero byte.
_LENGTH_OF_BYTE = [None] + [byte_to_length(b) for b in range(1, 256)]


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
        raise RuntimeError("BulkWriter writes a fresh segment; it merges nothing")

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
                size += TERM_BYTES + len(tbytes)
            docnums.append(docnum)
            weights.append(count * boost * 1.0)
            values += vbytes
            ends.append(len(values))
            size += POSTING_BYTES + len(vbytes)
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
