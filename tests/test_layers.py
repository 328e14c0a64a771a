"""The floors: every import runs downward, so no cycle can come back.

    kiosk        supervisor, CLI: wires everything together           (top)
    launcher  portal    side by side: Qt window, Flask pages; never each other
    policies  wipe      plain libraries: the catalogue, the wipe
    core                framework-free pieces every floor shares        (bottom)
    hub                 the funder's server, on another machine: core only

The test reads every module's source (AST, no import is run), so an import inside a function
counts as much as one at the top.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Package -> the packages of this repository it may import (besides itself).
MAY_IMPORT: dict[str, frozenset[str]] = {
    "core": frozenset(),
    "policies": frozenset({"core"}),
    "wipe": frozenset({"core"}),
    "launcher": frozenset({"core", "policies", "wipe"}),
    "portal": frozenset({"core", "policies", "wipe"}),
    "hub": frozenset({"core"}),
    "kiosk": frozenset({"core", "policies", "wipe", "launcher", "portal", "hub"}),
}
# Frameworks a floor must not load: core, policies and wipe run in every process (the keeper,
# the wipe as root) and must not pull a web framework or a GUI toolkit in with them.
WEB = frozenset({"flask", "flask_babel", "werkzeug", "jinja2", "waitress"})
GUI = frozenset({"PyQt6", "webview"})
MAY_NOT_LOAD: dict[str, frozenset[str]] = {
    "core": WEB | GUI, "policies": WEB | GUI, "wipe": WEB | GUI, "hub": GUI,
    "launcher": WEB, "portal": GUI,
}

# Imports still going the wrong way, waiting for their fix. The list may only shrink: an entry
# that no longer exists fails test_the_allowlist_holds_only_live_imports, so it must go.
# Empty since the mediator area reaches the terminal through ports kiosk injects (issue #15).
ALLOWED_UPWARD: frozenset[tuple[str, str]] = frozenset()


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules(root: Path, packages: list[str]) -> dict[str, Path]:
    """Every module of these packages: dotted name -> file."""
    found = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            found[module_name(path, root)] = path
    return found


def imports_of(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The modules `name` imports: dotted names, relative imports resolved; `from a import b`
    is a.b when that is a module, else a."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")
                base = base[:len(base) - node.level + (1 if is_package else 0)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.add(sub if sub in known else target)
    return found


def graph(root: Path = ROOT, packages: list[str] | None = None) -> dict[str, set[str]]:
    known = modules(root, packages or list(MAY_IMPORT))
    return {name: imports_of(name, path, known) for name, path in known.items()}


def wrong_imports(edges: dict[str, set[str]]) -> list[tuple[str, str]]:
    """(importer, imported) for every import that goes sideways or upward, or loads a
    framework its floor must not load."""
    wrong = []
    for importer, targets in sorted(edges.items()):
        floor = importer.split(".")[0]
        for target in sorted(targets):
            top = target.split(".")[0]
            if top in MAY_IMPORT and top != floor and top not in MAY_IMPORT[floor]:
                wrong.append((importer, target))
            elif top in MAY_NOT_LOAD.get(floor, ()):
                wrong.append((importer, target))
    return wrong


def cycle(edges: dict[str, set[str]]) -> list[str]:
    """One cycle of the graph (its nodes, first repeated last), or [] when there is none."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for target in sorted(edges.get(node, ())):
            if state.get(target) == 1:
                return path[path.index(target):] + [target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        state[node] = 2
        path.pop()
        return []

    for node in sorted(edges):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return []


def package_edges(edges: dict[str, set[str]],
                  ignore: frozenset[tuple[str, str]] = frozenset()) -> dict[str, set[str]]:
    """Package -> the packages its modules import (leaving out the `ignore` module imports)."""
    packages: dict[str, set[str]] = {}
    for importer, targets in edges.items():
        floor = importer.split(".")[0]
        packages.setdefault(floor, set()).update(
            top for top in (t.split(".")[0] for t in targets if (importer, t) not in ignore)
            if top in MAY_IMPORT and top != floor)
    return packages


def test_every_import_runs_down_the_floors():
    wrong = [edge for edge in wrong_imports(graph()) if edge not in ALLOWED_UPWARD]
    assert not wrong, "imports going sideways or upward (importer -> imported):\n" + "\n".join(
        f"  {importer} -> {imported}" for importer, imported in wrong)


def test_the_allowlist_holds_only_live_imports():
    """When an allowlisted import is fixed, its entry goes too: the list only shrinks."""
    live = set(wrong_imports(graph()))
    stale = sorted(ALLOWED_UPWARD - live)
    assert not stale, "fixed, remove from ALLOWED_UPWARD: " + ", ".join(
        f"{a} -> {b}" for a, b in stale)


def test_no_import_cycle_between_packages():
    """Allowlisted imports (none today) are left out: the allowlist may hold an import that
    waits for its fix, never a cycle that stays."""
    found = cycle(package_edges(graph(), ignore=ALLOWED_UPWARD))
    assert not found, " -> ".join(found)


def test_no_import_cycle_between_modules_of_kiosk():
    edges = {name: {t for t in targets if t.split(".")[0] == "kiosk"}
             for name, targets in graph(packages=["kiosk"]).items()}
    # `kiosk` itself (kiosk/__init__.py) runs before any kiosk module: an import of `kiosk`
    # from a module is no edge back to it.
    edges = {name: targets - {"kiosk"} for name, targets in edges.items()}
    found = cycle(edges)
    assert not found, " -> ".join(found)


# --- the checks above can fail -----------------------------------------------------------

def write_tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_an_upward_or_sideways_import_is_named(tmp_path):
    write_tree(tmp_path, {
        "core/__init__.py": "", "core/events.py": "def helper():\n    from kiosk import cli\n",
        "launcher/__init__.py": "", "launcher/window.py": "from ..portal import api\n",
        "portal/__init__.py": "", "portal/api.py": "import flask\nfrom core import events\n",
        "hub/__init__.py": "from policies import store\n", "policies/__init__.py": "",
        "policies/store.py": "", "kiosk/__init__.py": "", "kiosk/cli.py": "",
    })
    wrong = wrong_imports(graph(tmp_path, ["core", "launcher", "portal", "hub", "policies",
                                           "kiosk"]))
    assert wrong == [("core.events", "kiosk.cli"), ("hub", "policies.store"),
                     ("launcher.window", "portal.api")]


def test_a_framework_in_a_lower_floor_is_named(tmp_path):
    write_tree(tmp_path, {"core/__init__.py": "", "core/charts.py": "from flask import Markup\n",
                          "wipe/__init__.py": "", "wipe/desktop.py": "import PyQt6.QtGui\n"})
    assert wrong_imports(graph(tmp_path, ["core", "wipe"])) == [
        ("core.charts", "flask"), ("wipe.desktop", "PyQt6.QtGui")]


def test_a_cycle_is_found_and_spelled_out(tmp_path):
    write_tree(tmp_path, {
        "kiosk/__init__.py": "", "kiosk/keeper.py": "from kiosk import export\n",
        "kiosk/export.py": "def sign():\n    from .keeper_service import keeper_for\n",
        "kiosk/keeper_service.py": "from kiosk.keeper import Keeper\n",
        "kiosk/config.py": "",
    })
    edges = graph(tmp_path, ["kiosk"])
    assert cycle(edges) == ["kiosk.export", "kiosk.keeper_service", "kiosk.keeper",
                            "kiosk.export"]
    del edges["kiosk.keeper_service"]
    assert cycle(edges) == []
