"""Demo data seeded into a new sandbox database: subjects, cases, slots, codes.

ID numbers and USCCs carry valid check characters (GB 11643, GB 32100) so the
kiosk's own validation accepts them. All of it is fictitious.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from kiosk.identity import id_check_char, uscc_check_char



def id_number(first17: str) -> str:
    return first17 + id_check_char(first17)


def uscc(first17: str) -> str:
    return first17 + uscc_check_char(first17)


GOOD_PERSON = ("person", id_number("12010119900307123"), "张三")
GOOD_PERSON_2 = ("person", id_number("12010219851120456"), "李四")
BLACKLISTED_PERSON = ("person", id_number("12010319780512789"), "王五")
PENDING_PERSON = ("person", id_number("12010419920808246"), "赵六")
GOOD_COMPANY = ("company", uscc("91120101MA05K0000"), "天津示例科技有限公司")
BLACKLISTED_COMPANY = ("company", uscc("91120102MA06L0000"), "天津失信示例商贸有限公司")

SUBJECTS = [GOOD_PERSON, GOOD_PERSON_2, BLACKLISTED_PERSON, PENDING_PERSON, GOOD_COMPANY,
            BLACKLISTED_COMPANY]
BLACKLISTED = [BLACKLISTED_PERSON, BLACKLISTED_COMPANY]
HONEST = [GOOD_PERSON, GOOD_COMPANY]       # 诚信主体: the green channel (失信惩戒 第十条)
# the 法人库: each company's registered legal representative (ID number, name)
LEGAL_REPRESENTATIVES = {GOOD_COMPANY[1]: (id_number("12010119750615321"), "孙七"),
                         BLACKLISTED_COMPANY[1]: (id_number("12010219680228654"), "周八")}
HALLS = [("TJ-CITY", "市政务服务中心"), ("TJ-HEPING", "和平区政务服务中心")]


def seed(store, today: date) -> None:
    """Fill an empty database. `store` is a sandbox.store.Store."""
    for subject_type, subject_id, name in SUBJECTS:
        store.ensure_subject(subject_type, subject_id, name)
    for _, uscc_code, name in (GOOD_COMPANY, BLACKLISTED_COMPANY):
        store.authority.register(uscc_code, name, *LEGAL_REPRESENTATIVES[uscc_code], on=today)
    for subject_type, subject_id, _ in BLACKLISTED:
        store.blacklist(subject_type, subject_id, "未按时提交约定申请材料（信用承诺办法第九条）",
                        on=today - timedelta(days=40))
    for subject_type, subject_id, _ in HONEST:
        store.mark_honest(subject_type, subject_id, since=today - timedelta(days=400))
    # cases in various states, for the pending subject
    letter = {"item_code": "12120000MB1546214Q-0001",
              "applicant": {"subject_type": "person", "name": PENDING_PERSON[2],
                            "id_number": PENDING_PERSON[1]},
              "signer": {"role": "applicant", "name": PENDING_PERSON[2], "id_number": PENDING_PERSON[1]},
              "confirmations": ["(seed)"] * 8,
              "materials": [{"code": "M01", "name": "申请书", "status": "provided"},
                            {"code": "M02", "name": "营业执照复印件", "status": "deferred"},
                            {"code": "M03", "name": "场所平面图", "status": "deferred"}],
              "letter_text": "(seed letter)", "signature_png": "iVBORw0KGgo=",
              "signed_at": datetime.combine(today, time(9)).isoformat()}
    first = store.create_case(letter, device_id="seed", committed_on=today - timedelta(days=20),
                              number="CN-SEED-0001")
    store.advance_case(first, "verification_started")
    store.create_case(letter, device_id="seed", committed_on=today - timedelta(days=3),
                      number="CN-SEED-0002")
    done = store.create_case(letter, device_id="seed", committed_on=today - timedelta(days=60),
                             number="CN-SEED-0003")
    store.supply_material(done, "M02", pages=1)
    store.supply_material(done, "M03", pages=1)
    store.advance_case(done, "verification_started")
    store.advance_case(done, "verification_finished")
    gone = store.create_case(letter, device_id="seed", committed_on=today - timedelta(days=90),
                             number="CN-SEED-0004")
    store.lifecycle.revoke(gone, "materials_unqualified")
    # appointment slots: the next 10 calendar days' weekdays, four per hall
    day = today
    for _ in range(10):
        day += timedelta(days=1)
        if day.weekday() >= 5:
            continue
        for hall, _name in HALLS:
            for i, hour in enumerate((9, 10, 14, 15)):
                start = datetime.combine(day, time(hour))
                store.add_slot(f"S{day:%m%d}{hall[-2:]}{i}", hall, f"{i + 1:02d}号窗口", None,
                               start, start + timedelta(minutes=45), capacity=3)
