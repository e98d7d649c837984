"""Generated government prose: work reports, notices, policies, budget reports.

Deterministic for a ``random.Random``; every figure is unique within one document so that
a test can edit exactly one of them.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from portal import phrases as P

CHOICE = re.compile(r"\[([^\[\]]*)\]")
SLOT = re.compile(r"\{(\w+)\}")
CN_NUMBERS = "一二三四五六七八九十"
SAFETY = 6  # the SECTORS entry on safety and social governance


@dataclass(frozen=True)
class Draft:
    """A generated document before it becomes an article."""

    title: str
    paragraphs: list[str]
    published: datetime
    source: str
    attachment: bool


class Filler:
    """Expands one document's templates; remembers its figures so none repeats."""

    def __init__(self, rng: random.Random, town: str, year: int, month: int = 1) -> None:
        self.rng = rng
        self.town = town
        self.year = year
        self.month = month
        self.last = 100.0  # the last 亿元 amount, for {part} and {more}
        self.used: set[str] = set()

    def expand(self, template: str) -> str:
        text = CHOICE.sub(lambda m: self.rng.choice(m.group(1).split("|")), template)
        return SLOT.sub(lambda m: self.slot(m.group(1)), text)

    def slot(self, name: str) -> str:
        fixed = {
            "town": self.town,
            "year": str(self.year),
            "next": str(self.year + 1),
            "prev": str(self.year - 1),
        }
        if name in fixed:
            return fixed[name]
        if name == "c":
            return self.community()
        if name == "p":
            return self.rng.choice(P.PLACE_SYLLABLES) + self.rng.choice(P.PROJECT_KINDS)
        if name == "e":
            return self.enterprise()
        if name == "dept":
            return self.rng.choice(P.DEPARTMENTS)
        return self.number(name)

    def community(self) -> str:
        return self.rng.choice(P.PLACE_SYLLABLES) + "社区"

    def enterprise(self) -> str:
        rng = self.rng
        brand = rng.choice(P.PLACE_SYLLABLES)[0] + rng.choice("达科信电华创兴源隆鑫泰盛")
        return f"{brand}{rng.choice(P.ENTERPRISE_WORDS)}"

    def number(self, kind: str) -> str:
        for attempt in range(200):
            text = self._number(kind, 1 if attempt < 20 else 2)
            key = re.sub(r"[^\d.]", "", text)
            if key not in self.used:
                self.used.add(key)
                return text
        return text

    def _number(self, kind: str, places: int = 1) -> str:
        rng = self.rng

        def spread(low: float, high: float) -> float:
            return math.exp(rng.uniform(math.log(low), math.log(high)))

        if kind == "yi":
            self.last = spread(1.2, 990)
            return f"{self.last:.{places}f}亿元"
        if kind == "part":
            return f"{self.last * rng.uniform(0.3, 0.85):.{places}f}亿元"
        if kind == "more":
            return f"{self.last * rng.uniform(2.5, 4.5):.{places}f}亿元"
        if kind == "wan":
            return f"{spread(12, 9800):.{places}f}万元"
        if kind == "pct":
            return f"{spread(0.6, 14):.{places}f}%"
        if kind == "rate":
            return f"{rng.uniform(60, 99.8):.{places}f}%"
        if kind == "area":
            return f"{spread(1.1, 180):.{places}f}万平方米"
        if kind == "tel":
            return f"{rng.randrange(100000, 999999)}"
        if kind in ("m", "m2"):
            return str(rng.randrange(1, 13))
        if kind in ("d", "d2"):
            return str(rng.randrange(1, 29))
        return str(round(spread(3, 3000)))

    def sentences(self, templates: tuple[str, ...], count: int) -> list[str]:
        chosen = self.rng.sample(templates, min(count, len(templates)))
        return [self.expand(t) for t in chosen]

    def qualitative(self, sector: int, measure: str | None = None,
                    detail: str | None = None) -> str:
        rng = self.rng
        measure = measure or rng.choice(P.MEASURES[sector])
        detail = f"{detail or rng.choice(P.DETAILS)}，" if rng.random() < 0.6 else ""
        text = f"{rng.choice(P.ACTIONS)}{measure}，{detail}{rng.choice(P.OUTCOMES)}。"
        return self.expand(text)

    def mixed(self, sector: int, figures: int, words: int) -> str:
        parts = self.sentences(P.SECTORS[sector][2], figures)
        pool = list(P.MEASURES[sector])
        measures = self.rng.sample(pool, len(pool)) + self.rng.sample(pool, len(pool))
        details = self.rng.sample(P.DETAILS, len(P.DETAILS)) * 2
        pairs = zip(measures[:words], details, strict=False)
        parts += [self.qualitative(sector, m, d) for m, d in pairs]
        self.rng.shuffle(parts)
        return "".join(parts)


def work_report(f: Filler) -> tuple[str, list[str]]:
    """A full 政府工作报告: review, plans, government self-building. 10,000+ characters."""
    rng = f.rng
    title = f"{f.year}年{f.town}政府工作报告"
    body = ["各位代表：", f.expand(P.OPENINGS[0]), f"一、{f.year - 1}年工作回顾"]
    body += [f.expand(t) for t in P.REVIEW_INTROS]
    sectors = rng.sample(range(len(P.SECTORS)), k=len(P.SECTORS))
    for number, sector in enumerate(sectors):
        heading = f.expand(P.SECTORS[sector][0])
        body.append(f"（{CN_NUMBERS[number]}）{heading}。" + f.mixed(sector, 8, 14))
        if number < 6:
            body.append(f.mixed(sector, 5, 11))
    body += [f"二、{f.year}年工作安排", f.expand(P.TARGETS[0])]
    for number, sector in enumerate(sectors[:5]):
        heading = f.expand(P.SECTORS[sector][1])
        leads = [f"{lead}{f.qualitative(sector)}" for lead in P.PLAN_LEADS[:5]]
        body.append(f"（{CN_NUMBERS[number]}）{heading}。" + "".join(leads) + f.mixed(sector, 2, 2))
    body.append("三、全面加强政府自身建设")
    body.append("".join(f.sentences(P.GOVERNANCE, 5)))
    body.append(f.expand(P.CLOSINGS[0]))
    return title, body


def half_year_summary(f: Filler) -> tuple[str, list[str]]:
    rng = f.rng
    if f.month < 7:
        f.year -= 1
    title = rng.choice(
        [
            f"{f.town}{f.year}年上半年工作总结和下半年工作计划",
            f"关于{f.town}{f.year}年国民经济和社会发展计划执行情况的报告",
            f"{f.town}{f.year}年{rng.choice(['一季度', '前三季度', '上半年'])}经济运行情况",
        ]
    )
    body = [
        f.expand(
            f"{f.year}年以来，{f.town}[坚持稳中求进工作总基调|全面落实市委市政府决策部署]，"
            "各项工作有序推进。"
        )
    ]
    body.append("一、主要工作成效")
    sectors = rng.sample(range(len(P.SECTORS)), k=rng.randrange(4, 7))
    for number, sector in enumerate(sectors):
        heading = f.expand(P.SECTORS[sector][0])
        body.append(f"（{CN_NUMBERS[number]}）{heading}。" + f.mixed(sector, 3, 3))
    body.append("二、存在的问题")
    body.append(
        f.expand(
            "[一是|主要是]经济下行压力[依然较大|仍然存在]，部分企业[订单不足|经营困难]；"
            "二是[产业转型升级任务艰巨|土地等要素制约仍较突出]；三是[民生领域仍有短板|基层治理能力有待提升]。"
        )
    )
    body.append("三、下一步工作计划")
    for number, sector in enumerate(sectors[:4]):
        heading = f.expand(P.SECTORS[sector][1])
        body.append(f"（{CN_NUMBERS[number]}）{heading}。" + f.mixed(sector, 1, 3))
    return title, body


def notice(f: Filler) -> tuple[str, list[str]]:
    rng = f.rng
    topic = rng.choice(P.NOTICE_TOPICS)
    title = rng.choice(
        [f"关于开展{f.year}年{topic}的通知", f"关于做好{f.year}年{topic}的通知",
         f"{f.town}关于进一步加强{topic}的通知"]
    )
    body = ["各社区，镇属各部门、各单位："]
    body.append(
        f.expand(
            f"为[深入贯彻落实上级关于{topic}的部署要求|切实做好{topic}]，[有效防范化解各类风险|保障人民群众生命财产安全]，"
            "经镇政府同意，现就有关事项通知如下："
        )
    )
    items = rng.sample(P.NOTICE_ITEMS, k=rng.randrange(5, len(P.NOTICE_ITEMS) + 1))
    for number, item in enumerate(items):
        body.append(f"{CN_NUMBERS[number]}、" + f.expand(item) + f.qualitative(SAFETY))
    body.append(f.expand("附件：[{town}{year}年工作任务分工表|检查情况汇总表]"))
    body.append(f"{f.town}人民政府")
    body.append(f"{f.year}年{rng.randrange(1, 13)}月{rng.randrange(1, 29)}日")
    return title, body


def policy(f: Filler) -> tuple[str, list[str]]:
    rng = f.rng
    topic, sector = rng.choice(P.POLICY_TOPICS)
    title = rng.choice(
        [f"{f.town}{topic}实施方案", f"{f.town}关于{topic}的若干措施",
         f"{f.town}{topic}三年行动计划（{f.year}—{f.year + 2}年）"]
    )
    body = [
        f.expand(
            f"为[深入贯彻落实市委市政府决策部署|进一步{topic}]，[结合我镇实际|根据有关规定]，制定本方案。"
        ),
        "一、总体要求",
        f.expand(
            "以习近平新时代中国特色社会主义思想为指导，[全面贯彻党的二十大精神|完整、准确、全面贯彻新发展理念]，"
            f"坚持[问题导向和目标导向相结合|政府引导、市场主导]，[着力|加快]{topic}。"
        ),
        "二、主要任务",
    ]
    for number, item in enumerate(rng.sample(P.POLICY_ITEMS, k=rng.randrange(4, 8))):
        body.append(f"（{CN_NUMBERS[number]}）" + f.expand(item) + f.qualitative(sector))
    body.append("三、保障措施")
    for number, item in enumerate(P.SAFEGUARDS):
        body.append(f"（{CN_NUMBERS[number]}）" + f.expand(item))
    body.append(f.expand("本方案自印发之日起施行，有效期[三|五]年，由镇{dept}负责解释。"))
    return title, body


def budget_report(f: Filler) -> tuple[str, list[str]]:
    rng = f.rng
    title = f"关于{f.town}{f.year - 1}年财政预算执行情况和{f.year}年财政预算草案的报告"
    body = [
        "各位代表：",
        f"受镇人民政府委托，现将{f.town}{f.year - 1}年财政预算执行情况和{f.year}年"
        "财政预算草案提请大会审议。",
    ]
    body.append(f"一、{f.year - 1}年财政预算执行情况")
    for line in rng.sample(P.BUDGET_LINES, k=len(P.BUDGET_LINES)):
        body.append(f.expand(line) + f.qualitative(rng.randrange(8)))
    body.append(f"二、{f.year}年财政预算草案")
    body.append(f.expand("{year}年一般公共预算收入预期{yi}，增长{pct}；一般公共预算支出安排{yi}。"))
    body.append(f.expand("坚持[过紧日子|厉行节约]，一般性支出压减{pct}，[集中财力|统筹资金]保障重点项目和民生支出。"))
    body.append(f"三、完成{f.year}年预算任务的主要措施")
    for _ in range(3):
        body.append(f.qualitative(rng.randrange(8)) + f.qualitative(rng.randrange(8)))
    return title, body


KINDS = (
    (work_report, 0.2, "{town}人民政府办公室", 1.0),
    (half_year_summary, 0.2, "{town}经济发展局", 0.3),
    (notice, 0.3, "{town}党政办公室", 0.4),
    (policy, 0.2, "{town}人民政府", 0.5),
    (budget_report, 0.1, "{town}财政分局", 0.6),
)


def generate(rng: random.Random, count: int, town: str, newest: datetime) -> list[Draft]:
    """``count`` distinct documents, newest first, published going back from ``newest``."""
    drafts: list[Draft] = []
    titles: set[str] = set()
    moment = newest
    while len(drafts) < count:
        # The column's newest document is always the year's work report.
        kind = KINDS[0] if not drafts else rng.choices(KINDS, weights=[k[1] for k in KINDS])[0]
        builder, _, source, attach = kind
        filler = Filler(rng, town, moment.year, moment.month)
        title, paragraphs = builder(filler)
        if title in titles:
            continue
        titles.add(title)
        drafts.append(
            Draft(title, paragraphs, moment, source.format(town=town), rng.random() < attach)
        )
        day = (moment - timedelta(days=rng.randrange(3, 40))).date()
        minute = rng.randrange(8 * 60 + 30, 18 * 60)
        moment = datetime(day.year, day.month, day.day, minute // 60, minute % 60)
    return drafts


def town_of(site_name: str) -> str:
    """``长安镇人民政府`` -> ``长安镇``."""
    for suffix in ("人民政府", "政府"):
        if site_name.endswith(suffix) and len(site_name) > len(suffix):
            return site_name[: -len(suffix)]
    return site_name
