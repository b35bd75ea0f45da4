"""The ASINFO grower portal simulator: a Komet API client, the grower's portal, its JSON API, /__sim."""


def __getattr__(name: str):
    """create_app and build_world load the Flask app on first use: importing a submodule (awb_numbers, labels)
    stays cheap for tools that need only that (kasim validate)."""
    if name in ("create_app", "build_world"):
        from . import app

        return getattr(app, name)
    raise AttributeError(name)


__all__ = ["build_world", "create_app"]
