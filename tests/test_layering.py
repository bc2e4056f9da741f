"""The packages form floors: each imports only the floors below it, and no two modules import
each other (directly or round a longer loop). Read from the source with `ast`, so imports
inside functions count too: a lazy import is still a dependency."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: Bottom to top. A module may import its own floor and those before it, never one after it.
FLOORS: list[str] = [
    "core",
    "ingest",
    "checks",
    "reports",
    "store",
    "delivery",
    "job",
    "flows",
    "iid_audit",
    "synthetic",
]

PACKAGES = {f.split(".")[0] for f in FLOORS}


def floor_of(module: str) -> int | None:
    """Index in FLOORS of the longest prefix naming `module` (None: not the project's)."""
    best: tuple[int, int] | None = None
    for i, name in enumerate(FLOORS):
        if module == name or module.startswith(name + "."):
            if best is None or len(name) > best[1]:
                best = (i, len(name))
    return None if best is None else best[0]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    out = {}
    for package in sorted(PACKAGES):
        for path in (ROOT / package).rglob("*.py"):
            out[module_name(path)] = path
    return out


def imports_of(path: Path, module: str) -> set[str]:
    """Project modules imported anywhere in `path` (absolute and relative imports)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{a.name}" for a in node.names)
    return {m for m in found if m.split(".")[0] in PACKAGES}


def graph() -> dict[str, set[str]]:
    mods = project_modules()
    g: dict[str, set[str]] = {}
    for name, path in mods.items():
        deps = set()
        for imp in imports_of(path, name):
            # `from pkg import sub` names a module when pkg.sub is one, else a symbol of pkg
            while imp and imp not in mods:
                imp = imp.rpartition(".")[0]
            if imp and imp != name:
                deps.add(imp)
        g[name] = deps
    return g


def test_floors_cover_every_package_of_the_project():
    on_disk = {p.name for p in ROOT.iterdir() if (p / "__init__.py").is_file()}
    assert on_disk == PACKAGES


def test_no_module_imports_a_floor_above_its_own():
    upward = []
    for name, deps in graph().items():
        mine = floor_of(name)
        for dep in deps:
            theirs = floor_of(dep)
            if mine is not None and theirs is not None and theirs > mine:
                upward.append(f"{name} ({FLOORS[mine]}) imports {dep} ({FLOORS[theirs]})")
    assert not upward, "\n".join(sorted(upward))


def test_no_two_packages_import_each_other():
    g = graph()
    edges = {(a.split(".")[0], b.split(".")[0]) for a, deps in g.items() for b in deps}
    both = sorted({tuple(sorted(e)) for e in edges if e[0] != e[1] and (e[1], e[0]) in edges})
    assert not both, both


def test_no_import_cycles_between_modules():
    g = graph()
    cycles: list[list[str]] = []
    state: dict[str, int] = {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        stack.append(node)
        for dep in sorted(g.get(node, ())):
            if dep.startswith(node + ".") or node.startswith(dep + "."):
                continue  # a package and its own modules (`__init__` re-exports)
            if state.get(dep) == 1:
                cycles.append(stack[stack.index(dep):] + [dep])
            elif dep not in state:
                visit(dep, stack)
        stack.pop()
        state[node] = 2

    for n in sorted(g):
        if n not in state:
            visit(n, [])
    assert not cycles, "\n".join(" -> ".join(c) for c in cycles)


@pytest.mark.parametrize("module,dep,allowed", [
    ("ingest.readers", "core.outcomes", True),
    ("core.catalog", "checks.registry", False),
    ("delivery.send", "job.pipeline", False),
    ("flows.audit", "job.pipeline", True),
    ("job.pipeline", "flows.audit", False),
    ("iid_audit.cli", "flows.audit", True),
])
def test_the_floor_order_itself(module, dep, allowed):
    """The test above is only as good as `floor_of`: pin a few known answers."""
    assert (floor_of(dep) <= floor_of(module)) is allowed
