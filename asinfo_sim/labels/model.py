"""The one label model both renderings draw from (docs/decisions.md A5, docs/domain.md §4.1)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BoxLabel:
    box_code: str  # the grower's own code: the barcode, and the code sent to Komet
    box_number: int  # n of N among the PO's boxes on this AWB (docs/domain.md §4.1)
    box_count: int  # N
    grower_name: str
    farm_code: str
    importer_name: str
    customer_mark: str  # printed large: the mark the importer's customer is known by
    po_number: str
    po_item_id: int
    box_type: str  # HB, QB, ...
    product: str  # e.g. "Rose Freedom Red 50cm"
    bunches: int
    stems_per_bunch: int
    ship_date: str  # YYYY-MM-DD
    mawb: str  # formatted, e.g. 729-1234-5675
    hawb: str | None
    origin: str  # BOG / MDE / UIO
    destination: str  # MIA
    country_of_origin: str  # Colombia / Ecuador
    lot_number: str | None
    airline: str | None = None
    cargo_agency: str | None = None
    reprint: bool = False  # a reprint is marked "R" (Komet's own convention for reprinted labels)

    @property
    def total_stems(self) -> int:
        return self.bunches * self.stems_per_bunch
