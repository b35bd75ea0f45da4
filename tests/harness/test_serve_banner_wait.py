"""kasim serve prints its banner once both servers have answered their first clients (importing rich and printing
would compete with them): it waits for both to be quiet (simkit.server.ServerThread.wait_quiet), then prints."""

from __future__ import annotations

from types import SimpleNamespace

from simkit.server import ServerThread


def test_kasim_serve_prints_its_banner_once_both_servers_are_quiet(monkeypatch):
    from asinfo_sim.worker import Worker
    from harness import serve_banner
    from harness.cli import build_parser, serve

    seen: list[tuple] = []

    def wait_quiet(self, quiet, at_most):
        seen.append(("quiet", self.alive))
        return True

    def stop_serving(_seconds):
        raise KeyboardInterrupt  # the serve loop's first wait: as Ctrl+C would

    monkeypatch.setattr(ServerThread, "wait_quiet", wait_quiet)
    monkeypatch.setattr(serve_banner.Banner, "show", lambda self, console: seen.append(("banner",)))
    monkeypatch.setattr(serve, "time", SimpleNamespace(sleep=stop_serving))
    workers: list[Worker] = []
    monkeypatch.setattr(Worker, "start", lambda self: workers.append(self) or self)  # no background thread
    argv = ["serve", "--poll", "0", "--komet-port", "0", "--asinfo-port", "0"]
    args = build_parser(argv).parse_args(argv)
    assert serve.run(args, serve_banner.Banner()) == 0
    assert len(workers) == 1
    assert seen == [
        ("quiet", True),
        ("quiet", True),
        ("banner",),
    ]  # both serving, both waited for, then printed
