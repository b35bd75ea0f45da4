"""Recordings of real Komet traffic, and what kasim makes of them.

`format` is the JSON Lines file (docs/recording-format.md), `redaction` the stable token placeholders,
`proxy` the recording proxy (`kasim proxy`), `summary` what `kasim recording show` prints; `sources` reads a
recording or saved `purchase.order.list` replies, `world` builds a komet_sim state snapshot from them,
`skeleton` the scenario that replays them (`kasim import`), and `replay` sends the recorded requests to a
Komet again (`kasim contract komet --recording`).
"""
