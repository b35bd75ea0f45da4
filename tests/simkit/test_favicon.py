"""/favicon.ico: both apps serve their own icon (a browser asks for it on every page; it was a 404)."""

from __future__ import annotations

from asinfo_sim import create_app as create_asinfo
from komet_sim import create_app as create_komet


def test_both_apps_serve_their_own_favicon():
    icons = []
    for create in (create_komet, create_asinfo):
        reply = create({"seed": 1}).test_client().get("/favicon.ico")
        assert reply.status_code == 200 and reply.mimetype in ("image/vnd.microsoft.icon", "image/x-icon")
        assert reply.data[:4] == b"\x00\x00\x01\x00"  # an ICO file's header
        icons.append(reply.data)
    assert icons[0] != icons[1]
