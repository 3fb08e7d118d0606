"""The applicant's copy of the letter as a PDF (issue 17 point 3; 信用承诺 第十三条 一式两份, 由双方各
保存一份): the CJK font embedded, the eight confirmations, the signature, case number and QR."""
from __future__ import annotations

import io

import pypdf
from PIL import Image
from pyzbar.pyzbar import decode

from kiosk.citizen import commitment as c
from kiosk.citizen.letter_copy import letter_pdf
from kiosk.platform.models import Page, Signer
from sandbox.testing import letter

PNG = Page("image/png", b"")


def signature() -> bytes:
    return c.signature_png([[(10 + i * 8, 20 + (i % 4) * 10) for i in range(30)]], (300, 100))


def test_the_copy_carries_the_letter_as_signed():
    """第十三条: the applicant keeps one copy; 第十二条(一)–(八) as confirmed, the signature, the case."""
    wording = c.load_wording()
    the_letter = letter("120101199003071235", confirmations=wording.confirmations, signature_png=signature())
    data = letter_pdf(the_letter, wording.title, case_number="TJ2025092200000001")
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = "".join(page.extract_text() for page in reader.pages).replace("\n", "")
    assert wording.title in text and "TJ2025092200000001" in text and "申请人留存联" in text
    for confirmation in wording.confirmations:
        assert confirmation.replace("\n", "")[:30] in text
    assert "120101********1235" in text and "120101199003071235" not in text     # masked
    fonts = [f.get_object() for page in reader.pages for f in page["/Resources"]["/Font"].values()]
    descriptor = fonts[0]["/DescendantFonts"][0].get_object()["/FontDescriptor"]
    assert "WenQuanYiMicroHei" in fonts[0]["/BaseFont"] and "/FontFile2" in descriptor      # embedded
    images = [Image.open(io.BytesIO(i.data)) for i in reader.pages[0].images]
    codes = [d.data.decode() for image in images for d in decode(image.convert("L"))]
    assert codes == ["TJCASE:TJ2025092200000001"]
    assert len(images) == 2                                  # the signature and the QR


def test_an_agents_copy_names_the_agent_and_the_authorisation():
    """第十四条(二): signed by an agent with the 授权委托书; queued letters carry their reference."""
    the_letter = letter(signer=Signer("agent", "代理人", "120102198511204569"), authorisation=(PNG, PNG),
                        signature_png=signature())
    data = letter_pdf(the_letter, "信用承诺书", ref="TJ-DEMO-0001-20261203-5F3A9C01")
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages).replace("\n", "")
    assert "委托代理人：代理人" in text and "授权委托书：已随承诺书提交（2页）" in text
    assert "待提交" in text and "120102********4569" in text
