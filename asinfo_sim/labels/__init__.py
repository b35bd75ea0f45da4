"""Box labels: one label model (model.py), rendered as ZPL (zpl.py) and as PDF (pdf.py)."""
