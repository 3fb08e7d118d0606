"""Issue 14 point 11: every class that holds a name or an ID number hides it in repr (and str).

Every dataclass and pydantic model of kiosk/, drivers/ and sandbox/ that has a personal field
is built with recognisable values in each field and its repr must show none of the personal
ones; the scan must find the classes we know hold personal data, so it cannot pass by finding
nothing. Then the real letter of the commitment flow, as the tests submit it."""
from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil

import pydantic
import pytest
from sandbox.testing import letter

import drivers
import kiosk
import sandbox

# a class with one of these holds personal data...
TRIGGERS = {"id_number", "subject_id", "contact_phone", "mobile", "birth_date"}
# ...and then none of these may show (a `phone` alone is an office's, in the catalog)
PERSONAL = TRIGGERS | {"phone", "name", "address", "letter_text", "signature_png", "english_name", "pass_number"}
# classes whose `name` is a subject's name (a person's when the subject is a person)
NAME_ONLY = {"kiosk.platform.models.CreditStatus", "sandbox.models.CreditStatus"}
KNOWN = {"kiosk.identity.Person", "kiosk.platform.models.Applicant", "kiosk.platform.models.Signer",
         "drivers.idcard.protocol.Identity", "sandbox.models.Person", "sandbox.models.Applicant",
         "sandbox.models.Signer", "sandbox.models.BookingRequest", "sandbox.models.SubjectRef",
         "sandbox.models.CreditRepairRequest", "sandbox.models.ComplaintRequest",
         "kiosk.citizen.complaints.Complaint", "sandbox.admin.CodeReq", "sandbox.admin.BlacklistReq"} | NAME_ONLY


def field_names(cls) -> list[str] | None:
    if dataclasses.is_dataclass(cls):
        return [f.name for f in dataclasses.fields(cls)]
    if issubclass(cls, pydantic.BaseModel) and cls is not pydantic.BaseModel:
        return list(cls.model_fields)
    return None


def classes():
    seen = {}
    for package in (kiosk, drivers, sandbox):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if info.name.endswith("__main__"):
                continue
            module = importlib.import_module(info.name)
            for cls in vars(module).values():
                if inspect.isclass(cls) and cls.__module__ == module.__name__:
                    names = field_names(cls)
                    qual = f"{cls.__module__}.{cls.__qualname__}"
                    if names and (TRIGGERS & set(names) or qual in NAME_ONLY):
                        seen[qual] = (cls, names)
    return seen


PERSONAL_CLASSES = classes()


def test_the_scan_finds_the_classes_known_to_hold_personal_data():
    assert KNOWN <= set(PERSONAL_CLASSES), KNOWN - set(PERSONAL_CLASSES)


def sample(cls, names):
    values = {n: (f"PII-{n}-PII" if n in PERSONAL else None) for n in names}
    if dataclasses.is_dataclass(cls):
        obj = object.__new__(cls)
        for n, v in values.items():
            object.__setattr__(obj, n, v)
        return obj, values
    return cls.model_construct(**values), values


@pytest.mark.parametrize("qual", sorted(PERSONAL_CLASSES))
def test_repr_shows_no_personal_field(qual):
    cls, names = PERSONAL_CLASSES[qual]
    obj, values = sample(cls, names)
    shown = repr(obj) + str(obj) + f"{obj}"
    leaked = [n for n, v in values.items() if v and v in shown]
    assert not leaked, f"{qual} shows {leaked}: {shown}"


def test_the_letter_hides_the_applicant_and_signer():
    the_letter = letter()
    number = the_letter.applicant.id_number
    the_letter = dataclasses.replace(the_letter, letter_text=f"申请人：测试人 公民身份号码：{number}")
    for text in (repr(the_letter), str(the_letter), repr(the_letter.applicant), repr(the_letter.signer)):
        assert number not in text and "测试人" not in text
        assert number[-4:] not in text.replace(the_letter.item_code, "")
    assert "item_code" in repr(the_letter)          # what is not personal still shows, for debugging


def test_the_sandbox_letter_model_hides_them_too():
    from sandbox.models import CommitmentLetter
    the_letter = letter()
    model = CommitmentLetter.model_validate(the_letter.to_json())
    text = repr(model) + str(model)
    assert the_letter.applicant.id_number not in text and "测试人" not in text
