"""What the steps return, field by field, for the shapes several steps share (a Komet PO, an ASINFO line, an
AWB...). A step's own registration says which shape it returns; tests check these fields against what the
steps really return, so a field added or renamed without its line here fails.

Words every step uses: a number of boxes is `<state>Boxes` (orderedBoxes, confirmedBoxes, assignedBoxes,
shippedBoxes), `boxes` is a list of boxes, a box's code is `boxCode` (`boxCodes`, a list of them). Komet's own
replies keep Komet's documented words (totalBoxes, quantityConfirmed, pieces), as its API sends them.

A field name ending in `?` is there only sometimes (the doc says when)."""

from __future__ import annotations

KOMET_LINE = {
    "poItemId": "the line's id in Komet (what every write names; line: {poItemId: N} refers to it)",
    "productId": "the product's id in the importer's catalogue",
    "productDescription": "the product as the importer names it",
    "boxType": "box type code (FB, HB, QB, EB)",
    "totalBoxes": "boxes ordered (Komet's word)",
    "quantityConfirmed": "boxes the grower confirmed (Komet's word)",
    "lineItemStatus": "P pending · PC partially confirmed · C confirmed · S shipped · X cancelled",
    "unitType": "Stem or Bunch",
    "units": "units per box",
    "bunches": "bunches per box",
    "stemsBunch": "stems per bunch",
    "totalUnits": "units on the line",
    "unitCost": "price per unit",
    "totalCost": "price of the line",
    "markCode": "the customer's mark printed on each box",
    "notes": "the importer's notes",
    "orderType": "P prebook · S standing order · D double",
    "standingOrder": "standing order number, or null",
    "prebook": "prebook number, or null",
    "prebookItemId": "prebook line id (0 when none)",
    "prebookTruckDate": "truck date of the prebook, or null",
    "customerId": "the customer the boxes are for (0 when none)",
    "customerName": "that customer's name, or null",
    "carrierId": "the carrier's id (0 when none)",
    "carrierName": "the carrier, or null",
    "referenceNumber": "the importer's reference, or null",
    "customField1": "the first custom field's value, or null",
    "customFields": "custom fields: [{customFieldId, customFieldValueId, fieldName, value}]",
    "breakdowns": "mixed-box breakdowns: [{productId, productDescription, bunches, stemsBunch, cost}]",
    "boxes?": "the boxes shipped on the line (only once some shipped): [{boxCode, lotNumber, statusId, "
    "statusName, position}]",
}

KOMET_PO = {
    "id": "the PO's id in Komet (po: {id: N} refers to it)",
    "number": 'the PO number people use (po: "NUMBER" refers to it)',
    "shipDate": "the farm's ship date (YYYY-MM-DD)",
    "status": "A approved · PA pending approval · CF confirmed by farm · CA cancelled",
    "vendorId": "the vendor (grower) it is ordered from",
    "vendorName": "that vendor's name",
    "origin": "airport the flowers leave from",
    "locationId": "the importer's warehouse (0 when none)",
    "locationName": "that warehouse's name",
    "totalBoxes": "boxes ordered on all lines (Komet's word)",
    "totalCost": "price of the PO",
    "comments": "the importer's comments",
    "createdOn": "when it was made (the scenario's clock)",
    "updatedOn": "when it last changed",
    "details": "its lines, each as komet.get_line returns it",
}

KOMET_BOX = {
    "boxCode": "the box's code (from its label)",
    "lotNumber": "the lot the grower gave it",
    "poItemId": "the line it shipped on",
    "poNumber": "the PO of that line",
    "product": "the product",
    "vendor": "the grower that shipped it",
    "statusName": "In Transit or Received",
    "position": "rack position where the warehouse put it, or null",
    "houseAWB": "house AWB, or null",
}

ASINFO_LINE = {
    "id": "the line's id in ASINFO",
    "orderId": "its order's id in ASINFO",
    "poItemId": "the line's id in Komet",
    "product": "the product",
    "productId": "the product's id in Komet",
    "boxType": "box type code (FB, HB, QB, EB)",
    "orderedBoxes": "boxes the importer ordered",
    "confirmedBoxes": "boxes the grower confirmed, or null before it confirms",
    "confirmState": "none · pending · sent · accepted · refused: what became of the grower's confirmation",
    "confirmMessage": "why, in words, when the confirmation is not simply accepted (or what changed in Komet)",
    "kometConfirmedBoxes": "boxes Komet shows confirmed (at the last sync or confirmation)",
    "kometStatus": "the line's status in Komet: P, PC, C, S or X",
    "kometStatusText": "that status in words (Partially Confirmed...)",
    "assignedBoxes": "boxes of the line on AWBs (shipped ones included)",
    "shippedBoxes": "boxes of the line Komet has as shipped",
    "bunches": "bunches per box",
    "stemsBunch": "stems per bunch",
    "markCode": "the customer's mark",
    "customerName": "the customer the boxes are for",
    "notes": "the importer's notes",
    "cancelled": "true once the line is cancelled (by the importer, or deleted by the grower)",
    "splitFrom": "for the rest of a line shipped in part: the id of the line it split from, else null",
}

ASINFO_ORDER = {
    "id": "the order's id in ASINFO",
    "number": "the PO number in Komet",
    "kometPoId": "the PO's id in Komet",
    "connectionId": "the importer connection it came through",
    "importer": "the importer's name",
    "shipDate": "the ship date",
    "vendorName": "the grower's name in Komet",
    "origin": "airport the flowers leave from",
    "location": "the importer's warehouse",
    "kometStatus": "the PO's status in Komet (A, PA, CF, CA)",
    "kometStatusText": "that status in words",
    "state": "open · cancelled · missing (Komet no longer lists it), in ASINFO",
    "comments": "the importer's comments",
    "firstSeen": "when a sync first brought it",
    "lastChanged": "when a sync last found it new or changed",
    "orderedBoxes": "boxes ordered on its live lines",
    "confirmedBoxes": "boxes the grower confirmed on its live lines",
    "shippedBoxes": "boxes shipped on its live lines",
    "confirmations": "how many live lines are in each confirmState: {none: 2, accepted: 1}",
    "lines": "its lines, each as asinfo.get_line returns it",
}

ASINFO_AWB = {
    "id": "the AWB's id in ASINFO",
    "number": "the AWB number, prefix-serial-check (729-1234-5675); awb: refers to it",
    "prefix": "the airline's three-digit prefix",
    "airline": "the airline's name",
    "hawb": "house AWB, or null",
    "cargoAgency": "cargo agency, or null",
    "origin": "airport of departure",
    "destination": "airport of arrival",
    "shipDate": "the ship date",
    "connectionId": "the importer connection it ships to",
    "status": "empty · open · partly shipped · shipped",
    "assignedBoxes": "boxes on the AWB (shipped ones included)",
    "shippedBoxes": "boxes of it Komet has as shipped",
    "boxes": "its boxes: [{boxCode, lineId, poItemId, poNumber, product, lotNumber, state, prints}]",
    "boxes[].boxCode": "the box's code (its label's barcode)",
    "boxes[].state": "assigned · queued (on its way to Komet) · shipped",
    "boxes[].prints": "how many times its label was printed (0: never)",
}

SHIPMENT = {
    "id": "the shipment's id",
    "awb": "the AWB number",
    "awbId": "the AWB's id in ASINFO",
    "state": "pending · sent · shipped · partial · refused: where the push to Komet is",
    "attempts": "how many times it was sent to Komet (a reconciliation that found it done is not a send)",
    "lastError": "Komet's last refusal or failure, in words",
    "createdOn": "when the grower shipped",
    "updatedOn": "when it last changed",
    "lines": "one per line: [{poItemId, lineId, boxCodes, lotNumber, state, message, newPOItemId, reconciled}]",
    "lines[].boxCodes": "the box codes sent for that line",
    "lines[].state": "shipped · refused · pending",
    "lines[].newPOItemId": "the rest of a line shipped in part: the new line Komet made, else null",
    "lines[].reconciled": "true when a lost reply was found done in Komet (no second send)",
}

OUTBOX_ITEM = {
    "id": "the write's id",
    "kind": "confirm · delete · ship · box_code",
    "refId": "what it is about (a line, a shipment, a box)",
    "connectionId": "the connection it goes through",
    "payload": "what it sends",
    "state": "pending · done · refused · cancelled",
    "attempts": "how many times it was tried",
    "inDoubt": "true when Komet may have done it but its reply was lost",
    "lastError": "the last failure, in words",
    "nextAttemptOn": "when it will be tried again (backoff on the virtual clock)",
    "createdOn": "when it was queued",
    "updatedOn": "when it last changed",
}

SYNC = {
    "id": "the sync's id",
    "connectionId": "the connection it read",
    "at": "when it ran",
    "trigger": "manual · poll (ASINFO's own schedule)",
    "result": "ok · error",
    "error": "why it failed, in words (empty when ok)",
    "shipDates": "the ship dates it read",
    "counts": "{newOrders, newLines, changed, cancelled, split, missing}",
    "changes": "what changed, one sentence each",
}

CONNECTION = {
    "id": "the connection's id",
    "accountId": "the grower's ASINFO account",
    "name": "the importer's name",
    "kometUrl": "the Komet it talks to",
    "companyId": "the importer's company ID",
    "customerId": "the importer's customer id, or null",
    "token": "the token, shortened (never shown whole)",
    "syncDays": "how many ship dates ahead a sync reads",
    "status": "untested · ok · error",
    "statusMessage": "what the last test or sync said, in words",
    "testedOn": "when it was last tested",
    "lastSyncOn": "when it last synced",
    "background": "whether ASINFO syncs and retries on its own (never inside a scenario)",
    "createdOn": "when it was added",
}

TOKEN = {
    "id": "the token's id (token: N refers to it)",
    "token": "the token itself (what a grower pastes)",
    "type": "Vendor · Company · Customer",
    "vendorId": "the vendor of a Vendor token, else null",
    "customerId": "the customer of a Customer token, else null",
    "companyId": "the importer's company ID",
    "description": "what the importer called it",
    "methods": "the API methods it enables",
    "madeBy": "importer · vendor",
    "madeByUser": "the vendor login that made it, or null",
    "sentOn": "when the vendor sent it to the importer, or null",
    "createdOn": "when it was made",
    "replaced?": "the id of the token it replaced (only when it replaced one: one Vendor token per vendor)",
    "replacedMadeBy?": "who made the replaced token (only when it replaced one)",
}

COMPANY = {
    "companyId": "the company ID a grower connects with",
    "name": "the importer's name",
    "code": "its short code",
    "paidUsers": "paid users (the daily quota is paidUsers × quotaPerUser)",
    "quotaPerUser": "API calls per paid user per day",
    "dailyLimit": "API calls a day",
    "callsToday": "API calls so far today (refused calls do not count, K18)",
    "profile": "documented · strict: how strictly Komet reads the docs",
}

CONFIRMATION = {
    "poItemId": "the line",
    "quantityConfirmed": "boxes confirmed by that confirmation",
    "previous": "what was confirmed before it",
    "at": "when",
    "via": "api · portal",
    "where": "the API, or Komet's vendor portal, in words",
    "who": "the token or login, in words",
    "callerType": "the token's type (Vendor...), or null in the portal",
    "tokenId": "the token's id, or null",
    "tokenMadeBy": "importer · vendor (whose token), or null",
    "login": "the vendor login in the portal, or null",
}

KOMET_AWB = {
    "awbId": "the AWB's id in Komet",
    "awb": "the AWB number",
    "origin": "airport of departure",
    "shipDate": "the ship date",
    "arrivalDate": "the arrival date",
    "pieces": "boxes on the AWB (Komet's word)",
    "piecesReceived": "boxes the warehouse received (Komet's word)",
    "boxesCodes": "the box codes, comma-joined (as awb.list sends them)",
    "locationCode": "the warehouse",
    "status": "1 open · 0 closed (two days after the ship date)",
    "boxes": "its boxes: [{boxCode, lotNumber, poItemId, statusId, statusName, unitCost, carrierName, "
    "carrierCode, truckDate, shipToId, houseAWB}]",
    "boxes[].boxCode": "the box's code (awb.details.list calls it code; the step says boxCode)",
    "boxes[].statusName": "In Transit or Received",
}

FAULT = {
    "id": "the rule's id",
    "kind": "what it does (error, timeout, lost_response, ...)",
    "method": "the Komet API method it applies to, or null",
    "route": "the path it applies to, or null",
    "httpMethod": "GET, POST... or null for any",
    "status": "the HTTP status an error answers",
    "retryAfter": "the Retry-After a rate_limit sends (seconds)",
    "seconds": "how long latency, timeout or late waits",
    "jitter": "random extra latency (seconds, seeded)",
    "times": "how many requests it hits (null: every one)",
    "probability": "the chance it hits a request (seeded)",
    "namespace": "the company or grower account it is limited to",
    "description": "a note",
    "hits": "requests it has hit so far",
}
