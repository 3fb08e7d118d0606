"""Which screens exist. A feature adds its screen here; home shows tiles only for these."""
from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent

# (screen name, module, class): order is irrelevant, names are what tiles refer to
SCREENS = [
    ("attract", "screens.attract", "AttractScreen"),
    ("home", "screens.home", "HomeScreen"),
    ("guide", "screens.guide", "GuideScreen"),
    ("guide_browse", "screens.browse", "BrowseScreen"),
    ("guide_questions", "screens.questions", "QuestionsScreen"),
    ("guide_sheet", "screens.guide_sheet", "GuideSheetScreen"),
    ("commitment", "screens.commitment", "CommitmentScreen"),
    ("commitment_materials", "screens.commitment_materials", "CommitmentMaterialsScreen"),
    ("commitment_confirm", "screens.commitment_confirm", "CommitmentConfirmScreen"),
    ("commitment_sign", "screens.commitment_sign", "CommitmentSignScreen"),
    ("commitment_review", "screens.commitment_review", "CommitmentReviewScreen"),
    ("commitment_result", "screens.commitment_result", "CommitmentResultScreen"),
    ("supplement", "screens.supplement", "SupplementScreen"),
    ("progress", "screens.progress", "ProgressScreen"),
    ("credit_repair", "screens.credit_repair", "CreditRepairScreen"),
    ("appointment", "screens.appointment", "AppointmentScreen"),
    ("queue", "screens.queue", "QueueScreen"),
    ("evaluation", "screens.evaluation", "EvaluationScreen"),
    ("complaint", "screens.complaint", "ComplaintScreen"),
    ("maintenance", "screens.maintenance", "MaintenanceScreen"),
    ("technician_pin", "screens.technician_pin", "TechnicianPinScreen"),
    ("technician", "screens.technician", "TechnicianScreen"),
]

# home tiles: (message key under home.tiles, screen it opens)
TILES = [
    ("guide", "guide"),
    ("commitment", "commitment"),
    ("supplement", "supplement"),
    ("progress", "progress"),
    ("appointment", "appointment"),
    ("queue", "queue"),
    ("evaluation", "evaluation"),
    ("complaint", "complaint"),
    ("credit_repair", "credit_repair"),
]


def kv_files() -> list[Path]:
    return [HERE / f"{module.rsplit('.', 1)[1]}.kv" for _n, module, _c in SCREENS
            if (HERE / f"{module.rsplit('.', 1)[1]}.kv").exists()]


def create_screens(services):
    import importlib
    for name, module, cls in SCREENS:
        screen_cls = getattr(importlib.import_module(module), cls)
        yield screen_cls(name=name, services=services)


def available_tiles() -> list[tuple[str, str]]:
    names = {name for name, _m, _c in SCREENS}
    return [(key, screen) for key, screen in TILES if screen in names]
