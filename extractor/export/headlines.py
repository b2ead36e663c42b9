"""The headline figures of summary.csv: one column per concept, each documented.

Each column is the resolved value (see ``extractor.export.resolve``) of one field and measure of
the note; ``direction`` maps it to the Fiscal Data Package (revenue or expenditure)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..fields import FieldName


@dataclass(frozen=True)
class Headline:
    column: str
    field: str
    measure: str  # a measure of extractor.export.resolve.MEASURES
    direction: Literal["revenue", "expenditure"] | None
    description: str


def _amount(
    column: str,
    field: str,
    description: str,
    direction: Literal["revenue", "expenditure"] | None = "expenditure",
) -> Headline:
    return Headline(column, field, "amount", direction, description)


def _count(column: str, field: str, description: str) -> Headline:
    return Headline(column, field, "count", None, description)


HEADLINES: tuple[Headline, ...] = (
    _amount(
        "total_income_expenditure",
        FieldName.TOTAL_INCOME_EXPENDITURE,
        "收支总预算 / 收入支出总计: the grand total (income side = expenditure side), 万元",
        None,
    ),
    _amount(
        "total_fiscal",
        FieldName.TOTAL_FISCAL,
        "财政拨款收入支出总计 (财政拨款收支总表), 万元",
        None,
    ),
    _amount("income_total", FieldName.TOTAL_INCOME, "收入预算 / 本年收入合计, 万元", "revenue"),
    _amount("expenditure_total", FieldName.TOTAL_EXPENDITURE, "支出预算 / 本年支出合计, 万元"),
    _amount(
        "income_fiscal_appropriation",
        FieldName.INCOME_FISCAL_APPROPRIATION,
        "财政拨款收入 (all 财政拨款), 万元",
        "revenue",
    ),
    _amount(
        "income_general_budget",
        FieldName.INCOME_GENERAL_BUDGET,
        "一般公共预算拨款收入, 万元",
        "revenue",
    ),
    _amount(
        "income_government_fund",
        FieldName.INCOME_GOVERNMENT_FUND,
        "政府性基金预算拨款收入, 万元",
        "revenue",
    ),
    _amount(
        "income_state_capital",
        FieldName.INCOME_STATE_CAPITAL,
        "国有资本经营预算拨款收入, 万元",
        "revenue",
    ),
    _amount("income_business", FieldName.INCOME_BUSINESS, "事业收入, 万元", "revenue"),
    _amount("income_operating", FieldName.INCOME_OPERATING, "事业单位经营收入, 万元", "revenue"),
    _amount(
        "income_superior_subsidy",
        FieldName.INCOME_SUPERIOR_SUBSIDY,
        "上级补助收入, 万元",
        "revenue",
    ),
    _amount("income_affiliated", FieldName.INCOME_AFFILIATED, "附属单位上缴收入, 万元", "revenue"),
    _amount("income_other", FieldName.INCOME_OTHER, "其他收入, 万元", "revenue"),
    _amount(
        "income_carryover", FieldName.INCOME_CARRYOVER, "上年结转 / 年初结转和结余, 万元", "revenue"
    ),
    _amount(
        "expenditure_fiscal_appropriation",
        FieldName.EXPENDITURE_FISCAL_APPROPRIATION,
        "财政拨款支出, 万元",
    ),
    _amount(
        "expenditure_general_budget",
        FieldName.EXPENDITURE_GENERAL_BUDGET,
        "一般公共预算(财政)拨款支出, 万元",
    ),
    _amount(
        "expenditure_government_fund",
        FieldName.EXPENDITURE_GOVERNMENT_FUND,
        "政府性基金预算拨款支出, 万元",
    ),
    _amount(
        "expenditure_state_capital",
        FieldName.EXPENDITURE_STATE_CAPITAL,
        "国有资本经营预算拨款支出, 万元",
    ),
    _amount("expenditure_basic", FieldName.EXPENDITURE_BASIC, "基本支出, 万元"),
    _amount("expenditure_project", FieldName.EXPENDITURE_PROJECT, "项目支出, 万元"),
    _amount("basic_personnel", FieldName.BASIC_PERSONNEL, "人员经费 (part of 基本支出), 万元"),
    _amount("basic_public", FieldName.BASIC_PUBLIC, "公用经费 (part of 基本支出), 万元"),
    _amount("expenditure_carryover", FieldName.EXPENDITURE_CARRYOVER, "年末结转和结余, 万元"),
    _amount("expenditure_reserve", FieldName.EXPENDITURE_RESERVE, "单位预留机动经费, 万元"),
    _amount(
        "sangong_total",
        FieldName.SANGONG_TOTAL,
        "“三公”经费 total (因公出国（境）费 + 公务接待费 + 公务用车购置及运行费), 万元",
    ),
    Headline(
        "sangong_total_budget",
        FieldName.SANGONG_TOTAL,
        "budget",
        "expenditure",
        "决算 notes: the “三公”经费 budget (年初预算 or 预算数) the final figure is measured against, 万元",
    ),
    _amount("sangong_overseas", FieldName.SANGONG_OVERSEAS, "因公出国（境）费, 万元"),
    _amount("sangong_reception", FieldName.SANGONG_RECEPTION, "公务接待费, 万元"),
    _amount("sangong_vehicle", FieldName.SANGONG_VEHICLE, "公务用车购置及运行(维护)费, 万元"),
    _amount("sangong_vehicle_purchase", FieldName.SANGONG_VEHICLE_PURCHASE, "公务用车购置费, 万元"),
    _amount(
        "sangong_vehicle_operation",
        FieldName.SANGONG_VEHICLE_OPERATION,
        "公务用车运行(维护)费, 万元",
    ),
    _count(
        "sangong_vehicles_purchased", FieldName.SANGONG_VEHICLES_PURCHASED, "公务用车 bought (辆)"
    ),
    _count("sangong_vehicles_held", FieldName.SANGONG_VEHICLES_HELD, "公务用车保有量 (辆)"),
    _amount("meetings_total", FieldName.MEETINGS_TOTAL, "会议费、培训费、差旅费 together, 万元"),
    _amount("meetings_meeting", FieldName.MEETINGS_MEETING, "会议费, 万元"),
    _amount("meetings_training", FieldName.MEETINGS_TRAINING, "培训费, 万元"),
    _amount("meetings_travel", FieldName.MEETINGS_TRAVEL, "差旅费, 万元"),
    _amount("operating_cost", FieldName.OPERATING_COST, "机关运行经费, 万元"),
    _amount("procurement_total", FieldName.PROCUREMENT_TOTAL, "政府采购 (预算 or 金额), 万元"),
    _amount("procurement_goods", FieldName.PROCUREMENT_GOODS, "政府采购货物, 万元"),
    _amount("procurement_works", FieldName.PROCUREMENT_WORKS, "政府采购工程, 万元"),
    _amount("procurement_services", FieldName.PROCUREMENT_SERVICES, "政府采购服务, 万元"),
    _count("assets_vehicles", FieldName.ASSETS_VEHICLES, "车辆总数 held (国有资产占用情况)"),
    _count(
        "performance_projects",
        FieldName.PERFORMANCE_TARGETS,
        "projects with 绩效目标 (编报绩效目标 / 绩效目标管理的项目, 个)",
    ),
    _amount(
        "performance_amount",
        FieldName.PERFORMANCE_TARGETS,
        "the budget of the projects with 绩效目标, 万元",
    ),
)
