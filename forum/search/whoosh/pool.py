"""The posting pool of bulk.BulkWriter.

Whoosh's writer keeps each posting as a tuple (field, term as bytes, document, weight, value) in a
pool it sorts at the end, pickling every posting into a run file and back whenever the pool
spills. `TermPool` keeps a term's postings together in arrays instead, in the order documents
come (which is the order they are written), so the end sorts terms, not postings, and a spill
writes one pickle per term.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import pickle
from array import array
from collections.abc import Iterator

from whoosh.util import random_name

# Bytes a posting (document number, weight, value end, arrays' spare room; its value besides) and
# a new term (its key, dictionary entry and four growing arrays) take in the pool, measured with
# tracemalloc on 15,000 answers (1.02 million postings, 55,609 terms).
POSTING_BYTES = 20
TERM_BYTES = 800


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
            self.size += TERM_BYTES + len(tbytes)
        docnums.append(docnum)
        weights.append(weight)
        if vbytes:
            values += vbytes
            self.size += POSTING_BYTES + len(vbytes)
        else:
            self.size += POSTING_BYTES
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
