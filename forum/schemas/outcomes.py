"""Outcomes, "I tried it": what a member reports, the counts every reader sees, and the notes
the contribution's author and moderators read."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from forum.models.outcome import NOTE_MAX, RESULTS, SETTINGS
from forum.schemas.common import RoundedFloat, StrictSchema, page_of
from forum.services import outcomes


class OutcomeInSchema(StrictSchema):
    result = fields.String(required=True, validate=validate.OneOf(RESULTS))
    setting = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(SETTINGS))
    note = fields.String(
        load_default="",
        metadata={
            "description": f"Private: read only by the contribution's author and moderators; "
            f"at most {NOTE_MAX} characters."
        },
    )


class SettingCountsSchema(ma.Schema):
    """The outcomes reported in one setting."""

    tried = fields.Integer()
    worked = fields.Integer()
    partly = fields.Integer()
    didnt = fields.Integer()


class OutcomeSummarySchema(ma.Schema):
    """A contribution's outcomes as every reader sees them: counts, never notes."""

    tried = fields.Integer()
    worked = fields.Integer()
    partly = fields.Integer()
    didnt = fields.Integer()
    success = RoundedFloat(
        4,
        allow_none=True,
        metadata={
            "description": "Wilson lower bound (z = 1.96) of (worked + 0.5 x partly) / tried; "
            "null while nobody has reported."
        },
    )
    by_setting = fields.Dict(
        keys=fields.String(validate=validate.OneOf(SETTINGS)),
        values=fields.Nested(SettingCountsSchema),
        metadata={"description": "The counts by setting, only the settings reported."},
    )


class ContributionOutcomes(fields.Nested):
    """The `outcomes` of a contribution (a ContributionView): its counters, and its split by
    setting as the listing read it for the whole page (read for this row alone otherwise)."""

    def __init__(self, **kwargs):
        super().__init__(OutcomeSummarySchema, **kwargs)

    def get_value(self, obj, attr, accessor=None, default=ma.missing):
        return outcomes.summary(obj.contribution, obj.outcomes_by_setting)


class MyOutcomeSchema(ma.Schema):
    """The caller's own report (an Outcome), note included."""

    result = fields.String(validate=validate.OneOf(RESULTS))
    setting = fields.String(allow_none=True, validate=validate.OneOf(SETTINGS))
    note = fields.String()
    updated_at = fields.DateTime()


class OutcomeOutSchema(OutcomeSummarySchema):
    """The outcomes of a contribution after the caller reported, with their own report."""

    my_outcome = fields.Nested(MyOutcomeSchema, allow_none=True)


class OutcomeMemberSchema(ma.Schema):
    username = fields.String()
    display_name = fields.String()


class OutcomeNoteSchema(ma.Schema):
    """One member's report with its note (for the contribution's author and moderators)."""

    result = fields.String(validate=validate.OneOf(RESULTS))
    setting = fields.String(allow_none=True, validate=validate.OneOf(SETTINGS))
    note = fields.String()
    member = fields.Nested(OutcomeMemberSchema)
    updated_at = fields.DateTime()


OutcomeNotePageSchema = page_of(OutcomeNoteSchema, "OutcomeNotePageSchema")
