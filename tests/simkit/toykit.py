"""A toy simulator built on simkit alone (no Komet, no ASINFO): a world with one table, an API route that
writes to it, the control plane and the middleware, so the plumbing is tested on its own."""

from __future__ import annotations

from flask import Flask, jsonify, request

from simkit.control_plane import control_blueprint
from simkit.middleware import SimMiddleware
from simkit.world import World

TOY_URL = "http://toy.test"


class ToyWorld(World):
    name = "toy"
    schema = """
    CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS sequences (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, namespace TEXT NOT NULL, text TEXT NOT NULL);
    """

    def seed_world(self, params: dict) -> dict:
        self.set_seed(int(params.get("seed", self.seed)))
        with self.store.tx() as c:
            for ns in ("a", "b"):
                c.execute("INSERT INTO notes(namespace, text) VALUES (?, ?)", (ns, f"hello {ns}"))
        return {"seed": self.seed}

    def namespaces(self) -> list[str]:
        return [
            r["namespace"] for r in self.store.all("SELECT DISTINCT namespace FROM notes ORDER BY namespace")
        ]

    def resolve(self, environ: dict, body: bytes):
        path = environ.get("PATH_INFO", "")
        return (path.rsplit("/", 1)[-1] if path.startswith("/api/") else None), environ.get(
            "HTTP_X_KASIM_NAMESPACE"
        )


def make_toy(seed: int = 1) -> Flask:
    """The toy app, seeded: one note in namespace "a" and one in "b"."""
    world = ToyWorld(seed=seed)
    world.seed_world({})
    app = Flask("toy")
    app.extensions["kasim.world"] = world
    app.register_blueprint(control_blueprint())

    @app.post("/api/note")
    def add_note():
        body = request.get_json(silent=True) or {}
        ns = request.headers.get("X-Kasim-Namespace", "a")
        request.environ["kasim.namespace"] = ns
        with world.store.tx() as c:
            c.execute("INSERT INTO notes(namespace, text) VALUES (?, ?)", (ns, str(body.get("text", ""))))
            count = c.execute("SELECT COUNT(*) FROM notes").fetchone()[0]
        return jsonify({"count": count, "authToken": body.get("authToken")})

    @app.get("/api/notes")
    def notes():
        return jsonify({"count": world.store.one("SELECT COUNT(*) AS n FROM notes")["n"]})

    app.wsgi_app = SimMiddleware(app.wsgi_app, world)  # type: ignore[method-assign]  # Flask's way to wrap
    return app


def notes(world) -> int:
    return world.store.one("SELECT COUNT(*) AS n FROM notes")["n"]
