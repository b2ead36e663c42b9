"""``datapackage.json``: the run's CSV tables as a Frictionless (Tabular) Data Package.

Every CSV gets a Table Schema from the column registry: types, descriptions, primary and
foreign keys. Where the Fiscal Data Package fits, fields carry its column types
(``value``, ``date:fiscal-year``, ``phase:id``, the three levels of
``functional-classification:generic``, ``administrative-classification:generic:level1:label``)
and each amount its measure properties: ``currency`` CNY, ``factor`` 10000 (万元),
``direction`` revenue or expenditure, and ``phase`` where it is fixed (the approved budget
a 决算 figure is measured against); otherwise the ``phase`` column says approved (预算)
or executed (决算).
"""

from __future__ import annotations

import json
from typing import Any

from ..models import SCHEMA_VERSION
from .columns import TABLES, Column, Table

CSV_DIALECT = {
    "delimiter": ",",
    "lineTerminator": "\r\n",
    "quoteChar": '"',
    "doubleQuote": True,
    "header": True,
}


def _field(column: Column) -> dict[str, Any]:
    descriptor: dict[str, Any] = {
        "name": column.name,
        "type": column.type,
        "description": column.description,
    }
    if column.type == "boolean":
        descriptor.update(trueValues=["true"], falseValues=["false"])
    descriptor.update(column.fiscal)
    return descriptor


def _resource(table: Table, *, bom: bool, excel_safe: bool) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "fields": [_field(c) for c in table.columns],
        "missingValues": [""],
        "primaryKey": list(table.primary_key),
    }
    if table.foreign_keys:
        schema["foreignKeys"] = [
            {
                "fields": list(key.fields),
                "reference": {"resource": key.table, "fields": list(key.reference)},
            }
            for key in table.foreign_keys
        ]
    description = table.description
    if excel_safe:
        description += (
            " Text cells that would start a spreadsheet formula (= + - @, tab, CR) begin "
            "with an apostrophe."
        )
    return {
        "name": table.name,
        "path": f"{table.name}.csv",
        "profile": "tabular-data-resource",
        "title": table.title,
        "description": description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8-sig" if bom else "utf-8",
        "dialect": CSV_DIALECT,
        "schema": schema,
    }


def descriptor(*, bom: bool = True, excel_safe: bool = True) -> dict[str, Any]:
    return {
        "profile": "tabular-data-package",
        "name": "budget-notes",
        "title": "Budget notes: facts, resolved values and checks",
        "description": (
            "Figures extracted from Chinese government budget notes (部门预算/决算编制说明) by "
            "budget-notes: one row per note in summary.csv, one resolved value per figure "
            "in values.csv, expenditure by 类-款-项 in items.csv, the full evidence in "
            "facts.csv, the validation in checks.csv. Amounts are in 万元 (10,000 CNY). "
            "Fields follow the Fiscal Data Package column types where they fit."
        ),
        "version": SCHEMA_VERSION,
        "keywords": ["budget", "部门预算", "部门决算", "fiscal", "China"],
        "resources": [_resource(t, bom=bom, excel_safe=excel_safe) for t in TABLES.values()],
    }


def descriptor_json(*, bom: bool = True, excel_safe: bool = True) -> str:
    return (
        json.dumps(descriptor(bom=bom, excel_safe=excel_safe), ensure_ascii=False, indent=2) + "\n"
    )
