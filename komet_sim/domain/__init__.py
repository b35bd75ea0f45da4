"""Komet domain: the only writer of state; all rules live here."""
