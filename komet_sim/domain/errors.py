"""One error class per documented failure, each carrying its wire message (K3).

Every one answers HTTP 200 with {"status": "0", "message": ...}, except the transport-level ones
that carry their own HTTP status (unknown method 404, wrong verb 405).
"""

from __future__ import annotations

from simkit.params import ParamError

from ..messages import text


class KometError(Exception):
    key = "invalid_param"
    http_status = 200  # of the API's envelope
    # What kind of refusal, for our JSON routes and pages (simkit.errors.HTTP_STATUS): not_found, invalid or
    # refused (the state does not allow it).
    code = "refused"

    def __init__(self, field: str | None = None, **values: object):
        self.field = field  # the parameter at fault, when one is (for our JSON and portal layers)
        self.values = values
        self.message = text(self.key, **values)
        super().__init__(self.message)


def _error(name: str, key: str, http_status: int = 200, code: str = "refused") -> type[KometError]:
    return type(name, (KometError,), {"key": key, "http_status": http_status, "code": code})


MethodNotFound = _error("MethodNotFound", "method_not_found", 404)
WrongVerb = _error("WrongVerb", "wrong_verb", 405)
NotSimulated = _error("NotSimulated", "not_simulated")
MalformedJson = _error("MalformedJson", "malformed_json", code="invalid")
BodyNotObject = _error("BodyNotObject", "body_not_object", code="invalid")
RequestTooLarge = _error("RequestTooLarge", "request_too_large", code="invalid")
InvalidToken = _error("InvalidToken", "invalid_token")
MethodNotEnabled = _error("MethodNotEnabled", "method_not_enabled")
TokenTypeRefused = _error("TokenTypeRefused", "token_type_refused")
DailyLimit = _error("DailyLimit", "daily_limit")
LoginFailed = _error("LoginFailed", "login_failed")
MissingParam = _error("MissingParam", "missing_param", code="invalid")
UnknownParam = _error("UnknownParam", "unknown_param", code="invalid")
InvalidParam = _error("InvalidParam", "invalid_param", code="invalid")
DateOrNumber = _error("DateOrNumber", "date_or_number", code="invalid")
AwbOrShipDate = _error("AwbOrShipDate", "awb_or_ship_date", code="invalid")
FutureSpan = _error("FutureSpan", "future_span", code="invalid")
VendorRequired = _error("VendorRequired", "vendor_required", code="invalid")
VendorIdOrCode = _error("VendorIdOrCode", "vendor_id_or_code", code="invalid")
ItemNotFound = _error("ItemNotFound", "item_not_found", code="not_found")
PurchaseOrderNotFound = _error("PurchaseOrderNotFound", "po_not_found", code="not_found")
VendorNotFound = _error("VendorNotFound", "vendor_not_found", code="not_found")
ProductNotFound = _error("ProductNotFound", "product_not_found", code="not_found")
BoxTypeNotFound = _error("BoxTypeNotFound", "boxtype_not_found", code="not_found")
CustomerNotFound = _error("CustomerNotFound", "customer_not_found", code="not_found")
CarrierNotFound = _error("CarrierNotFound", "carrier_not_found", code="not_found")
LocationNotFound = _error("LocationNotFound", "location_not_found", code="not_found")
PrebookItemNotFound = _error("PrebookItemNotFound", "prebook_item_not_found", code="not_found")
BoxNotFound = _error("BoxNotFound", "box_not_found", code="not_found")
OverConfirm = _error("OverConfirm", "over_confirm")
ConfirmShipped = _error("ConfirmShipped", "confirm_shipped")
ConfirmCancelled = _error("ConfirmCancelled", "confirm_cancelled")
EcommercePending = _error("EcommercePending", "ecommerce_pending")
NotConfirmed = _error("NotConfirmed", "not_confirmed")
AlreadyShipped = _error("AlreadyShipped", "already_shipped")
ItemCancelled = _error("ItemCancelled", "item_cancelled")
TooManyBoxes = _error("TooManyBoxes", "too_many_boxes")
NoBoxes = _error("NoBoxes", "no_boxes")
BoxCodeExists = _error("BoxCodeExists", "box_code_exists")
BoxCodeRepeated = _error("BoxCodeRepeated", "box_code_repeated")
LotInKometRange = _error("LotInKometRange", "lot_in_komet_range")
ProductUnknown = _error("ProductUnknown", "product_unknown")
AwbClosed = _error("AwbClosed", "awb_closed")
AwbShipDate = _error("AwbShipDate", "awb_ship_date")
AwbShipDateOther = _error("AwbShipDateOther", "awb_ship_date_other")
BoxCodeAmbiguous = _error("BoxCodeAmbiguous", "box_code_ambiguous")
DeleteShipped = _error("DeleteShipped", "delete_shipped")
AlreadyCancelled = _error("AlreadyCancelled", "already_cancelled")
PurchaseOrderCancelled = _error("PurchaseOrderCancelled", "po_cancelled")
BoxAlreadyReceived = _error("BoxAlreadyReceived", "box_already_received")


def from_param_error(exc: ParamError) -> KometError:
    """simkit's parameter refusal in Komet's words (the documented messages, naming the parameter)."""
    if exc.problem == "missing":
        return MissingParam(field=exc.field, name=exc.field)
    if exc.problem == "unknown":  # an undocumented parameter is refused, never ignored (K17)
        return UnknownParam(field=exc.field, name=exc.field)
    return InvalidParam(field=exc.field, name=exc.field, reason=exc.reason)
