"""Fault kinds as objects: each checks what it needs of a rule and does its own harm to a request.

The middleware asks the kind of the rule that fired at three points of an exchange:
- `before` the app runs: answer instead of it, drop the connection, or wait (None: go on);
- `after` it ran: change its reply, or run it again;
- `deliver`, once the exchange is journaled: raise instead of letting the reply go.
A new kind is a subclass registered in KINDS; nothing else changes.
"""

from __future__ import annotations

import contextvars
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from .errors import BadInput, DropConnection, SimulatedTimeout
from .ids import derive

if TYPE_CHECKING:
    from .faults import FaultRule
    from .middleware import Exchange, Reply

HELD_SECONDS = 30.0  # how long timeout, late and hold keep a request when the rule does not say
REASONS = {
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


@dataclass
class Held:
    """A request a `late` or `hold` fault keeps: `finish` processes it (late) or lets its reply go (hold)."""

    rule_id: int
    kind: str
    namespace: str | None
    finish: Callable[[], None]
    op: str | None = None


class FaultKind:
    name: ClassVar[str] = ""
    help: ClassVar[str] = ""

    def configure(self, rule: FaultRule) -> None:
        """Defaults and checks of this kind (BadInput naming the field)."""

    def before(self, x: Exchange) -> list[bytes] | None:
        return None

    def after(self, x: Exchange, reply: Reply) -> Reply:
        return reply

    def deliver(self, x: Exchange) -> None:
        return None


class Latency(FaultKind):
    name = "latency"
    help = "answer after a delay"

    def configure(self, rule: FaultRule) -> None:
        if rule.seconds == 0:
            raise BadInput("delay", "a latency fault needs a delay such as '300ms' or '2s'")

    def before(self, x: Exchange) -> None:
        delay = x.world.faults.latency(x.fault)
        if x.in_process and x.client_timeout is not None and delay > x.client_timeout:
            # The server still does the work; the client has given up by the time it is done.
            time.sleep(x.client_timeout)
            x.client_gave_up = True
        else:
            time.sleep(delay)

    def deliver(self, x: Exchange) -> None:
        if x.client_gave_up:
            raise SimulatedTimeout("the reply came after the client's timeout")


class Error(FaultKind):
    name = "error"
    help = "answer with an HTTP error status (default 500) without processing"
    default_status = 500

    def configure(self, rule: FaultRule) -> None:
        if rule.status is None:
            rule.status = self.default_status

    def before(self, x: Exchange) -> list[bytes]:
        status = int(x.fault.status or self.default_status)
        reason = REASONS.get(status, "Error")
        body = f"<html><body><h1>{status} {reason}</h1></body></html>".encode()
        headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))]
        x.entry["response"] = {"status": status, "body": f"{status} {reason}"}
        if status == 429:
            headers.append(("Retry-After", str(x.fault.retryAfter)))
            x.entry["response"]["retryAfter"] = x.fault.retryAfter
        x.record(x.environ, f"{status} {reason}")
        x.start_response(f"{status} {reason}", headers)
        return [body]


class RateLimit(Error):
    name = "rate_limit"
    help = "answer 429 with Retry-After without processing"
    default_status = 429

    def configure(self, rule: FaultRule) -> None:
        rule.status = 429


class Timeout(FaultKind):
    name = "timeout"
    help = "hold the request without processing, then drop it (the client times out)"

    def configure(self, rule: FaultRule) -> None:
        rule.seconds = rule.seconds or HELD_SECONDS

    def before(self, x: Exchange) -> None:
        x.record(x.environ, None)
        if not x.in_process:
            time.sleep(x.fault.seconds)
        raise SimulatedTimeout("request held until the client gave up (simulated timeout)")


class Reset(FaultKind):
    name = "reset"
    help = "reset the connection without processing"

    def before(self, x: Exchange) -> None:
        x.record(x.environ, None)
        raise DropConnection("connection reset by peer (simulated)")


class LostResponse(FaultKind):
    name = "lost_response"
    help = "process the request, then reset the connection: the reply is lost"

    def deliver(self, x: Exchange) -> None:
        raise DropConnection("reply lost: the request was processed, then the connection reset")


class Duplicate(FaultKind):
    name = "duplicate"
    help = "deliver the request twice (as a retrying proxy would); the first reply is returned"

    def after(self, x: Exchange, reply: Reply) -> Reply:
        second = x.process()
        x.entry["duplicate"] = {"status": second.status_code, "body": second.journal_body(reply.content_type)}
        return reply


class TypeDrift(FaultKind):
    name = "type_drift"
    help = "flip numbers and strings in the JSON reply (seeded), as the real service's samples do"

    def after(self, x: Exchange, reply: Reply) -> Reply:
        if not reply.content_type.startswith("application/json"):
            return reply
        rng = derive(x.world.seed, "drift", x.fault.id, x.fault.hits)
        payload = json.dumps(drift_types(json.loads(reply.payload), rng)).encode()
        headers = [(k, v) for k, v in reply.headers if k.lower() != "content-length"]
        headers.append(("Content-Length", str(len(payload))))
        return reply.replaced(headers, payload)  # the journal keeps what was sent, not the app's object


class Late(FaultKind):
    name = "late"
    help = (
        "the client times out at once; the request is processed only when released (POST "
        "/__sim/faults/release), as a server that finishes after its client gave up"
    )

    def configure(self, rule: FaultRule) -> None:
        rule.seconds = rule.seconds or HELD_SECONDS

    def before(self, x: Exchange) -> None:
        """Keep the request for later: the client times out now, the app processes it when released (in the
        request's own context, so its namespace and correlation hold), journaled as a late arrival."""
        x.record(x.environ, None)
        context = contextvars.copy_context()

        def finish() -> None:
            # `sent`: when its client sent it; `begin`: when the server now starts on it
            late = {**x.entry, "late": True, "sent": x.entry["begin"], "begin": x.world.clock.tick()}
            late.pop("end", None)
            reply = context.run(x.process)
            late["response"] = {"status": reply.status_code, "body": reply.journal_body(reply.content_type)}
            x.record(reply.environ, reply.status, late)

        x.world.faults.hold(
            Held(x.fault.id, self.name, x.environ.get("kasim.namespace"), finish, x.environ.get("kasim.op"))
        )
        if not x.in_process:
            time.sleep(x.fault.seconds)  # a socket client waits for its own timeout, as with `timeout`
        raise SimulatedTimeout("request held: it will be processed after the client gave up")


class Hold(FaultKind):
    name = "hold"
    help = (
        "process the request, then hold the reply until released (the client waits, up to its timeout): "
        "other requests run in between, as on a busy server"
    )

    def configure(self, rule: FaultRule) -> None:
        rule.seconds = rule.seconds or HELD_SECONDS

    def deliver(self, x: Exchange) -> None:
        """The reply waits for release; past the client's timeout (or the rule's limit) it never goes."""
        released = threading.Event()
        x.world.faults.hold(
            Held(
                x.fault.id,
                self.name,
                x.environ.get("kasim.namespace"),
                released.set,
                x.environ.get("kasim.op"),
            )
        )
        limit = x.fault.seconds
        if x.in_process and x.client_timeout is not None:
            limit = min(limit, x.client_timeout)
        if not released.wait(limit):
            raise SimulatedTimeout("the reply was held past the client's timeout")


KINDS: dict[str, FaultKind] = {
    kind.name: kind
    for kind in (
        Latency(),
        Error(),
        RateLimit(),
        Timeout(),
        Reset(),
        LostResponse(),
        Duplicate(),
        TypeDrift(),
        Late(),
        Hold(),
    )
}
NO_FAULT = FaultKind()


def drift_types(value: Any, rng: Any) -> Any:
    """Flip some numbers to strings and numeric strings to numbers (K2's `type_drift`)."""
    if isinstance(value, dict):
        return {k: drift_types(v, rng) for k, v in value.items()}
    if isinstance(value, list):
        return [drift_types(v, rng) for v in value]
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and rng.random() < 0.5:
        return str(value)
    # Only strings that survive the round trip: "00042" stays text (a box code's zeros are not noise).
    if (
        isinstance(value, str)
        and value.lstrip("-").isdigit()
        and len(value) < 12
        and str(int(value)) == value
        and rng.random() < 0.5
    ):
        return int(value)
    return value
