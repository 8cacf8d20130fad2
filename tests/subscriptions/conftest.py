"""A real SMTP server (aiosmtpd, in a thread on a free local port) that Django's SMTP
backend talks to, and what it received."""

import email
import email.policy
import re
import socket
import threading
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller
from django.core.cache import cache


class Inbox:
    """Every message the server accepted, parsed, with the addresses it was sent to."""

    def __init__(self):
        self.messages = []
        self._lock = threading.Lock()

    REFUSED = "nobody@example.kg"  # a mailbox the server says does not exist

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == self.REFUSED:
            return "550 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        message.raw = envelope.original_content  # as it came over the wire
        with self._lock:
            self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def to(self, address):
        """The messages received for one address, oldest first."""
        with self._lock:
            return [message for recipients, message in self.messages if address in recipients]

    def clear(self):
        with self._lock:
            self.messages.clear()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, inbox
    finally:
        controller.stop()


@pytest.fixture
def inbox(smtp_server, settings):
    """Django sends through the real SMTP server; each test starts with an empty inbox and
    no throttling counts."""
    controller, received = smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = controller.hostname
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    received.clear()
    cache.clear()
    yield received
    cache.clear()


def subject(message):
    """The decoded subject (Python's parser keeps the space before a folded encoded word)."""
    return " ".join(str(message["Subject"]).split())


def body(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def link(message, kind):
    """The path of the first `confirm` or `unsubscribe` link in a message's text."""
    found = re.search(rf"https?://\S+/subscribe/{kind}/\S+/", body(message))
    assert found, f"no {kind} link in: {body(message)}"
    return urlsplit(found.group(0)).path
