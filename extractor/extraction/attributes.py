"""A match's named groups → a fact's attributes: amounts with their units, shares, counts,
names, codes, comparisons, budget execution (the groups are ``rules.patternspec.CaptureGroup``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import regex

from ..models import Amount, Change, Direction, Execution
from ..text.amounts import make_amount, parse_count, parse_number
from .codes import normalise_code
from .textview import TextView

NUMERIC_GROUPS = (
    "amount",
    "share",
    "count",
    "value",
    "chg_amount",
    "chg_pct",
    "chg_basis_amount",
    "exec_initial",
    "exec_adjusted",
    "exec_budget",
    "exec_pct",
)
_DIRECTIONS: dict[str, Direction] = {
    "增加": "increase",
    "增长": "increase",
    "上升": "increase",
    "提高": "increase",
    "减少": "decrease",
    "下降": "decrease",
    "降低": "decrease",
    "降幅": "decrease",
    "增幅": "increase",
    "多": "increase",  # only before a figure (较上年多0.5万元: DIR in fragments.yaml)
    "少": "decrease",
    "新增": "increase",  # only as NEW_THIS_YEAR captures it (今年新增支出)
    "持平": "flat",
    "基本持平": "flat",
    "相同": "flat",
    "相等": "flat",
    "一致": "flat",
    "无变化": "flat",
    "没有变化": "flat",
    "不变": "flat",
}
_INCLUDES_SPLIT = regex.compile(r"[、,，]|和|及(?!运行|相关)")


def figure_spans(match: regex.Match[str]) -> list[tuple[int, int]]:
    spans = []
    names = match.re.groupindex
    for group in NUMERIC_GROUPS:
        if group in names and match.group(group) is not None:
            start, end = match.span(group)
            unit = f"{group}__unit"
            if unit in names and match.group(unit) is not None:
                end = match.end(unit)
            spans.append((start, end))
    return spans


def groups_of(match: regex.Match[str], view: TextView) -> tuple[dict[str, str], dict[str, str]]:
    """The groups a match captured, as normalised text and in the original characters."""
    groups = {name: value for name, value in match.groupdict().items() if value is not None}
    return groups, {name: view.original(*match.span(name)) for name in groups}


def attributes_from(match: regex.Match[str], view: TextView) -> dict[str, Any]:
    """Fact attributes from the named groups of a match (absent groups are skipped).

    Numbers are read from the normalised text; text values (names, purposes, reasons) and
    the figures' written form are given in the original characters.
    """
    groups, original = groups_of(match, view)
    attributes: dict[str, Any] = {}
    if "amount" in groups:
        attributes["amount"] = _amount(groups, "amount", original)
    if "share" in groups:
        attributes["share"] = parse_number(groups["share"])
    if "count" in groups:
        attributes["count"] = parse_count(groups["count"])
    if "value" in groups:
        attributes["value"] = parse_number(groups["value"])
    for key in ("name", "text", "purpose", "parent_name"):
        if key in groups and groups[key].strip():
            attributes[key] = tidy(original[key])
    if "includes" in groups:
        attributes["includes"] = [
            part.strip()
            for part in _INCLUDES_SPLIT.split(original["includes"].rstrip("等。"))
            if part.strip()
        ]
    code, names = _code_from(groups, original)
    if names:
        attributes["code_names"] = names
    if code:
        attributes["code"] = code
        attributes["code_source"] = "stated"
    change = change_from(groups, original)
    if change is not None:
        attributes["change"] = change
    if "reason" in groups and groups["reason"].strip():
        attributes["reason"] = tidy(original["reason"])
    execution = _execution_from(groups, original)
    if execution is not None:
        attributes["execution"] = execution
    return attributes


def tidy(text: str) -> str:
    """Trim separators, and quotation marks that lost their partner to the match edge."""
    text = text.strip().strip(":：,，、").strip()
    if text.startswith("“") and "”" not in text:
        text = text[1:]
    if text.endswith("”") and "“" not in text:
        text = text[:-1]
    return text.strip('"').strip()


def _amount(groups: dict[str, str], name: str, original: dict[str, str]) -> Amount:
    amount = make_amount(groups[name], groups.get(f"{name}__unit", "万元"))
    written = original.get(name, "") + original.get(f"{name}__unit", "")
    return amount.model_copy(update={"text": written}) if written else amount


def _code_from(groups: dict[str, str], original: dict[str, str]) -> tuple[str | None, list[str]]:
    names = [
        tidy(original[key]) for key in ("name_class", "name_kuan", "name_xiang") if key in groups
    ]
    parts = [groups.get(key) for key in ("code_class", "code_kuan", "code_xiang")]
    if "code" in groups:
        return normalise_code(groups["code"]), names
    if parts[0] is None:
        return None, names
    code = parts[0]
    for part in parts[1:]:
        if part is None:
            break
        code += "-" + part.zfill(2)
    return code, names


def change_from(groups: dict[str, str], original: dict[str, str]) -> Change | None:
    if "chg_dir" not in groups and "chg_basis_amount" not in groups:
        return None
    amount = _amount(groups, "chg_amount", original) if "chg_amount" in groups else None
    percent = parse_number(groups["chg_pct"]) if "chg_pct" in groups else None
    return Change(
        basis=original.get("chg_basis"),
        basis_amount=_amount(groups, "chg_basis_amount", original)
        if "chg_basis_amount" in groups
        else None,
        direction=_direction(groups.get("chg_dir", ""), amount, percent),
        amount=amount,
        percent=percent,
    )


def _direction(word: str, amount: Amount | None, percent: Decimal | None) -> Direction | None:
    """The direction a word states; a template's placeholder (增加（减少）) states none, unless
    the change is nil (增加（减少）0万元 is no change)."""
    if "（" in word or "(" in word:
        nil = (amount is None or amount.wan == 0) and (percent is None or percent == 0)
        return "flat" if nil and (amount is not None or percent is not None) else None
    return _DIRECTIONS.get(word)


def _execution_from(groups: dict[str, str], original: dict[str, str]) -> Execution | None:
    if not any(
        key in groups for key in ("exec_initial", "exec_adjusted", "exec_budget", "exec_pct")
    ):
        return None
    return Execution(
        initial_budget=_amount(groups, "exec_initial", original)
        if "exec_initial" in groups
        else None,
        adjusted_budget=_amount(groups, "exec_adjusted", original)
        if "exec_adjusted" in groups
        else None,
        budget=_amount(groups, "exec_budget", original) if "exec_budget" in groups else None,
        completion_percent=parse_number(groups["exec_pct"]) if "exec_pct" in groups else None,
        completion_basis=groups.get("exec_basis"),
    )
