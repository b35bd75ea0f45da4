"""Known bugs asinfo_sim can be switched into on purpose (config "plant"), to prove kasim's checks catch the
mistakes a real grower integration makes. Each name with one sentence; the harness reads them from here
(`kasim plants`). None is ever on in normal use."""

from __future__ import annotations

PLANTS: dict[str, str] = {
    "skip-reconcile": "a push whose reply was lost is sent again blindly, without reading the lines back",
    "sync-ignores-unconfirmed-change": "the sync ignores a new box count on a line the grower has not "
    "confirmed yet",
    "labels-from-zero": "labels number the boxes from 0 (box 0 of N)",
    "lot-in-komet-range": "lot numbers are allocated from 1000, inside Komet's reserved 1000-99999",
    "relabel-blind-retry": "after a box code change whose reply was lost, the retry's 'does not exist' is "
    "recorded as a refusal",
    "confirm-out-of-order": "a newer confirmation does not supersede one still waiting, and the outbox "
    "delivers the newest first",
    "late-confirm-wins": "the sync takes an older confirmation Komet applied late as the importer's word",
    "sync-stale-read": "the sync applies what it read from Komet over a write of ASINFO's own that "
    "completed after the read",
    "ignore-retry-after": "a rate-limited write is retried on the ordinary backoff, not after Komet's "
    "Retry-After",
    "connection-refusal-no-wait": "a write refused for the connection (token, quota) is due again at once "
    "instead of after the backoff or the next UTC day",
}
