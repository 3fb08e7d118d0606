"""GA 467-style SAM module frames (second-generation ID card readers) and the card's text block.

Frames: `AA AA AA 96 69 | LEN_H LEN_L | body | CHK`; LEN counts every byte after
itself (CHK included); CHK is the XOR of the LEN bytes through the last body byte.
A request body is `CMD PARA data`, a response body `SW1 SW2 SW3 data`.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from typing import Callable, Optional

from drivers.base import DeviceError, DeviceTimeout

PREAMBLE = b"\xAA\xAA\xAA\x96\x69"
MAX_LEN = 0x1000          # a read with fingerprint is ~2.3 KB; anything longer is line noise

FIND = (0x20, 0x01)
SELECT = (0x20, 0x02)
READ = (0x30, 0x01)
READ_FP = (0x30, 0x10)
SAM_ID = (0x12, 0xFF)
STATUS = (0x11, 0xFF)
RESET = (0x10, 0xFF)

SW3_OK, SW3_FOUND = 0x90, 0x9F

SW3_MESSAGES = {
    0x90: "操作成功",
    0x9F: "找卡成功",
    0x10: "校验和错误",
    0x11: "长度错误",
    0x21: "命令错误",
    0x23: "越权操作",
    0x24: "未知错误",
    0x31: "卡认证机具失败，请重新放置身份证",
    0x32: "机具认证卡失败，请重新放置身份证",
    0x33: "信息验证错误，请重新放置身份证",
    0x40: "无法识别的卡类型",
    0x41: "读卡失败，请重新放置身份证",
    0x47: "取随机数失败，请重新放置身份证",
    0x60: "安全模块自检失败",
    0x66: "安全模块未经授权",
    0x80: "未找到身份证",
    0x81: "选卡失败，请重新放置身份证",
    0x91: "卡中无此项内容",
    0xFF: "通信故障",
}
# codes that mean the reader itself (not the card in front of it) is unwell
SAM_FAULTS = frozenset({0x10, 0x11, 0x21, 0x23, 0x24, 0x60, 0x66, 0xFF})


def sw3_message(sw3: int) -> str:
    return SW3_MESSAGES.get(sw3, f"未知状态码 {sw3:02X}")


class FrameError(DeviceError, ValueError):
    """A frame that cannot be a SAM frame."""

    message = "读卡器通信数据错误"


class PreambleError(FrameError):
    pass


class LengthError(FrameError):
    pass


class ChecksumError(FrameError):
    pass


class LineNoise(FrameError):
    """Bytes kept coming but no whole frame among them before the deadline (a noisy line)."""

    message = "读卡器线路干扰：持续收到无效数据，请检查读卡器连线"


class SamError(DeviceError):
    """The module answered with a status other than success; `sw3` and a Chinese `message`."""

    def __init__(self, sw1: int, sw2: int, sw3: int):
        self.sw1, self.sw2, self.sw3 = sw1, sw2, sw3
        text = sw3_message(sw3) if sw1 == sw2 == 0 else f"未知状态 {sw1:02X} {sw2:02X} {sw3:02X}"
        super().__init__(f"SW {sw1:02X} {sw2:02X} {sw3:02X}", message=text)

    @property
    def reader_fault(self) -> bool:
        return self.sw3 in SAM_FAULTS or self.sw1 != 0 or self.sw2 != 0


class IdentityError(DeviceError, ValueError):
    """The text block is not a valid identity (bad encoding, date, code or check character)."""

    message = "身份证信息无法识别，请重新放置身份证"


@dataclass(frozen=True)
class Response:
    sw1: int
    sw2: int
    sw3: int
    data: bytes

    @property
    def ok(self) -> bool:
        return self.sw1 == 0 and self.sw2 == 0 and self.sw3 in (SW3_OK, SW3_FOUND)

    def check(self) -> "Response":
        if not self.ok:
            raise SamError(self.sw1, self.sw2, self.sw3)
        return self


def checksum(data: bytes) -> int:
    value = 0
    for byte in data:
        value ^= byte
    return value


def _frame(body: bytes) -> bytes:
    head = (len(body) + 1).to_bytes(2, "big") + body
    return PREAMBLE + head + bytes([checksum(head)])


def build_request(cmd: int, para: int, data: bytes = b"") -> bytes:
    return _frame(bytes([cmd, para]) + bytes(data))


def build_response(sw3: int, data: bytes = b"", sw1: int = 0, sw2: int = 0) -> bytes:
    return _frame(bytes([sw1, sw2, sw3]) + bytes(data))


def _body(frame: bytes, minimum: int) -> bytes:
    frame = bytes(frame)
    if not frame.startswith(PREAMBLE):
        raise PreambleError(f"frame does not start with AA AA AA 96 69: {frame[:5].hex(' ')}")
    if len(frame) < len(PREAMBLE) + 2:
        raise LengthError("frame too short for its length field")
    length = int.from_bytes(frame[5:7], "big")
    if length < minimum + 1 or length > MAX_LEN:
        raise LengthError(f"length field {length} out of range")
    if len(frame) != 7 + length:
        raise LengthError(f"length field says {length} bytes, frame has {len(frame) - 7}")
    if checksum(frame[5:-1]) != frame[-1]:
        raise ChecksumError(f"checksum {frame[-1]:02X}, computed {checksum(frame[5:-1]):02X}")
    return frame[7:-1]


def parse_response(frame: bytes) -> Response:
    body = _body(frame, 3)
    return Response(body[0], body[1], body[2], body[3:])


def parse_request(frame: bytes) -> tuple[int, int, bytes]:
    body = _body(frame, 2)
    return body[0], body[1], body[2:]


HUNT_CHUNK = 4096          # bytes read at a time once garbage has been seen before a preamble


def read_frame(read: Callable[[int], bytes], timeout: float) -> bytes:
    """Read one frame from a byte stream (see read_frame_counted)."""
    return read_frame_counted(read, timeout)[0]


def read_frame_counted(read: Callable[[int], bytes], timeout: float) -> tuple[bytes, int]:
    """(one frame, how many garbage bytes came before it) from a byte stream.

    Read one frame from a byte stream, skipping garbage before the preamble.

    `read(n)` returns up to n bytes (b"" when nothing came within its own short
    timeout). The deadline is checked after every read, whether bytes came or
    not: endless line noise ends like silence, within `timeout` seconds, as
    LineNoise (bytes came, no frame among them) or DeviceTimeout (nothing came).
    LengthError on an impossible length field. Memory stays bounded: skipped
    bytes are dropped as they are read.
    """
    deadline = time.monotonic() + timeout
    buf = bytearray()
    skipped = 0
    while True:
        at = buf.find(PREAMBLE)
        if at >= 0:
            skipped += at
            del buf[:at]
            break
        keep = next((k for k in range(len(PREAMBLE) - 1, 0, -1) if buf.endswith(PREAMBLE[:k])), 0)
        skipped += len(buf) - keep
        del buf[:len(buf) - keep]
        _check_deadline(deadline, skipped)
        buf += read(HUNT_CHUNK if skipped else 1)
    while len(buf) < 7:
        _check_deadline(deadline, skipped)
        buf += read(7 - len(buf))
    length = int.from_bytes(buf[5:7], "big")
    if length < 3 or length > MAX_LEN:
        raise LengthError(f"length field {length} out of range")
    while len(buf) < 7 + length:
        _check_deadline(deadline, skipped + len(buf))
        buf += read(7 + length - len(buf))
    return bytes(buf[:7 + length]), skipped


def _check_deadline(deadline: float, received: int = 0) -> None:
    if time.monotonic() > deadline:
        if received:
            raise LineNoise(f"{received} 字节内没有完整应答")
        raise DeviceTimeout("读卡器无响应")


# --- the 256-byte text block ------------------------------------------------------------

NATIONS = dict(enumerate((
    "汉", "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白",
    "土家", "哈尼", "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西",
    "景颇", "柯尔克孜", "土", "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌",
    "普米", "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔",
    "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺"), start=1))
NATIONS.update({97: "其他", 98: "外国血统中国籍人士"})
GENDERS = {"1": "男", "2": "女"}
LONG_TERM = "长期"
TEXT_SIZE = 256

# (field, byte offset, byte length) of each layout
RESIDENT_LAYOUT = (("name", 0, 30), ("gender", 30, 2), ("nation", 32, 4), ("birth", 36, 16),
                   ("address", 52, 70), ("id_number", 122, 36), ("authority", 158, 30),
                   ("valid_from", 188, 16), ("valid_to", 204, 16))
HMT_EXTRA = (("pass_number", 220, 18), ("issue_count", 238, 4))
FOREIGN_LAYOUT = (("english_name", 0, 120), ("gender", 120, 2), ("id_number", 122, 30),
                  ("nationality", 152, 6), ("name", 158, 30), ("valid_from", 188, 16),
                  ("valid_to", 204, 16), ("birth", 220, 16), ("card_version", 236, 4),
                  ("authority", 240, 8))
TYPE_FLAG = (248, 2)
FOREIGN_FLAGS = ("I", "Y")   # 'Y': the 2023 card, by some vendors' documentation (unverified)


@dataclass(frozen=True, repr=False)
class Identity:
    """A citizen's identity as read from the card. Never log it: repr shows no personal field."""

    name: str
    gender: str
    nation: str
    birth_date: date
    address: str
    id_number: str
    authority: str
    valid_from: date
    valid_to: Optional[date]
    card_type: str = "resident"            # resident | hmt | foreign
    pass_number: Optional[str] = None      # HMT: 通行证号码
    issue_count: Optional[int] = None      # HMT: 签发次数
    english_name: Optional[str] = None     # foreign
    nationality: Optional[str] = None      # foreign: GB/T 2659 alpha-3 code
    card_version: Optional[str] = None     # foreign
    photo: bytes = b""                     # WLT-encoded; only the vendor's library decodes it

    def __repr__(self) -> str:
        return f"Identity(card_type={self.card_type!r}, <personal data hidden>)"

    __str__ = __repr__


def _fields(text: bytes, layout) -> dict[str, str]:
    out = {}
    for name, offset, size in layout:
        try:
            value = text[offset:offset + size].decode("utf-16-le")
        except UnicodeDecodeError:
            raise IdentityError(f"field {name} is not UCS-2") from None
        out[name] = value.replace("\x00", " ").strip()
    return out


def _date(value: str, field: str) -> date:
    if len(value) != 8 or not value.isascii() or not value.isdigit():
        raise IdentityError(f"field {field} is not a YYYYMMDD date")
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        raise IdentityError(f"field {field} is not a calendar date") from None


def _gender(code: str) -> str:
    if code not in GENDERS:
        raise IdentityError("unknown gender code")
    return GENDERS[code]


def _valid_to(value: str) -> Optional[date]:
    return None if value == LONG_TERM else _date(value, "valid_to")


def card_type_of(text: bytes) -> str:
    try:
        flag = text[TYPE_FLAG[0]:sum(TYPE_FLAG)].decode("utf-16-le").strip()
    except UnicodeDecodeError:
        flag = ""
    if flag == "J":
        return "hmt"
    if flag in FOREIGN_FLAGS:
        return "foreign"
    return "resident"


def parse_identity(text: bytes, photo: bytes = b"") -> Identity:
    """Decode a 256-byte text block (UCS-2 LE, space padded); IdentityError if it is not valid."""
    text = bytes(text)
    if len(text) != TEXT_SIZE:
        raise IdentityError(f"text block is {len(text)} bytes, not {TEXT_SIZE}")
    card_type = card_type_of(text)
    if card_type == "foreign":
        f = _fields(text, FOREIGN_LAYOUT)
        if not f["id_number"] or not f["id_number"].isalnum():
            raise IdentityError("bad card number")
        return Identity(name=f["name"], gender=_gender(f["gender"]), nation="",
                        birth_date=_date(f["birth"], "birth"), address="",
                        id_number=f["id_number"], authority=f["authority"],
                        valid_from=_date(f["valid_from"], "valid_from"),
                        valid_to=_valid_to(f["valid_to"]), card_type=card_type,
                        english_name=f["english_name"], nationality=f["nationality"],
                        card_version=f["card_version"], photo=photo)
    f = _fields(text, RESIDENT_LAYOUT)
    # whether the number is a valid GB 11643 number is the kiosk's rule (kiosk/identity.py);
    # the frame checksum already guards the read itself
    extra: dict = {}
    if card_type == "hmt":
        x = _fields(text, HMT_EXTRA)
        if not x["issue_count"].isdigit() or not x["issue_count"].isascii():
            raise IdentityError("bad issue count")
        extra = {"pass_number": x["pass_number"], "issue_count": int(x["issue_count"])}
        nation = ""
    else:
        if not (f["nation"].isascii() and f["nation"].isdigit()) or int(f["nation"]) not in NATIONS:
            raise IdentityError("unknown nation code")
        nation = NATIONS[int(f["nation"])]
    return Identity(name=f["name"], gender=_gender(f["gender"]), nation=nation,
                    birth_date=_date(f["birth"], "birth"), address=f["address"],
                    id_number=f["id_number"].upper(), authority=f["authority"],
                    valid_from=_date(f["valid_from"], "valid_from"),
                    valid_to=_valid_to(f["valid_to"]), card_type=card_type, photo=photo, **extra)


def split_read_data(data: bytes, with_fingerprint: bool = False) -> tuple[bytes, bytes]:
    """The data of a successful read: text length, photo length[, fingerprint length]
    (2 bytes each, big-endian), then text, photo[, fingerprint]. Returns (text, photo)."""
    header = 6 if with_fingerprint else 4
    if len(data) < header:
        raise LengthError("read response too short")
    text_len, photo_len = int.from_bytes(data[:2], "big"), int.from_bytes(data[2:4], "big")
    if len(data) < header + text_len + photo_len:
        raise LengthError("read response shorter than its text and photo lengths")
    return data[header:header + text_len], data[header + text_len:header + text_len + photo_len]
