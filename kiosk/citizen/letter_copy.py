"""The applicant's copy of the signed commitment letter as a PDF (信用承诺 第十三条: "承诺书一式两份，
经履行审批职责的行政机关和行政相对人双方签章后使用，由双方各保存一份").

A4, the CJK font embedded (WenQuanYi Micro Hei, subset), the item, the applicant and signer
(ID numbers masked, as on every paper the terminal hands out), the eight confirmations as
signed (第十二条(一)–(八)), the materials provided and promised, the signature image, the
case number (or the local reference while the letter waits to be sent) and its QR code for
进度查询 at any terminal. Pure: bytes out, no printer, no Kivy.
"""
from __future__ import annotations

import io
from pathlib import Path

import segno
from fpdf import FPDF

from kiosk.logs import mask_id_number
from kiosk.platform.contract import CHINA_TZ
from kiosk.platform.models import CommitmentLetter
from kiosk.printing.receipts import lookup_code

CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
ROLES = {"legal_representative": "法定代表人", "agent": "委托代理人"}


def _image(data: bytes):
    """The signature as a Pillow image, or None when the bytes are not one."""
    from PIL import Image, UnidentifiedImageError
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
        return image
    except (UnidentifiedImageError, OSError, ValueError):
        return None


def letter_pdf(letter: CommitmentLetter, title: str, *, case_number: str | None = None,
               ref: str | None = None, font: Path = CJK_FONT) -> bytes:
    """The PDF bytes of the applicant's copy of `letter`."""
    pdf = FPDF(format="A4")
    pdf.set_title(title)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_font("cjk", fname=str(font))
    pdf.add_page()
    pdf.set_font("cjk", size=18)
    pdf.cell(0, 12, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=11)
    pdf.cell(0, 7, "（申请人留存联）", align="C", new_x="LMARGIN", new_y="NEXT")

    def line(text: str = "", size: int = 11) -> None:
        pdf.set_font("cjk", size=size)
        pdf.multi_cell(0, 6.5, text, new_x="LMARGIN", new_y="NEXT")

    number = case_number or f"{ref}（待提交，平台受理后生成受理号）"
    line(f"受理号：{number}")
    line(f"事项编码：{letter.item_code}")
    a, s = letter.applicant, letter.signer
    if a.subject_type == "company":
        line(f"申请单位：{a.name}    统一社会信用代码：{a.uscc}")
    else:
        line(f"申请人：{a.name}    公民身份号码：{mask_id_number(a.id_number or '')}")
    if s.role in ROLES:
        line(f"{ROLES[s.role]}：{s.name}    公民身份号码：{mask_id_number(s.id_number)}")
        if s.role == "agent":
            line(f"授权委托书：已随承诺书提交（{len(letter.authorisation)}页）")
    pdf.ln(2)
    line("申请人确认并承诺：", 12)
    for text in letter.confirmations:
        line(text)
    pdf.ln(2)
    provided = "、".join(m.name for m in letter.materials if m.status == "provided") or "无"
    deferred = "、".join(m.name for m in letter.materials if m.status == "deferred") or "无"
    line(f"已提交材料：{provided}")
    line(f"承诺后补材料：{deferred}")
    line(f"签署时间：{letter.signed_at.astimezone(CHINA_TZ):%Y年%m月%d日 %H:%M}")
    pdf.ln(2)
    top = pdf.get_y()
    line("申请人（代理人）签名：")
    signature = _image(letter.signature_png)
    if signature is not None:
        pdf.image(signature, x=pdf.l_margin, y=pdf.get_y(), w=60)
    else:                                # not a picture (a damaged archive): say where it is
        line("（签名已随承诺书存档于政务服务平台）", 9)
    qr = io.BytesIO()
    segno.make(lookup_code(case_number, ref), error="m").save(qr, kind="png", scale=6, border=2)
    pdf.image(qr, x=pdf.w - pdf.r_margin - 36, y=top, w=36)
    pdf.set_y(top + 42)
    line("本承诺书一式两份，审批机关和申请人各执一份（《信用承诺办法》第十三条）。扫描二维码可在任一自助终端查询办理进度。", 9)
    out = pdf.output()
    return bytes(out)
