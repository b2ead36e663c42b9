"""The fact vocabulary as names code can check: one member per field of patterns/fields.yaml.

The labels, value kinds and keys stay in the data file (the rule set loads them);
tests/test_fields.py keeps this list and the file equal both ways. ``Fact.field`` holds the
text of a member (members compare equal to it).
"""

from __future__ import annotations

from enum import StrEnum


class FieldName(StrEnum):
    """A key of patterns/fields.yaml."""

    # the document and the unit
    DOCUMENT_YEAR = "document.year"
    DOCUMENT_KIND = "document.kind"
    UNIT_NAME = "unit.name"
    UNIT_PARENT = "unit.parent"
    UNIT_TYPE = "unit.type"
    UNIT_SUBORDINATE_COUNT = "unit.subordinate_count"
    UNIT_COUNT_BY_TYPE = "unit.count_by_type"
    UNIT_MEMBER = "unit.member"
    UNIT_INTERNAL_DEPARTMENTS = "unit.internal_departments"
    STAFF_AUTHORIZED = "staff.authorized"
    STAFF_ACTUAL = "staff.actual"
    STAFF_RETIRED = "staff.retired"

    # totals
    TOTAL_INCOME_EXPENDITURE = "total.income_expenditure"
    TOTAL_FISCAL = "total.fiscal"
    TOTAL_INCOME = "total.income"
    TOTAL_EXPENDITURE = "total.expenditure"

    # income by source
    INCOME_FISCAL_APPROPRIATION = "income.fiscal_appropriation"
    INCOME_GENERAL_BUDGET = "income.general_budget"
    INCOME_GOVERNMENT_FUND = "income.government_fund"
    INCOME_STATE_CAPITAL = "income.state_capital"
    INCOME_BUSINESS = "income.business"
    INCOME_OPERATING = "income.operating"
    INCOME_SUPERIOR_SUBSIDY = "income.superior_subsidy"
    INCOME_AFFILIATED = "income.affiliated"
    INCOME_OTHER = "income.other"
    INCOME_SPECIAL_ACCOUNT = "income.special_account"
    INCOME_OTHER_FUNDS = "income.other_funds"
    INCOME_CARRYOVER = "income.carryover"

    # expenditure
    EXPENDITURE_FISCAL_APPROPRIATION = "expenditure.fiscal_appropriation"
    EXPENDITURE_GENERAL_BUDGET = "expenditure.general_budget"
    EXPENDITURE_GOVERNMENT_FUND = "expenditure.government_fund"
    EXPENDITURE_STATE_CAPITAL = "expenditure.state_capital"
    EXPENDITURE_BASIC = "expenditure.basic"
    EXPENDITURE_PROJECT = "expenditure.project"
    EXPENDITURE_CARRYOVER = "expenditure.carryover"
    EXPENDITURE_RESERVE = "expenditure.reserve"
    EXPENDITURE_CLASS = "expenditure.class"
    EXPENDITURE_ITEM = "expenditure.item"
    EXPENDITURE_ECONOMIC = "expenditure.economic"

    # basic expenditure by economic nature
    BASIC_PERSONNEL = "basic.personnel"
    BASIC_PUBLIC = "basic.public"

    # 三公经费
    SANGONG_TOTAL = "sangong.total"
    SANGONG_OVERSEAS = "sangong.overseas"
    SANGONG_RECEPTION = "sangong.reception"
    SANGONG_VEHICLE = "sangong.vehicle"
    SANGONG_VEHICLE_PURCHASE = "sangong.vehicle_purchase"
    SANGONG_VEHICLE_OPERATION = "sangong.vehicle_operation"
    SANGONG_OVERSEAS_GROUPS = "sangong.overseas_groups"
    SANGONG_OVERSEAS_PEOPLE = "sangong.overseas_people"
    SANGONG_RECEPTION_BATCHES = "sangong.reception_batches"
    SANGONG_RECEPTION_PEOPLE = "sangong.reception_people"
    SANGONG_VEHICLES_PURCHASED = "sangong.vehicles_purchased"
    SANGONG_VEHICLES_HELD = "sangong.vehicles_held"

    # 会议费、培训费、差旅费
    MEETINGS_TOTAL = "meetings.total"
    MEETINGS_MEETING = "meetings.meeting"
    MEETINGS_TRAINING = "meetings.training"
    MEETINGS_TRAVEL = "meetings.travel"

    # other important matters
    OPERATING_COST = "operating_cost"
    PROCUREMENT_TOTAL = "procurement.total"
    PROCUREMENT_GOODS = "procurement.goods"
    PROCUREMENT_WORKS = "procurement.works"
    PROCUREMENT_SERVICES = "procurement.services"
    PROCUREMENT_SME_RESERVED = "procurement.sme_reserved"
    PROCUREMENT_SMALL_MICRO_RESERVED = "procurement.small_micro_reserved"
    PROCUREMENT_SME_AWARDED = "procurement.sme_awarded"
    PROCUREMENT_SMALL_MICRO_AWARDED = "procurement.small_micro_awarded"
    PROCUREMENT_OTHER_SME_AWARDED = "procurement.other_sme_awarded"
    PROCUREMENT_SME_CONTRACTS = "procurement.sme_contracts"
    PROCUREMENT_SMALL_MICRO_CONTRACTS = "procurement.small_micro_contracts"
    ASSETS_VEHICLES = "assets.vehicles"
    ASSETS_VEHICLE_KIND = "assets.vehicle_kind"
    ASSETS_LARGE_EQUIPMENT = "assets.large_equipment"
    ASSETS_PLANNED_VEHICLES = "assets.planned_vehicles"
    ASSETS_PLANNED_VEHICLE_KIND = "assets.planned_vehicle_kind"
    ASSETS_PLANNED_LARGE_EQUIPMENT = "assets.planned_large_equipment"
    PERFORMANCE_UNITS = "performance.units"
    PERFORMANCE_TARGETS = "performance.targets"
    PERFORMANCE_KIND = "performance.kind"
    PERFORMANCE_MONITORING = "performance.monitoring"
    PERFORMANCE_SELF_EVALUATION = "performance.self_evaluation"
    PERFORMANCE_EVALUATION = "performance.evaluation"
    PERFORMANCE_AVERAGE_SCORE = "performance.average_score"
    PERFORMANCE_RATING = "performance.rating"
    PERFORMANCE_ISSUES_FOUND = "performance.issues_found"
    PERFORMANCE_ISSUES_FIXED = "performance.issues_fixed"
    PERFORMANCE_ISSUES_IN_PROGRESS = "performance.issues_in_progress"
    PROJECT_TOTAL = "project.total"
    PROJECT_COMPONENT = "project.component"

    # glossary
    GLOSSARY_TERM = "glossary.term"
