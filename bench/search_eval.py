"""Search relevance on real Stack Exchange questions: MAP, MRR, P@1 and nDCG@10 of the service's
`best` order, on questions as readers type and paste them, next to plain BM25 orders.

    .venv/bin/python bench/search_eval.py [--max-queries 300] [--variant plain] [--grid]

Judged queries, all built from ../shared/data/stackexchange, imported with the product's importer
(bench/dataset.py); judgments keyed by post id reach their rows through imported_posts:
- links-dup / links-related: PostLinks duplicate (LinkTypeId 3) and related (1) links, both ways.
  The query is a question's title; the linked question is graded 3 (duplicate) or 2 (related),
  its accepted or highest-scored answer (Score and AcceptedAnswerId in Posts.xml) 2 and its other
  answers 1. The query's own question and its answers are left out of every ranking. Each
  question runs twice through the service, never rewritten: *typed*, its title exactly as it is
  (punctuation, quotes, brackets and question marks included), and *pasted*, the title then the
  first 100 words of its body as plain text (the HTML of Body in Posts.xml stripped the way the
  importer does, punctuation kept; one line, as a search box holds a paste). The baseline is
  *any-word* raw BM25: the title's words joined with OR (the benchmark's rewrite, for the baseline
  only).
- matheducators: short practitioner queries with graded judgments (0-3) of questions and answers
  read by hand, in bench/judgments/matheducators.tsv, keyed by site and original post id; searched
  within that site's topic.

Orders compared, over the same index:
- service best: forum.services.search.search(q, sort="best"), i.e. text x (0.3 + 0.7 x usefulness);
- raw BM25: Whoosh with a default StandardAnalyzer over one field (title + body), no usefulness.

Figures per set: MAP, MRR, P@1, nDCG@10, judged@10, *empty* (the fraction of queries with no
result once their own thread is left out) and *refused* (how many queries the service
answered with an error, BadQuery: counted as empty results, since a reader gets nothing).

Variants (--variant plain|idf|prf|idf+prf, repeatable) are settings the service offers, not
implemented here: the benchmark passes the name in app.config["SEARCH_VARIANT"] and runs only the
variants the service names in forum.services.search.SEARCH_VARIANTS ("plain", the engine's hits
as they are, always); any other is reported as not offered by the service. idf: query terms
weighted by inverse document frequency; prf: pseudo-relevance feedback (the query expanded from
its top hits, forum/services/search_feedback.py).

Snippets are switched off while evaluating (they do not change the order). --grid rebuilds the
index once per search setting (analyzer, title boost, context boost, prompt title carried by
contributions) and prints the figures of each, for tuning.
"""

from __future__ import annotations

import argparse
import csv
import html
import math
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import dataset  # noqa: E402
from bench.common import DATA, POSTGRES_URL  # noqa: E402
from forum.importers.stackexchange import rows  # noqa: E402

JUDGMENTS = Path(__file__).resolve().parent / "judgments"
DEPTH = 200  # the engine's candidates: rankings are at most this long
GRADE_LINK = {"3": 3, "1": 2}  # LinkTypeId -> grade of the linked question
TITLE_WORD = re.compile(r"[^\W_][\w'’]*", re.UNICODE)
PASTED_WORDS = 100  # words of the body pasted after the title
VARIANTS = ("plain", "idf", "prf", "idf+prf")
VARIANT_SETTING = "SEARCH_VARIANT"  # the app setting that names the service's variant
# The importer's cleaning (forum/importers/stackexchange.py): blocks and line breaks end a run of
# text, other tags go, entities are read. What a reader copies off the page: text, punctuation kept.
_BREAK = re.compile(
    r"</(p|div|blockquote|h[1-6]|ul|ol|li|table|tr|pre)\s*>|<(br|hr|li)\b[^>]*>", re.I
)
_TAG = re.compile(r"<[^>]+>")


@dataclass
class Query:
    qid: str
    text: str
    judgments: dict[str, int]  # search key ("p:12", "c:34") -> grade 0..3
    topic: str | None = None
    own_prompt: int | None = None  # the thread the query came from, left out of rankings
    pasted: str = ""  # the title then the first words of the question's body, as pasted


@dataclass
class Setting:
    """Search settings tried by --grid (the Whoosh schema and documents are patched, then
    rebuilt)."""

    name: str
    analyzer: str = "language"  # "language" (Snowball) or "stemming" (Porter)
    title_boost: float | None = None  # None: as configured in forum/search/whoosh/schema.py
    context_boost: float | None = None
    context: bool = True  # contributions carry their prompt's title
    notes: list[str] = field(default_factory=list)


# -- judged queries -----------------------------------------------------------------------------
def title_words(title: str) -> list[str]:
    """The words of a title, lower-cased so that none reads as an operator or a field."""
    return [w.lower() for w in TITLE_WORD.findall(title)][:20]


def plain_words(body_html: str, limit: int = PASTED_WORDS) -> str:
    """The first `limit` words of a post's HTML body as plain text, as a reader pasting it gets
    them: tags gone, entities read, punctuation kept, each run of whitespace one space."""
    text = html.unescape(_TAG.sub("", _BREAK.sub(" ", body_html or "")))
    return " ".join(text.split()[:limit])


def post_facts(sites: set[str]):
    """From these sites' Posts.xml: (site, answer id) -> (Score, accepted), what the link
    judgments grade answers by and the product does not keep; and (site, question id) -> the
    first words of the question's body as plain text, for the pasted queries."""
    facts, bodies = {}, {}
    for site in sorted(sites):
        accepted, scores = set(), {}
        for row in rows(DATA / site / "Posts.xml"):
            if row.get("PostTypeId") == "1":
                bodies[(site, int(row["Id"]))] = plain_words(row.get("Body", ""))
                if row.get("AcceptedAnswerId"):
                    accepted.add(int(row["AcceptedAnswerId"]))
            elif row.get("PostTypeId") == "2":
                scores[int(row["Id"])] = int(row.get("Score") or 0)
        facts |= {(site, i): (score, i in accepted) for i, score in scores.items()}
    return facts, bodies


def link_queries(posts: dataset.Posts, titles: dict[int, str]) -> dict[str, list[Query]]:
    """Queries from PostLinks: a question's title, judged by the questions linked to it."""
    links = sorted(DATA.glob("*/PostLinks.xml"))
    facts, bodies = post_facts({path.parent.name for path in links})
    grades: dict[str, dict[tuple[str, int], dict[str, int]]] = {"dup": {}, "related": {}}
    for path in links:
        site = path.parent.name
        for row in rows(path):
            kind = row.get("LinkTypeId")
            if kind not in GRADE_LINK:
                continue
            ends = [_question_of(posts, site, int(row.get(k) or 0))
                    for k in ("PostId", "RelatedPostId")]  # fmt: skip
            if None in ends or ends[0] == ends[1]:
                continue
            name = "dup" if kind == "3" else "related"
            for source, target in (ends, ends[::-1]):
                judged = grades[name].setdefault((site, source), {})
                thread = _thread_grades(posts, facts, site, target, GRADE_LINK[kind])
                for key, grade in thread.items():
                    judged[key] = max(grade, judged.get(key, 0))
    sets = {}
    for name, by_source in grades.items():
        queries = []
        for (site, source), judged in sorted(by_source.items()):
            prompt_id = int(posts.key(site, source).split(":")[1])
            title = titles[prompt_id]
            pasted = " ".join(filter(None, (title, bodies.get((site, source), ""))))
            queries.append(Query(f"{site}:{source}", title, judged, own_prompt=prompt_id,
                                 pasted=pasted))  # fmt: skip
        sets[f"links-{name}"] = queries
    return sets


def _question_of(posts: dataset.Posts, site: str, post_id: int) -> int | None:
    key = posts.key(site, post_id)
    if key is None:
        return None
    return post_id if key.startswith("p:") else posts.question_of.get((site, post_id))


def _thread_grades(posts: dataset.Posts, facts, site: str, question: int, grade: int):
    """The linked question at the link's grade; its accepted or best answer 2, others 1."""
    grades = {posts.key(site, question): grade}
    answers = posts.answers.get((site, question), [])
    best = max((facts[(site, a)][0] for a in answers), default=None)
    for post_id in answers:
        score, accepted = facts[(site, post_id)]
        top = accepted or (score == best and score > 0)
        grades[posts.key(site, post_id)] = min(grade, 2 if top else 1)
    return grades


def judged_queries(path: Path, posts: dataset.Posts) -> list[Query]:
    """query_id, query, site, post_id, grade (TSV with a header); one row per judged post."""
    queries: dict[str, Query] = {}
    with path.open(newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            site = row["site"]
            query = queries.setdefault(
                row["query_id"],
                Query(row["query_id"], row["query"], {}, topic=posts.topics.get(site)),
            )
            key = posts.key(site, int(row["post_id"])) if row["post_id"] else None
            if key is not None:  # a row without a post only names the query
                query.judgments[key] = int(row["grade"])
    return list(queries.values())


# -- variants -----------------------------------------------------------------------------------
def offered_variants() -> set[str]:
    """The variants the service offers: "plain" (the engine's hits as they are) and
    the names it lists in forum.services.search.SEARCH_VARIANTS, if it lists any."""
    from forum.services import search as service

    return {"plain", *getattr(service, "SEARCH_VARIANTS", ())}


def use_variant(name: str) -> None:
    """Ask the service for variant `name` through its one setting, "plain" included (so that
    plain is measured whichever variant the service takes by default)."""
    from flask import current_app

    current_app.config[VARIANT_SETTING] = name


# -- rankings -----------------------------------------------------------------------------------
def service_ranking(query: Query, text: str, sort: str) -> tuple[list[str], bool]:
    """The service's ranking of `text` (the query's own thread left out), and whether the
    service refused the text (BadQuery: the reader gets an error, so no results)."""
    from forum.extensions import db
    from forum.services.search import BadQuery, search

    try:
        page = search(text, topic=query.topic, sort=sort, per_page=DEPTH)
    except BadQuery:
        return [], True
    finally:
        db.session.remove()
    return [f"{item.type[0]}:{item.id}" for item in page.items
            if query.own_prompt is None or item.prompt_id != query.own_prompt], False  # fmt: skip


class RawBM25:
    """A plain Whoosh index (StandardAnalyzer, one text field) of the same documents."""

    def __init__(self, folder: Path):
        from whoosh import index
        from whoosh.analysis import StandardAnalyzer
        from whoosh.fields import ID, NUMERIC, TEXT, Schema

        from forum.search import documents

        schema = Schema(key=ID(stored=True, unique=True), topic=ID, prompt=NUMERIC(stored=True),
                        content=TEXT(analyzer=StandardAnalyzer()))  # fmt: skip
        folder.mkdir(parents=True, exist_ok=True)
        self.index = index.create_in(folder, schema)
        writer = self.index.writer(limitmb=128)
        for d in documents.all_documents():
            writer.add_document(key=d["key"], topic=d["topic"], prompt=d["prompt_id"],
                                content=f"{d['title']} {d['body']}")  # fmt: skip
        writer.commit()
        self.searcher = self.index.searcher()

    def ranking(self, query: Query, text: str, any_word: bool) -> list[str]:
        from whoosh import qparser
        from whoosh import query as wq

        group = qparser.OrGroup if any_word else qparser.AndGroup
        parser = qparser.QueryParser("content", self.index.schema, group=group)
        words = " ".join(title_words(text))
        if not words:
            return []
        topic = wq.Term("topic", query.topic) if query.topic else None
        results = self.searcher.search(parser.parse(words), limit=DEPTH, filter=topic)
        return [hit["key"] for hit in results
                if query.own_prompt is None or hit["prompt"] != query.own_prompt]  # fmt: skip


# -- metrics ------------------------------------------------------------------------------------
def scores(ranking: list[str], judgments: dict[str, int]) -> dict[str, float]:
    relevant = sum(1 for g in judgments.values() if g > 0)
    hits, precision_sum, rr = 0, 0.0, 0.0
    for rank, key in enumerate(ranking, 1):
        if judgments.get(key, 0) > 0:
            hits += 1
            precision_sum += hits / rank
            rr = rr or 1.0 / rank
    ideal = sorted(judgments.values(), reverse=True)[:10]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    dcg = sum((2 ** judgments.get(k, 0) - 1) / math.log2(i + 2) for i, k in enumerate(ranking[:10]))
    return {
        "MAP": precision_sum / relevant,
        "MRR": rr,
        "P@1": 1.0 if ranking and judgments.get(ranking[0], 0) > 0 else 0.0,
        "nDCG@10": dcg / idcg if idcg else 0.0,
        "judged@10": sum(1 for k in ranking[:10] if k in judgments) / max(1, len(ranking[:10])),
        "empty": 0.0 if ranking else 1.0,
    }


def mean_scores(per_query: list[dict[str, float]]) -> dict[str, float]:
    return {name: statistics.fmean(s[name] for s in per_query) for name in per_query[0]}


def evaluate(
    sets: dict[str, list[Query]], raw: RawBM25 | None, variants: list[str]
) -> dict[str, dict[str, dict]]:
    """Figures per set and per order. Link sets: the service's `best` for each variant on the
    title as typed and on the question as pasted (never rewritten), and the any-word raw BM25
    baseline; matheducators: the service's `best` and raw BM25 on the query as written."""
    table: dict[str, dict[str, dict]] = {}
    for name, queries in sets.items():
        queries = [q for q in queries if any(g > 0 for g in q.judgments.values())]
        links = name.startswith("links")
        forms = [(" typed", "text"), (" pasted", "pasted")] if links else [("", "text")]
        for suffix, form in forms:
            runs: dict[str, list] = defaultdict(list)
            for variant in variants:
                use_variant(variant)
                order = "service best" + ("" if variant == "plain" else f" [{variant}]")
                for query in queries:
                    ranking, refused = service_ranking(query, getattr(query, form), "best")
                    runs[order].append(scores(ranking, query.judgments) | {"refused": refused})
            use_variant("plain")
            if raw is not None and not links:
                for query in queries:
                    ranking = raw.ranking(query, query.text, any_word=False)
                    runs["raw BM25"].append(scores(ranking, query.judgments) | {"refused": 0})
            if runs:
                table[name + suffix] = _means(runs)
        if raw is not None and links:
            runs = {"raw BM25": [scores(raw.ranking(q, q.text, any_word=True), q.judgments)
                                 | {"refused": 0} for q in queries]}  # fmt: skip
            table[name + " any-word"] = _means(runs)
    return table


def _means(runs: dict[str, list]) -> dict[str, dict]:
    figures = {}
    for order, per_query in runs.items():
        refused = sum(s.pop("refused") for s in per_query)
        figures[order] = mean_scores(per_query) | {"queries": len(per_query), "refused": refused}
    return figures


def pool(queries: list[Query], raw: RawBM25 | None, posts: dataset.Posts, depth: int) -> None:
    """Print what the orders put in their top `depth` and is not judged yet, for a judge to read
    (then add rows to the TSV: query_id, query, site, post_id, grade)."""
    from forum.search import documents, get_engine

    engine = get_engine()
    for query in queries:
        keys: dict[str, None] = {}
        for text in (query.text, " OR ".join(title_words(query.text))):
            for sort in ("best", "relevance"):
                keys.update(dict.fromkeys(service_ranking(query, text, sort)[0][:depth]))
        if raw is not None:
            keys.update(dict.fromkeys(raw.ranking(query, query.text, False)[:depth]))
        print(f"\n### {query.qid}\t{query.text}")
        searcher = engine.searcher()
        for key in keys:
            if key in query.judgments:
                continue
            kind = key.split(":")[0]
            site, post_id = posts.by_key[key]
            stored = searcher.stored_fields(searcher.document_number(key=key))
            title = stored.get("title") or documents.plain_text(_prompt_title(stored["prompt_id"]))
            print(f"{query.qid}\t{query.text}\t{site}\t{post_id}\t?\t[{kind}] {title} | "
                  f"{stored.get('body', '')[:600]}")  # fmt: skip


def _prompt_title(prompt_id: int) -> str:
    from forum.extensions import db
    from forum.models import Prompt

    return db.session.get(Prompt, prompt_id).title


def print_table(table: dict[str, dict[str, dict]]) -> None:
    columns = ("MAP", "MRR", "P@1", "nDCG@10", "judged@10", "empty")
    print(f"{'set':<24}{'order':<26}{'queries':>8}" + "".join(f"{c:>10}" for c in columns)
          + f"{'refused':>9}")  # fmt: skip
    for name, orders in table.items():
        for order, figures in orders.items():
            print(f"{name:<24}{order:<26}{figures['queries']:>8}"
                  + "".join(f"{figures[c]:>10.3f}" for c in columns)
                  + f"{figures['refused']:>9}")  # fmt: skip


# -- settings and the index ---------------------------------------------------------------------
def apply_setting(setting: Setting, defaults: dict) -> None:
    from whoosh.analysis import LanguageAnalyzer, StemmingAnalyzer

    from forum.search.whoosh import schema as whoosh_schema

    whoosh_schema.TITLE_BOOST = setting.title_boost or defaults["title"]
    whoosh_schema.CONTEXT_BOOST = (
        defaults["context"] if setting.context_boost is None else setting.context_boost
    )
    whoosh_schema.LanguageAnalyzer = (
        LanguageAnalyzer if setting.analyzer == "language" else lambda _lang: StemmingAnalyzer()
    )
    fields = defaults["fields"]
    if setting.context:
        whoosh_schema.document_fields = fields
    else:
        whoosh_schema.document_fields = lambda document: fields(document) | {"context": ""}


def rebuild() -> float:
    """Rebuild the index the product's way, with the setting applied; seconds taken."""
    from forum.search import maintenance

    started = time.perf_counter()
    maintenance.reindex()
    return time.perf_counter() - started


def without_snippets() -> None:
    from forum.search import get_engine

    get_engine().snippets = lambda parsed, hits: {}  # the order is what is measured


GRID = [
    Setting("as configured"),
    Setting("before tuning: title 3, context 0.5", title_boost=3.0, context_boost=0.5),
    Setting("Porter StemmingAnalyzer", analyzer="stemming"),
    Setting("title boost 1", title_boost=1.0),
    Setting("title boost 3", title_boost=3.0),
    Setting("title boost 5", title_boost=5.0),
    Setting("context boost 0.5", context_boost=0.5),
    Setting("context boost 2", context_boost=2.0),
    Setting("no prompt title on contributions", context=False),
]


def sample(queries: list[Query], limit: int, seed: int) -> list[Query]:
    if limit and len(queries) > limit:
        return sorted(random.Random(seed).sample(queries, limit), key=lambda q: q.qid)
    return queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--max-queries",
        type=int,
        default=300,
        help="sample at most this many queries per link set (0: all)",
    )
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument(
        "--engine",
        choices=("whoosh", "postgres"),
        default="whoosh",
        help="postgres: load into a schema of its own on --url and search inside PostgreSQL",
    )
    parser.add_argument("--url", default=POSTGRES_URL)
    parser.add_argument("--grid", action="store_true", help="try the search settings (slow)")
    parser.add_argument("--no-raw", action="store_true", help="skip the raw BM25 baseline")
    parser.add_argument(
        "--variant",
        action="append",
        choices=VARIANTS,
        help="a search variant the service may offer (repeatable; default: plain): idf weighs "
        "the query's terms by inverse document frequency, prf expands the query from its top hits",
    )
    parser.add_argument(
        "--pool",
        type=int,
        default=0,
        metavar="N",
        help="print the unjudged top N of each order for the judged queries",
    )
    args = parser.parse_args()  # fmt: skip
    args.variant = list(dict.fromkeys(args.variant or ["plain"]))
    dataset.require_data()

    if args.engine == "postgres" and args.grid:
        parser.error("--grid tunes the Whoosh engine; use it without --engine postgres")
    schema = f"search_eval_{os.getpid()}"
    with tempfile.TemporaryDirectory(prefix="search-eval-") as tmp:
        if args.engine == "postgres":
            from bench.search_pg_bench import create_app_on, drop_schema

            app, _ = create_app_on(args.url, schema)
        else:
            app = dataset.create_app_for(Path(tmp) / "eval.db", Path(tmp) / "search-index")
        try:
            run(app, args, Path(tmp))
        finally:
            if args.engine == "postgres":
                with app.app_context():
                    from forum.extensions import db

                    db.session.remove()
                    db.engine.dispose()
                drop_schema(args.url, schema)


def run(app, args, tmp: Path) -> None:
    with app.app_context():
        from sqlalchemy import select

        from forum.extensions import db
        from forum.models import Prompt
        from forum.search.whoosh import schema as whoosh_schema

        loaded = dataset.load()
        posts = dataset.posts()
        titles = {i: t for i, t in db.session.execute(select(Prompt.id, Prompt.title))}
        sets = {n: sample(q, args.max_queries, args.seed)
                for n, q in link_queries(posts, titles).items()}  # fmt: skip
        judged = JUDGMENTS / "matheducators.tsv"
        if judged.is_file():
            sets["matheducators"] = judged_queries(judged, posts)
        print(dataset.report(loaded))
        print("queries: " + ", ".join(f"{n} {len(q)}" for n, q in sets.items()))
        raw = None if args.no_raw else RawBM25(Path(tmp) / "raw-index")
        defaults = {"title": whoosh_schema.TITLE_BOOST, "context": whoosh_schema.CONTEXT_BOOST,
                    "fields": whoosh_schema.document_fields}  # fmt: skip
        without_snippets()
        offered = offered_variants()
        for variant in args.variant:
            if variant not in offered:
                print(f"variant {variant}: not offered by the service "
                      f"(it offers: {', '.join(sorted(offered))})")  # fmt: skip
        variants = [v for v in args.variant if v in offered]
        if args.pool:
            pool(sets.get("matheducators", []), raw, posts, args.pool)
            return
        if args.engine == "postgres":
            print("\n== the postgres engine (vectors written by the import)")
            print_table(evaluate(sets, raw, variants))
            return
        for n, setting in enumerate(GRID if args.grid else GRID[:1]):
            built = f"by the import: {loaded.line('Search:').removeprefix('Search: ')}"
            if n:  # the import indexed as configured, the first setting
                apply_setting(setting, defaults)
                built = f"index rebuilt by maintenance.reindex in {rebuild():.0f} s"
            print(
                f"\n== {setting.name} (title boost {whoosh_schema.TITLE_BOOST:g}, context "
                f"boost {whoosh_schema.CONTEXT_BOOST:g}; {built})"
            )
            print_table(evaluate(sets, raw if n == 0 else None, variants))


if __name__ == "__main__":
    main()
