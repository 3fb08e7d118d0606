"""Which screens exist. A feature adds its screen here; home shows tiles only for these.

Screens are built on first use (or in the background after the first frame), each with its
kv file; widgets.kv and flow.kv, shared by many screens, are loaded at start."""
from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent

SHARED_KV = ["widgets.kv", "flow.kv"]
# kv files a screen's rules need besides its own (its base class's rules live there)
EXTRA_KV = {"supplement": ["progress.kv"]}

# (screen name, module, class): names are what tiles refer to; the order is the build order
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


_BY_NAME = {name: (module, cls) for name, module, cls in SCREENS}


def names() -> list[str]:
    return [name for name, _m, _c in SCREENS]


def exists(name: str) -> bool:
    return name in _BY_NAME


def kv_files(name: str) -> list[Path]:
    """The kv files screen `name` needs beyond the shared ones, its own last."""
    module = _BY_NAME[name][0]
    files = [HERE / kv for kv in EXTRA_KV.get(name, [])] + [HERE / f"{module.rsplit('.', 1)[1]}.kv"]
    return [path for path in files if path.exists()]


def create_screen(name: str, services):
    import importlib
    module, cls = _BY_NAME[name]
    return getattr(importlib.import_module(module), cls)(name=name, services=services)


def available_tiles() -> list[tuple[str, str]]:
    return [(key, screen) for key, screen in TILES if exists(screen)]
