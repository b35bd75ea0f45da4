"""The Komet Sales simulator: the documented API, the importer's portal, and the /__sim control plane."""


def __getattr__(name: str):
    """create_app and build_world load the Flask app on first use: importing a submodule (awb_numbers, labels)
    stays cheap for tools that need only that (kasim validate)."""
    if name in ("create_app", "build_world"):
        from . import app

        return getattr(app, name)
    raise AttributeError(name)


__all__ = ["build_world", "create_app"]
