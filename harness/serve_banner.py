"""What `kasim serve` prints: the banner, kept until both apps answer (printing imports rich, which serving never
needs), with the sign-ins, the token, the walkthrough of one flow and the commands that use the servers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

    from simkit.server import ServerThread


class Banner:
    """What the start-up prints, kept until both apps answer (printing imports rich, which serving never needs)."""

    def __init__(self) -> None:
        self.lines: list[tuple[tuple[Any, ...], dict[str, Any]]] = []

    def print(self, *objects: Any, **options: Any) -> None:
        self.lines.append((objects, options))

    def show(self, console: Console) -> None:
        for objects, options in self.lines:
            console.print(*objects, **options)
        self.lines.clear()


def komet_banner(console, which: str, app, server: ServerThread, made: dict | None) -> None:
    namespaces = app.extensions["kasim.world"].namespaces()
    seeded = partner = None
    if made:
        company, seeded, partner = made["company"], made["seeded"], made["partner"]
    else:
        company = _company(app, server.url, namespaces[0]) if namespaces else None
    console.print(f"[bold]Komet Sales simulator[/]  {addresses(server)}")
    if company:
        users = ", ".join(u["username"] for u in (seeded or {}).get("users", [])[:2]) or "the seeded users"
        console.print(
            f"  importer: {company['name']} · company ID [bold]{company['companyId']}[/] · "
            f"daily API limit {company['dailyLimit']}"
        )
        console.print(f"  portal: {server.url}/login  (sign in as {users}; password komet123)")
    if seeded and partner:
        vendor, login = seeded["vendors"][0], seeded["vendorUsers"][0]["username"]
        console.print(
            f"  vendor portal: sign in as {login} ({vendor['name']}), a vendor of {seeded['companyName']} and "
            f"of a second importer, {partner['companyName']} (company ID {partner['companyId']})"
        )
    elif len(namespaces) > 1:
        console.print(f"  state restored: {len(namespaces)} importer companies", style="dim")
    if which == "komet" and made:  # Komet alone: the user brings the grower
        _your_grower(console, made["yourToken"]["token"], server.url, made["seeded"])


def _company(app, url: str, namespace: str) -> dict:
    """The importer a --state restart serves first, read as a client reads it."""
    from .clients import KometSimClient

    return KometSimClient(url, app=app, namespace=namespace).company()


def _your_grower(console: Banner | Console, token: str, url: str, seeded: dict) -> None:
    """Komet alone: what a grower system of your own needs to connect, as an importer would send it."""
    vendor = seeded["vendors"][0]
    console.print(
        f"""
[bold]Point your grower system at it[/] (vendor {vendor["code"]} · {vendor["name"]}):
  Komet URL   {url}
  token       {token}   (Vendor, the ASINFO preset of methods)
  company ID  {seeded["companyId"]}
Then run your flow, and ask Komet what it thinks of your traffic:
  kasim verdict --komet-url {url}""",
        highlight=False,
    )


def asinfo_banner(console, app: Any, server: ServerThread, komet_url: str, made: dict | None) -> None:
    console.print(f"[bold]ASINFO grower portal[/]   {addresses(server)}")
    if not made:
        if app.extensions["kasim.world"].namespaces():
            console.print("  state restored: accounts and connections as they were", style="dim")
        else:  # a --state folder that held Komet's state only: its importers are served as they were
            console.print(
                "  no grower account yet: seed one (POST /__sim/seed) or connect one", style="yellow"
            )
        return
    seeded, grower = made["seeded"], made["grower"]
    vendor, account = grower["vendor"], grower["account"]
    console.print(
        f"  grower: {account['account']['name']} (vendor {vendor['code']}), connected to company "
        f"{seeded['companyId']} with a Vendor token made with the ASINFO preset"
    )
    _walkthrough(console, komet_url, server.url, grower["token"]["token"], seeded)


def addresses(server: ServerThread) -> str:
    """Where the server is reached: this machine's URL, and the network's when it listens on every interface."""
    return " · ".join(server.urls)


def warn_public(console: Console, servers: list[ServerThread]) -> None:
    console.print(
        f"\n[bold]Warning:[/] listening on {servers[0].host or 'every interface'}: anyone who can reach this "
        "machine can use the control plane (/__sim: reset the world, read its state with every token and "
        "password, inject faults) and ASINFO's API (no sign-in). Serve on 127.0.0.1 unless the network is "
        "yours.",
        style="yellow",
        highlight=False,
    )


def _walkthrough(
    console: Banner | Console, komet_url: str, asinfo_url: str, token: str, seeded: dict
) -> None:
    day = seeded["shipDates"][0] if seeded.get("shipDates") else "YYYY-MM-DD"
    vendor_login = (seeded.get("vendorUsers") or [{"username": "the vendor's login"}])[0]["username"]
    console.print(
        f"""
[bold]Two browser tabs, one flow[/]
  1. Komet  {komet_url}/login — Purchase Orders: the Approved POs of the coming ship dates;
     Setup › Settings › Tokens: the Vendor token ASINFO holds; My Profile: the company ID.
  2. ASINFO {asinfo_url}/orders — already synced; open a PO, confirm boxes (all, some or none),
     AWBs › New AWB, add the confirmed boxes, Labels (PDF preview, ZPL), Ship to Komet.
  3. Komet  {komet_url}/in-transit — the boxes under that AWB; Receive them at the warehouse.
  4. Komet  {komet_url}/login as the grower, {vendor_login} — Purchase Orders › Confirm POs: the
     vendor's own view, confirming in Komet instead of ASINFO (sign out of the importer first).
[bold]The API, as a grower calls it[/]
  curl '{komet_url}/api/purchase.order.list?authenticationToken={token}&date={day}'
[bold]Control plane[/] (both apps): /__sim/health · /__sim/state · /__sim/clock · /__sim/faults · /__sim/journal
[bold]Scenarios against these servers[/]
  kasim run --komet-url {komet_url} --asinfo-url {asinfo_url}""",
        highlight=False,
    )
