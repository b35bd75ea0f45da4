"""ARCHITECTURE.md stays one true page: every file, folder and domain module it names exists where its
section says, and every package of the project is described on it."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "ARCHITECTURE.md"
TOP = ("simkit", "komet_sim", "asinfo_sim", "harness", "examples")
# Where the names of each section are relative to (besides the repository root).
SECTION_BASES = {
    "simkit": ["simkit"],
    "The two simulators": ["komet_sim", "asinfo_sim"],
    "harness": ["harness"],
    "The grower seam": ["komet_sim", "harness", "examples"],
}
# A file or folder named in backticks (URL paths such as `/api/` start with a slash and are left out).
PATH_LIKE = re.compile(r"`(\w[\w./-]*(?:\.py|\.md|\.sql|\.json|\.sh|/))`")


def sections(text: str) -> list[tuple[str, str]]:
    parts = re.split(r"^## (.+)$", text, flags=re.M)
    return list(zip(parts[1::2], parts[2::2], strict=True))


def bases_of(title: str) -> list[Path]:
    for prefix, names in SECTION_BASES.items():
        if title.startswith(prefix):
            return [ROOT / n for n in names]
    return [ROOT / n for n in TOP]


def packages_under(base: Path) -> list[Path]:
    return [p.parent for p in base.rglob("__init__.py") if "__pycache__" not in p.parts]


def resolves(name: str, bases: list[Path]) -> bool:
    """The name is a path from the root, from a base of its section, or from one of that base's packages."""
    name = name.rstrip("/")
    roots = [ROOT, *bases, *(pkg for base in bases for pkg in packages_under(base))]
    return any((root / name).exists() for root in roots)


def test_every_path_the_page_names_exists():
    missing = []
    for title, body in sections(PAGE.read_text(encoding="utf-8")):
        bases = bases_of(title)
        for name in PATH_LIKE.findall(body):
            if not resolves(name, bases):
                missing.append(f"## {title}: `{name}`")
    assert missing == [], "ARCHITECTURE.md names what does not exist:\n" + "\n".join(missing)


def test_every_domain_module_the_page_lists_exists():
    """The simulators' "Domain:" lists name modules of their domain package, bare."""
    text = PAGE.read_text(encoding="utf-8")
    missing = []
    for sim in ("komet_sim", "asinfo_sim"):
        bullet = re.search(rf"^- \*\*{sim}\*\*:(.*?)(?=^- \*\*|^## )", text, re.M | re.S)
        assert bullet, f"ARCHITECTURE.md has no bullet for {sim}"
        listing = re.search(r"Domain: (.*?)\.\s", bullet.group(1), re.S)
        assert listing, f"the {sim} bullet lists no domain modules"
        for name in re.findall(r"`([a-z_]+)`", listing.group(1)):
            if not (ROOT / sim / "domain" / f"{name}.py").exists():
                missing.append(f"{sim}/domain/{name}.py")
    assert missing == []


def test_every_package_is_described():
    text = PAGE.read_text(encoding="utf-8")
    undescribed = []
    for top in TOP:
        for pkg in sorted(packages_under(ROOT / top)):
            rel = pkg.relative_to(ROOT).as_posix()
            # by its path, as `name/`, as a bold or heading title, or as a line of the simulators' shape block
            mentions = (f"{rel}/", f"`{pkg.name}/`", f"**{pkg.name}**", f"## {pkg.name}", f"\n{pkg.name}/ ")
            if not any(m in text for m in mentions):
                undescribed.append(rel)
    assert undescribed == [], "packages ARCHITECTURE.md does not describe: " + ", ".join(undescribed)


def test_the_checks_see_a_missing_module():
    """The resolver is not vacuous: a made-up name under a real section fails, a real one passes."""
    assert not resolves("no_such_module.py", bases_of("simkit — plumbing"))
    assert resolves("fault_kinds.py", bases_of("simkit — plumbing"))
    assert resolves("api/routes.py", bases_of("The two simulators — one shape"))
