"""Static analysis of cells: the names a cell binds and reads."""

from __future__ import annotations

from autograder.engine.cell_names import analyse, to_python


def test_assignments_imports_and_definitions_bind_names() -> None:
    names = analyse(
        "import json\nfrom course import graded as g\nx, (y, z) = 1, (2, 3)\n"
        "def f():\n    inner = 1\nclass C:\n    attr = 2\nfor i in range(3):\n    pass\n"
        "with open('f') as fh:\n    pass\nif (w := 5):\n    pass\nk += 1"
    )
    assert names.binds == {"json", "g", "x", "y", "z", "f", "C", "i", "fh", "w", "k"}
    assert "inner" not in names.binds
    assert "attr" not in names.binds


def test_reads_are_global_names_other_than_builtins() -> None:
    names = analyse("assert plain(answer) == expected\nprint(len(stream))")
    assert names.reads == {"plain", "answer", "expected", "stream"}


def test_a_rebound_builtin_counts_as_read() -> None:
    assert "len" in analyse("len = 3\nlen + 1").reads


def test_magics_are_understood_and_star_imports_noticed() -> None:
    assert to_python("%matplotlib inline\nx = 1").startswith("get_ipython()")
    assert analyse("%time answer = 1").binds == frozenset()
    assert analyse("from os.path import *").star


def test_a_cell_that_does_not_parse_is_marked() -> None:
    names = analyse("def broken(:\n")
    assert not names.parsed
    assert names.binds == frozenset()
    assert names.reads == frozenset()
