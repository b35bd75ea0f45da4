"""How each Komet method is called: its HTTP verb, and the POSTs that take their parameters in the URL.

Generated from komet_sim's method table by `python -m komet_sim.copies`; do not edit by hand. ASINFO
does not import the Komet simulator (it can talk to a real Komet); tests/contract fails when this copy
and the table disagree.
"""

VERBS: dict[str, str] = {
    "login": "POST",
    "purchase.order.list": "GET",
    "purchase.order.item.confirm": "POST",
    "purchase.order.item.awb.add": "POST",
    "purchase.order.items.awb.add": "POST",
    "purchase.order.item.delete": "POST",
    "purchase.order.create": "POST",
    "box.code.change": "POST",
    "boxtype.list": "GET",
    "product.list": "GET",
    "carrier.list": "GET",
    "customer.list": "GET",
    "vendor.list": "GET",
    "location.list": "GET",
    "awb.list": "GET",
    "awb.details.list": "GET",
    "box.warehouse.receive": "POST",
}
QUERY_POSTS: frozenset[str] = frozenset({"login"})
GET_METHODS: frozenset[str] = frozenset(name for name, verb in VERBS.items() if verb == "GET")
