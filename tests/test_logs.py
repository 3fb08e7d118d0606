"""The log redaction filter: personal data logged by mistake comes out masked."""
import io
import json
import logging

import pytest

from kiosk.logs import make_handler, mask_id_number, redact_text


@pytest.fixture
def captured():
    stream = io.StringIO()
    logger = logging.getLogger("test.redaction")
    handler = make_handler(stream)
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    yield logger, stream
    logger.removeHandler(handler)


def lines(stream):
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_id_number_in_message_is_masked(captured):
    logger, stream = captured
    logger.info("read card 12010119900307123X for %s", "13812345678")
    (entry,) = lines(stream)
    assert entry["msg"] == "read card 120101********123X for 138****5678"
    assert "19900307" not in stream.getvalue()


def test_personal_fields_in_extra_are_redacted(captured):
    logger, stream = captured
    logger.warning("applicant", extra={"full_name": "张三", "address": "天津市和平区", "case": "TJ2026-1",
                                       "payload": {"id_number": "120101199003071234", "item": "11120000"}})
    (entry,) = lines(stream)
    assert entry["full_name"] == "[redacted]" and entry["address"] == "[redacted]"
    assert entry["payload"] == {"id_number": "[redacted]", "item": "11120000"}
    assert entry["case"] == "TJ2026-1"
    assert "张三" not in stream.getvalue()


def test_exception_text_is_redacted(captured):
    logger, stream = captured
    try:
        raise ValueError("bad card 120101199003071234")
    except ValueError:
        logger.exception("failed")
    text = stream.getvalue()
    assert "120101199003071234" not in text
    assert "120101********1234" in text


def test_case_numbers_and_item_codes_are_not_mangled():
    # 16- or 20-digit codes are not ID numbers; only 18-character ones are
    assert redact_text("item 1112000000000000 case 20261128000000000001") == \
        "item 1112000000000000 case 20261128000000000001"


def test_mask_id_number_for_receipts():
    assert mask_id_number("120101199003071234") == "120101********1234"
    assert mask_id_number("short") == "*****"
