"""Where imported content came from: site, original post, author, and the votes it brought.

Content imported from a Stack Exchange dump is CC BY-SA: every imported prompt and contribution
keeps its site, original post id and author name, and shows them. The up and down votes an
imported answer had count toward its usefulness as imported ratings (up as 5, down as 1), kept
here so that `recount` adds them back to the ratings members give.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from forum.extensions import db
from forum.models.types import UTCDateTime, utcnow

LICENSE_URL = "https://creativecommons.org/licenses/by-sa/{version}/"


class ImportedPost(db.Model):
    """One original post and the prompt or contribution it became."""

    __tablename__ = "imported_posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    site: Mapped[str] = mapped_column(String(100))
    original_id: Mapped[int] = mapped_column()
    kind: Mapped[str] = mapped_column(String(16))
    prompt_id: Mapped[int | None] = mapped_column(
        ForeignKey("prompts.id", ondelete="CASCADE"), index=True
    )
    contribution_id: Mapped[int | None] = mapped_column(
        ForeignKey("contributions.id", ondelete="CASCADE"), index=True
    )
    author_name: Mapped[str] = mapped_column(String(60), default="")
    license: Mapped[str] = mapped_column(String(40), default="CC BY-SA")
    up_votes: Mapped[int] = mapped_column(default=0)
    down_votes: Mapped[int] = mapped_column(default=0)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (UniqueConstraint("site", "original_id"),)

    @property
    def url(self) -> str:
        letter = "q" if self.kind == "prompt" else "a"
        return f"https://{self.site}/{letter}/{self.original_id}"

    @property
    def imported_ratings(self) -> int:
        return self.up_votes + self.down_votes

    @property
    def license_url(self) -> str:
        version = self.license.rsplit(" ", 1)[-1]
        return LICENSE_URL.format(version=version if version[:1].isdigit() else "4.0")
