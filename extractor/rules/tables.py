"""How standard tables are recognised and read (``patterns/tables.yaml``)."""

from __future__ import annotations

from dataclasses import dataclass

import regex

from .regexes import RegexStore
from .schemas import TablesFile


@dataclass(frozen=True)
class TableKind:
    id: str
    label: str
    title: regex.Pattern[str]
    standard: bool
    # "economic" for a table that lists its rows by 经济分类 (基本支出, 机关运行经费 …)
    classification: str | None = None
    # rows are named only by row_names (no income or 类 look-up of free text: 政府采购)
    row_names_only: bool = False


class TableRules:
    def __init__(self, data: TablesFile, regexes: RegexStore) -> None:
        self.kinds = [
            TableKind(
                t.id,
                t.label,
                regexes.compile(t.title),
                t.standard,
                t.classification,
                t.row_names_only,
            )
            for t in data.tables
        ]
        self.title_line = regexes.compile(data.title_line)
        self.unit = regexes.compile(data.unit)
        self.measures = [(name, regexes.compile(rx)) for name, rx in data.measures.items()]
        self.measure_names = frozenset(data.measures)
        self.row_names = [(name, regexes.compile(rx)) for name, rx in data.row_names.items()]
        self.total_rows = data.total_rows
        self.sangong_columns = [
            (name, regexes.compile(rx)) for name, rx in data.sangong_columns.items()
        ]
        self.sangong_wider_total = regexes.compile(data.sangong_wider_total.label)
        self.sangong_beside = frozenset(data.sangong_wider_total.beside)
        self.code_schemes = [(name, regexes.compile(rx)) for name, rx in data.code_schemes.items()]
        self.skip_columns = regexes.compile(data.skip_columns)

    def kind(self, kind_id: str | None) -> TableKind | None:
        return next((k for k in self.kinds if k.id == kind_id), None)

    def code_scheme(self, code: str) -> str | None:
        """'function' (功能分类, 2xx) or 'economic' (经济分类, 3xx/5xx) by the first digit."""
        return next((name for name, rx in self.code_schemes if rx.search(code)), None)

    def own_columns(self) -> dict[str, set[str]]:
        """Field → the table columns whose 合计-row cell *is* that field (``total_rows``: the
        基本支出 column of 支出总表's 合计 row is expenditure.basic)."""
        owned: dict[str, set[str]] = {}
        for columns in self.total_rows.values():
            for column, field_name in columns.items():
                owned.setdefault(field_name, set()).add(column)
        return owned
