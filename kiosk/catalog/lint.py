"""What the measures require of a guide sheet and an item lacks (`kioskctl catalog lint DIR`).

The loader (kiosk/catalog/loader.py) refuses what cannot be shown at all; this checks what
the 2018 measures require of what is shown. Two severities:

- `error`: the sheet would state something the measures contradict, or leave out a field
  they require; `kioskctl publish` refuses a catalog with any;
- `gap`: content the measures require that the item does not have yet (an article for each
  legal basis, a template for each self-filled material, a 受理标准 for each material):
  reported, and refused too with `--strict`.

The English the catalog is shown with (its en.json, kiosk/catalog/translations.py) is checked too:
a file that does not fit the catalog is an error (a bundle carrying it is refused), an offered item
without its English name, materials and essentials, or with English that lacks a figure of the
Chinese, is a gap (field `en.<field>`): a foreign resident would read Chinese or a stale figure.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kiosk.catalog import model as m
from kiosk.catalog.loader import CatalogError, load_catalog, read_catalog_files
from kiosk.catalog.translations import TranslationsInvalid, english_file, load_translations, missing

# 信用承诺 第四条's excluded categories, as the refusals name them
EXCLUDED = ("国家安全", "公共安全", "生态安全", "金融安全", "文化安全", "安全生产", "公共利益",
            "人身健康", "生命财产", "人身财产", "不可撤销")
LOCAL_LEVELS = ("区级", "乡级", "村级")
ARTICLE = re.compile(r"第[一二三四五六七八九十百千零〇0-9]+条")


@dataclass(frozen=True)
class Finding:
    severity: str                     # error | gap
    item_code: str
    field: str
    message: str                      # what is wrong, with the article that requires it

    def __str__(self) -> str:
        return f"{self.severity}: {self.item_code} {self.field}: {self.message}"


def lint_directory(directory: str | Path) -> list[Finding]:
    """Every finding of the catalog in `directory`; a catalog the loader refuses is one error each."""
    try:
        catalog = load_catalog(directory)
    except CatalogError as exc:
        return [Finding("error", p.item_code, p.field, f"{p.file}: {p.message}") for p in exc.problems]
    _header, docs, _ = read_catalog_files(Path(directory))
    raw = {}
    for _rel, doc in docs:
        for entry in doc["items"]:
            raw[entry["code"]] = entry
            for variant in entry.get("variants", []):
                raw[variant["code"]] = {**entry, **variant}
    return lint(catalog, raw) + lint_english(catalog, english_file(directory))


def lint_english(catalog: m.Catalog, path: Path) -> list[Finding]:
    """What the English file at `path` lacks for `catalog` (see the module's docstring)."""
    try:
        translations = load_translations(path, catalog)
    except TranslationsInvalid as exc:
        return [Finding("error", "", "en", problem) for problem in exc.problems]
    return [Finding("gap", code, f"en.{field}", message) for code, field, message in missing(translations, catalog)]


def lint(catalog: m.Catalog, raw: dict[str, dict]) -> list[Finding]:
    out: list[Finding] = []
    municipal = {d.name for d in catalog.departments.values()}
    for item in catalog.items.values():
        entry = raw.get(item.code, {})

        def add(severity, field, message, code=item.code):
            out.append(Finding(severity, code, field, message))
        _subject(item, entry, municipal, add)
        _procedure(item, entry, add)
        _commitment(item, add)
        _materials(item, add)
        if not item.updated_on:
            add("error", "updated_on", "the day the item was formed or changed is missing (公开公示 第二十二条)")
        for basis in item.legal_basis.setting:
            if not ARTICLE.search(basis):
                add("gap", "legal_basis.setting", f"{basis}: no article (公开公示 第十一条: 具体条款)")
    return out


def _subject(item, entry, municipal, add) -> None:
    if item.level in LOCAL_LEVELS and ("administrative_body" not in entry
                                       or item.subject.administrative_body in municipal):
        add("error", "administrative_body", f"a {item.level} item names the municipal "
            f"{item.subject.administrative_body} as 行政主体 (公开公示 第八条(一); the municipal body is "
            "the 业务主管部门, 第八条(二))")


def _procedure(item, entry, add) -> None:
    steps = entry.get("procedure", {}).get("review_steps", [])
    for step in steps:
        if not isinstance(step, dict):
            add("error", "procedure.review_steps", f"{step}: its content and standard are not published "
                "(公开公示 第十三条(三))")
    delivery = entry.get("convenience", {}).get("delivery")
    if isinstance(delivery, bool):
        add("error", "convenience.delivery", "say materials_in and results_out on their own "
            "(公开公示 第十七条(一): 提交申请材料和审批结果发放)")
    if "unit" not in entry.get("time_limits", {}):
        add("error", "time_limits.unit", "the unit (工作日 or 日) of the time limits (公开公示 第十四条)")


def _commitment(item, add) -> None:
    c = item.commitment
    if item.abolished_on and c.allowed:
        add("error", "commitment.allowed", f"abolished on {item.abolished_on} yet offered with commitment "
            "(公开公示 第五、六条)")
    if c.allowed:
        return
    if not c.ground:
        add("error", "commitment.ground", "the ground of the refusal is not named (信用承诺 第四条)")
    elif c.ground == "第四条" and not any(word in c.reason for word in EXCLUDED):
        add("error", "commitment.reason", "cites 信用承诺 第四条 for a ground it does not contain: "
            "name one of its categories")
    elif c.ground != "第四条" and "第四条" in c.reason:
        add("error", "commitment.reason", f"ground {c.ground} is not one of 信用承诺 第四条: do not cite it")


def _materials(item, add) -> None:
    authorisations = [mat for mat in item.materials if "授权委托书" in mat.name]
    if "法人" in item.audience and not authorisations:
        add("error", "materials", "a company's agent brings a 授权委托书: the item does not list it "
            "(信用承诺 第十四条(二))")
    for mat in authorisations:
        if mat.deferrable:
            add("error", f"materials.{mat.id}.deferrable", "a 授权委托书 is never deferrable "
                "(信用承诺 第十四条(二))")
    for mat in item.materials:
        if mat.source == "申请人自行填写" and not mat.blank_form:
            add("gap", f"materials.{mat.id}.blank_form", f"{mat.name}: self-filled without a template "
                "(公开公示 第十二条(四)5: 材料模版和说明)")
        if not mat.acceptance:
            add("gap", f"materials.{mat.id}.acceptance", f"{mat.name}: no 受理标准 (公开公示 第十三条(二))")


def errors(findings: list[Finding], strict: bool = False) -> list[Finding]:
    """The findings that stop a publication (gaps too when strict)."""
    return [f for f in findings if f.severity == "error" or strict]
