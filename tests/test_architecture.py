"""Which way the imports point (DESIGN.md, "Which way the arrows point"), checked by reading the code.

The test parses every Python module of the project's apps with `ast` (migrations skipped) and collects
every import, at module level and inside functions (a lazy import is still a dependency). Three rules:

(a) Layers. `hub` at the bottom, `courses` above it, `sessions`, `coordinators` and `roundtable` on top:
    an app imports only the apps below it (`sessions → courses → hub`, `coordinators → courses → hub`,
    `roundtable → hub`), never one above it or beside it. `hub`'s sub-packages (`hub/discussion`,
    `hub/privacy`, `hub/twofactor`) are `hub`. The project package (`hub/urls.py`, `hub/routing.py`,
    `hub/asgi.py`, `hub/settings/`) is the one place that names every app.
(b) Selectors never reach services. No selectors module (`selectors.py`, `*_selectors.py`, or anything
    under a `selectors/` package) imports its app's services (`services.py`, `*_services.py`, anything
    under `services/`, and a flat `x.py` whose reads live in a sibling `x_selectors.py`), directly or
    through other modules of the app.
(c) No circles inside an app: the app's import graph has no strongly connected component of more than
    one module. Only the imports written down count: `from pkg import name` points at `pkg/__init__.py`
    (unless `name` is a submodule), and a submodule does not implicitly depend on its package's
    `__init__`, so a package that re-exports its submodules is not a circle by itself — but a submodule
    that imports a name back through that package is.

`KNOWN_VIOLATIONS` lists what is wrong today and being fixed elsewhere; the test fails on anything new,
and also on an entry that no longer occurs, so that the list only shrinks.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("hub", "courses", "sessions", "roundtable", "coordinators")
# What each app may import besides itself.
ALLOWED = {
    "hub": set(),
    "courses": {"hub"},
    "sessions": {"courses", "hub"},
    "coordinators": {"courses", "hub"},
    "roundtable": {"hub"},
}
# The project package: settings, the URL and channel routing, the ASGI entry point.
PROJECT_PACKAGE = ("hub.urls", "hub.routing", "hub.asgi", "hub.settings")

# What is wrong today. Remove an entry as soon as the test says it no longer occurs.
# Empty: the structure issue moved the discussion space into hub/discussion, the seat rule into
# hub/capacity.py, and gave the recordings page its search through SessionsConfig.ready().
KNOWN_VIOLATIONS: set[str] = set()


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    found = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.relative_to(ROOT).parts:
                continue
            found[_module_name(path)] = path
    return found


def _imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules `name` imports (anywhere in the file), resolved to module names."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                       for alias in node.names]
        else:
            continue
        for target in targets:
            # `import a.b.c` of a name that is not a module of ours: keep the longest prefix that is.
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = project_modules()
    return {name: _imports_of(name, path, modules) for name, path in modules.items()}


def app_of(module: str) -> str:
    return module.split(".")[0]


def is_project_package(module: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in PROJECT_PACKAGE)


def _parts(module: str) -> list[str]:
    return module.split(".")


def is_selectors(module: str) -> bool:
    return any(p == "selectors" or p.endswith("_selectors") for p in _parts(module)[1:])


def is_services(module: str, modules) -> bool:
    parts = _parts(module)[1:]
    if any(p == "services" or p.endswith("_services") for p in parts):
        return True
    # A flat module whose reads were split off into `<name>_selectors.py` holds that concern's writes.
    return bool(parts) and f"{module}_selectors" in modules


def layer_violations(graph) -> set[str]:
    found = set()
    for module, targets in graph.items():
        if is_project_package(module):
            continue
        for target in targets:
            if app_of(target) != app_of(module) and app_of(target) not in ALLOWED[app_of(module)]:
                found.add(f"layer: {module} -> {target}")
    return found


def _reachable_in_app(graph, start: str) -> dict[str, list[str]]:
    """{module: the import chain from `start` to it} for the modules of start's app it reaches."""
    chains = {start: [start]}
    todo = [start]
    while todo:
        current = todo.pop()
        for target in sorted(graph[current]):
            if app_of(target) == app_of(start) and target not in chains:
                chains[target] = chains[current] + [target]
                todo.append(target)
    return chains


def selector_violations(graph) -> tuple[set[str], dict[str, str]]:
    found, chains = set(), {}
    for module in graph:
        if not is_selectors(module):
            continue
        for target, chain in _reachable_in_app(graph, module).items():
            if is_services(target, graph) and not is_selectors(target):
                key = f"selectors->services: {module} -> {target}"
                found.add(key)
                chains[key] = " -> ".join(chain)
    return found, chains


def strongly_connected(graph) -> list[list[str]]:
    """Tarjan's algorithm, iterative (the graph has hundreds of modules)."""
    index, low, on_stack, stack, components = {}, {}, set(), [], []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    components.append(sorted(component))
    return components


def cycle_violations(graph) -> set[str]:
    found = set()
    for app in APPS:
        inside = {m: {t for t in targets if app_of(t) == app} for m, targets in graph.items() if app_of(m) == app}
        for component in strongly_connected(inside):
            if len(component) > 1:
                found.add("cycle: " + " <-> ".join(component))
    return found


def all_violations() -> tuple[set[str], dict[str, str]]:
    graph = import_graph()
    selectors, chains = selector_violations(graph)
    return layer_violations(graph) | selectors | cycle_violations(graph), chains


def test_the_walk_sees_the_apps_and_their_lazy_imports():
    graph = import_graph()
    assert {"hub.models", "courses.selectors", "coordinators.views", "sessions.services"} <= set(graph)
    assert not any(".migrations" in m for m in graph)
    # coordinators' AppConfig imports its lapse watcher inside ready(): a function-level import.
    assert any(t.startswith("coordinators.selectors") for t in graph["coordinators.apps"])


def test_the_checks_catch_a_made_up_violation_of_each_rule():
    graph = {
        "hub.selectors": {"roundtable.models"},
        "roundtable.models": set(),
        "courses.selectors": {"courses.helpers"},
        "courses.helpers": {"courses.services"},
        "courses.services": {"courses.selectors"},
        "hub.urls": {"roundtable.models"},
    }
    assert layer_violations(graph) == {"layer: hub.selectors -> roundtable.models"}
    selectors, chains = selector_violations(graph)
    assert selectors == {"selectors->services: courses.selectors -> courses.services"}
    assert chains.popitem()[1] == "courses.selectors -> courses.helpers -> courses.services"
    assert cycle_violations(graph) == {"cycle: courses.helpers <-> courses.selectors <-> courses.services"}


def test_no_new_violation_of_the_import_rules():
    found, chains = all_violations()
    new = sorted(found - KNOWN_VIOLATIONS)
    assert not new, "imports against DESIGN.md's arrows:\n" + "\n".join(
        f"  {v}" + (f"  (via {chains[v]})" if v in chains else "") for v in new)


def test_every_known_violation_still_occurs():
    found, _ = all_violations()
    fixed = sorted(KNOWN_VIOLATIONS - found)
    assert not fixed, "fixed, so remove from KNOWN_VIOLATIONS: " + ", ".join(fixed)
