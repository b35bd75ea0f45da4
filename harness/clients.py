"""HTTP clients for the two simulators, the same over a socket or in process (a mounted WSGI transport).
They are the only way the harness reaches either app: steps, invariants, the engine and the topologies call
their methods and never name a path."""

from __future__ import annotations

from typing import Any

import requests

from komet_sim.methods import GET_METHODS as KOMET_GET_METHODS
from simkit import transport
from simkit.transport import mount


class SimError(Exception):
    """A control-plane, importer or ASINFO call answered with a refusal or an error status (not a failed check:
    a step turns it into a refusal it may expect, the engine into a failure naming the call)."""

    def __init__(self, message: str, status: int | None = None, body: Any = None):
        super().__init__(message)
        self.status = status
        self.body = body  # the parsed JSON answer when there is one, else the text

    @property
    def app_message(self) -> str:
        """The app's own words: {"error": {"message"}} (ASINFO, importer actions) or Komet's "message"."""
        if isinstance(self.body, dict):
            err = self.body.get("error")
            if isinstance(err, dict) and err.get("message"):
                return str(err["message"])
            if self.body.get("message"):
                return str(self.body["message"])
        return str(self)


class SimClient:
    """The /__sim control plane, identical on both apps."""

    def __init__(self, base_url: str, app=None, namespace: str | None = None, timeout: float = 30.0):
        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()
        self.session.headers["User-Agent"] = "kasim-harness/0.1"
        self.timeout = timeout
        self.namespace = namespace
        self.correlation: str | None = None
        self.lookup = False  # reads the harness makes to resolve references: journaled, not drawn
        if app is not None:
            mount(self.session, self.base_url, app)

    def request(self, verb: str, path: str, **kw) -> requests.Response:
        headers = dict(kw.pop("headers", None) or {})
        if self.namespace is not None:
            headers.setdefault("X-Kasim-Namespace", str(self.namespace))
        if self.correlation:
            headers.setdefault("X-Kasim-Correlation", self.correlation)
        if self.lookup:
            headers.setdefault("X-Kasim-Lookup", "1")
        kw.setdefault("timeout", self.timeout)
        return transport.request(self.session, verb, self.base_url + path, headers=headers, **kw)

    def json(self, verb: str, path: str, body: Any = None, expect: int | tuple = (200, 201), **kw) -> Any:
        resp = self.request(verb, path, json=body, **kw)
        codes = (expect,) if isinstance(expect, int) else expect
        if resp.status_code not in codes:
            try:
                body = resp.json()
            except ValueError:
                body = resp.text
            raise SimError(
                f"{verb} {path} answered {resp.status_code}: {resp.text[:500]}", resp.status_code, body
            )
        return resp.json()

    def health(self) -> dict:
        return self.json("GET", "/__sim/health")

    _MINE = object()

    def _ns(self, namespace) -> dict | None:
        """The control plane acts on a namespace only when told with ?namespace=; a client scoped to one
        (self.namespace) says so by default. Pass namespace=None for the whole world."""
        ns = self.namespace if namespace is self._MINE else namespace
        return {"namespace": ns} if ns else None

    def reset(self, namespace=_MINE) -> dict:
        return self.json("POST", "/__sim/reset", params=self._ns(namespace))

    def seed(self, **params) -> dict:
        return self.json("POST", "/__sim/seed", params)

    def state(self, namespace=_MINE) -> dict:
        return self.json("GET", "/__sim/state", params=self._ns(namespace))

    def state_if_changed(self, tag: str | None, namespace=_MINE) -> tuple[str | None, dict | None]:
        """(tag, snapshot) of one namespace; the snapshot is None when it is still the one `tag` names (the app
        answered 304 to If-None-Match). The tag is None from an app that gives none."""
        headers = {"If-None-Match": tag} if tag else None
        resp = self.request("GET", "/__sim/state", params=self._ns(namespace), headers=headers)
        if resp.status_code == 304 and tag:
            return tag, None
        if resp.status_code != 200:
            raise SimError(
                f"GET /__sim/state answered {resp.status_code}: {resp.text[:500]}", resp.status_code
            )
        return resp.headers.get("ETag"), resp.json()

    def put_state(self, state: dict) -> dict:
        return self.json("PUT", "/__sim/state", state)

    def clock(self, namespace: str | None = None, **body) -> dict:
        """Read the clock, or move it (advance=, set=, running=); namespace= moves (or reads) one namespace's
        time only."""
        params = self._ns(namespace)
        if body:
            return self.json("POST", "/__sim/clock", body, params=params)
        return self.json("GET", "/__sim/clock", params=params)

    def add_fault(self, **rule) -> dict:
        return self.json("POST", "/__sim/faults", rule)

    def faults(self) -> dict:
        """The fault rules, and the requests a late or hold fault keeps (held)."""
        return self.json("GET", "/__sim/faults")

    def release_held(self, namespace: str | None = None) -> dict:
        """Let the requests a late or hold fault keeps go (of one namespace, or all)."""
        return self.json("POST", "/__sim/faults/release", params=self._ns(namespace))

    def remove_fault(self, rule_id: int) -> dict:
        """One fault rule, by its id (one a scenario added and no longer wants, spent or not)."""
        return self.json("DELETE", "/__sim/faults", params={"id": rule_id})

    def clear_faults(self, namespace: str | None = None) -> dict:
        """Clear fault rules: every rule by default (add_fault does not scope them), or one namespace's."""
        return self.json("DELETE", "/__sim/faults", params=self._ns(namespace))

    def journal(self, since: int = 0, namespace=_MINE) -> dict:
        return self.json("GET", "/__sim/journal", params={"since": since, **(self._ns(namespace) or {})})

    def journal_entries(self, namespace: str | None = None) -> list[dict]:
        """Every journal entry, of one namespace or (None) of the whole app."""
        return self.json("GET", "/__sim/journal", params=self._ns(namespace))["entries"]


class KometSimClient(SimClient):
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

    def update_company(self, **settings) -> dict:
        return self.json("PATCH", "/__sim/komet/company", settings)

    def products(self) -> list[dict]:
        """The importer's own catalogue (no API quota, no token)."""
        return self.json("GET", "/__sim/komet/products")["products"]

    def map_product(self, product_id: int, unknown: bool) -> dict:
        return self.json("PATCH", f"/__sim/komet/products/{product_id}", {"unknown": unknown})

    def create_token(
        self,
        type: str = "Vendor",
        vendor_id: int | None = None,
        methods: Any = "asinfo",
        description: str = "ASINFO integration",
        customer_id: int | None = None,
    ) -> dict:
        body = {"type": type, "description": description, "methods": methods}
        if vendor_id is not None:
            body["vendorId"] = vendor_id
        if customer_id is not None:
            body["customerId"] = customer_id
        return self.json("POST", "/__sim/komet/tokens", body)

    def delete_token(self, token_id: int) -> dict:
        return self.json("DELETE", f"/__sim/komet/tokens/{token_id}")

    def tokens(self) -> list[dict]:
        """The importer's Tokens list (who made each: the importer or the vendor)."""
        return self.json("GET", "/__sim/komet/tokens")["tokens"]

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

    def verdict(self, since: int | str = 0, namespace: str | None = None, **config) -> dict:
        """The protocol verdict on the clients' traffic after a journal position or from a time on (config:
        pollInterval, pollBurst)."""
        params = {"since": since, **config, **({"namespace": namespace} if namespace else {})}
        return self.json("GET", "/__sim/komet/verdict", params=params)

    def in_transit(self) -> dict:
        return self.json("GET", "/__sim/komet/in-transit")

    def awbs(self) -> list[dict]:
        return self.json("GET", "/__sim/komet/awbs")["awbs"]

    def line_confirmations(self, item_id: int) -> list[dict]:
        """Who confirmed one of the importer's lines, and where (portal or API), oldest first."""
        return self.json("GET", f"/__sim/komet/lines/{item_id}/confirmations")["confirmations"]

    # the vendor's actions in Komet's vendor portal, as its login at this client's importer
    def vendor_login(self, vendor_id: int) -> dict:
        return self.json("GET", f"/__sim/komet/vendors/{vendor_id}/login")

    def vendor_tokens(self, vendor_id: int) -> list[dict]:
        return self.json("GET", f"/__sim/komet/vendors/{vendor_id}/tokens")["tokens"]

    def vendor_create_token(self, vendor_id: int, description: str, methods: Any = "asinfo") -> dict:
        body = {"description": description, "methods": methods}
        return self.json("POST", f"/__sim/komet/vendors/{vendor_id}/tokens", body)

    def vendor_send_token(self, vendor_id: int, token_id: int) -> dict:
        return self.json("POST", f"/__sim/komet/vendors/{vendor_id}/tokens/{token_id}/send")

    def vendor_revoke_token(self, vendor_id: int, token_id: int) -> dict:
        return self.json("DELETE", f"/__sim/komet/vendors/{vendor_id}/tokens/{token_id}")

    def vendor_purchase_orders(self, vendor_id: int, **search) -> list[dict]:
        """Confirm POs: what a search (shipDate, number, status) finds for the vendor."""
        return self.json("GET", f"/__sim/komet/vendors/{vendor_id}/purchase-orders", params=search or None)[
            "purchaseOrders"
        ]

    def vendor_confirm(self, vendor_id: int, item_id: int, boxes: int) -> dict:
        return self.json(
            "POST", f"/__sim/komet/vendors/{vendor_id}/lines/{item_id}/confirm", {"boxes": boxes}
        )

    def vendor_confirm_shipments(self, vendor_id: int, **search) -> dict:
        return self.json("POST", f"/__sim/komet/vendors/{vendor_id}/confirm-shipments", search)


class AsinfoSimClient(SimClient):
    """ASINFO: the grower portal's JSON API."""

    def connections(self) -> list[dict]:
        return self.json("GET", "/api/connections")["connections"]

    def connect(
        self,
        komet_url: str,
        token: str,
        company_id: int,
        name: str = "Importer",
        customer_id: str | None = None,
        sync_days: int | None = None,
        background: bool | None = None,
    ) -> dict:
        """background=False: the connection syncs and retries only when told (a scenario's steps say when)."""
        body: dict = {"name": name, "kometUrl": komet_url, "token": token, "companyId": company_id}
        if customer_id is not None:
            body["customerId"] = customer_id
        if sync_days is not None:
            body["syncDays"] = sync_days
        if background is not None:
            body["background"] = background
        return self.json("POST", "/api/connections", body)

    def update_connection(self, connection_id: int, **changes) -> dict:
        return self.json("PATCH", f"/api/connections/{connection_id}", changes)

    def test_connection(self, connection_id: int) -> dict:
        return self.json("POST", f"/api/connections/{connection_id}/test")

    def sync(self, connection_id: int | None = None, expect=(200,)) -> dict:
        path = f"/api/connections/{connection_id}/sync" if connection_id else "/api/sync"
        return self.json("POST", path, expect=expect)

    def orders(self, ship_date: str | None = None) -> list[dict]:
        return self.json("GET", "/api/orders", params={"shipDate": ship_date} if ship_date else None)[
            "orders"
        ]

    def order(self, order_id: int) -> dict:
        return self.json("GET", f"/api/orders/{order_id}")

    def confirm_line(self, line_id: int, boxes: int) -> dict:
        return self.json("POST", f"/api/lines/{line_id}/confirmation", {"boxes": boxes})

    def confirm_order(self, order_id: int, boxes="all") -> dict:
        body = {"lines": boxes} if isinstance(boxes, list) else {"boxes": boxes}
        return self.json("POST", f"/api/orders/{order_id}/confirmation", body)

    def delete_line(self, line_id: int) -> dict:
        return self.json("DELETE", f"/api/lines/{line_id}")

    def awbs(self) -> list[dict]:
        return self.json("GET", "/api/awbs")["awbs"]

    def awb(self, awb_id: int) -> dict:
        return self.json("GET", f"/api/awbs/{awb_id}")

    def create_awb(
        self,
        connection_id: int,
        ship_date: str,
        airline: str | None = "729",
        number: str | None = None,
        **extra,
    ) -> dict:
        body = {"connectionId": connection_id, "shipDate": ship_date, **extra}
        body.update({"number": number} if number else {"airline": airline})
        return self.json("POST", "/api/awbs", body)

    def assign(self, awb_id: int, lines: list[tuple[int, int]]) -> dict:
        return self.json(
            "POST", f"/api/awbs/{awb_id}/boxes", {"lines": [{"lineId": lid, "boxes": n} for lid, n in lines]}
        )

    def assign_order(self, awb_id: int, order_id: int) -> dict:
        """Every confirmed box of an order not yet on an AWB."""
        return self.json("POST", f"/api/awbs/{awb_id}/boxes", {"orderId": order_id})

    def unassign(self, awb_id: int, box_code: str) -> dict:
        return self.json("DELETE", f"/api/awbs/{awb_id}/boxes/{box_code}")

    def relabel(self, box_code: str, new_code: str) -> dict:
        return self.json("POST", f"/api/boxes/{box_code}/relabel", {"newCode": new_code})

    def update_account(self, **settings) -> dict:
        return self.json("PATCH", "/api/account", settings)

    def print_labels(self, fmt: str = "pdf", **selection) -> bytes:
        resp = self.request("POST", "/api/print-jobs", json={**selection, "format": fmt})
        if resp.status_code != 200:
            raise SimError(
                f"printing answered {resp.status_code}: {resp.text[:300]}",
                resp.status_code,
                resp.json()
                if resp.headers.get("Content-Type", "").startswith("application/json")
                else resp.text,
            )
        return resp.content

    def ship(self, awb_id: int) -> dict:
        return self.json("POST", f"/api/awbs/{awb_id}/shipment", expect=(201, 202))

    def run_outbox(self, everything: bool = True) -> dict:
        return self.json("POST", "/api/outbox/run", {"all": everything})

    def outbox(self, state: str | None = None) -> list[dict]:
        return self.json("GET", "/api/outbox", params={"state": state} if state else None)["items"]

    def cancel_outbox(self, item_id: int) -> dict:
        return self.json("DELETE", f"/api/outbox/{item_id}")

    def label_preview(self, fmt: str = "zpl", **selection) -> requests.Response:
        """What a print would render, not counted as printed (the checks read labels back with it)."""
        return self.request("GET", "/api/labels", params={"format": fmt, **selection})

    def sync_log(self) -> list[dict]:
        return self.json("GET", "/api/sync-log")["entries"]

    def shipments(self) -> list[dict]:
        return self.json("GET", "/api/shipments")["shipments"]
