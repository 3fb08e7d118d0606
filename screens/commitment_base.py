"""What every commitment-flow screen shares: the draft letter in the session, the wording."""
from __future__ import annotations

from screens.base import KioskScreen

# The order of the flow, in one place: each step's next_step() goes to the one after it.
STEPS = ("commitment", "commitment_materials", "commitment_confirm", "commitment_sign",
         "commitment_review", "commitment_result")


class FlowScreen(KioskScreen):
    """A step of the commitment flow; the draft lives in session.data['commitment']."""

    @property
    def draft(self):
        return self.session.data.get("commitment")

    @property
    def wording(self):
        return self.services.wording

    @property
    def submission(self):
        """The letter as submitted (kiosk.citizen.commitment.Submission), once it is."""
        return self.session.data.get("submission")

    def next_step(self) -> None:
        """On to the step after this one in STEPS."""
        self.app.go(STEPS[STEPS.index(self.name) + 1])

    def previous_step(self) -> None:
        """上一步: back to the step before this one; the draft keeps what was entered."""
        self.app.go(STEPS[max(0, STEPS.index(self.name) - 1)])

    def leave(self) -> None:
        """退出办理: after "放弃本次办理？" when there is something to lose, the session ends
        and everything shown is wiped; the citizen is back on the home screen."""
        self.app.leave("commitment left")
