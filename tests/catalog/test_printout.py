"""The printed guide sheet: the Document's content, and the same Document rendered to
ESC/POS and decoded again by the printer emulator's decoder (Chinese intact)."""
import pytest

from drivers.printer.document import QR, Cut, Title
from kiosk.catalog import load_catalog
from kiosk.catalog.printout import document_text, guide_sheet_document
from kiosk.config import REPO_CONFIG


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(REPO_CONFIG / "catalog")


def test_document_has_the_concise_guide_sheet(catalog):
    item = catalog.item("TJ-SCJG-002")
    doc = guide_sheet_document(item, terminal="TJ-DEMO-0001")
    text = document_text(doc)
    assert isinstance(doc.blocks[0], Title) and isinstance(doc.blocks[-1], Cut)
    for expected in (item.name, item.code, "备齐材料即可申报", "经营场所使用证明", "（可容缺后补）",
                     "法定办结时限", "3个工作日", "承诺办结时限", "即办", "不收费", item.procedure.window,
                     "咨询电话", "投诉电话", "88908890", "TJ-DEMO-0001"):
        assert expected in text, expected
    for material in item.materials:
        assert material.name in text
    assert [b.data for b in doc.blocks if isinstance(b, QR)] == [item.online_url]


def test_fees_and_no_qr_without_online_handling(catalog):
    item = catalog.item("TJ-CL-001")           # 残疾人证: 就近办 only
    text = document_text(guide_sheet_document(item))
    assert not any(isinstance(b, QR) for b in guide_sheet_document(item).blocks)
    assert "（可容缺后补）" not in text
    fee_item = catalog.item("TJ-GHZY-001")
    fee_text = document_text(guide_sheet_document(fee_item))
    assert fee_item.fees.standard in fee_text and "收费依据" in fee_text


def test_emulator_decodes_materials_and_phones_in_chinese(catalog):
    from drivers.printer.emulator import EscPosDecoder
    from drivers.printer.profiles import PROFILES
    from drivers.printer.render import render
    item = catalog.item("TJ-RSJ-005")
    profile = PROFILES["generic-80"]
    decoder = EscPosDecoder(profile)
    decoder.feed(render(guide_sheet_document(item), profile))
    decoder.finish()
    job = decoder.jobs[0]
    printed = job.text.replace("\n", "")
    for material in item.materials:
        assert material.name in printed, material.name
    assert "88908890" in printed and "劳务派遣经营许可" in printed
    assert job.cuts == 1
