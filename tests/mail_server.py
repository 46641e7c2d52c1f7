"""A real SMTP server (aiosmtpd) on a free loopback port, and what it received, read as a person
reads email: who it is to, the subject, the plain-text and HTML parts, the links, the headers.

A test module that needs it points the app at it (the fixtures are in tests/conftest.py):

    @pytest.fixture
    def app_config_overrides(smtp_server):
        return smtp_server.config

and reads `mailbox` (cleared for each test): `mailbox.to("ada@example.org")`, `mail.text`,
`mail.html`, `mail.links`, `mail["List-Unsubscribe"]`.
"""

from __future__ import annotations

import email
import email.policy
import re
import socket
import threading
from dataclasses import dataclass

from aiosmtpd.controller import Controller

LINK = re.compile(r"https?://[^\s<>\"')]+")


@dataclass
class Mail:
    """One message as delivered."""

    message: email.message.EmailMessage
    envelope_to: list[str]

    def __getitem__(self, header: str) -> str | None:
        """A header's value, unfolded (a long one arrives folded over two lines)."""
        value = self.message[header]
        return None if value is None else str(value).strip()

    @property
    def to(self) -> str:
        return str(self.message["To"])

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    def _part(self, subtype: str) -> str | None:
        part = self.message.get_body(preferencelist=(subtype,))
        return None if part is None or part.get_content_subtype() != subtype else part.get_content()

    @property
    def text(self) -> str | None:
        return self._part("plain")

    @property
    def html(self) -> str | None:
        return self._part("html")

    @property
    def links(self) -> list[str]:
        """The links of the plain-text part, in order."""
        return LINK.findall(self.text or "")

    def link(self, containing: str) -> str:
        """The one link whose address contains `containing`."""
        found = [link for link in self.links if containing in link]
        assert len(found) == 1, (containing, self.links)
        return found[0]


class Mailbox:
    """Everything the server received, in order."""

    def __init__(self) -> None:
        self.mails: list[Mail] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.mails.append(Mail(message, list(envelope.rcpt_tos)))
        return "250 OK"

    def clear(self) -> None:
        with self._lock:
            self.mails.clear()

    def to(self, address: str) -> list[Mail]:
        """The mails delivered to `address`."""
        with self._lock:
            return [mail for mail in self.mails if address in mail.envelope_to]

    def __len__(self) -> int:
        return len(self.mails)


class SMTPServer:
    """The server, its mailbox and the app settings that send to it."""

    def __init__(self) -> None:
        self.mailbox = Mailbox()
        self.port = _free_port()
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)

    @property
    def config(self) -> dict:
        return {
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": self.port,
            "MAIL_USE_TLS": False,
            "MAIL_SUPPRESS_SEND": False,
            "MAIL_DEFAULT_SENDER": "Commonplace <noreply@forum.test>",
        }

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
