"""The house style, checked on the source itself so that it stays true (ARCHITECTURE.md, house style).

Import boundaries are import-linter's job (``make lint``); these are the rules it cannot see:
module size, no database query in a view, who acted is always said, one clock.
"""

import ast
from pathlib import Path

import pytest

SESAME = Path(__file__).resolve().parent.parent / "sesame"
LIBRARY = SESAME / "library"
MAX_LINES = 400


def _modules(root: Path):
    return sorted(path for path in root.rglob("*.py") if "migrations" not in path.parts)


def _name(path: Path) -> str:
    return str(path.relative_to(SESAME.parent))


def test_no_module_is_over_four_hundred_lines():
    long = {_name(path): count for path in _modules(SESAME)
            if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def _orm_calls(tree: ast.AST) -> list[int]:
    """Lines calling ``<Model>.objects…`` or a queryset method on it: a query in the module itself."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            lines.append(node.lineno)
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in {"get_object_or_404",
                                                                             "get_list_or_404"}:
            lines.append(node.lineno)
    return lines


def test_no_library_view_queries_the_database_itself():
    views = [path for path in _modules(LIBRARY) if path.name == "views.py" or path.parent.name == "views"
             or path.name in {"home.py", "help.py"}]
    assert views, "the library has views"
    found = {_name(path): lines for path in views
             if (lines := _orm_calls(ast.parse(path.read_text(encoding="utf-8"))))}
    assert found == {}


def test_who_acted_is_a_required_keyword_of_every_library_service():
    defaults = []
    for path in _modules(LIBRARY):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            arguments = node.args
            pairs = list(zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True))
            positional = arguments.args[len(arguments.args) - len(arguments.defaults):]
            pairs += list(zip(positional, arguments.defaults, strict=True))
            defaults += [f"{_name(path)}:{node.lineno} {node.name}" for argument, default in pairs
                         if argument.arg == "acting_user" and default is not None]
    assert defaults == []


@pytest.mark.parametrize("call", ["now", "localdate", "localtime"])
def test_library_services_ask_the_one_clock_not_django(call):
    direct = []
    for path in _modules(LIBRARY):
        outside = {"views.py", "forms.py", "urls.py", "apps.py", "admin.py", "home.py"}
        if ("management" in path.parts or path.parent.name in {"views", "demo", "models"}
                or path.name in outside):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            # ``timezone.localtime(moment)`` converts a time it is given; called bare, it reads the clock.
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == call
                    and getattr(node.func.value, "id", None) == "timezone" and not node.args):
                direct.append(f"{_name(path)}:{node.lineno}")
    assert direct == []
