"""Which global names a cell binds and which it reads (static analysis of its source).

The clean-room test run needs two facts about every cell: the names a
student's answer cell binds (those are the student's answers) and the names
an instructor cell reads. IPython syntax (magics, ``!shell``) is turned into
plain Python first, as IPython itself would.
"""

from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass

from IPython.core.inputtransformer2 import TransformerManager

__all__ = ["CellNames", "analyse", "to_python"]

_TRANSFORMER = TransformerManager()  # type: ignore[no-untyped-call]
_BUILTINS = frozenset(dir(builtins))
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


@dataclass(frozen=True)
class CellNames:
    """Global names a cell binds and reads; ``star`` if it does ``from x import *``."""

    binds: frozenset[str]
    reads: frozenset[str]
    star: bool = False
    parsed: bool = True


def to_python(source: str) -> str:
    """The plain Python that IPython would run for ``source``."""
    try:
        return str(_TRANSFORMER.transform_cell(source))
    except Exception:  # a cell IPython cannot even transform runs as is
        return source


class _Visitor(ast.NodeVisitor):
    def __init__(self) -> None:
        self.binds: set[str] = set()
        self.reads: set[str] = set()
        self.star = False
        self._depth = 0  # > 0 inside a function, lambda, class or comprehension

    def _bind(self, name: str) -> None:
        if self._depth == 0:
            self.binds.add(name)

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Load):
            self.reads.add(node.id)
        elif isinstance(node.ctx, (ast.Store, ast.Del)):
            self._bind(node.id)

    def visit_Global(self, node: ast.Global) -> None:
        self.binds.update(node.names)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        # the walrus binds in the enclosing function or module scope
        if isinstance(node.target, ast.Name) and self._depth == 0:
            self.binds.add(node.target.id)
        self.visit(node.value)

    def _import(self, node: ast.Import | ast.ImportFrom) -> None:
        for alias in node.names:
            if alias.name == "*":
                self.star = True
            else:
                self._bind(alias.asname or alias.name.split(".")[0])

    visit_Import = _import
    visit_ImportFrom = _import

    def _scope(self, node: ast.AST) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            self._bind(node.name)
            for decorator in node.decorator_list:
                self.visit(decorator)
        self._depth += 1
        for child in ast.iter_child_nodes(node):
            if isinstance(node, _SCOPES) and child in getattr(node, "decorator_list", []):
                continue
            self.visit(child)
        self._depth -= 1

    visit_FunctionDef = _scope
    visit_AsyncFunctionDef = _scope
    visit_Lambda = _scope
    visit_ClassDef = _scope
    visit_ListComp = _scope
    visit_SetComp = _scope
    visit_DictComp = _scope
    visit_GeneratorExp = _scope


def analyse(source: str) -> CellNames:
    """The global names ``source`` binds and reads (builtins are not counted as reads)."""
    try:
        tree = ast.parse(to_python(source))
    except SyntaxError:
        return CellNames(frozenset(), frozenset(), star=False, parsed=False)
    visitor = _Visitor()
    visitor.visit(tree)
    reads = frozenset(visitor.reads - _BUILTINS) | frozenset(visitor.reads & visitor.binds)
    return CellNames(frozenset(visitor.binds), reads, visitor.star)
