"""The import rules of the one-way architecture.

`cms` is the base; `municipalities` is a domain built on it; `campaigns` and
`subscriptions` are domains built on both, and neither on the other. Dependencies point one
way only:

    campaigns, subscriptions  ->  municipalities  ->  cms

The rules are read from the source with `ast`, without importing anything, so an import
hidden inside a function counts as much as one at the top of a file. Migrations are left
out: Django writes them and they name whichever models they touch.

A string such as "municipalities.HearingPage" is not an import and is allowed (settings
and lazy model references name apps that way).
"""

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BASE = "cms"
DOMAINS = ("municipalities", "campaigns", "subscriptions")
PROJECT_PACKAGES = (BASE, *DOMAINS)
# subpackages that are a node of their own in the package graph, when their directory exists
SUBPACKAGE_NODES = ("municipalities.monitoring",)
DEFERRED_MARK = re.compile(r"#.*\bdeferred:")

HOW_TO_EXTEND_BASE = (
    "The base must not know its domains. Instead of importing a domain from cms, declare a "
    "hook name in cms/extensions.py and let the domain register a function for it in its "
    "own wagtail_hooks.py (`@hooks.register(extensions.SOME_HOOK)`); cms then calls "
    "`extensions.collect(...)`. Model references that Django needs may stay strings such as "
    '"municipalities.HearingPage".'
)
HOW_TO_EXTEND_MUNICIPALITIES = (
    "campaigns builds on municipalities, never the reverse. Instead of importing campaigns "
    "from municipalities, declare a hook in municipalities/extensions.py and let campaigns "
    "register for it in campaigns/wagtail_hooks.py; or move the code that needs both apps "
    "into campaigns."
)
HOW_TO_DEFER = (
    "Move the import to the top of the module. If Django really needs it inside the function "
    "(apps or models not loaded yet when this module is imported, e.g. by settings, apps.py "
    "or a management command), say so on the import line or the line above it, starting "
    "with `# deferred:`, e.g.\n"
    "    # deferred: models are not loaded when settings import this module\n"
    "    from municipalities.models import MunicipalityPage\n"
    "An import that only works inside a function often hides an import cycle: break the "
    "cycle (see the other rules) rather than hide it."
)


@dataclass(frozen=True)
class Import:
    path: Path  # relative to the scanned root
    line: int
    module: str  # absolute module name: relative imports resolved, `from a import b` is a.b
    # when b is a module of the project
    in_function: bool
    deferred_mark: bool  # "# deferred:" on the statement's first line or the line above
    type_checking: bool  # under `if TYPE_CHECKING:` (never runs)

    @property
    def top(self):
        return self.module.split(".")[0]

    def where(self):
        return f"{self.path.as_posix()}:{self.line} -> {self.module}"


def _module_name(relative_path):
    parts = list(relative_path.with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    if is_package:
        parts.pop()
    return ".".join(parts), is_package


def _resolve(node, module, is_package):
    """Absolute module name of an ImportFrom, relative levels resolved."""
    if not node.level:
        return node.module or ""
    package = module.split(".") if is_package else module.split(".")[:-1]
    if node.level > 1:
        package = package[: len(package) - (node.level - 1)]
    return ".".join([*package, node.module] if node.module else package)


def _is_type_checking(test):
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


class _Collector(ast.NodeVisitor):
    def __init__(self, root, relative_path, lines):
        self.root = root
        self.relative_path = relative_path
        self.lines = lines
        self.module, self.is_package = _module_name(relative_path)
        self.function_depth = 0
        self.type_checking_depth = 0
        self.found = []

    def _function(self, node):
        self.function_depth += 1
        self.generic_visit(node)
        self.function_depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function

    def visit_If(self, node):
        if _is_type_checking(node.test):
            self.type_checking_depth += 1
            for child in node.body:
                self.visit(child)
            self.type_checking_depth -= 1
            for child in node.orelse:
                self.visit(child)
        else:
            self.generic_visit(node)

    def _marked(self, line):
        here = self.lines[line - 1] if line <= len(self.lines) else ""
        above = self.lines[line - 2].strip() if line >= 2 else ""
        return bool(DEFERRED_MARK.search(here)) or (
            above.startswith("#") and bool(DEFERRED_MARK.search(above))
        )

    def _is_module(self, module):
        path = self.root.joinpath(*module.split("."))
        return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()

    def _add(self, node, module):
        self.found.append(
            Import(
                path=self.relative_path,
                line=node.lineno,
                module=module,
                in_function=self.function_depth > 0,
                deferred_mark=self._marked(node.lineno),
                type_checking=self.type_checking_depth > 0,
            )
        )

    def visit_Import(self, node):
        for alias in node.names:
            self._add(node, alias.name)

    def visit_ImportFrom(self, node):
        module = _resolve(node, self.module, self.is_package)
        submodules = [f"{module}.{alias.name}" for alias in node.names]
        submodules = [name for name in submodules if module and self._is_module(name)]
        if len(submodules) < len(node.names):  # some names are attributes of `module`
            self._add(node, module)
        for submodule in submodules:
            self._add(node, submodule)


def scan(root, packages=PROJECT_PACKAGES):
    """One `Import` per module imported in the packages under `root`, migrations left out."""
    found = []
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            relative = path.relative_to(root)
            if "migrations" in relative.parts:
                continue
            source = path.read_text(encoding="utf-8")
            collector = _Collector(root, relative, source.splitlines())
            collector.visit(ast.parse(source, filename=str(path)))
            found.extend(collector.found)
    return found


def imports_of(found, importer, imported):
    """Imports in package `importer` of anything in `imported` (module level or not)."""
    return [item for item in found if item.path.parts[0] == importer and item.top in imported]


def undeclared_deferred_imports(found):
    """Imports of the project's own modules inside functions without a `# deferred:` note."""
    return [
        item
        for item in found
        if item.in_function and item.top in PROJECT_PACKAGES and not item.deferred_mark
    ]


def _report(offences, rule, advice):
    listed = "\n".join(f"  {item.where()}" for item in offences)
    return f"{len(offences)} import(s) break the rule: {rule}\n{listed}\n\n{advice}"


def test_cms_imports_no_domain():
    """The base imports no domain, so a domain can be added or removed without touching cms.
    Domains contribute to the base through the hooks of `cms.extensions`."""
    offences = imports_of(scan(ROOT), BASE, DOMAINS)
    if offences:
        pytest.fail(
            _report(offences, "cms imports no domain app", HOW_TO_EXTEND_BASE),
            pytrace=False,
        )


def test_municipalities_imports_no_campaigns():
    """campaigns builds on municipalities, never the reverse: municipalities must work, and
    its tests pass, with campaigns removed from INSTALLED_APPS."""
    offences = imports_of(scan(ROOT), "municipalities", ("campaigns",))
    if offences:
        rule = "municipalities does not import campaigns"
        pytest.fail(_report(offences, rule, HOW_TO_EXTEND_MUNICIPALITIES), pytrace=False)


def test_nothing_builds_on_subscriptions():
    """subscriptions (citizens' addresses) builds on municipalities and cms; no other app
    imports it, so the personal data stays in one removable app."""
    found = scan(ROOT)
    offences = [
        *imports_of(found, "municipalities", ("subscriptions",)),
        *imports_of(found, "campaigns", ("subscriptions",)),
        *imports_of(found, "subscriptions", ("campaigns",)),
    ]
    if offences:
        rule = "nothing imports subscriptions, and subscriptions does not import campaigns"
        pytest.fail(_report(offences, rule, HOW_TO_EXTEND_MUNICIPALITIES), pytrace=False)


def test_imports_inside_functions_say_why():
    """An import of the project's own code hidden inside a function conceals the real
    dependencies and the cycles among them; it is allowed only where Django requires it,
    and then the line says why with a `# deferred:` comment."""
    offences = undeclared_deferred_imports(scan(ROOT))
    if offences:
        rule = (
            "imports of cms, municipalities or campaigns inside a function carry a "
            "`# deferred:` comment saying why Django requires them there"
        )
        pytest.fail(_report(offences, rule, HOW_TO_DEFER), pytrace=False)


def package_nodes(root):
    """The nodes of the package graph: subpackages listed in SUBPACKAGE_NODES whose
    directory exists, then the project packages (each meaning the rest of it)."""
    nodes = [name for name in SUBPACKAGE_NODES if (root / name.replace(".", "/")).is_dir()]
    return nodes + list(PROJECT_PACKAGES)


def node_of(module, nodes):
    """The graph node a module belongs to (the longest node name that contains it)."""
    for node in sorted(nodes, key=len, reverse=True):
        if module == node or module.startswith(node + "."):
            return node
    return None


# An app's entry points, which Django and Wagtail find by name, assemble the app's parts: they
# sit above all of them (the monitoring's models are loaded by `apps.py`, its hooks
# registered from there, its commands live in the app's `management/commands`).
ENTRY_POINTS = re.compile(r"^\w+\.(apps|wagtail_hooks|management\.commands\.\w+)$")


def package_graph(found, nodes):
    """node -> {node it imports at module level: first import doing so}."""
    graph = {node: {} for node in nodes}
    for item in found:
        if item.in_function or item.type_checking:
            continue
        if ENTRY_POINTS.match(_module_name(item.path)[0]):
            continue
        source = node_of(_module_name(item.path)[0], nodes)
        target = node_of(item.module, nodes)
        if source and target and source != target:
            graph[source].setdefault(target, item)
    return graph


def find_cycle(graph):
    """A list of nodes [a, b, ..., a] forming a cycle, or None."""
    state = {}  # node -> "open" while on the DFS stack, "done" after

    def visit(node, stack):
        state[node] = "open"
        stack.append(node)
        for target in sorted(graph.get(node, {})):
            if state.get(target) == "open":
                return stack[stack.index(target) :] + [target]
            if target not in state:
                cycle = visit(target, stack)
                if cycle:
                    return cycle
        stack.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node, [])
            if cycle:
                return cycle
    return None


def test_no_import_cycle_between_packages():
    """Module-level imports between the packages form no cycle: the packages can be read,
    loaded and tested in order, base first."""
    graph = package_graph(scan(ROOT), package_nodes(ROOT))
    cycle = find_cycle(graph)
    if cycle:
        steps = "\n".join(
            f"  {a} -> {b}   first at {graph[a][b].where()}"
            for a, b in zip(cycle, cycle[1:], strict=False)
        )
        pytest.fail(
            "Module-level imports form a cycle between packages: "
            + " -> ".join(cycle)
            + f"\n{steps}\n\nRemove the edge that points the wrong way "
            "(cms -> a domain, municipalities -> campaigns).\n" + HOW_TO_EXTEND_BASE,
            pytrace=False,
        )


# The checker itself can fail.


def _write(root, relative, source):
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source, encoding="utf-8")


def test_checker_reports_hidden_domain_import(tmp_path):
    _write(tmp_path, "cms/__init__.py", "")
    _write(
        tmp_path,
        "cms/x.py",
        'LABEL = "municipalities.HearingPage"\n'
        "\n"
        "def f():\n"
        "    from municipalities.models import X\n"
        "    return X\n"
        "\n"
        "def g():\n"
        "    # deferred: models are not loaded when settings import this\n"
        "    from municipalities.models import Y\n"
        "    from cms.slugs import z  # deferred: apps not ready yet\n"
        "    return Y, z\n",
    )
    _write(tmp_path, "cms/migrations/0001_initial.py", "import municipalities\n")
    found = scan(tmp_path)

    rule_1 = [item.where() for item in imports_of(found, BASE, DOMAINS)]
    assert rule_1 == [
        "cms/x.py:4 -> municipalities.models",
        "cms/x.py:9 -> municipalities.models",
    ]  # a deferred mark does not make a domain import from the base acceptable
    rule_3 = [item.where() for item in undeclared_deferred_imports(found)]
    assert rule_3 == ["cms/x.py:4 -> municipalities.models"]


def test_checker_resolves_relative_imports_and_finds_cycles(tmp_path):
    _write(tmp_path, "cms/__init__.py", "")
    _write(tmp_path, "cms/a.py", "from . import b, c\n")  # b a module, c a name in cms
    _write(tmp_path, "cms/b.py", "")
    _write(tmp_path, "municipalities/__init__.py", "")
    _write(tmp_path, "municipalities/monitoring/__init__.py", "from ..models import P\n")
    _write(tmp_path, "municipalities/models.py", "from cms.a import b\n")
    _write(tmp_path, "campaigns/__init__.py", "")
    _write(tmp_path, "campaigns/models.py", "from municipalities import monitoring\n")
    found = scan(tmp_path)

    assert [item.where() for item in found] == [
        "cms/a.py:1 -> cms",
        "cms/a.py:1 -> cms.b",
        "municipalities/models.py:1 -> cms.a",
        "municipalities/monitoring/__init__.py:1 -> municipalities.models",
        "campaigns/models.py:1 -> municipalities.monitoring",
    ]
    nodes = package_nodes(tmp_path)
    graph = package_graph(found, nodes)
    assert set(graph["campaigns"]) == {"municipalities.monitoring"}
    assert find_cycle(graph) is None

    _write(tmp_path, "cms/d.py", "import campaigns.models\n")
    cycle = find_cycle(package_graph(scan(tmp_path), nodes))
    assert cycle is not None and cycle[0] == cycle[-1]
    assert set(cycle) == {"cms", "campaigns", "municipalities.monitoring", "municipalities"}
