"""ASINFO's JSON API under /api/… (ours to design: nouns, status codes, errors naming the field)."""
