"""The idle attract screen sleeps at 1 frame a second, and a touch still starts a frame at once
(screens/input_wake.py): the real app on the real X server (Xvfb), touches injected with XTEST
as a touch screen's driver would inject them."""
import time

from kivy.base import EventLoop
from kivy.clock import Clock
from Xlib import X, display
from Xlib.ext import xtest

from screens.app import WOKEN_ATTRACT_FPS
from screens.input_wake import RESOLUTION


def drained(kiosk) -> None:
    """What SDL has queued is read, as the real main loop does after every frame."""
    for _ in range(3):
        EventLoop.idle()
        EventLoop.window.mainloop()


def press(x: int, y: int) -> None:
    finger = display.Display()
    try:
        xtest.fake_input(finger, X.MotionNotify, x=x, y=y)
        xtest.fake_input(finger, X.ButtonPress, 1)
        xtest.fake_input(finger, X.ButtonRelease, 1)
        finger.sync()
    finally:
        finger.close()


def test_a_touch_on_the_sleeping_attract_screen_starts_the_next_frame(kiosk):
    app = kiosk.app
    assert app.current == "attract" and app.input_wakes_clock
    assert Clock._max_fps == WOKEN_ATTRACT_FPS
    assert Clock.get_resolution() == RESOLUTION      # else Kivy spins instead of sleeping at 1 fps
    wake = app._input_wake
    drained(kiosk)
    quiet = wake.wakes
    for _ in range(4):                               # no input: the watcher stays asleep
        drained(kiosk)
    assert wake.wakes == quiet
    started = wake.frames_started
    press(5, 5)                                      # a corner: no button there
    deadline = time.monotonic() + 10                 # an upper bound for a loaded machine, not a timing check
    while wake.wakes == quiet and time.monotonic() < deadline:
        time.sleep(0.01)
    assert wake.wakes > quiet
    EventLoop.idle()                                 # the very next frame is the one input started
    assert wake.frames_started > started


def test_leaving_the_attract_screen_restores_the_full_frame_rate(kiosk):
    kiosk.tap(kiosk.screen("attract").ids.start_button)
    assert kiosk.app.current == "home"
    assert Clock._max_fps == kiosk.app.settings["display"]["maxfps"]
