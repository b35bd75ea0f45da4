"""What the grower is told, in words, when Komet says no or cannot be reached (A1), in one table."""

from __future__ import annotations

from .komet_client import CONNECTION_REFUSALS, KometRefused, KometUnavailable

MESSAGES = {
    "connection_ok": "Connected: Komet accepted the token. Sync now to pull the purchase orders shipping from "
    "today to {days} day(s) ahead.",
    "bad_token": "Komet does not recognise this token ({komet}). Ask the importer for a new Vendor token "
    "(Komet: Setup › Settings › Tokens › New Token, type Vendor, ASINFO preset).",
    "method_not_enabled": "The token is valid, but {method} is not enabled on it ({komet}). Ask the importer to "
    "tick it on the token (the ASINFO integration preset ticks every method ASINFO needs).",
    "token_type": "Komet refuses {method} for this kind of token ({komet}). ASINFO needs a Vendor token with the "
    "method enabled; the importer's Komet may be applying the docs' Company-only rule.",
    "quota": "The importer's daily Komet API limit is used up ({komet}). Work is queued and retries after "
    "midnight UTC.",
    "refused": "Komet refused {method}: {komet}",
    "unreachable": "{detail} Check the Komet URL; queued work waits and retries.",
    "timeout": "Komet is too slow: {detail} Queued work waits and retries.",
    "reset": "The connection to Komet broke: {detail} Queued work waits and retries.",
    "http": "Komet is having trouble: {detail} Queued work waits and retries.",
    "rate_limited": "Komet is limiting requests: {detail} Queued work waits and retries.",
    "bad_reply": "Komet's reply could not be read: {detail}",
    "token_for_new_url": "a new Komet URL needs the Vendor token again: the stored token is only ever sent to "
    "the URL it was given with",
}


def explain(exc: Exception) -> str:
    """One sentence a grower can act on, for any failure of a Komet call."""
    if isinstance(exc, KometUnavailable):
        return MESSAGES.get(exc.kind, MESSAGES["unreachable"]).format(detail=exc.message)
    if isinstance(exc, KometRefused):
        text = exc.message.lower()
        for marker, key in zip(
            CONNECTION_REFUSALS, ("bad_token", "method_not_enabled", "token_type"), strict=True
        ):
            if marker in text:
                return MESSAGES[key].format(method=exc.method, komet=exc.message)
        if exc.quota_exhausted:
            return MESSAGES["quota"].format(komet=exc.message)
        return MESSAGES["refused"].format(method=exc.method, komet=exc.message)
    return str(exc)
