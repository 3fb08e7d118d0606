"""KioskApp: the composition root. Builds services from settings, then the screens.

It owns what every screen shares: language, elder mode, theme, the idle
countdown, the watchdog pings and the kiosk-mode key lockdown.
"""
from __future__ import annotations

import gc
import logging
import signal
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.lang import Builder
from kivy.properties import BooleanProperty, DictProperty, NumericProperty, StringProperty
from kivy.uix.screenmanager import NoTransition

from kiosk.idle import at_stake
from kiosk.services import Services, build_services
from screens import registry, textlayout
from screens.input_wake import InputWake
from screens.theme import ELDER, STANDARD, unit_for

log = logging.getLogger("kiosk.app")
HERE = Path(__file__).parent
# keys swallowed in kiosk mode: Esc/Back, F1 (settings), F12 (screenshot), Ctrl+E (inspector)
LOCKED_KEYS = {27, 1001, 282, 293}
STAFF_SCREENS = frozenset({"maintenance", "technician_pin", "technician"})
CARD_CALL_SECONDS = 8        # how often a card left on the reader is called out again
WOKEN_ATTRACT_FPS = 1        # the idle attract screen's frame rate when input wakes the clock itself
IDLE_TICK_SECONDS = 0.5      # the idle clock's look (countdown, card left, reprint); 1 s on the attract screen


def _load_kv_once(path: Path):
    """Kivy's Builder is global: a second KioskApp in the same process (tests, tour), or a
    second screen needing the same file, must replace the rules, not add them again (that
    would double every child)."""
    Builder.unload_file(str(path))
    return Builder.load_file(str(path))



@contextmanager
def no_collection_midway():
    """Around a change every kv rule follows (mode, language, theme, size): no garbage collection
    during it. Kivy re-evaluates the bound rules one by one; a collection in between frees a
    discarded widget whose rule is still due ("ReferenceError: weakly-referenced object no longer
    exists", seen in the fit tests). Garbage left uncollected until after is still alive, so its
    rules evaluate harmlessly (a full collection first would cost 150 ms of the touch)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()

class KioskApp(App):
    lang = StringProperty("zh_CN")
    elder = BooleanProperty(False)
    u = NumericProperty(1.0)          # pixels per design pixel
    f = NumericProperty(1.0)          # text scale: u, times elder_scale in elder mode
    portrait = BooleanProperty(True)
    theme = DictProperty(STANDARD)
    current = StringProperty("attract")
    staff = BooleanProperty(False)       # a staff screen: no 首页 / English / 长辈模式 in the bar
    card_left = BooleanProperty(False)   # a citizen's ID card still lies on the reader after the session

    def __init__(self, settings, dev: bool = False, announce_first_frame: bool = False,
                 services: Services | None = None, **kwargs):
        super().__init__(**kwargs)
        self.dev = dev
        self.announce_first_frame = announce_first_frame
        # devices, platform, outbox and fleet start after the first frame (_first_frame)
        self.services = services or build_services(settings, start=False)
        self.lang = self.services.messages.language
        self.title = "天津市政务服务自助终端"
        self._last_activity = Clock.get_boottime()
        self._events = []
        self._input_wake = InputWake()
        self._idle_event = None
        self._started = False
        self.input_wakes_clock = False
        self._previous_sigterm = None
        self._manager = None
        self.restart_requested = False      # set when it exits for settings that need a restart
        self.stopped = False
        self._card_called = 0.0             # when "请取走您的身份证" was last spoken
        self._reprint_offer = False         # the printer is back for a failed receipt: offer it

    @property
    def settings(self):
        """The effective settings (base files, override, installed bundle): the services' own."""
        return self.services.settings

    # -- text ---------------------------------------------------------------
    def t(self, key: str, *_bindings, **params) -> str:
        """Message lookup; pass app.lang in kv so the text follows the language switch."""
        return self.services.messages.t(key, **params)

    def tl(self, key: str, *_bindings) -> list[str]:
        return self.services.messages.list(key)

    def on_lang(self, _inst, lang):
        self.services.messages.language = lang

    def toggle_language(self):
        with no_collection_midway():
            self.lang = "en" if self.lang == "zh_CN" else "zh_CN"
        self.touched()

    def toggle_elder(self):
        with no_collection_midway():
            self.elder = not self.elder
        self.touched()

    def on_elder(self, *_):
        self._rescale()

    def _rescale(self, *_):
        w, h = Window.size
        scale = self.settings["accessibility"]["elder_scale"] if self.elder else 1.0
        with no_collection_midway():
            self.portrait = h >= w
            self.u = unit_for(w, h)
            self.f = self.u * scale
            self.theme = ELDER if self.elder else STANDARD
        # the background is the window's clear colour: one full-screen pass less per frame in software GL
        Window.clearcolor = self.theme["bg"]

    # -- building -----------------------------------------------------------
    def build(self):
        textlayout.install()            # every label breaks lines by the Chinese rules (screens/linebreak.py)
        for kv in registry.SHARED_KV:
            _load_kv_once(HERE / kv)
        self._rescale()
        root = _load_kv_once(HERE / "root.kv")
        manager = self._manager = root.ids.manager
        manager.transition = NoTransition()
        self.screen("attract")      # the first frame needs no other; home is built next, after it
        manager.current = "attract"
        manager.bind(current=self._on_screen_change)
        self.services.sessions.on_end(lambda _s: log.info("session ended"))
        self.services.live.on_reconfigured(lambda: Clock.schedule_once(self._texts_changed))
        return root

    def _watch_reprints(self) -> None:
        """Once the services have started: a printer ready again for a failed receipt is offered."""
        self.services.receipts.on_ready(lambda: Clock.schedule_once(self._printer_back))

    def _texts_changed(self, *_):
        """New texts from a config bundle: every kv text is bound to app.lang; re-evaluate them."""
        self.property("lang").dispatch(self)

    # -- the late reprint: offered, never printed by itself ---------------------------------
    def _printer_back(self, *_):
        """The printer is ready again for a receipt that failed in this session: ask."""
        self._reprint_offer = self.services.receipts.pending
        self._offer_reprint()

    def _offer_reprint(self) -> None:
        ask = self.root.ids.ask
        if not self._reprint_offer or ask.shown or self.current == "attract":
            return
        self._reprint_offer = False
        if self.services.receipts.pending:
            ask.ask("reprint", self.t("reprint.question"), self.t("reprint.detail"),
                    (self.t("reprint.now"), self._reprint), (self.t("reprint.no"), None))

    def _reprint(self) -> None:
        self.manager.current_screen.reprint()

    @property
    def manager(self):
        return self._manager

    def has_screen(self, name: str) -> bool:
        """Whether the feature exists (its screen may not be built yet)."""
        return registry.exists(name)

    def screen(self, name: str):
        """The screen called `name`, built now if it was not yet."""
        if not self.manager.has_screen(name):
            for kv in registry.kv_files(name):
                _load_kv_once(kv)
            self.manager.add_widget(registry.create_screen(name, self.services))
        return self.manager.get_screen(name)

    def go(self, name: str) -> None:
        self.screen(name)
        self.manager.current = name

    def build_all_screens(self) -> None:
        """Every screen now (tests and the tour start from the steady state)."""
        for name in registry.names():
            self.screen(name)

    def _build_next_screen(self, _dt) -> bool:
        """After the first frame, one screen per frame, so the first tap finds it ready."""
        missing = [name for name in registry.names() if not self.manager.has_screen(name)]
        if missing:
            self.screen(missing[0])
        return len(missing) > 1

    def _on_screen_change(self, _manager, name):
        self.staff = name in STAFF_SCREENS
        self.current = name
        self._set_frame_rate()
        self.touched()

    def _set_frame_rate(self):
        """Idle attract screen: few frames (CPU), one a second when a touch wakes the clock
        (screens/input_wake.py); any other screen: the full rate."""
        display = self.settings["display"]
        attract = WOKEN_ATTRACT_FPS if self.input_wakes_clock else display["attract_maxfps"]
        Clock._max_fps = float(attract if self.current == "attract" else display["maxfps"])
        if self._idle_event is not None:      # no countdown on the attract screen: half the looks
            self._idle_event.timeout = IDLE_TICK_SECONDS * (2 if self.current == "attract" else 1)

    # -- session and idle ---------------------------------------------------
    def start_session(self) -> None:
        self.services.sessions.restart("start")
        self.go("home")

    def at_stake(self) -> list[str]:
        """What ending the session now would discard (kiosk.idle.at_stake): keys under leave.lose."""
        screen = self.manager.current_screen
        return at_stake(self.services.sessions.current.data, receipt_pending=self.services.receipts.pending,
                        entered=bool(getattr(screen, "entered", lambda: False)()))

    def lost_text(self, lost: list[str]) -> str:
        return self.t("leave.will_discard", what="、".join(self.t(f"leave.lose.{key}") for key in lost))

    def leave(self, reason: str, to: str = "home") -> None:
        """The citizen leaves the flow (首页, 退出办理): "放弃本次办理？" first when there is
        something to lose, then the session ends and `to` shows (home: the same citizen goes on,
        in the same language and mode)."""
        if self.current == to:
            return
        lost = self.at_stake()
        if not lost:
            self.end_session(reason, to=to)
            return
        self.root.ids.ask.ask("leave", self.t("leave.question"), self.lost_text(lost),
                              (self.t("leave.continue"), None),
                              (self.t("leave.abandon"), lambda: self.end_session(reason, to=to)))

    def end_session(self, reason: str = "", to: str = "attract") -> None:
        """Wipe the citizen's data everywhere, then show the attract screen (language and elder
        mode back to the defaults: the next citizen), or home (the same citizen starts again)."""
        self.services.sessions.restart(reason)
        self.root.ids.ask.close()
        self._reprint_offer = False
        for screen in self.manager.screens:
            reset = getattr(screen, "reset", None)
            if reset:
                reset()
        if to == "attract":
            with no_collection_midway():
                self.elder = False
                self.lang = self.services.messages.language = self.settings["kiosk"]["language"]
        self.go(to)
        self._call_card_left(force=True)
        log.info("session ended", extra={"reason": reason, "screen": to})

    def _call_card_left(self, force: bool = False) -> None:
        """A card still on the reader when no identity step waits for it is a card forgotten:
        say "请取走您的身份证" at the session's end and again every CARD_CALL_SECONDS on the
        attract screen until it is taken."""
        lying = (self.current == "attract" and self.services.started.is_set()   # not before start-up
                 and self.services.identifier.card_lying())
        self.card_left = lying
        now = Clock.get_boottime()
        if lying and (force or now - self._card_called >= CARD_CALL_SECONDS):
            self._card_called = now
            self.services.voice.say("take_card")

    def touched(self, *_args) -> None:
        self._last_activity = Clock.get_boottime()
        overlay = self.root.ids.idle_overlay if self.root else None
        if overlay is not None:
            overlay.seconds = 0

    def idle_seconds(self) -> float:
        return Clock.get_boottime() - self._last_activity

    def _idle_tick(self, _dt) -> None:
        if self.services.live.restart_pending and self.current == "attract" and not self.restart_requested:
            self._restart_for_settings()
            return
        if self.manager.has_screen("maintenance"):     # built in the background after the first frame
            self.screen("maintenance").sync()
        self._call_card_left()
        self._offer_reprint()
        phase = self.services.idle.phase(self.current, self.idle_seconds())
        overlay = self.root.ids.idle_overlay
        if phase.kind == "expired":
            overlay.seconds = 0
            self.end_session("idle timeout")
        elif phase.kind == "countdown":
            lost = self.at_stake()
            overlay.lost = self.lost_text(lost) if lost else ""
            overlay.seconds = phase.seconds_left
        else:
            overlay.seconds = 0

    RESTART_SETTLE_SECONDS = 1.0

    def _restart_for_settings(self) -> None:
        """A new bundle changed settings that only a restart applies: exit on the attract screen
        with no citizen; systemd (Restart=always) starts the kiosk again with them. The exit
        waits a moment so the layout work of the session just ended finishes while the app can
        still answer its kv rules; a citizen who starts meanwhile cancels it (retried later)."""
        self.restart_requested = True
        log.info("restarting for new settings", extra={"settings": self.services.live.restart_pending})

        def exit_now(_dt):
            if self.current == "attract":
                self.stop()
            else:
                self.restart_requested = False
        self._events.append(Clock.schedule_once(exit_now, self.RESTART_SETTLE_SECONDS))

    # -- window, lockdown, watchdog ----------------------------------------
    def _on_keyboard(self, _window, key, *_args):
        self.touched()
        if not self.dev and key in LOCKED_KEYS:
            return True  # swallowed: no way out of the app in kiosk mode
        return False

    def _on_request_close(self, *_args, **_kwargs):
        """Alt+F4 or a window manager's close: refused in kiosk mode (systemd owns the lifecycle)."""
        return not self.dev

    def _on_sigterm(self, *_args):
        """systemd stops the service: close down as on a normal exit (outbox, devices).
        Without this SDL turns SIGTERM into a close request, which the lockdown refuses."""
        log.info("SIGTERM: stopping")
        Clock.schedule_once(lambda _dt: self.stop())

    def open_settings(self, *largs):
        return False if not self.dev else super().open_settings(*largs)

    def on_start(self):
        if self._started:           # App._run_prepare dispatches it; an embedding (the tour driver) may again
            return
        self._started = True
        Window.bind(on_keyboard=self._on_keyboard, on_touch_down=self.touched,
                    size=self._rescale, on_request_close=self._on_request_close)
        self._idle_event = Clock.schedule_interval(self._idle_tick, IDLE_TICK_SECONDS)
        self._events.append(self._idle_event)
        self.input_wakes_clock = self._input_wake.start(Clock)
        _slower_cache_purge()
        self._set_frame_rate()
        Window.bind(on_flip=self._first_frame)
        if threading.current_thread() is threading.main_thread():
            self._previous_sigterm = signal.signal(signal.SIGTERM, self._on_sigterm)

    def _first_frame(self, *_args):
        Window.unbind(on_flip=self._first_frame)
        watchdog = self.services.watchdog
        watchdog.ready()
        if watchdog.interval:
            self._events.append(Clock.schedule_interval(watchdog.ping, watchdog.interval))
        log.info("first frame", extra={"screen": self.current})
        self.services.start_in_background(then=self._watch_reprints)
        self._events.append(Clock.schedule_interval(self._build_next_screen, 0))
        # the search index after the first frame: its build competes for the GIL
        self._events.append(Clock.schedule_once(lambda _dt: self.services.catalog.warm(), 1.0))
        if self.announce_first_frame:
            self._announce_first_frame()

    def _announce_first_frame(self) -> None:
        """For scripts/bench_startup.py and tests/test_startup_imports.py: where to touch (X
        coordinates, origin top left) and which modules the first frame needed."""
        button = self.screen("attract").ids.start_button
        x, y = button.to_window(*button.center)
        print("FIRST_FRAME", flush=True)
        print(f"START_BUTTON {x:.0f} {Window.height - y:.0f}", flush=True)
        print("MODULES " + " ".join(sorted(sys.modules)), flush=True)

    def on_stop(self):
        self.stopped = True
        self._input_wake.stop()
        for event in self._events:
            event.cancel()
        self._events.clear()
        Window.unbind(on_keyboard=self._on_keyboard, on_touch_down=self.touched,
                      size=self._rescale, on_request_close=self._on_request_close)
        if self._previous_sigterm is not None:
            signal.signal(signal.SIGTERM, self._previous_sigterm)
            self._previous_sigterm = None
        self.services.watchdog.stopping()
        self.services.close()


CACHE_PURGE_SECONDS = 10


def _slower_cache_purge() -> None:
    """kivy.cache looks for expired entries (label textures, kept 60 s) every second: a wake-up
    of the idle attract screen for nothing; every 10 s is enough."""
    for event in Clock.get_events():
        if getattr(event.get_callback(), "__qualname__", "") == "Cache._purge_by_timeout":
            event.timeout = CACHE_PURGE_SECONDS
