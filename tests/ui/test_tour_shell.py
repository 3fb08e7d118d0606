"""The tour's cross-screen states (screens/tour/shell.py) arrange what they name, in the real app."""
import pytest

from screens.tour import shell

pytestmark = pytest.mark.ui


def test_the_shell_tour_shows_each_state_it_names(app):
    seen = {}
    for state in shell.tour(app):
        root = app.app.root
        seen[state] = {"lang": app.app.lang, "ask": root.ids.ask.topic if root.ids.ask.shown else "",
                       "countdown": root.ids.idle_overlay.text, "current": app.app.current,
                       "message": getattr(app.screen(), "message", ""), "status": getattr(app.screen(), "print_status", ""),
                       "panel": root.ids.dev_panel.opened, "card_left": app.app.card_left,
                       "texts": " ".join(w.text for w in app.screen().walk() if isinstance(getattr(w, "text", None), str))}
    assert seen["english-home"]["lang"] == "en"
    assert "Food business licence, original and duplicate（食品经营许可证正副本）" in seen["english-guide-sheet-page-1"]["texts"]
    assert "Promised: 3 working days" in seen["english-guide-sheet-page-2"]["texts"]
    assert seen["leave-question"]["ask"] == "leave"
    assert "将清除：尚未提交的承诺书、已核验的身份信息" in seen["idle-countdown"]["countdown"]
    assert "无法连接" in seen["error-platform-unreachable"]["message"]
    assert "读卡器" in seen["error-reader-offline"]["message"]
    assert "不能承诺办理" in seen["error-not-eligible"]["message"]
    assert "打印纸已用完" in seen["error-paper-out"]["status"]
    assert "请取走排队号" not in seen["error-paper-out"]["texts"]          # no ticket came out: none to take
    assert "A013" in seen["error-paper-out"]["texts"]
    assert seen["reprint-offer"]["ask"] == "reprint"
    assert seen["card-left"]["card_left"] and seen["card-left"]["current"] == "attract"
    assert seen["dev-panel"]["panel"]
