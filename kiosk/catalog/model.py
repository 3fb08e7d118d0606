"""The item model: every guide-sheet (明白纸) field of 公开公示 第七–十七条.

Plain frozen dataclasses, no I/O and no Kivy. Names follow the glossary: an
item (大项) may have sub-items (子项, `parent` set) and variants (类型项,
reached through guided questions). A variant is a complete Item: the loader
fills it from its parent and the variant's own overrides, so a guide sheet
never has to look anything up elsewhere.
"""
from __future__ import annotations

from dataclasses import dataclass, field

AUDIENCES = ("自然人", "法人")                                      # 第八条(四)
CATEGORIES = ("普通", "特许", "认可", "核准", "登记", "其他")          # 第十条
MODES = ("马上办", "网上办", "就近办", "一次办")                      # 第十条
LEVELS = ("国家级", "省级", "市级", "区级", "乡级", "村级")            # 第十二条(一)
RANKS = ("主审", "非主审")                                         # 第十二条(四)2
KINDS = ("共性", "个性")                                           # 第十二条(四)3
SOURCES = ("申请人自行填写", "行政机关", "中介机构", "第三方机构")       # 第十二条(四)4
APPLY_METHODS = ("现场", "网上")                                    # 第十三条(一)1
REVIEW_STEPS = ("纸质审查", "现场踏勘", "审图", "公示", "听证", "招标", "拍卖", "检验",
                "检测", "检疫", "鉴定", "专家评审", "数量限制")           # 第十三条(三)
COVERAGES = ("全国", "跨省", "跨市", "跨县")                          # 第十七条(五)
UNITS = ("工作日", "日")                                            # time limits: 日 = calendar days
COMMITMENT_FORMS = ("容缺后补", "具备条件承诺")                        # 信用承诺 第四条
REFUSAL_GROUNDS = ("第四条", "当场办结", "无可容缺材料", "已取消")          # why commitment is not allowed
NO_CONDITIONS = "备齐材料即可申报"        # 第十二条(三): no conditions stated
DEFAULT_VALIDITY = "长期有效"            # 第十三条(六)
DEFAULT_SCOPE = "全国"                  # 第十三条(六)
HOTLINE = "88908890"                   # 第十三条(一)3


@dataclass(frozen=True)
class Department:
    id: str
    name: str
    short: str = ""
    phone: str = HOTLINE
    complaint_phone: str = HOTLINE
    address: str = ""


@dataclass(frozen=True)
class LifeEvent:
    id: str
    name: str
    audience: str                      # 自然人 | 法人


@dataclass(frozen=True)
class Material:
    id: str
    name: str
    rank: str = "主审"                  # 主审 | 非主审
    kind: str = "个性"                  # 共性 (reusable) | 个性
    source: str = "申请人自行填写"
    notes: str = ""                    # 准备要点
    copies: str = ""                   # e.g. 原件1份、复印件1份
    acceptance: str = ""               # 受理标准 of this material
    blank_form: str = ""               # 空白格式文本 (file name or URL)
    example: str = ""                  # 示范文本
    deferrable: bool = False           # 容缺: may be supplied after a commitment approval


@dataclass(frozen=True)
class Subject:
    administrative_body: str           # 行政主体
    competent_department: str          # 业务主管部门
    implementing_department: str       # 实施部门
    audience: tuple[str, ...]          # 服务对象


@dataclass(frozen=True)
class LegalBasis:
    setting: tuple[str, ...] = ()      # 设定依据
    other: tuple[str, ...] = ()        # 其他依据


@dataclass(frozen=True)
class Decision:
    form: str = ""                     # 结果形式, e.g. 食品经营许可证
    sample: str = ""                   # 示范样本


@dataclass(frozen=True)
class ReviewStep:
    """公开公示 第十三条(三): "行政机关应当主动公布每项审查的内容和标准"."""
    step: str                          # one of REVIEW_STEPS
    content: str = ""
    standard: str = ""


@dataclass(frozen=True)
class Procedure:
    apply_methods: tuple[str, ...] = ("现场",)
    address: str = ""                  # 办理地点
    window: str = ""                   # 窗口号 or office
    phone: str = HOTLINE               # 咨询电话
    acceptance_standard: str = ""      # 受理标准
    review_steps: tuple[str, ...] = ("纸质审查",)
    review_details: tuple[ReviewStep, ...] = ()     # each step with its content and standard
    decision: Decision = field(default_factory=Decision)
    quantity_limit: str = ""           # 数量限制 ("" = 无数量限制)
    validity: str = DEFAULT_VALIDITY   # 有效期限
    scope: str = DEFAULT_SCOPE         # 适用范围


@dataclass(frozen=True)
class TimeLimits:
    """In `unit` (工作日, or 日 where the law counts calendar days); 0 means decided on the spot
    (当场办结). Special steps excluded (第十四条)."""
    statutory_days: int
    promised_days: int
    note: str = ""
    unit: str = "工作日"


@dataclass(frozen=True)
class Fees:
    charged: bool = False
    standard: str = ""
    basis: str = ""


@dataclass(frozen=True)
class Faq:
    question: str
    answer: str


@dataclass(frozen=True)
class Convenience:
    delivery: bool = False             # 物流快递, either way
    materials_in: bool = False         # 第十七条(一): materials sent in by courier
    results_out: bool = False          # results sent out by courier
    appointment: str = ""              # how to book; "" = no appointment
    joint_departments: tuple[str, ...] = ()   # 联办
    coverage: str = ""                 # 通办范围
    faq: tuple[Faq, ...] = ()


@dataclass(frozen=True)
class Commitment:
    """信用承诺 第四条: whether commitment approval is allowed, in which forms (申请材料容缺 /
    具备条件承诺) with the conditions that may be promised; if not, why (`ground`, `reason`)."""
    allowed: bool = False
    reason: str = ""
    forms: tuple[str, ...] = ()
    promised_conditions: tuple[str, ...] = ()
    ground: str = ""


@dataclass(frozen=True)
class Option:
    label: str
    next: str = ""                     # another question id, or
    variant: str = ""                  # the variant's item code (a leaf)


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    options: tuple[Option, ...]


@dataclass(frozen=True)
class Questions:
    start: str
    nodes: dict[str, Question]

    def question(self, qid: str) -> Question:
        return self.nodes[qid]


@dataclass(frozen=True)
class Item:
    code: str                          # 事项编码: unique
    name: str
    level_name: str                    # item | sub-item | variant
    department: Department
    subject: Subject
    category: str
    modes: tuple[str, ...]
    online_url: str
    legal_basis: LegalBasis
    level: str                         # 行使层级
    authority: str                     # 权限划分
    conditions: tuple[str, ...]
    materials: tuple[Material, ...]
    procedure: Procedure
    time_limits: TimeLimits
    fees: Fees
    complaint_phone: str
    convenience: Convenience
    commitment: Commitment
    parent: str = ""                   # item code of the item above (sub-item, variant)
    variant_label: str = ""            # short name of a variant, e.g. 新办
    life_events: tuple[str, ...] = ()
    synonyms: tuple[str, ...] = ()
    questions: Questions | None = None
    variants: tuple[str, ...] = ()     # variant item codes
    updated_on: str = ""               # formed or last changed (公开公示 第二十二条)
    abolished_on: str = ""             # abolished: never offered (公开公示 第五、六条)
    abolished_by: str = ""

    @property
    def audience(self) -> tuple[str, ...]:
        return self.subject.audience

    @property
    def conditions_text(self) -> tuple[str, ...]:
        return self.conditions or (NO_CONDITIONS,)

    @property
    def deferrable_materials(self) -> tuple[Material, ...]:
        return tuple(m for m in self.materials if m.deferrable)

    @property
    def allows_commitment(self) -> bool:
        """信用承诺 第四条: allowed, not abolished, and one of its forms applies: a material
        may be deferred (容缺后补) or a condition promised (具备条件承诺)."""
        c = self.commitment
        return c.allowed and not self.abolished_on and (bool(self.deferrable_materials)
                                                        or bool(c.promised_conditions))


@dataclass(frozen=True)
class Catalog:
    version: str
    title: str
    demo: bool
    departments: dict[str, Department]
    life_events: dict[str, LifeEvent]
    items: dict[str, Item]             # by item code, items, sub-items and variants

    def item(self, code: str) -> Item:
        return self.items[code]

    def get(self, code: str) -> Item | None:
        return self.items.get(code)

    def listed(self) -> list[Item]:
        """Items and sub-items (variants are reached through their item's questions)."""
        return [i for i in self.items.values() if i.level_name != "variant" and not i.abolished_on]

    def for_audience(self, audience: str) -> list[Item]:
        return [i for i in self.listed() if audience in i.audience]

    def by_life_event(self, event_id: str) -> list[Item]:
        return [i for i in self.listed() if event_id in i.life_events]

    def by_department(self, department_id: str, audience: str | None = None) -> list[Item]:
        return [i for i in self.listed() if i.department.id == department_id
                and (audience is None or audience in i.audience)]

    def variants_of(self, code: str) -> list[Item]:
        return [self.items[c] for c in self.items[code].variants]
