"""Every message the Komet simulator puts on the wire, in one table (K3).

The Komet docs publish only a few texts ("OK", "success", "Box code does not exist", the batch summary,
the e-commerce checkout refusal); the others are ours, fixed and readable, and each names what is wrong.
"""

MESSAGES: dict[str, str] = {
    # successes
    "ok": "OK",
    "success": "success",
    # an empty list (docs/decisions.md K21): "Orders not found." is the documented pattern
    "orders_not_found": "Orders not found.",
    "products_not_found": "Products not found.",
    "boxtypes_not_found": "Boxtype not found.",
    "vendors_not_found": "Vendors not found.",
    "carriers_not_found": "Carriers not found.",
    "locations_not_found": "Locations not found.",
    "customers_not_found": "Customers not found.",
    "awbs_not_found": "AWBs not found.",
    "po_created": "Purchase order was successfully created.",
    "boxes_summary": "{ok} boxes were successfully updated. {failed} boxes could not be updated",
    "items_summary": "{ok} items were successfully added to the AWB. {failed} items could not be added",
    # transport and envelope
    "method_not_found": "Method not found.",
    "not_simulated": "{method} exists in Komet but is not simulated by kasim.",
    "wrong_verb": "Method {method} must be called with HTTP {verb}.",
    "malformed_json": "Malformed JSON in the request body.",
    "body_not_object": "The request body must be a JSON object.",
    "request_too_large": "Request size exceeds the maximum of 64 KB.",
    # authentication and authorisation
    "invalid_token": "Invalid authentication token.",
    "method_not_enabled": "The method {method} is not enabled for this token.",
    "token_type_refused": "The method {method} cannot be used with a {type} token.",
    "daily_limit": "Daily API request limit reached ({limit} requests per day for this company). "
    "Try again tomorrow.",
    "login_failed": "Invalid username or password.",
    # parameters
    "missing_param": "Missing required parameter: {name}.",
    "unknown_param": "Unknown parameter: {name}.",
    "invalid_param": "Invalid value for parameter {name}: {reason}.",
    "date_or_number": "Either date or number is required.",
    "awb_or_ship_date": "Either awb or shipDate is required.",
    "future_span": "futureInventoryAvailableFrom and futureInventoryAvailableTo can be at most 4 days apart.",
    "vendor_required": "vendorId is required when using a Company token.",
    "vendor_id_or_code": "Use vendorId or vendorCode, not both.",
    # not found (also what a Vendor token gets for another vendor's ids: it must not learn they exist)
    "item_not_found": "Purchase order item {id} does not exist.",
    "po_not_found": "Purchase order {number} does not exist.",
    "vendor_not_found": "Vendor {ref} does not exist.",
    "product_not_found": "Product {ref} does not exist.",
    "boxtype_not_found": "Box type {ref} does not exist.",
    "customer_not_found": "Customer {ref} does not exist.",
    "carrier_not_found": "Carrier {ref} does not exist.",
    "location_not_found": "Location {ref} does not exist.",
    "prebook_item_not_found": "Prebook item {ref} does not exist.",
    "box_not_found": "Box code does not exist",
    # business rules
    "over_confirm": "quantityConfirmed ({quantity}) cannot be greater than the boxes ordered on "
    "purchase order item {id} ({ordered}).",
    "confirm_shipped": "Purchase order item {id} has already been shipped and cannot be confirmed.",
    "confirm_cancelled": "Purchase order item {id} is cancelled and cannot be confirmed.",
    "ecommerce_pending": "This product cannot be confirmed until the final e-commerce customer completes "
    "the checkout. Please try again in 60 minutes.",
    "not_confirmed": "Purchase order item {id} is not confirmed: only confirmed items can be added to an AWB.",
    "already_shipped": "Purchase order item {id} has already been shipped.",
    "item_cancelled": "Purchase order item {id} is cancelled.",
    "too_many_boxes": "Cannot ship {boxes} boxes on purchase order item {id}: only {confirmed} are confirmed.",
    "no_boxes": "Purchase order item {id} has no boxes to ship.",
    "box_code_exists": "Box code already exists",
    "box_code_repeated": "Box code {code} appears more than once in the request.",
    "lot_in_komet_range": "Lot number {lot} is inside the range Komet reserves for its own lot numbers "
    "(1000-99999).",
    "product_unknown": "Product '{product}' is UNKNOWN in this company: map it before adding it to an AWB.",
    "awb_closed": "AWB {awb} is closed: AWBs close two days after their ship date.",
    "awb_ship_date": "AWB {awb} already exists with ship date {existing}, not {given}.",
    # what a Vendor token is told of an AWB only other vendors' boxes are on: not its date
    "awb_ship_date_other": "AWB {awb} already exists with another ship date, not {given}.",
    "box_code_ambiguous": "Box code {code} is on boxes of more than one vendor: use a Vendor token.",
    "delete_shipped": "Purchase order item {id} has been shipped and cannot be deleted.",
    "already_cancelled": "Purchase order item {id} is already cancelled.",
    "po_cancelled": "Purchase order {number} is cancelled.",
    "box_already_received": "Box {code} has already been received.",
}


def text(key: str, **values: object) -> str:
    return MESSAGES[key].format(**values)
