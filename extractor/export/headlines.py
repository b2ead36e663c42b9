"""The headline figures of summary.csv: one column per concept, each documented.

Each column is the resolved value (see ``extractor.export.resolve``) of one field and measure of
the note; ``direction`` maps it to the Fiscal Data Package (revenue or expenditure)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


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
        "total.income_expenditure",
        "收支总预算 / 收入支出总计: the grand total (income side = expenditure side), 万元",
        None,
    ),
    _amount("total_fiscal", "total.fiscal", "财政拨款收入支出总计 (财政拨款收支总表), 万元", None),
    _amount("income_total", "total.income", "收入预算 / 本年收入合计, 万元", "revenue"),
    _amount("expenditure_total", "total.expenditure", "支出预算 / 本年支出合计, 万元"),
    _amount(
        "income_fiscal_appropriation",
        "income.fiscal_appropriation",
        "财政拨款收入 (all 财政拨款), 万元",
        "revenue",
    ),
    _amount(
        "income_general_budget",
        "income.general_budget",
        "一般公共预算拨款收入, 万元",
        "revenue",
    ),
    _amount(
        "income_government_fund",
        "income.government_fund",
        "政府性基金预算拨款收入, 万元",
        "revenue",
    ),
    _amount(
        "income_state_capital",
        "income.state_capital",
        "国有资本经营预算拨款收入, 万元",
        "revenue",
    ),
    _amount("income_business", "income.business", "事业收入, 万元", "revenue"),
    _amount("income_operating", "income.operating", "事业单位经营收入, 万元", "revenue"),
    _amount("income_superior_subsidy", "income.superior_subsidy", "上级补助收入, 万元", "revenue"),
    _amount("income_affiliated", "income.affiliated", "附属单位上缴收入, 万元", "revenue"),
    _amount("income_other", "income.other", "其他收入, 万元", "revenue"),
    _amount("income_carryover", "income.carryover", "上年结转 / 年初结转和结余, 万元", "revenue"),
    _amount(
        "expenditure_fiscal_appropriation",
        "expenditure.fiscal_appropriation",
        "财政拨款支出, 万元",
    ),
    _amount(
        "expenditure_general_budget",
        "expenditure.general_budget",
        "一般公共预算(财政)拨款支出, 万元",
    ),
    _amount(
        "expenditure_government_fund",
        "expenditure.government_fund",
        "政府性基金预算拨款支出, 万元",
    ),
    _amount(
        "expenditure_state_capital",
        "expenditure.state_capital",
        "国有资本经营预算拨款支出, 万元",
    ),
    _amount("expenditure_basic", "expenditure.basic", "基本支出, 万元"),
    _amount("expenditure_project", "expenditure.project", "项目支出, 万元"),
    _amount("basic_personnel", "basic.personnel", "人员经费 (part of 基本支出), 万元"),
    _amount("basic_public", "basic.public", "公用经费 (part of 基本支出), 万元"),
    _amount("expenditure_carryover", "expenditure.carryover", "年末结转和结余, 万元"),
    _amount("expenditure_reserve", "expenditure.reserve", "单位预留机动经费, 万元"),
    _amount(
        "sangong_total",
        "sangong.total",
        "“三公”经费 total (因公出国（境）费 + 公务接待费 + 公务用车购置及运行费), 万元",
    ),
    Headline(
        "sangong_total_budget",
        "sangong.total",
        "budget",
        "expenditure",
        "决算 notes: the “三公”经费 budget (年初预算 or 预算数) the final figure is measured against, 万元",
    ),
    _amount("sangong_overseas", "sangong.overseas", "因公出国（境）费, 万元"),
    _amount("sangong_reception", "sangong.reception", "公务接待费, 万元"),
    _amount("sangong_vehicle", "sangong.vehicle", "公务用车购置及运行(维护)费, 万元"),
    _amount("sangong_vehicle_purchase", "sangong.vehicle_purchase", "公务用车购置费, 万元"),
    _amount("sangong_vehicle_operation", "sangong.vehicle_operation", "公务用车运行(维护)费, 万元"),
    _count("sangong_vehicles_purchased", "sangong.vehicles_purchased", "公务用车 bought (辆)"),
    _count("sangong_vehicles_held", "sangong.vehicles_held", "公务用车保有量 (辆)"),
    _amount("meetings_total", "meetings.total", "会议费、培训费、差旅费 together, 万元"),
    _amount("meetings_meeting", "meetings.meeting", "会议费, 万元"),
    _amount("meetings_training", "meetings.training", "培训费, 万元"),
    _amount("meetings_travel", "meetings.travel", "差旅费, 万元"),
    _amount("operating_cost", "operating_cost", "机关运行经费, 万元"),
    _amount("procurement_total", "procurement.total", "政府采购 (预算 or 金额), 万元"),
    _amount("procurement_goods", "procurement.goods", "政府采购货物, 万元"),
    _amount("procurement_works", "procurement.works", "政府采购工程, 万元"),
    _amount("procurement_services", "procurement.services", "政府采购服务, 万元"),
    _count("assets_vehicles", "assets.vehicles", "车辆总数 held (国有资产占用情况)"),
    _count(
        "performance_projects",
        "performance.targets",
        "projects with 绩效目标 (编报绩效目标 / 绩效目标管理的项目, 个)",
    ),
    _amount(
        "performance_amount",
        "performance.targets",
        "the budget of the projects with 绩效目标, 万元",
    ),
)
