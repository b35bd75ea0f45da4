"""The floor under `kasim serve`'s start-up: a Flask app with one route, started the way kasim starts its apps
(Werkzeug's development server left unimported, simkit.server's ServerThread), serving a file's bytes at the
route the start-up bench asks. It imports nothing else, so its spawn-to-ready is what Flask and the server cost
before kasim does anything of its own.

    python bench/_flask_floor.py BODY_FILE PORT ROUTE     # with the tree measured on PYTHONPATH
"""

import sys

from harness.serve_imports import defer_werkzeug_serving

defer_werkzeug_serving()  # as harness/cli does for `kasim serve`, before Flask is imported

from pathlib import Path  # noqa: E402

from flask import Flask, Response  # noqa: E402

from simkit.server import ServerThread  # noqa: E402


def main(body_file: str, port: int, route: str) -> None:
    body = Path(body_file).read_bytes()
    app = Flask("floor")

    @app.get(route)
    def po_list() -> Response:
        return Response(body, mimetype="application/json")

    server = ServerThread(app, port=port).start()
    server.run_until_interrupted()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3])
