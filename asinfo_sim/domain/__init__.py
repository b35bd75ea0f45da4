"""ASINFO domain: the only writer of the grower portal's state; all rules live here."""
