"""Does komet_sim take an imported world? Loaded into a throwaway world before anything is written."""

from __future__ import annotations

from simkit.errors import BadInput


def loads(snapshot: dict) -> str | None:
    """None when a fresh komet_sim world takes the snapshot, else why not."""
    from komet_sim.domain.world import KometWorld

    world = KometWorld()
    try:
        world.import_state(snapshot)
    except BadInput as exc:
        return exc.message
    finally:
        world.store.close()
    return None
