"""Repair: recompute every stored counter and score from the source rows."""

from __future__ import annotations

from sqlalchemy import func, or_, select, update

from forum.extensions import db
from forum.models import (
    Comment,
    Contribution,
    ImportedPost,
    Outcome,
    Prompt,
    PromptRating,
    Rating,
)
from forum.models.outcome import RESULTS
from forum.ranking import outcome_success, usefulness_score, wilson_lower_bound
from forum.services import strategy_totals

BATCH = 1000


def _histograms(first_id: int, last_id: int) -> dict[int, list[int]]:
    rows = db.session.execute(
        select(Rating.contribution_id, Rating.score, func.count())
        .where(Rating.contribution_id.between(first_id, last_id))
        .group_by(Rating.contribution_id, Rating.score)
    )
    histograms: dict[int, list[int]] = {}
    for contribution_id, score, count in rows:
        histograms.setdefault(contribution_id, [0] * 5)[score - 1] = count
    # Imported ratings: the up and down votes an imported answer brought, as 5 and 1.
    imported = db.session.execute(
        select(ImportedPost.contribution_id, ImportedPost.up_votes, ImportedPost.down_votes).where(
            ImportedPost.contribution_id.between(first_id, last_id)
        )
    )
    for contribution_id, up, down in imported:
        histogram = histograms.setdefault(contribution_id, [0] * 5)
        histogram[0] += down
        histogram[4] += up
    return histograms


def recount(progress=None) -> dict[str, int]:
    """Recompute contribution histograms and scores, outcome counters and success, comment
    counts, prompt counts and helpful tallies.

    A contribution's histogram is its members' ratings plus its imported ratings, if any.

    Returns how many rows were wrong and fixed. Pages by primary key, so memory stays flat;
    committed once, as one unit of work.
    """
    fixed = {"contributions": 0, "prompts": 0}
    last_id = 0
    while True:
        batch = db.session.execute(
            select(
                Contribution.id,
                Contribution.n1,
                Contribution.n2,
                Contribution.n3,
                Contribution.n4,
                Contribution.n5,
                Contribution.rating_count,
                Contribution.rating_sum,
                Contribution.score,
            )  # fmt: skip
            .where(Contribution.id > last_id)
            .order_by(Contribution.id)
            .limit(BATCH)
        ).all()
        if not batch:
            break
        histograms = _histograms(batch[0].id, batch[-1].id)
        for row in batch:
            hist = histograms.get(row.id, [0] * 5)
            count, total = sum(hist), sum((k + 1) * n for k, n in enumerate(hist))
            score = usefulness_score(hist)
            stored = [row.n1, row.n2, row.n3, row.n4, row.n5]
            if (
                stored != hist
                or (row.rating_count, row.rating_sum) != (count, total)
                or abs(row.score - score) > 1e-9
            ):
                fixed["contributions"] += 1
                db.session.execute(
                    update(Contribution)
                    .where(Contribution.id == row.id)
                    .values(
                        n1=hist[0],
                        n2=hist[1],
                        n3=hist[2],
                        n4=hist[3],
                        n5=hist[4],
                        rating_count=count,
                        rating_sum=total,
                        score=score,
                    )  # fmt: skip
                )
        last_id = batch[-1].id
        if progress:
            progress(len(batch))
    fixed["prompts"] = _recount_prompts()
    fixed["comment_counts"] = _recount_comments()
    fixed["outcomes"] = _recount_outcomes()
    if fixed["contributions"]:  # ratings counted anew: the strategies' totals may differ
        strategy_totals.forget_all(db.session.connection())
    db.session.commit()
    return fixed


def _recount_prompts() -> int:
    visible = dict(
        db.session.execute(
            select(Contribution.prompt_id, func.count())
            .where(Contribution.status == "visible")
            .group_by(Contribution.prompt_id)
        ).all()
    )
    tallies: dict[int, list[int]] = {}
    for prompt_id, helpful, count in db.session.execute(
        select(PromptRating.prompt_id, PromptRating.helpful, func.count()).group_by(
            PromptRating.prompt_id, PromptRating.helpful
        )
    ):
        tallies.setdefault(prompt_id, [0, 0])[0 if helpful else 1] = count
    fixed = 0
    for row in db.session.execute(
        select(
            Prompt.id,
            Prompt.contribution_count,
            Prompt.helpful_yes,
            Prompt.helpful_no,
            Prompt.helpful_score,
        )  # fmt: skip
    ):
        yes, no = tallies.get(row.id, [0, 0])
        count = visible.get(row.id, 0)
        score = wilson_lower_bound(yes, no)
        if (row.contribution_count, row.helpful_yes, row.helpful_no) != (count, yes, no) or abs(
            row.helpful_score - score
        ) > 1e-9:
            fixed += 1
            db.session.execute(
                update(Prompt)
                .where(Prompt.id == row.id)
                .values(
                    contribution_count=count, helpful_yes=yes, helpful_no=no, helpful_score=score
                )
            )
    return fixed


def _recount_comments() -> int:
    """Each contribution's count of visible comments, from the comments; one UPDATE of the
    rows that were wrong. Returns how many."""
    visible = (
        select(func.count(Comment.id))
        .where(Comment.contribution_id == Contribution.id, Comment.status == "visible")
        .scalar_subquery()
    )
    result = db.session.execute(
        update(Contribution)
        .where(Contribution.comment_count != visible)
        .values(comment_count=visible)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def _recount_outcomes() -> int:
    """Each contribution's outcome counters and success, from the outcome rows. Reads only the
    contributions that have outcomes or claim some, a batch at a time; returns how many were
    wrong and fixed."""
    claimed = or_(
        Contribution.outcome_count != 0,
        Contribution.outcome_worked != 0,
        Contribution.outcome_partly != 0,
        Contribution.outcome_didnt != 0,
        Contribution.success.is_not(None),
        Contribution.id.in_(select(Outcome.contribution_id)),
    )
    fixed, last_id = 0, 0
    while True:
        batch = db.session.execute(
            select(
                Contribution.id,
                Contribution.outcome_worked,
                Contribution.outcome_partly,
                Contribution.outcome_didnt,
                Contribution.outcome_count,
                Contribution.success,
            )
            .where(Contribution.id > last_id, claimed)
            .order_by(Contribution.id)
            .limit(BATCH)
        ).all()
        if not batch:
            return fixed
        counts: dict[int, list[int]] = {}
        for contribution_id, result, count in db.session.execute(
            select(Outcome.contribution_id, Outcome.result, func.count())
            .where(Outcome.contribution_id.between(batch[0].id, batch[-1].id))
            .group_by(Outcome.contribution_id, Outcome.result)
        ):
            counts.setdefault(contribution_id, [0, 0, 0])[RESULTS.index(result)] = count
        for row in batch:
            worked, partly, didnt = counts.get(row.id, [0, 0, 0])
            success = outcome_success(worked, partly, didnt)
            stored = (row.outcome_worked, row.outcome_partly, row.outcome_didnt, row.outcome_count)
            if (
                stored != (worked, partly, didnt, worked + partly + didnt)
                or (row.success is None) != (success is None)
                or (success is not None and abs(row.success - success) > 1e-9)
            ):
                fixed += 1
                db.session.execute(
                    update(Contribution)
                    .where(Contribution.id == row.id)
                    .values(
                        outcome_worked=worked,
                        outcome_partly=partly,
                        outcome_didnt=didnt,
                        outcome_count=worked + partly + didnt,
                        success=success,
                    )
                )
        last_id = batch[-1].id
