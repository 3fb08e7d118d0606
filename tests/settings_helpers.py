"""Settings from the defaults plus KIOSK__SECTION__KEY environment overrides, for the
`make_settings` fixture and for scripts that drive the real app outside pytest."""
from __future__ import annotations

from kiosk.config import load_settings


def settings_factory(state_dir):
    """make_settings(**overrides), e.g. make_settings(idle__timeout_seconds=3); strings pass
    as written, other values as TOML literals. State goes under `state_dir`."""
    def make_settings(**overrides):
        environ = {"KIOSK__KIOSK__STATE_DIR": f'"{state_dir}"'}
        for key, value in overrides.items():
            environ["KIOSK__" + key.upper()] = value if isinstance(value, str) else repr(value).lower()
        return load_settings(environ=environ)
    return make_settings
