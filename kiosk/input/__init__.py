"""Chinese text input for the on-screen keyboard: pinyin (librime) and handwriting (zinnia)
behind the interfaces of `kiosk.input.base`. `InputMethods` (below) is what screens use."""
from kiosk.input.methods import InputMethods

__all__ = ["InputMethods"]
