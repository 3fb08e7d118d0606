"""承诺办理 for a company (法人 items): who applies (for items open to both, the citizen
chooses), the unified social credit code typed on the on-screen keyboard (digits and
capitals only, GB 32100 check character validated), and whether the ID-card holder signs as the
legal representative or as an authorised agent (委托代理人: an authorisation letter is then
a required material). A mixin for CommitmentScreen; its widgets go into `ids.company`, its
下一步 is the bar's `go_on` button (always in view, whatever the keyboard's height)."""
from __future__ import annotations

from kivy.factory import Factory

from kiosk.citizen.commitment import company_applicant
from kiosk.identity import valid_uscc
from screens.keyboard import Keyboard
from screens.keyboard_layouts import USCC_ALPHABET

USCC_LENGTH = 18
ROLES = ("legal_representative", "agent")


class CompanyEntry:
    @property
    def company(self) -> dict | None:
        """{"uscc", "role", "name"} while a company applies; None for a natural person."""
        return self.session.data.get("company")

    def choose_subject(self) -> None:
        self.state, self.message = "choose_subject", ""
        self.build_company()

    def as_person(self) -> None:
        self.session.data.pop("company", None)
        self.ids.company.clear_widgets()
        self.start_identify()

    def as_company(self) -> None:
        self.session.data["company"] = {"uscc": "", "role": "legal_representative", "name": ""}
        self.state, self.message = "company", ""
        self.build_company()

    # -- the widgets ----------------------------------------------------------------------
    def build_company(self) -> None:
        box = self.ids.company
        box.clear_widgets()
        self.company_buttons = {}
        t = self.t
        if self.state == "choose_subject":
            box.add_widget(Factory.FlowText(text=t("commitment.company.who"), bold=True))
            self._button(box, "person", t("commitment.company.as_person"), self.as_person)
            self._button(box, "company", t("commitment.company.as_company"), self.as_company)
        elif self.state == "company":
            company = self.company
            main, side = self._columns(box)
            side.add_widget(Factory.FlowText(text=t("commitment.company.uscc_hint"), bold=True))
            self.uscc_label = Factory.FlowHeading(text="", halign="center")
            side.add_widget(self.uscc_label)
            box = main
            keyboard = Keyboard(text=company["uscc"], layouts=("english",), caps_lock=True,
                                allowed=USCC_ALPHABET, max_length=USCC_LENGTH)
            keyboard.bind(text=lambda _k, value: self.uscc_typed(value))
            self.keyboard = keyboard
            box.add_widget(keyboard)
            self.uscc_typed(keyboard.text)
            box = side
            box.add_widget(Factory.FlowText(text=t("commitment.company.role_hint"), bold=True))
            grid = Factory.GridLayout(cols=1 if (self.app.elder or not self.app.portrait) else 2,
                                      spacing=self.app.u * 20, size_hint_y=None)
            grid.bind(minimum_height=grid.setter("height"))
            for role in ROLES:
                self._button(grid, f"role:{role}", t(f"commitment.company.role.{role}"),
                             lambda r=role: self.choose_role(r), kind="primary" if company["role"] == role else "secondary")
            box.add_widget(grid)
            if company["role"] == "agent":
                box.add_widget(Factory.FlowAlert(text=t("commitment.company.agent_letter"),
                                                 color=self.app.theme["primary"]))

    def _columns(self, box):
        """Portrait: one column. Landscape: the keyboard on the left, the code typed and the role
        on the right, so as much of the keyboard as possible stays in view."""
        if self.app.portrait:
            return box, box
        row = Factory.BoxLayout(orientation="horizontal", size_hint_y=None, spacing=self.app.u * 36)
        columns = []
        for weight in (0.6, 0.4):
            column = Factory.BoxLayout(orientation="vertical", size_hint=(weight, None), pos_hint={"top": 1},
                                       spacing=self.app.u * 24)
            column.bind(minimum_height=column.setter("height"))
            row.add_widget(column)
            columns.append(column)
        columns[0].bind(height=lambda *_: setattr(row, "height", max(c.height for c in columns)))
        columns[1].bind(height=lambda *_: setattr(row, "height", max(c.height for c in columns)))
        box.add_widget(row)
        return columns[0], columns[1]

    def _button(self, box, name, text, action, kind="primary"):
        button = Factory.KButton(text=text, kind=kind)
        button.bind(on_release=lambda _b: action())
        box.add_widget(button)
        self.company_buttons[name] = button
        return button

    def uscc_typed(self, value: str) -> None:
        if self.company is None:         # the keyboard cleared after the session's end
            return
        uscc = value.upper()[:USCC_LENGTH]
        self.company["uscc"] = uscc
        self.uscc_label.text = (uscc or "—") + f"   {len(uscc)}/{USCC_LENGTH}"

    def choose_role(self, role: str) -> None:
        self.company["role"] = role
        self.build_company()

    def company_entered(self) -> None:
        if not valid_uscc(self.company["uscc"]):
            self.message = self.t("commitment.identify.uscc")
            return
        self.message = ""
        self.ids.company.clear_widgets()
        self.start_identify()

    # -- after the credit check ------------------------------------------------------------
    def company_letter_parties(self, person):
        """(Applicant, Signer) for the company, signed by `person` in the chosen role."""
        company = self.company
        return company_applicant(company["name"], company["uscc"], person, company["role"])
