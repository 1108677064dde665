"""The fast-dispatch visitor bases behave as LibCST's."""

from __future__ import annotations

import libcst as cst

from async_test_upgrade.cst import Transformer, Visitor

SOURCE = "def f(a):\n    return g(a, 1)\n"


class _Recording(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.seen.append("def")

    def visit_Call(self, node: cst.Call) -> bool:
        self.seen.append("call")
        return False  # the arguments are not visited

    def visit_Name(self, node: cst.Name) -> None:
        self.seen.append(node.value)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.seen.append("/def")

    def visit_Call_func(self, node: cst.Call) -> None:
        self.seen.append("call.func")  # never reached: visit_Call skipped the children


class _Libcst(cst.CSTVisitor):
    visit_FunctionDef = _Recording.visit_FunctionDef
    visit_Call = _Recording.visit_Call
    visit_Name = _Recording.visit_Name
    leave_FunctionDef = _Recording.leave_FunctionDef

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []


def test_visitor_calls_what_libcst_calls() -> None:
    module = cst.parse_module(SOURCE)
    ours, theirs = _Recording(), _Libcst()
    module.visit(ours)
    module.visit(theirs)
    assert ours.seen == theirs.seen == ["def", "f", "a", "call", "/def"]


class _Renamer(Transformer):
    def __init__(self) -> None:
        super().__init__()
        self.fields: list[str] = []

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        return updated_node.with_changes(value=updated_node.value.upper())

    def visit_Call_args(self, node: cst.Call) -> None:
        self.fields.append("args")

    def leave_Call_args(self, node: cst.Call) -> None:
        self.fields.append("/args")


def test_transformer_rewrites_and_calls_field_hooks() -> None:
    renamer = _Renamer()
    assert cst.parse_module(SOURCE).visit(renamer).code == "def F(A):\n    return G(A, 1)\n"
    assert renamer.fields == ["args", "/args"]
