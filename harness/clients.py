"""HTTP clients for the two simulators, the same over a socket or in process (a mounted WSGI transport)."""

from __future__ import annotations

from typing import Any

import requests

from simkit.transport import mount

KOMET_GET_METHODS = frozenset({"purchase.order.list", "boxtype.list", "product.list", "vendor.list", "carrier.list",
                               "location.list", "customer.list", "awb.list", "awb.details.list"})


class SimError(AssertionError):
    """A control-plane or importer call that the harness expected to succeed did not."""


class SimClient:
    """The /__sim control plane, identical on both apps."""

    def __init__(self, base_url: str, app=None, namespace: str | None = None, timeout: float = 30.0):
        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()
        self.timeout = timeout
        self.namespace = namespace
        self.correlation: str | None = None
        if app is not None:
            mount(self.session, self.base_url, app)

    def request(self, verb: str, path: str, **kw) -> requests.Response:
        headers = dict(kw.pop("headers", None) or {})
        if self.namespace is not None:
            headers.setdefault("X-Kasim-Namespace", str(self.namespace))
        if self.correlation:
            headers.setdefault("X-Kasim-Correlation", self.correlation)
        kw.setdefault("timeout", self.timeout)
        return self.session.request(verb, self.base_url + path, headers=headers, **kw)

    def json(self, verb: str, path: str, body: Any = None, expect: int | tuple = (200, 201), **kw) -> Any:
        resp = self.request(verb, path, json=body, **kw)
        codes = (expect,) if isinstance(expect, int) else expect
        if resp.status_code not in codes:
            raise SimError(f"{verb} {path} answered {resp.status_code}: {resp.text[:500]}")
        return resp.json()

    def health(self) -> dict:
        return self.json("GET", "/__sim/health")

    def reset(self, namespace: str | None = None) -> dict:
        return self.json("POST", "/__sim/reset", params={"namespace": namespace} if namespace else None)

    def seed(self, **params) -> dict:
        return self.json("POST", "/__sim/seed", params)

    def state(self, namespace: str | None = None) -> dict:
        return self.json("GET", "/__sim/state", params={"namespace": namespace} if namespace else None)

    def put_state(self, state: dict) -> dict:
        return self.json("PUT", "/__sim/state", state)

    def clock(self, **body) -> dict:
        return self.json("POST", "/__sim/clock", body) if body else self.json("GET", "/__sim/clock")

    def add_fault(self, **rule) -> dict:
        return self.json("POST", "/__sim/faults", rule)

    def clear_faults(self) -> dict:
        return self.json("DELETE", "/__sim/faults")

    def journal(self, since: int = 0) -> dict:
        return self.json("GET", "/__sim/journal", params={"since": since})


class KometClient(SimClient):
    """Komet: the documented API as a grower calls it, and the importer's actions under /__sim/komet."""

    def api_response(self, method: str, token: str | None = None, **params) -> requests.Response:
        if token is not None:
            params["authenticationToken"] = token
        if method in KOMET_GET_METHODS:
            return self.request("GET", f"/api/{method}", params=params)
        if method == "login":
            return self.request("POST", f"/api/{method}", params=params)
        return self.request("POST", f"/api/{method}", json=params)

    def api(self, method: str, token: str | None = None, **params) -> dict:
        return self.api_response(method, token, **params).json()

    # importer actions
    def company(self) -> dict:
        return self.json("GET", "/__sim/komet/company")

    def create_token(self, type: str = "Vendor", vendor_id: int | None = None, methods: Any = "asinfo",
                     description: str = "ASINFO integration", customer_id: int | None = None) -> dict:
        body = {"type": type, "description": description, "methods": methods}
        if vendor_id is not None:
            body["vendorId"] = vendor_id
        if customer_id is not None:
            body["customerId"] = customer_id
        return self.json("POST", "/__sim/komet/tokens", body)

    def delete_token(self, token_id: int) -> dict:
        return self.json("DELETE", f"/__sim/komet/tokens/{token_id}")

    def purchase_orders(self, ship_date: str | None = None) -> list[dict]:
        params = {"shipDate": ship_date} if ship_date else None
        return self.json("GET", "/__sim/komet/purchase-orders", params=params)["purchaseOrders"]

    def purchase_order(self, po_id: int) -> dict:
        return self.json("GET", f"/__sim/komet/purchase-orders/{po_id}")

    def create_purchase_order(self, **order) -> dict:
        return self.json("POST", "/__sim/komet/purchase-orders", order)

    def approve(self, po_id: int) -> dict:
        return self.json("POST", f"/__sim/komet/purchase-orders/{po_id}/approve")

    def cancel(self, po_id: int) -> dict:
        return self.json("POST", f"/__sim/komet/purchase-orders/{po_id}/cancel")

    def add_line(self, po_id: int, **line) -> dict:
        return self.json("POST", f"/__sim/komet/purchase-orders/{po_id}/lines", line)

    def change_line(self, item_id: int, **changes) -> dict:
        return self.json("PATCH", f"/__sim/komet/lines/{item_id}", changes)

    def cancel_line(self, item_id: int) -> dict:
        return self.json("DELETE", f"/__sim/komet/lines/{item_id}")

    def receive(self, box_codes: list[str], position: str | None = None) -> dict:
        body: dict = {"boxCodes": box_codes}
        if position:
            body["position"] = position
        return self.json("POST", "/__sim/komet/boxes/receive", body)

    def in_transit(self) -> dict:
        return self.json("GET", "/__sim/komet/in-transit")

    def awbs(self) -> list[dict]:
        return self.json("GET", "/__sim/komet/awbs")["awbs"]
