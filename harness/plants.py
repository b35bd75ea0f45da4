"""The planted bugs of both simulators, as one registry: name, side, one sentence. Each simulator owns its
own list (komet_sim/plants.py, asinfo_sim/plants.py); this only reads them, so a new plant appears in
`kasim plants`, `kasim run --plant`, `kasim explore --plant` and the scenario schema at once."""

from __future__ import annotations

from dataclasses import dataclass

from asinfo_sim.plants import PLANTS as ASINFO_PLANTS  # leaf modules: no app is built
from komet_sim.plants import PLANTS as KOMET_PLANTS


@dataclass(frozen=True)
class Plant:
    name: str
    side: str  # "komet" | "asinfo"
    sentence: str

    def world(self) -> dict:
        """The scenario's world.plant for this bug."""
        return {self.side: self.name}


def registry() -> dict[str, Plant]:
    plants = {name: Plant(name, "komet", text) for name, text in KOMET_PLANTS.items()}
    clash = sorted(set(plants) & set(ASINFO_PLANTS))
    if clash:  # a name must say which side it breaks
        raise ValueError(f"planted bug names used by both simulators: {', '.join(clash)}")
    plants.update({name: Plant(name, "asinfo", text) for name, text in ASINFO_PLANTS.items()})
    return plants


def world_for(name: str | None) -> dict | None:
    """world.plant for a plant's name (None: no plant); KeyError names the unknown one."""
    if not name or name == "none":
        return None
    plants = registry()
    if name not in plants:
        raise KeyError(f"no planted bug {name!r}; kasim plants lists them: {', '.join(plants)}")
    return plants[name].world()
