"""True guide sheets (issue 17 points 5 and 6): the schema's new fields, the corrections of the
demo catalog against the laws it cites, `kioskctl catalog lint` and publish refusing errors.
Each test names the article that requires what it checks."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kiosk.catalog import load_catalog
from kiosk.catalog.lint import errors, lint_directory
from kiosk.catalog.loader import CatalogError
from kiosk.catalog.printout import days_text, document_text, guide_sheet_document
from kiosk.config import REPO_CONFIG
from kiosk.tools.kioskctl.cli import main
from kiosk.tools.kioskctl.repository import ConfigRepository, RepositoryError

DEMO = REPO_CONFIG / "catalog"


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(DEMO)


def broken(tmp_path: Path, code: str, change) -> Path:
    """A copy of the demo catalog with `change(entry)` applied to item `code`."""
    target = tmp_path / "catalog"
    shutil.copytree(DEMO, target, ignore=shutil.ignore_patterns("schema"))
    for path in (target / "items").glob("*.json"):
        doc = json.loads(path.read_text("utf-8"))
        for entry in doc["items"]:
            if entry["code"] == code:
                change(entry)
                path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
                return target
    raise AssertionError(code)


def fields_of(findings, code):
    return {(f.severity, f.field) for f in findings if f.item_code == code}


def test_demo_catalog_has_no_errors_and_reports_its_gaps():
    """What the measures require and the demo lacks is reported (公开公示 第十一条 具体条款, 第十二条(四)5
    材料模版, 第十三条(二) 受理标准), none of it an error."""
    findings = lint_directory(DEMO)
    assert errors(findings) == []
    gaps = {f.field.rsplit(".", 1)[-1] for f in findings if f.severity == "gap"}
    assert gaps == {"setting", "blank_form", "acceptance"}
    assert errors(findings, strict=True)


def test_district_and_township_sheets_name_their_own_body(catalog, tmp_path):
    """公开公示 第八条(一) 行政主体 and (二) 业务主管部门是指市级行政机关: own fields, a local item
    never names the municipal body as the one to apply to."""
    municipal = {d.name for d in catalog.departments.values()}
    local = [i for i in catalog.items.values() if i.level in ("区级", "乡级")]
    assert len(local) >= 35
    assert all(i.subject.administrative_body not in municipal for i in local)
    assert all(i.subject.competent_department == i.department.name for i in local)
    food = catalog.item("TJ-SCJG-002")
    assert food.subject.administrative_body == "各区市场监督管理局"
    assert catalog.item("TJ-MZJ-007").subject.administrative_body == "各街道办事处（乡镇人民政府）"
    bad = broken(tmp_path, "TJ-SCJG-002", lambda e: e.pop("administrative_body"))
    assert ("error", "administrative_body") in fields_of(lint_directory(bad), "TJ-SCJG-002")


def test_every_time_limit_says_its_unit(catalog):
    """公开公示 第十四条; the unit as the law counts: 日 for calendar days."""
    assert {i.time_limits.unit for i in catalog.items.values()} == {"工作日", "日"}
    divorce = catalog.item("TJ-MZJ-002").time_limits
    assert divorce.unit == "日" and "第一千零七十七条" in divorce.note
    assert days_text(30, "日") == "30日" and days_text(20) == "20个工作日"


def test_construction_permit_limit_and_validity_as_the_law_sets(catalog):
    """《建筑法》第八条 (七日) and 第九条 (三个月内开工, 延期两次): 公开公示 第十三条(六) 有效期限 when the
    law sets one, 第十四条(一) 法定办结时限 as the law sets it."""
    permit = catalog.item("TJ-ZJW-001")
    assert (permit.time_limits.statutory_days, permit.time_limits.unit) == (7, "日")
    assert "三个月" in permit.procedure.validity and "第九条" in permit.procedure.validity
    assert "5年" in catalog.item("TJ-STHJ-002").procedure.validity
    assert "7日" in document_text(guide_sheet_document(permit))


def test_abolished_item_is_never_offered(catalog, client):
    """公开公示 第五条 (清单之外无事项) and 第六条: 对外贸易经营者备案登记 was abolished on 2022-12-30."""
    from kiosk.platform.client import new_idempotency_key
    from kiosk.platform.errors import PlatformRejected
    from sandbox.testing import letter
    gone = catalog.item("TJ-SWJ-001")
    assert gone.abolished_on == "2022-12-30" and not gone.allows_commitment
    assert gone not in catalog.listed()
    with pytest.raises(PlatformRejected) as err:
        client.submit_commitment(letter(item_code="TJ-SWJ-001", deferred=()), new_idempotency_key())
    assert err.value.slug == "commitment-not-allowed"


def test_every_refusal_has_its_real_ground(catalog, tmp_path):
    """信用承诺 第四条 names its categories; a refusal for another reason (当场办结, nothing to
    defer: 第三条) does not cite it."""
    refused = [i for i in catalog.items.values() if not i.commitment.allowed]
    assert all(i.commitment.ground for i in refused)
    for code in ("TJ-CL-001", "TJ-JTW-004", "TJ-MZJ-003", "TJ-RSJ-001", "TJ-RSJ-004", "TJ-RSJ-008"):
        commitment = catalog.item(code).commitment
        assert commitment.ground in ("当场办结", "无可容缺材料") and "第四条" not in commitment.reason
    bad = broken(tmp_path, "TJ-CL-002", lambda e: e["commitment"].update(
        reason="本事项需要核实，依据《信用承诺办法》第四条不适用承诺审批"))
    assert ("error", "commitment.reason") in fields_of(lint_directory(bad), "TJ-CL-002")


def test_review_steps_publish_content_and_standard(catalog, tmp_path):
    """公开公示 第十三条(三): 行政机关应当主动公布每项审查的内容和标准."""
    for item in catalog.items.values():
        assert item.procedure.review_details
        assert all(step.content and step.standard for step in item.procedure.review_details)
    bad = broken(tmp_path, "TJ-SCJG-002", lambda e: e["procedure"].update(review_steps=["纸质审查"]))
    assert ("error", "procedure.review_steps") in fields_of(lint_directory(bad), "TJ-SCJG-002")


def test_delivery_in_and_out_on_their_own(catalog, tmp_path):
    """公开公示 第十七条(一): 提交申请材料和审批结果发放, 是否选择通过物流快递."""
    food = catalog.item("TJ-SCJG-001").convenience
    assert (food.materials_in, food.results_out) == (True, True)
    bad = broken(tmp_path, "TJ-SCJG-001", lambda e: e["convenience"].update(delivery=True))
    assert ("error", "convenience.delivery") in fields_of(lint_directory(bad), "TJ-SCJG-001")


def test_the_day_each_item_was_formed_or_changed(catalog, tmp_path):
    """公开公示 第二十二条: 自信息形成或者变更之日起20个工作日内予以公开."""
    assert all(i.updated_on for i in catalog.items.values())
    bad = broken(tmp_path, "TJ-GJJ-002", lambda e: e.pop("updated_on"))
    assert ("error", "updated_on") in fields_of(lint_directory(bad), "TJ-GJJ-002")


def test_company_items_list_the_authorisation_never_deferrable(catalog, tmp_path):
    """信用承诺 第十四条(二): a company's agent brings the 授权委托书, which is never deferrable."""
    for item in catalog.items.values():
        letters = [m for m in item.materials if "授权委托书" in m.name]
        if "法人" in item.audience:
            assert letters, item.code
        assert not any(m.deferrable for m in letters), item.code

    def defer_it(entry):
        next(m for m in entry["materials"] if "授权委托书" in m["name"])["deferrable"] = True
    bad = broken(tmp_path, "TJ-SCJG-003", defer_it)
    assert ("error", "materials.agent.deferrable") in fields_of(lint_directory(bad), "TJ-SCJG-003")


def test_both_forms_of_article_four(catalog, tmp_path):
    """信用承诺 第四条: 申请材料容缺 and 具备条件承诺, per item; conditions promised need naming them."""
    both = catalog.item("TJ-RSJ-005").commitment
    assert both.forms == ("容缺后补", "具备条件承诺") and both.promised_conditions
    assert all("容缺后补" in i.commitment.forms for i in catalog.items.values()
               if i.commitment.allowed and i.deferrable_materials)

    def only_conditions(entry):
        entry["commitment"] = {"allowed": True, "forms": ["具备条件承诺"],
                               "promised_conditions": ["有符合要求的经营场所"]}
        for material in entry["materials"]:
            material.pop("deferrable", None)
    promised = load_catalog(broken(tmp_path / "a", "TJ-RSJ-006", only_conditions)).item("TJ-RSJ-006")
    assert promised.allows_commitment and not promised.deferrable_materials
    with pytest.raises(CatalogError) as err:
        load_catalog(broken(tmp_path / "b", "TJ-RSJ-006",
                            lambda e: e["commitment"].update(forms=["具备条件承诺"])))
    assert "promised_conditions" in str(err.value)
    text = document_text(guide_sheet_document(catalog.item("TJ-RSJ-005")))
    assert "可承诺具备的条件：有与开展业务相适应的固定经营场所和设施" in text


def test_kioskctl_catalog_lint_and_publish_refuses_errors(tmp_path, capsys):
    """`kioskctl catalog lint DIR` and `kioskctl publish` refusing a catalog with errors."""
    assert main(["catalog", "lint", str(DEMO)]) == 0
    assert "0 errors" in capsys.readouterr().out
    assert main(["catalog", "lint", str(DEMO), "--strict"]) == 1
    capsys.readouterr()
    bad = broken(tmp_path, "TJ-GJJ-002", lambda e: e.pop("updated_on"))
    assert main(["catalog", "lint", str(bad), "--json"]) == 1
    found = json.loads(capsys.readouterr().out)
    assert [(f["severity"], f["field"]) for f in found if f["item_code"] == "TJ-GJJ-002"
            and f["severity"] == "error"] == [("error", "updated_on")]
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    (bundle / "settings.toml").write_text("[display]\nmaxfps = 20\n")
    shutil.copytree(bad, bundle / "catalog")
    repo = ConfigRepository(tmp_path / "repo", tmp_path / "keys")
    repo.init()
    with pytest.raises(RepositoryError) as err:
        repo.publish(bundle)
    assert "updated_on" in str(err.value)
    shutil.rmtree(bundle / "catalog")
    shutil.copytree(DEMO, bundle / "catalog", ignore=shutil.ignore_patterns("schema"))
    assert repo.publish(bundle) == 2
