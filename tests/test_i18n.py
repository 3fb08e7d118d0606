"""Message catalogs: both languages have the same keys; placeholders agree."""
import string

from kiosk.i18n import LANGUAGES, Messages


def placeholders(text):
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def test_every_language_has_every_key():
    messages = Messages()
    reference = messages.keys("zh_CN")
    for lang in LANGUAGES:
        assert messages.keys(lang) == reference, f"{lang} differs: {messages.keys(lang) ^ reference}"


def test_placeholders_match_across_languages():
    messages = Messages()
    for key in messages.keys("zh_CN"):
        texts = {}
        for lang in LANGUAGES:
            messages.language = lang
            value = messages.lookup(key)
            texts[lang] = placeholders(value) if isinstance(value, str) else None
        assert len({frozenset(v) if v is not None else None for v in texts.values()}) == 1, key


def test_lookup_and_formatting():
    messages = Messages("zh_CN")
    assert messages.t("idle.countdown", seconds=20) == "20秒后结束本次办理"
    messages.language = "en"
    assert messages.t("idle.countdown", seconds=5) == "This visit ends in 5 s"
    assert messages.t("no.such.key") == "no.such.key"


def test_admin_overrides_win():
    messages = Messages("zh_CN", overrides={"zh_CN": {"app.title": "滨海新区政务服务自助终端"}})
    assert messages.t("app.title") == "滨海新区政务服务自助终端"
