"""Generate the benchmark corpus: dozens of realistic budget notes, PDF and DOCX, 4–40 pages.

    python bench/make_corpus.py                      # 48 documents into bench/corpus/
    python bench/make_corpus.py --count 24 --seed 7  # fewer, another draw
    python bench/make_corpus.py --include-shared     # also list the 7 real PDFs of ../shared

Every document is drawn from a fixed seed, so a re-run writes the same bytes. The notes follow
the outline and wording of ``samples/seed.txt`` (一、…十二、 with （一） subsections, 类-款-项
lines, “三公” statement, 名词解释) and the table layout of ``scripts/make_samples.py``
(财务收支预算总表, 部门支出预算总表 with 类/款/项 columns and merged headers, “三公” table), with the
unit name, year and amounts varied. Amounts are drawn per 项 in 元 and every total, share and
breakdown in the text and tables is computed from them, so the figures agree with each other.
Length is reached the way real notes get long: more 类-款-项 items, more work items, more
项目经费情况说明 statements, longer tables and more of them.

Half the documents are PDF and half DOCX; within each format half are narrative-only notes
("text") and half carry the standard tables ("tables"). ``bench/corpus/manifest.json`` lists
each file with its kind and page count (for a DOCX: the pages of the same content rendered as
PDF, since a DOCX has no fixed pages). ``--include-shared`` adds the real PDFs of
``../shared/corpus/files/`` to the manifest by absolute path; they are read in place, never
copied.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
import tempfile
import time
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from render import Block, read_seed_blocks, render_docx, render_pdf  # noqa: E402

DEFAULT_OUT = ROOT / "bench" / "corpus"
SHARED = ROOT.parent / "shared" / "corpus" / "files"
SEED_TEXT = ROOT / "samples" / "seed.txt"
D = Decimal
CENT = D("0.01")

# --------------------------------------------------------------------------------------------
# Vocabulary: units, function classification (类/款/项), projects, work items
# --------------------------------------------------------------------------------------------

CITIES = ["青川市", "临江市", "南屏市", "北岭市", "东陵市", "西溪市", "云泽市", "白塔市"]
DISTRICTS = ["东湖区", "西山区", "城南区", "江北区", "河西区", "新城区", "湖滨区", "北塘区"]
# (department, short form without the district prefix, main 类-款, duties)
DEPARTMENTS = [
    ("司法局", "司法局", ("204", "06"), "全区法治建设、普法宣传、人民调解、社区矫正和法律援助等工作"),
    ("政务服务便民热线中心", "热线中心", ("201", "03"),
     "全区效能建设、12345便民热线办理、软环境治理及网格化管理中疑难问题办理工作"),
    ("统计局", "统计局", ("201", "05"), "全区统计调查、统计监督、国民经济核算和普查工作"),
    ("财政局", "财政局", ("201", "06"), "全区财政收支管理、国库集中支付、政府采购监督管理和财政信息化建设"),
    ("商务委员会", "商务委", ("216", "02"), "全区商贸流通、招商引资、外商投资服务和粮食物资储备管理"),
    ("文化和旅游局", "文旅局", ("207", "01"), "全区公共文化服务、文物保护、旅游市场管理和群众文化活动"),
    ("民政局", "民政局", ("208", "02"), "全区社会救助、养老服务、社会组织管理和基层政权建设"),
    ("生态环境局", "生态环境局", ("211", "01"), "全区生态环境保护、污染防治和环境监测执法"),
    ("城市管理局", "城管局", ("212", "01"), "全区市容环境卫生、城市管理综合执法和市政设施维护"),
    ("农业农村局", "农业农村局", ("213", "01"), "全区农业生产、农村改革、乡村振兴和农产品质量安全监管"),
    ("应急管理局", "应急局", ("224", "01"), "全区应急管理、安全生产监管、防灾减灾救灾和应急物资储备"),
    ("人力资源和社会保障局", "人社局", ("208", "01"), "全区就业创业、社会保险、人才工作和劳动关系协调"),
]
CLASSES = {
    "201": "一般公共服务支出", "204": "公共安全支出", "205": "教育支出",
    "207": "文化旅游体育与传媒支出", "208": "社会保障和就业支出", "210": "卫生健康支出",
    "211": "节能环保支出", "212": "城乡社区支出", "213": "农林水支出", "216": "商业服务业等支出",
    "221": "住房保障支出", "224": "灾害防治及应急管理支出",
}
KUAN = {
    ("201", "03"): "政府办公厅（室）及相关机构事务", ("201", "05"): "统计信息事务",
    ("201", "06"): "财政事务", ("201", "99"): "其他一般公共服务支出",
    ("204", "06"): "司法", ("205", "08"): "进修及培训", ("207", "01"): "文化和旅游",
    ("208", "01"): "人力资源和社会保障管理事务", ("208", "02"): "民政管理事务",
    ("208", "05"): "行政事业单位养老支出", ("208", "08"): "抚恤",
    ("208", "99"): "其他社会保障和就业支出", ("210", "11"): "行政事业单位医疗",
    ("211", "01"): "环境保护管理事务", ("212", "01"): "城乡社区管理事务",
    ("213", "01"): "农业农村", ("216", "02"): "商业流通事务", ("221", "02"): "住房改革支出",
    ("224", "01"): "应急管理事务",
}
# 项 per 款: (code, name); "行政运行"/"事业运行" and the personnel 款 are 基本支出, the rest 项目支出.
XIANG = {
    ("201", "03"): [("01", "行政运行"), ("02", "一般行政管理事务"), ("50", "事业运行"),
                    ("99", "其他政府办公厅（室）及相关机构事务支出")],
    ("201", "05"): [("01", "行政运行"), ("02", "一般行政管理事务"), ("07", "专项普查活动"),
                    ("08", "统计抽样调查"), ("99", "其他统计信息事务支出")],
    ("201", "06"): [("01", "行政运行"), ("02", "一般行政管理事务"), ("05", "财政国库业务"),
                    ("07", "信息化建设"), ("50", "事业运行"), ("99", "其他财政事务支出")],
    ("201", "99"): [("99", "其他一般公共服务支出")],
    ("204", "06"): [("01", "行政运行"), ("02", "一般行政管理事务"), ("04", "基层司法业务"),
                    ("05", "普法宣传"), ("07", "法律援助"), ("10", "社区矫正"), ("99", "其他司法支出")],
    ("205", "08"): [("03", "培训支出")],
    ("207", "01"): [("01", "行政运行"), ("02", "一般行政管理事务"), ("09", "群众文化"),
                    ("12", "文化和旅游交流与合作"), ("99", "其他文化和旅游支出")],
    ("208", "01"): [("01", "行政运行"), ("02", "一般行政管理事务"), ("09", "社会保险经办机构"),
                    ("99", "其他人力资源和社会保障管理事务支出")],
    ("208", "02"): [("01", "行政运行"), ("02", "一般行政管理事务"), ("06", "社会组织管理"),
                    ("08", "基层政权建设和社区治理")],
    ("208", "05"): [("01", "行政单位离退休"), ("02", "事业单位离退休"),
                    ("05", "机关事业单位基本养老保险缴费支出"), ("06", "机关事业单位职业年金缴费支出"),
                    ("99", "其他行政事业单位养老支出")],
    ("208", "08"): [("01", "死亡抚恤")],
    ("208", "99"): [("99", "其他社会保障和就业支出")],
    ("210", "11"): [("01", "行政单位医疗"), ("02", "事业单位医疗"), ("03", "公务员医疗补助"),
                    ("99", "其他行政事业单位医疗支出")],
    ("211", "01"): [("01", "行政运行"), ("02", "一般行政管理事务"), ("99", "其他环境保护管理事务支出")],
    ("212", "01"): [("01", "行政运行"), ("02", "一般行政管理事务"), ("04", "城管执法"),
                    ("99", "其他城乡社区管理事务支出")],
    ("213", "01"): [("01", "行政运行"), ("02", "一般行政管理事务"), ("04", "事业运行"),
                    ("08", "病虫害控制"), ("99", "其他农业农村支出")],
    ("216", "02"): [("01", "行政运行"), ("02", "一般行政管理事务"), ("99", "其他商业流通事务支出")],
    ("221", "02"): [("01", "住房公积金"), ("02", "提租补贴"), ("03", "购房补贴")],
    ("224", "01"): [("01", "行政运行"), ("02", "一般行政管理事务"), ("06", "安全监管"),
                    ("09", "应急救援"), ("99", "其他应急管理支出")],
}
PERSONNEL_KUAN = {("208", "05"), ("208", "08"), ("210", "11"), ("221", "02")}
COMMON = [("208", "05", "05"), ("208", "05", "06"), ("210", "11", "01"), ("221", "02", "01")]
PURPOSES = {
    "行政运行": "行政单位的基本支出，包括在职人员工资福利等人员经费和办公费、印刷费、邮电费、差旅费等日常公用经费",
    "事业运行": "所属事业单位正常运转的基本支出，包括事业人员基本工资、绩效工资等人员经费以及日常公用经费",
    "一般行政管理事务": "未单独设置项级科目的其他项目支出，主要保障业务工作正常开展",
    "信息化建设": "业务信息系统运行维护、网络安全和数据中心服务等方面的支出",
    "行政单位离退休": "行政单位离退休人员的离退休费及相关补贴",
    "事业单位离退休": "事业单位离退休人员的离退休费及相关补贴",
    "机关事业单位基本养老保险缴费支出": "单位按规定为职工缴纳的基本养老保险费",
    "机关事业单位职业年金缴费支出": "单位按规定为职工缴纳的职业年金",
    "行政单位医疗": "行政单位职工基本医疗保险缴费",
    "事业单位医疗": "事业单位职工基本医疗保险缴费",
    "公务员医疗补助": "按规定缴纳的公务员医疗补助",
    "住房公积金": "单位按规定为职工缴存的住房公积金",
    "提租补贴": "按规定发放的提租补贴",
    "购房补贴": "按规定发放的购房补贴",
    "死亡抚恤": "按规定发放的死亡抚恤金",
}
PROJECT_TOPICS = [
    "业务信息系统运行维护", "法治宣传教育", "人民调解工作", "社区矫正管理", "法律援助服务",
    "便民热线运营", "统计调查与监测", "营商环境优化", "档案数字化加工", "安全生产专项检查",
    "应急物资储备", "志愿服务组织", "干部教育培训", "办公用房维修改造", "政府购买服务",
    "基层治理网格化", "公共文化活动", "农产品质量检测", "环境监测运行", "市容环境整治",
    "行政执法装备", "专家咨询论证", "第三方绩效评价", "数据共享交换平台", "政务公开",
    "重点企业服务", "招商引资推介", "节假日市场保供", "消防安全宣传", "防汛抗旱准备",
]
PROJECT_PARTS = ["人员劳务费", "设备购置费", "运行维护费", "宣传印刷费", "委托业务费",
                 "咨询评审费", "培训会务费", "差旅交通费", "物资采购费", "软件服务费"]
WORK_ITEMS = [
    "强化效能驱动。严格落实营商环境涉企诉求工作规则，办理上级转交的涉企诉求，积极参与全区营商环境优化和作风建设专项督查，充分发挥效能保障作用。",
    "强化业务办理。夯实办理制度，强化规范办件，落实全面回访，实行工单质检，压实各级责任；坚持数据导向，落实日分析、周梳理、月通报、年总结工作机制。",
    "强化基层治理。推动责任向基层延伸，以联动工作体系为着力点，提升基层治理能力，严把交办、办理、回访三关，最大程度争取群众认可和支持。",
    "深化法治政府建设。健全重大行政决策合法性审查机制，落实行政规范性文件备案审查制度，推进严格规范公正文明执法。",
    "提升公共服务水平。优化办事流程，压缩办理时限，推行一窗受理、集成服务，进一步提升群众和企业的获得感。",
    "加强队伍建设。坚持党建引领，开展业务培训和岗位练兵，完善绩效考核办法，打造一支政治过硬、作风优良的干部队伍。",
    "推进数字化转型。整合业务系统和数据资源，推进数据共享和业务协同，提升信息化支撑能力和网络安全防护水平。",
    "抓好安全稳定。健全风险排查和应急处置机制，落实安全生产责任制，开展隐患排查整治，确保全年不发生重大安全事故。",
    "加强预算绩效管理。全面实施预算绩效目标管理，做好绩效运行监控和绩效自评，强化评价结果运用。",
    "深化政务公开。按规定公开部门预决算和“三公”经费，主动接受社会监督，提高财政资金使用透明度。",
]
NUMERALS = "一二三四五六七八九十"


def chinese_number(value: int) -> str:
    """1 → 一, 12 → 十二, 40 → 四十, 105 → 一百零五 (up to 999)."""
    if value >= 100:
        hundreds, rest = divmod(value, 100)
        tail = "" if not rest else ("零" + chinese_number(rest) if rest < 10 else
                                    (("一" + chinese_number(rest)) if rest < 20 else chinese_number(rest)))
        return NUMERALS[hundreds - 1] + "百" + tail
    if value <= 10:
        return NUMERALS[value - 1]
    tens, ones = divmod(value, 10)
    return ("" if tens == 1 else NUMERALS[tens - 1]) + "十" + (NUMERALS[ones - 1] if ones else "")


def wan(yuan: Decimal) -> Decimal:
    return (yuan / 10000).quantize(CENT, rounding=ROUND_HALF_UP)


def share(part: Decimal, whole: Decimal) -> Decimal:
    return (part / whole * 100).quantize(CENT, rounding=ROUND_HALF_UP) if whole else D(0)


def yuan_text(value: Decimal) -> str:
    return f"{value:,.2f}"


# --------------------------------------------------------------------------------------------
# One document's figures
# --------------------------------------------------------------------------------------------


@dataclass
class Item:
    lei: str
    kuan: str
    xiang: str
    name: str
    basic: Decimal  # 元
    project: Decimal  # 元

    @property
    def total(self) -> Decimal:
        return self.basic + self.project


@dataclass
class Project:
    name: str
    item: Item  # the 类-款-项 it is paid from
    amount: Decimal  # 元
    parts: list[tuple[str, Decimal]]  # (component, 万元), adding up to wan(amount)

    @property
    def total(self) -> Decimal:
        return sum((amount for _n, amount in self.parts), D(0))


@dataclass
class Spec:
    index: int
    fmt: str  # pdf | docx
    kind: str  # text | tables
    target_pages: int
    unit: str
    short: str
    district: str
    duties: str
    year: int
    main: tuple[str, str]
    items: list[Item]
    work: list[str]
    projects: list[Project] = field(default_factory=list)
    full_tables: bool = True  # five standard tables; False: three, as samples/tables_note
    compact: bool = False  # trailing zeros dropped in 万元 figures (221.10 → 221.1)
    rng_state: Any = None

    @property
    def name(self) -> str:
        return f"{self.index:02d}_{self.kind}_{self.year}_{self.short}.{self.fmt}"


def draw_items(rng: random.Random, main: tuple[str, str], count: int, scale: float) -> list[Item]:
    chosen: list[tuple[str, str, str]] = [(*main, code) for code, _ in XIANG[main]]
    for key in COMMON:
        if key not in chosen:
            chosen.append(key)
    others = [(lei, kuan, code) for (lei, kuan), xs in XIANG.items() for code, _ in xs
              if (lei, kuan, code) not in chosen]
    rng.shuffle(others)
    while len(chosen) < count and others:
        chosen.append(others.pop())
    chosen = chosen[:max(count, len(XIANG[main]) + len(COMMON))]
    items = []
    for lei, kuan, code in sorted(chosen):
        name = dict(XIANG[(lei, kuan)])[code]
        personnel = (lei, kuan) in PERSONNEL_KUAN or name in ("行政运行", "事业运行")
        if name == "行政运行":
            amount = rng.uniform(150, 700)
        elif name == "事业运行":
            amount = rng.uniform(60, 300)
        elif personnel:
            amount = rng.uniform(3, 90)
        else:
            amount = rng.uniform(2, 350)
        yuan = D(round(amount * scale * 10000 * 100)) / 100
        items.append(Item(lei, kuan, code, name, yuan if personnel else D(0),
                          D(0) if personnel else yuan))
    return items


def draw_projects(rng: random.Random, items: list[Item], count: int) -> list[Project]:
    """``count`` project statements, each paid from a 项目支出 item; the projects of an item add
    up to its amount (every project item gets at least one once ``count`` allows)."""
    funded = [item for item in items if item.project > 0]
    if count <= 0 or not funded:
        return []
    owners = [funded[n % len(funded)] for n in range(count)]
    projects = []
    for item in funded:
        mine = [n for n, owner in enumerate(owners) if owner is item]
        if not mine:
            continue
        weights = [rng.uniform(0.5, 3) for _ in mine]
        amounts = [(item.project * D(w / sum(weights))).quantize(CENT) for w in weights]
        amounts[-1] += item.project - sum(amounts, D(0))
        for number, amount in zip(mine, amounts, strict=True):
            topic = PROJECT_TOPICS[number % len(PROJECT_TOPICS)]
            batch = number // len(PROJECT_TOPICS)
            name = f"{topic}项目" if not batch else f"{topic}（第{batch + 1}批）项目"
            names = rng.sample(PROJECT_PARTS, rng.randint(2, 4))
            whole = wan(amount)
            cuts = sorted(D(rng.randint(5, 95)) / 100 for _ in range(len(names) - 1))
            edges = [D(0), *cuts, D(1)]
            parts = [(part, (whole * (high - low)).quantize(CENT))
                     for (low, high), part in zip(itertools.pairwise(edges), names, strict=True)]
            parts[-1] = (parts[-1][0], whole - sum((a for _n, a in parts[:-1]), D(0)))
            projects.append((number, Project(name, item, amount, parts)))
    return [project for _n, project in sorted(projects, key=lambda pair: pair[0])]


# --------------------------------------------------------------------------------------------
# Narrative, in the seed's outline and wording
# --------------------------------------------------------------------------------------------


def seed_prose() -> dict[str, str]:
    """Paragraphs of the seed that carry no figures, keyed by what they say."""
    blocks = read_seed_blocks(SEED_TEXT.read_bytes().decode("utf-8"))
    paras = [text for kind, text in blocks if kind == "para"]

    def find(prefix: str) -> str:
        return next(p for p in paras if p.startswith(prefix))

    return {
        "abroad": find("（一）因公出国（境）经费"),
        "reception": find("（二）公务接待费"),
        "reception_use": find("2024年公务接待费计划用于"),
        "cars": find("（三）公务用车购置及运行维护费"),
        "meeting": find("（一）会议费"),
        "training": find("（二）培训费"),
        "travel": find("（三）差旅费"),
        "fund": find("区热线中心2024年没有使用政府性基金"),
        "capital": find("区热线中心2024年没有使用国有资本经营"),
        "glossary": "\n".join(p for p in paras if p[:2] in ("1.", "2.", "3.", "4.", "5.")
                              and ("：指" in p or "经费：" in p)),
    }


def adapt(text: str, spec: Spec) -> str:
    """Seed wording → this unit and year."""
    return (text.replace("遂宁市安居区政务服务便民热线中心", spec.unit)
            .replace("安居区热线中心", spec.short).replace("区热线中心", spec.short)
            .replace("2024", str(spec.year)).replace("2023", str(spec.year - 1)))


class Writer:
    def __init__(self, spec: Spec, rng: random.Random) -> None:
        self.spec = spec
        self.rng = rng
        self.blocks: list[Block] = []
        self.headings = 0

    def w(self, value: Decimal) -> str:
        text = f"{value:.2f}"
        if self.spec.compact and "." in text:
            text = text.rstrip("0").rstrip(".")
        return text

    def heading(self, text: str) -> None:
        self.headings += 1
        self.blocks.append(("heading", f"{chinese_number(self.headings)}、{text}"))

    def sub(self, number: int, text: str) -> None:
        self.blocks.append(("subheading", f"（{chinese_number(number)}）{text}"))

    def para(self, text: str) -> None:
        self.blocks.append(("para", text))

    def change(self) -> str:
        amount = D(self.rng.randint(0, 9000)) / 100
        if amount == 0:
            return "持平"
        return f"{self.rng.choice(['增加', '减少'])}{self.w(amount)}万元"


def narrative(spec: Spec, rng: random.Random) -> list[Block]:
    s, y, short = spec, spec.year, spec.short
    prose = {key: adapt(text, spec) for key, text in seed_prose().items()}
    out = Writer(spec, rng)
    items = spec.items
    total_y = sum((i.total for i in items), D(0))
    basic_y = sum((i.basic for i in items), D(0))
    project_y = sum((i.project for i in items), D(0))
    total, basic, project = wan(total_y), wan(basic_y), wan(project_y)
    classes: dict[str, Decimal] = {}
    for item in items:
        classes[item.lei] = classes.get(item.lei, D(0)) + item.total
    class_wan = {code: wan(amount) for code, amount in classes.items()}
    class_names = "、".join(CLASSES[c] for c in classes)

    out.blocks += [("title", s.unit), ("title", f"{y}年部门预算编制说明")]
    out.heading("基本职能及主要工作")
    out.sub(1, "职能简介")
    out.para(f"{s.unit}（以下简称{short}）主要负责{s.duties}。")
    out.sub(2, f"{y}年重点工作")
    out.para(f"{y}年，{short}将继续围绕区委、区政府中心工作，总结经验、多措并举、创新而为，"
             "不断提升服务质量和工作效能。")
    for number, text in enumerate(s.work, start=1):
        out.para(f"{number}.{text}")

    out.heading("部门预算单位构成")
    units = rng.randint(0, 4)
    if units:
        out.para(f"{short}部门预算由机关本级及下属{units}个事业单位的收支预算组成，"
                 f"均纳入{y}年部门预算编制范围。")
    else:
        out.para(f"{s.unit}无下属二级预算单位，部门预算即为机关本级预算。")

    out.heading("收支预算情况说明")
    out.para(f"按照综合预算的原则，{short}所有收入和支出均纳入部门预算管理。收入包括：一般公共预算"
             f"拨款收入；支出包括：{class_names}。{short}{y}年收支总预算{out.w(total)}万元，较"
             f"{y - 1}年收支预算总数{out.change()}，主要是人员经费和项目经费调整。")
    out.sub(1, "收入预算情况")
    out.para(f"{short}{y}年一般公共预算拨款收入{out.w(total)}万元，政府性基金预算收入0万元，"
             "国有资本经营预算收入0万元。（表2）")
    out.sub(2, "支出预算情况")
    out.para(f"{short}{y}年支出预算{out.w(total)}万元，其中：基本支出{out.w(basic)}万元，占"
             f"{share(basic_y, total_y)}%；项目支出{out.w(project)}万元，占"
             f"{D(100) - share(basic_y, total_y)}%。（表1-2）")

    out.heading("财政拨款收支预算情况说明")
    listing = "、".join(f"{CLASSES[c]}{out.w(v)}万元" for c, v in class_wan.items())
    out.para(f"{short}{y}年财政拨款收支总预算{out.w(total)}万元。收入包括：本年一般公共预算拨款收入"
             f"{out.w(total)}万元；支出包括：{listing}。")

    out.heading("一般公共预算当年拨款情况说明")
    out.sub(1, "一般公共预算当年拨款规模变化情况")
    out.para(f"{short}{y}年一般公共预算当年拨款{out.w(total)}万元，比{y - 1}年预算{out.change()}，"
             "主要原因是人员变动及项目安排调整。")
    out.sub(2, "一般公共预算当年拨款结构情况")
    out.para("；".join(f"{CLASSES[c]}{out.w(v)}万元，占{share(classes[c], total_y)}%"
                      for c, v in class_wan.items()) + "。")
    out.sub(3, "一般公共预算当年拨款具体使用情况")
    for number, item in enumerate(items, start=1):
        purpose = PURPOSES.get(item.name, f"{item.name}方面的工作支出")
        text = (f"{number}. {CLASSES[item.lei]}（{item.lei}类）{KUAN[(item.lei, item.kuan)]}"
                f"（{item.kuan}款）{item.name}（{item.xiang}项）：{y}年预算数为"
                f"{out.w(wan(item.total))}万元，主要用于{purpose}。")
        if rng.random() < 0.5:
            pct = D(rng.randint(1, 4000)) / 100
            text += (f"比{y - 1}年预算{rng.choice(['增加', '减少'])}{pct}%，主要原因是"
                     f"{rng.choice(['人员变动', '项目调整', '工资标准调整', '业务量增加'])}。")
        out.para(text)

    personnel = (basic * D(rng.uniform(0.78, 0.92))).quantize(CENT)
    public = basic - personnel
    out.heading("一般公共预算基本支出情况说明")
    out.para(f"{short}{y}年一般公共预算基本支出{out.w(basic)}万元，其中：")
    out.para(f"人员经费{out.w(personnel)}万元，主要包括：基本工资、津贴补贴、绩效工资、机关事业单位"
             "基本养老保险缴费、职工基本医疗保险、住房公积金、其他工资福利支出。")
    out.para(f"公用经费{out.w(public)}万元，主要包括：办公费、手续费、维护费、公务接待费、委托业务费、"
             "工会经费、福利费、公务用车运行维护费、其他商品和服务支出。")

    abroad = D(rng.choice([0, 0, 0, 240, 480])) / 100
    reception = D(rng.randint(30, 400)) / 100
    purchase = D(rng.choice([0, 0, 0, 1800, 2500]))
    running = D(rng.randint(100, 1200)) / 100
    cars = purchase + running
    sangong = abroad + reception + cars
    out.heading("“三公”经费财政拨款预算安排情况说明")
    out.para(f"{short}{y}年“三公”经费财政拨款预算数{out.w(sangong)}万元，其中：因公出国（境）经费"
             f"{out.w(abroad)}万元，公务接待费{out.w(reception)}万元，公务用车购置及运行维护费"
             f"{out.w(cars)}万元。")
    out.para(prose["abroad"])
    out.para(prose["reception"])
    out.para(prose["reception_use"])
    out.para(prose["cars"])
    vehicles = rng.randint(1, 6)
    out.para(f"{y}年安排公务用车购置费{out.w(purchase)}万元。")
    out.para(f"{y}年安排公务用车运行维护费{out.w(running)}万元，用于{vehicles}辆公务用车燃油、过路（桥）、"
             "维修、保险等方面支出，主要保障单位公务用车等工作开展。")

    meeting, training, travel = (D(rng.randint(0, 600)) / 100 for _ in range(3))
    out.heading("“会议费”“培训费”“差旅费”财政拨款预算安排情况说明")
    out.para(f"{short}{y}年“会议费”“培训费”“差旅费”财政拨款预算数"
             f"{out.w(meeting + training + travel)}万元，其中：会议费{out.w(meeting)}万元，培训费"
             f"{out.w(training)}万元，差旅费{out.w(travel)}万元。")
    for key in ("meeting", "training", "travel"):
        out.para(prose[key])

    out.heading("政府性基金预算支出情况说明")
    out.para(prose["fund"])
    out.heading("国有资本经营预算支出情况说明")
    out.para(prose["capital"])

    out.heading("其他重要事项的情况说明")
    out.sub(1, "机关运行经费")
    out.para(f"{y}年{short}机关运行经费财政拨款预算为{out.w(public)}万元，比{y - 1}年预算"
             f"{out.change()}。")
    goods, works, services = (D(rng.randint(0, 30000)) / 100 for _ in range(3))
    out.sub(2, "政府采购情况")
    out.para(f"{y}年本部门政府采购预算{out.w(goods + works + services)}万元，其中：政府采购货物预算"
             f"{out.w(goods)}万元、政府采购工程预算{out.w(works)}万元、政府采购服务预算"
             f"{out.w(services)}万元。")
    out.sub(3, "国有资产占有使用情况")
    enforcement = rng.randint(0, vehicles)
    out.para(f"截至{y - 1}年底，{short}所属各预算单位共有车辆{vehicles}辆，其中，地厅级领导干部用车0辆、"
             f"定向保障用车0辆、执法执勤用车{enforcement}辆、其他用车{vehicles - enforcement}辆。"
             "单位价值200万元以上大型设备0台（套）。")
    out.para(f"{y}年部门预算未安排购置车辆及单位价值200万元以上大型设备。")
    out.sub(4, "预算绩效情况")
    n_people, n_running = rng.randint(5, 14), rng.randint(2, 6)
    n_target = max(len(spec.projects), sum(1 for i in items if i.project > 0), 1)
    out.para(f"{y}年，{short}开展绩效目标管理的项目{n_people + n_running + n_target}个，涉及预算"
             f"{out.w(total)}万元。其中：人员类项目{n_people}个，涉及预算{out.w(personnel)}万元；"
             f"运转类项目{n_running}个，涉及预算{out.w(public)}万元；特定目标类项目{n_target}个，"
             f"涉及预算{out.w(project)}万元。")

    if spec.projects:
        out.heading("项目经费情况说明")
        for number, statement in enumerate(spec.projects, start=1):
            out.sub(number, f"{statement.name}经费情况说明")
            parts = "，".join(f"{name}{out.w(amount)}万元" for name, amount in statement.parts)
            paid = statement.item
            source = (f"{CLASSES[paid.lei]}（{paid.lei}类）{KUAN[(paid.lei, paid.kuan)]}"
                      f"（{paid.kuan}款）{paid.name}（{paid.xiang}项）")
            out.para(f"{y}年度项目总预算{out.w(statement.total)}万元，其中{parts}。资金列{source}。")
            topic = statement.name.removesuffix("项目")
            out.para(f"立项依据：根据{y - 1}年区委、区政府工作部署及{short}“三定”规定，为保障{topic}工作"
                     f"持续开展而设立。项目实施主体为{short}{rng.choice(['机关本级', '下属事业单位', '相关业务科室'])}，"
                     f"实施周期为{y}年1月至12月。")
            out.para(f"项目主要内容：一是做好{topic}的组织实施和日常管理；二是按规定开展政府采购，择优选择服务"
                     "供应商；三是加强过程监督和资金管理，按进度拨付资金，做到专款专用。")
            basis = "；".join(f"{name}{out.w(amount)}万元，按{rng.choice(['上年实际支出', '合同约定', '市场询价', '支出标准', '工作量'])}测算"
                             for name, amount in statement.parts)
            out.para(f"资金测算依据：{basis}。")
            out.para("项目实施计划：第一季度完成方案制定和采购准备；第二季度组织实施并开展中期检查；"
                     "第三季度推进重点任务并做好绩效运行监控；第四季度完成验收、资金结算和绩效自评。")
            out.para(f"绩效目标：产出指标方面，计划完成相关工作任务{rng.randint(3, 60)}项，完成率达到"
                     f"{rng.randint(90, 100)}%，按时完成率不低于{rng.randint(90, 100)}%；效益指标方面，"
                     f"服务对象覆盖率不低于{rng.randint(80, 99)}%，有效投诉率控制在{rng.randint(1, 5)}%以内；"
                     f"满意度指标方面，服务对象满意度不低于{rng.randint(85, 98)}%。")

    out.heading("名词解释")
    for line in prose["glossary"].split("\n"):
        out.para(line)
    for number, item in enumerate(items, start=6):
        purpose = PURPOSES.get(item.name, f"用于{item.name}方面的支出")
        out.para(f"{number}. {CLASSES[item.lei].removesuffix('支出')}（类）{KUAN[(item.lei, item.kuan)]}"
                 f"（款）{item.name}（项）：指{purpose}。")
    return out.blocks


# --------------------------------------------------------------------------------------------
# Tables, in the layout of scripts/make_samples.py (tables_note)
# --------------------------------------------------------------------------------------------


def table_balance(spec: Spec, title: str) -> dict[str, Any]:
    total = sum((i.total for i in spec.items), D(0))
    classes: dict[str, Decimal] = {}
    for item in spec.items:
        classes[item.lei] = classes.get(item.lei, D(0)) + item.total
    zero = yuan_text(D(0))
    left = [("一、财政拨款收入", yuan_text(total)), ("1. 一般公共预算", yuan_text(total)),
            ("2. 政府性基金预算", zero), ("3. 国有资本经营预算", zero), ("二、事业收入", zero),
            ("三、事业单位经营收入", zero), ("四、其他收入", zero)]
    right = [(f"{chinese_number(n)}、{CLASSES[c]}", yuan_text(v))
             for n, (c, v) in enumerate(classes.items(), start=1)]
    rows = []
    for index in range(max(len(left), len(right))):
        a = left[index] if index < len(left) else ("", "")
        b = right[index] if index < len(right) else ("", "")
        rows.append([a[0], a[1], b[0], b[1]])
    rows.append(["收入总计", yuan_text(total), "支出总计", yuan_text(total)])
    return {
        "title": title, "org": f"编制部门：{spec.unit}", "unit": "单位：元",
        "header": [["本年收入", None, "本年支出", None], ["项目", "预算数", "项目", "预算数"]],
        "spans": [(0, 0, 1, 0), (2, 0, 3, 0)], "rows": rows, "widths": [30, 20, 30, 20],
        "align": ["l", "r", "l", "r"],
    }


def table_expenditure(spec: Spec, title: str, items: list[Item], org: str | None = None) -> dict[str, Any]:
    rows: list[list[str | None]] = []

    def amounts(group: list[Item]) -> list[str | None]:
        basic = sum((i.basic for i in group), D(0))
        project = sum((i.project for i in group), D(0))
        return [yuan_text(basic + project), yuan_text(basic), yuan_text(project)]

    for lei in dict.fromkeys(i.lei for i in items):
        in_class = [i for i in items if i.lei == lei]
        rows.append([lei, "", "", CLASSES[lei], *amounts(in_class)])
        for kuan in dict.fromkeys(i.kuan for i in in_class):
            in_kuan = [i for i in in_class if i.kuan == kuan]
            rows.append([lei, kuan, "", KUAN[(lei, kuan)], *amounts(in_kuan)])
            for item in in_kuan:
                rows.append([lei, kuan, item.xiang, item.name, *amounts([item])])
    rows.append(["合计", None, None, None, *amounts(items)])
    last = 3 + len(rows) - 1
    return {
        "title": title, "org": f"编制部门：{org or spec.unit}", "unit": "单位：元",
        "header": [
            ["项目", None, None, None, "支出预算", None, None],
            ["功能分类科目编码", None, None, "功能分类科目名称", "合计", "基本支出", "项目支出"],
            ["类", "款", "项", None, None, None, None],
        ],
        "spans": [(0, 0, 3, 0), (4, 0, 6, 0), (0, 1, 2, 1), (3, 1, 3, 2), (4, 1, 4, 2),
                  (5, 1, 5, 2), (6, 1, 6, 2), (0, last, 3, last)],
        "rows": rows, "widths": [6.5, 6, 6, 35, 16.5, 16.5, 16.5],
        "align": ["c", "c", "c", "l", "r", "r", "r"],
    }


def table_projects(spec: Spec, title: str) -> dict[str, Any]:
    rows: list[list[str | None]] = [
        [p.name, p.item.lei, p.item.kuan, p.item.xiang, p.item.name, yuan_text(p.amount)]
        for p in spec.projects
    ]
    total = sum((p.amount for p in spec.projects), D(0))
    rows.append(["合计", None, None, None, None, yuan_text(total)])
    last = 2 + len(rows) - 1
    return {
        "title": title, "org": f"编制部门：{spec.unit}", "unit": "单位：元",
        "header": [["项目名称", "功能分类科目编码", None, None, "功能分类科目名称", "项目支出预算数"],
                   [None, "类", "款", "项", None, None]],
        "spans": [(0, 0, 0, 1), (1, 0, 3, 0), (4, 0, 4, 1), (5, 0, 5, 1), (0, last, 4, last)],
        "rows": rows, "widths": [34, 6.5, 6, 6, 30, 17.5], "align": ["l", "c", "c", "c", "l", "r"],
    }


def table_sangong(spec: Spec, blocks: list[Block]) -> dict[str, Any]:
    # The figures of the narrative's 三公 paragraph, read back from the blocks just written.
    import re

    text = next(p for k, p in blocks if k == "para" and "“三公”经费财政拨款预算数" in str(p))
    numbers = [D(n) for n in re.findall(r"(\d+(?:\.\d+)?)万元", text)]
    total, abroad, reception, cars = numbers[:4]
    purchase = next(D(n) for k, p in blocks if k == "para"
                    for n in re.findall(r"公务用车购置费(\d+(?:\.\d+)?)万元", str(p)))
    running = cars - purchase
    operating = next(D(n) for k, p in blocks if k == "para"
                     for n in re.findall(r"机关运行经费财政拨款预算为(\d+(?:\.\d+)?)万元", str(p)))
    values = [total, abroad, reception, cars, purchase, running, operating]
    return {
        "title": f"{spec.year}年部门“三公”经费和机关运行经费预算表", "org": f"编制部门：{spec.unit}",
        "unit": "单位：万元",
        "header": [
            ["“三公”经费预算数", None, None, None, None, None, "机关运行经费预算数"],
            ["合计", "因公出国(境)费", "公务接待费", "公务用车购置及运行费", None, None, None],
            [None, None, None, "小计", "购置费", "运行费", None],
        ],
        "spans": [(0, 0, 5, 0), (6, 0, 6, 2), (0, 1, 0, 2), (1, 1, 1, 2), (2, 1, 2, 2),
                  (3, 1, 5, 1)],
        "rows": [[f"{v:.2f}" for v in values]], "widths": [13, 16, 13, 13, 13, 13, 19],
        "align": ["r"] * 7,
    }


def document_blocks(spec: Spec) -> list[Block]:
    rng = random.Random()
    rng.setstate(spec.rng_state)  # the same draw on every render of this spec
    blocks = narrative(spec, rng)
    if spec.kind != "tables":
        return blocks
    y = spec.year
    titles = [f"{y}年部门财务收支预算总表", f"{y}年部门支出预算总表", f"{y}年部门财政拨款收支预算总表",
              f"{y}年部门一般公共预算支出预算表"][: 4 if spec.full_tables else 2]
    if spec.projects:
        titles.append(f"{y}年部门项目支出预算表")
    listing = "；".join(f"{n}. {t}" for n, t in enumerate(titles, start=1))
    blocks += [("heading", f"{chinese_number(sum(1 for k, _ in blocks if k == 'heading') + 1)}、"
                           "部门预算表"),
               ("para", f"{spec.short}{y}年部门预算表包括：{listing}；"
                        f"{len(titles) + 1}. {y}年部门“三公”经费和机关运行经费预算表。")]
    tables = [table_balance(spec, titles[0]), table_expenditure(spec, titles[1], spec.items)]
    if spec.full_tables:
        tables += [table_balance(spec, titles[2]), table_expenditure(spec, titles[3], spec.items)]
    if spec.projects:
        tables.append(table_projects(spec, titles[-1]))
    tables.append(table_sangong(spec, blocks))
    for table in tables:
        blocks += [("pagebreak", None), ("table", table)]
    return blocks


# --------------------------------------------------------------------------------------------
# Specs, page targeting, writing
# --------------------------------------------------------------------------------------------


def make_spec(index: int, fmt: str, kind: str, target: int, seed: int) -> Spec:
    rng = random.Random(seed * 100_003 + index)
    department, short, main, duties = rng.choice(DEPARTMENTS)
    city, district = rng.choice(CITIES), rng.choice(DISTRICTS)
    year = rng.randint(2019, 2026)
    scale = rng.choice([0.3, 0.6, 1.0, 2.0, 4.0])
    # Longer notes belong to bigger departments: more 类-款-项 lines and work items.
    count = min(8 + target - 4, 60) if kind == "text" else min(6 + target - 7, 60)
    items = draw_items(rng, main, count, scale)
    work = rng.sample(WORK_ITEMS, min(3 + target // 8, len(WORK_ITEMS)))
    spec = Spec(index=index, fmt=fmt, kind=kind, target_pages=target,
                unit=f"{city}{district}{department}", short=f"区{short}", district=district,
                duties=duties, year=year, main=main, items=items, work=work,
                full_tables=kind == "tables" and target >= 14,
                compact=rng.random() < 0.3)
    spec.rng_state = rng.getstate()
    return spec


def fast_docx_cells() -> None:
    """Make python-docx's ``Table.cell`` O(1) while render.py fills a table.

    ``Table.cell`` rebuilds the whole cell grid on every call, so filling an n-cell table
    costs O(n²): about 9 s for a 58-row, 7-column table. The grid only changes when cells are
    merged, so it is cached per table and dropped on every merge; the output is byte-identical
    (compared once while writing this benchmark).
    """
    from docx import table as docx_table

    if getattr(docx_table.Table, "_bench_fast", False):
        return
    original_merge = docx_table._Cell.merge
    grids: dict[int, tuple[Any, list[Any]]] = {}

    def cell(self: Any, row_idx: int, col_idx: int) -> Any:
        entry = grids.get(id(self._tbl))
        if entry is None or entry[0] is not self._tbl:
            entry = (self._tbl, self._cells)
            grids[id(self._tbl)] = entry
        return entry[1][col_idx + (row_idx * self._column_count)]

    def merge(self: Any, other_cell: Any) -> Any:
        grids.clear()
        try:
            return original_merge(self, other_cell)
        finally:
            grids.clear()

    docx_table.Table.cell = cell
    docx_table._Cell.merge = merge
    docx_table.Table._bench_fast = True


def pdf_pages(path: Path) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        return len(document)
    finally:
        document.close()


def render(spec: Spec, path: Path, fmt: str) -> Path:
    blocks = document_blocks(spec)
    meta = {"title": f"{spec.unit}{spec.year}年部门预算编制说明", "author": spec.unit,
            "subject": "部门预算编制说明（基准测试样例，虚构）"}
    if fmt == "pdf":
        header = f"{spec.unit}{spec.year}年部门预算" if spec.kind == "tables" else None
        return render_pdf(blocks, path, title_header=header, metadata=meta)
    return render_docx(blocks, path, metadata=meta)


def fit(spec: Spec, scratch: Path) -> int:
    """Choose the number of 项目经费 statements that brings the note to its target length;
    return the page count of the PDF rendering."""
    def pages_with(count: int) -> int:
        rng = random.Random(spec.index * 7919 + count)
        spec.projects = draw_projects(rng, spec.items, count)
        return pdf_pages(render(spec, scratch, "pdf"))

    low, pages_low = 0, pages_with(0)
    if pages_low >= spec.target_pages:
        return pages_low
    tried = {0: pages_low}
    per_page = 1.6  # statements a page, as first guess; then the secant through the renders
    guess = max(1, round((spec.target_pages - pages_low) * per_page))
    for _ in range(6):
        pages = pages_with(guess)
        tried[guess] = pages
        if pages == spec.target_pages:
            return pages
        if pages < spec.target_pages:
            low, pages_low = guess, pages
        above = [c for c in tried if tried[c] > spec.target_pages]
        if above:  # bisect between the best count below and the least count above
            high = min(above)
            nxt = (low + high) // 2
        else:
            per_page = max(guess / max(pages - tried[0], 1), 0.5)
            nxt = round(low + (spec.target_pages - pages_low) * per_page)
        if nxt in tried:
            break
        guess = nxt
    best = min(tried, key=lambda c: (abs(tried[c] - spec.target_pages), c))
    return pages_with(best)


def targets(count: int, seed: int) -> list[tuple[str, str, int]]:
    """(format, kind, pages) for each document: the four groups get the same spread of lengths."""
    rng = random.Random(seed)
    groups = [("pdf", "text"), ("docx", "text"), ("pdf", "tables"), ("docx", "tables")]
    per_group = [count // 4 + (1 if g < count % 4 else 0) for g in range(4)]
    lists = []
    for (fmt, kind), n in zip(groups, per_group, strict=True):
        low = 4 if kind == "text" else 7  # narrative + three tables on their own pages
        pages = [round(low + (40 - low) * k / max(n - 1, 1)) for k in range(n)]
        rng.shuffle(pages)
        lists.append([(fmt, kind, p) for p in pages])
    order = []
    for index in range(max(per_group)):
        for group in lists:
            if index < len(group):
                order.append(group[index])
    return order


def shared_entries() -> list[dict[str, Any]]:
    entries = []
    for path in sorted(SHARED.glob("*.pdf")):
        entries.append({"file": str(path.resolve()), "format": "pdf", "kind": "real",
                        "pages": pdf_pages(path), "shared": True})
    return entries


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="corpus folder (bench/corpus)")
    parser.add_argument("--count", type=int, default=48, help="documents to generate (48)")
    parser.add_argument("--seed", type=int, default=2025, help="random seed (2025)")
    parser.add_argument("--include-shared", action="store_true",
                        help="also list the real PDFs of ../shared/corpus/files (read in place)")
    args = parser.parse_args()
    started = time.perf_counter()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    for old in [*out.glob("*.pdf"), *out.glob("*.docx")]:
        old.unlink()
    entries: list[dict[str, Any]] = []
    fast_docx_cells()
    with tempfile.TemporaryDirectory(prefix="bench-corpus-") as tmp:
        scratch = Path(tmp) / "fit.pdf"
        for index, (fmt, kind, target) in enumerate(targets(args.count, args.seed)):
            spec = make_spec(index, fmt, kind, target, args.seed)
            pages = fit(spec, scratch)
            path = out / spec.name
            if fmt == "pdf":
                scratch.replace(path)
            else:
                render(spec, path, "docx")
            entries.append({
                "file": path.name, "format": fmt, "kind": kind, "pages": pages,
                "target_pages": target, "unit": spec.unit, "year": spec.year,
                "items": len(spec.items), "projects": len(spec.projects),
                "tables": ((5 if spec.full_tables else 3) + bool(spec.projects))
                if kind == "tables" else 0,
                "bytes": path.stat().st_size,
            })
            print(f"  {path.name}: {pages} pages (target {target}), {len(spec.items)} items,"
                  f" {len(spec.projects)} projects", flush=True)
    if args.include_shared:
        if SHARED.is_dir():
            entries += shared_entries()
        else:
            print(f"--include-shared: {SHARED} not found; skipped", file=sys.stderr)
    manifest = {"seed": args.seed, "count": args.count, "include_shared": args.include_shared,
                "files": entries}
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n",
                                       encoding="utf-8")
    print(summary(entries))
    print(f"written to {out} in {time.perf_counter() - started:.1f}s")
    return 0


def summary(entries: list[dict[str, Any]]) -> str:
    lines = ["format  kind    files  pages  min-max"]
    groups: dict[tuple[str, str], list[int]] = {}
    for entry in entries:
        groups.setdefault((entry["format"], entry["kind"]), []).append(entry["pages"])
    for (fmt, kind), pages in sorted(groups.items()):
        lines.append(f"{fmt:<7} {kind:<7} {len(pages):>5}  {sum(pages):>5}  {min(pages)}-{max(pages)}")
    by_format: dict[str, list[int]] = {}
    for entry in entries:
        by_format.setdefault(entry["format"], []).append(entry["pages"])
    lines.append("total:  " + ", ".join(f"{fmt} {len(p)} files / {sum(p)} pages"
                                         for fmt, p in sorted(by_format.items())))
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
