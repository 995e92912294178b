"""How a message leaves Samfard: a `Sender` protocol with two implementations.

* `LogSender` (the default): writes one line per message to the log: its id, kind and
  channel, never the recipient or the text, so no one's phone number or what they were told
  reaches a log file (a protected person's included).
* `SmsSender`: posts the message to an SMS gateway over HTTP (urllib), configured by
  SAMFARD_SMS_URL, SAMFARD_SMS_TOKEN and SAMFARD_SMS_SENDER (the sender name shown on the
  phone). The body is JSON `{"to", "from", "message", "reference"}` with the token as a
  bearer header, the shape most Swedish gateways accept (46elks, Twilio-like relays); an
  adapter for another shape is another small class.

A sender raises `SendError` when the message did not go; the outbox retries it later.
"""

from __future__ import annotations

import json
import logging
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Protocol

log = logging.getLogger("samfard.notify")


@dataclass(frozen=True)
class Outgoing:
    """One message to send: the outbox row's id, channel, recipient and text."""

    message_id: int
    kind: str
    channel: str
    recipient: str
    text: str


class SendError(Exception):
    """The message did not go (network, gateway refusal); worth trying again later."""


class Sender(Protocol):
    """Sends one message; returns the provider's reference, raises SendError on failure."""

    def send(self, message: Outgoing) -> str: ...


class LogSender:
    """The default: records that a message would be sent, without its recipient or text."""

    def send(self, message: Outgoing) -> str:
        log.info(
            "notification %s (%s) sent by %s", message.message_id, message.kind, message.channel
        )
        return f"log-{message.message_id}"


@dataclass(frozen=True)
class SmsSender:
    """An SMS gateway over HTTP (JSON POST with a bearer token)."""

    url: str
    token: str
    sender: str = "Samfard"
    timeout_s: float = 10.0

    def send(self, message: Outgoing) -> str:
        body = {
            "to": message.recipient,
            "from": self.sender,
            "message": message.text,
            "reference": str(message.message_id),
        }
        request = urllib.request.Request(
            self.url,
            data=json.dumps(body).encode(),
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:  # noqa: S310
                raw = response.read()
        except urllib.error.HTTPError as error:
            raise SendError(f"SMS gateway answered {error.code}") from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise SendError(f"SMS gateway unreachable: {type(error).__name__}") from error
        try:
            ref = json.loads(raw or b"{}").get("id")
        except (ValueError, AttributeError):
            ref = None
        return str(ref or f"sms-{message.message_id}")


def sender_from_env(environ: dict[str, str] | None = None) -> Sender:
    """The SMS sender when SAMFARD_SMS_URL is set (with its token), else the log sender."""
    env = os.environ if environ is None else environ
    url = env.get("SAMFARD_SMS_URL", "").strip()
    if not url:
        return LogSender()
    return SmsSender(
        url=url,
        token=env.get("SAMFARD_SMS_TOKEN", ""),
        sender=env.get("SAMFARD_SMS_SENDER", "Samfard") or "Samfard",
    )
