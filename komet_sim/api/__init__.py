"""The documented Komet Sales API: /api/<method>. Thin: parse, one domain call, envelope."""
