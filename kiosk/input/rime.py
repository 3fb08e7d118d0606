"""Pinyin by librime (Debian `librime1`, schema `pinyin_simp`), through a thin ctypes binding.

Why our own binding: PyPI's `pyrime` is a prompt-toolkit key-binding package (it pulls
prompt-toolkit and wraps rime for terminal line editors); we need five calls of
`rime_api.h`, so `rime_get_api()` is read here with ctypes, field for field in header order.

Rime is one per process: `setup` once, then `initialize`/`finalize` per citizen with that
citizen's own temporary user data directory (user dictionary, learned phrases), which the
owner (kiosk.input.InputMethods) deletes when the session ends. Learning is also switched
off in the deployed schema (`enable_user_dict: false`), so nothing typed reaches the disk.
"""
from __future__ import annotations

import ctypes
import threading
import weakref
from pathlib import Path

from kiosk.input.base import InputMethod

SHARED_DATA = Path("/usr/share/rime-data")
SCHEMA = "pinyin_simp"
PAGE_SIZE = 8
_KEYSYMS = {"backspace": 0xFF08, "space": 0x20, "escape": 0xFF1B, "page_up": 0xFF55,
            "page_down": 0xFF56, "return": 0xFF0D}

Bool, SessionId = ctypes.c_int, ctypes.c_size_t


class _Traits(ctypes.Structure):
    _fields_ = [("data_size", ctypes.c_int), ("shared_data_dir", ctypes.c_char_p),
                ("user_data_dir", ctypes.c_char_p), ("distribution_name", ctypes.c_char_p),
                ("distribution_code_name", ctypes.c_char_p), ("distribution_version", ctypes.c_char_p),
                ("app_name", ctypes.c_char_p), ("modules", ctypes.c_void_p), ("min_log_level", ctypes.c_int),
                ("log_dir", ctypes.c_char_p), ("prebuilt_data_dir", ctypes.c_char_p),
                ("staging_dir", ctypes.c_char_p)]


class _Candidate(ctypes.Structure):
    _fields_ = [("text", ctypes.c_char_p), ("comment", ctypes.c_char_p), ("reserved", ctypes.c_void_p)]


class _Composition(ctypes.Structure):
    _fields_ = [("length", ctypes.c_int), ("cursor_pos", ctypes.c_int), ("sel_start", ctypes.c_int),
                ("sel_end", ctypes.c_int), ("preedit", ctypes.c_char_p)]


class _Menu(ctypes.Structure):
    _fields_ = [("page_size", ctypes.c_int), ("page_no", ctypes.c_int), ("is_last_page", Bool),
                ("highlighted_candidate_index", ctypes.c_int), ("num_candidates", ctypes.c_int),
                ("candidates", ctypes.POINTER(_Candidate)), ("select_keys", ctypes.c_char_p)]


class _Context(ctypes.Structure):
    _fields_ = [("data_size", ctypes.c_int), ("composition", _Composition), ("menu", _Menu),
                ("commit_text_preview", ctypes.c_char_p), ("select_labels", ctypes.c_void_p)]


class _Commit(ctypes.Structure):
    _fields_ = [("data_size", ctypes.c_int), ("text", ctypes.c_char_p)]


class _Iterator(ctypes.Structure):
    _fields_ = [("ptr", ctypes.c_void_p), ("index", ctypes.c_int), ("candidate", _Candidate)]


_API_FIELDS = ("setup set_notification_handler initialize finalize start_maintenance is_maintenance_mode "
               "join_maintenance_thread deployer_initialize prebuild deploy deploy_schema deploy_config_file "
               "sync_user_data create_session find_session destroy_session cleanup_stale_sessions "
               "cleanup_all_sessions process_key commit_composition clear_composition get_commit free_commit "
               "get_context free_context get_status free_status set_option get_option set_property "
               "get_property get_schema_list free_schema_list get_current_schema select_schema schema_open "
               "config_open config_close config_get_bool config_get_int config_get_double config_get_string "
               "config_get_cstring config_update_signature config_begin_map config_next config_end "
               "simulate_key_sequence register_module find_module run_task get_shared_data_dir "
               "get_user_data_dir get_sync_dir get_user_id get_user_data_sync_dir config_init "
               "config_load_string config_set_bool config_set_int config_set_double config_set_string "
               "config_get_item config_set_item config_clear config_create_list config_create_map "
               "config_list_size config_begin_list get_input get_caret_pos select_candidate get_version "
               "set_caret_pos select_candidate_on_current_page candidate_list_begin candidate_list_next "
               "candidate_list_end user_config_open candidate_list_from_index get_prebuilt_data_dir "
               "get_staging_dir commit_proto context_proto status_proto get_state_label delete_candidate "
               "delete_candidate_on_current_page").split()


class _Api(ctypes.Structure):
    _fields_ = [("data_size", ctypes.c_int)] + [(name, ctypes.c_void_p) for name in _API_FIELDS]


_P = ctypes.POINTER
_SIGNATURES = {
    "setup": (None, _P(_Traits)), "initialize": (None, _P(_Traits)), "finalize": (None,),
    "start_maintenance": (Bool, Bool), "join_maintenance_thread": (None,),
    "deploy_schema": (Bool, ctypes.c_char_p), "deploy_config_file": (Bool, ctypes.c_char_p, ctypes.c_char_p),
    "create_session": (SessionId,), "destroy_session": (Bool, SessionId),
    "process_key": (Bool, SessionId, ctypes.c_int, ctypes.c_int),
    "clear_composition": (None, SessionId), "get_commit": (Bool, SessionId, _P(_Commit)),
    "free_commit": (Bool, _P(_Commit)), "get_context": (Bool, SessionId, _P(_Context)),
    "free_context": (Bool, _P(_Context)), "select_schema": (Bool, SessionId, ctypes.c_char_p),
    "get_input": (ctypes.c_char_p, SessionId), "select_candidate": (Bool, SessionId, ctypes.c_size_t),
    "candidate_list_from_index": (Bool, SessionId, _P(_Iterator), ctypes.c_int),
    "candidate_list_next": (Bool, _P(_Iterator)), "candidate_list_end": (None, _P(_Iterator)),
    "set_option": (None, SessionId, ctypes.c_char_p, Bool), "get_version": (ctypes.c_char_p,),
}


class _Lib:
    """The process's one librime: its API table, with `setup` done once (glog allows one init)."""
    _instance: "_Lib | None" = None
    _guard = threading.Lock()

    def __init__(self):
        lib = ctypes.CDLL("librime.so.1")
        lib.rime_get_api.restype = _P(_Api)
        api = lib.rime_get_api().contents
        self.lib = lib
        for name, (restype, *argtypes) in _SIGNATURES.items():
            setattr(self, name, ctypes.CFUNCTYPE(restype, *argtypes)(getattr(api, name)))
        self.setup_done = False
        self.in_use = False
        self.owner = None              # weakref to the RimePinyin using it

    @classmethod
    def get(cls) -> "_Lib":
        with cls._guard:
            if cls._instance is None:
                cls._instance = _Lib()
            return cls._instance


# Government-service words by their initials (政务 zw): the general dictionary ranks 作为 first.
PHRASES = {"政务": "zw", "政务服务": "zwfw", "投诉": "ts", "身份证": "sfz", "营业执照": "yyzz",
           "社保": "sb", "公积金": "gjj", "户口": "hk", "办事指南": "bszn", "不动产": "bdc",
           "居住证": "jzz", "医保": "yb", "税务": "sw", "窗口": "ck", "排队": "pd", "预约": "yy",
           "工作人员": "gzry", "服务态度": "fwtd", "办理": "bl", "材料": "cl", "统一社会信用代码": "tyshxydm",
           "自助终端": "zzzd", "不满意": "bmy", "满意": "my", "退休": "tx", "证明": "zm", "出生": "cs"}


# Debian ships the schemas without rime-prelude, so default.yaml and symbols.yaml (the
# presets every schema imports) are ours: no key bindings, no rime punctuation (the
# keyboard has its own keys), our page size.
_DEFAULT = """config_version: "kiosk"
schema_list:
  - schema: %s
menu:
  page_size: %d
key_binder:
  bindings: []
recognizer:
  patterns: {}
ascii_composer:
  good_old_caps_lock: true
  switch_key: {Shift_L: noop, Shift_R: noop, Control_L: noop, Control_R: noop, Caps_Lock: noop}
punctuator:
  full_shape: {}
  half_shape: {}
""" % (SCHEMA, PAGE_SIZE)
_SYMBOLS = """punctuator:
  full_shape: {}
  half_shape: {}
  symbols: {}
"""
# No learning (enable_user_dict false), no stroke reverse lookup (its dictionary would be
# compiled for every citizen), and the government-service phrases above by their initials.
_CUSTOM = """patch:
  "schema/dependencies": []
  "translator/enable_user_dict": false
  "menu/page_size": %d
  "engine/translators":
    - script_translator
    - table_translator@custom_phrase
  custom_phrase:
    dictionary: ""
    user_dict: custom_phrase
    db_class: stabledb
    enable_completion: false
    enable_sentence: false
    initial_quality: 1000
""" % PAGE_SIZE


class RimePinyin(InputMethod):
    """Pinyin (全拼 and initials) with a paged candidate list; one per citizen session."""

    name = "pinyin"

    def __init__(self, user_dir: Path):
        self._rime = _Lib.get()
        previous = self._rime.owner() if self._rime.owner else None
        if previous is not None:       # rime is one per process: a new engine replaces the old one
            previous.close()
        self.user_dir = Path(user_dir)
        self.user_dir.mkdir(parents=True, exist_ok=True)
        (self.user_dir / "default.yaml").write_text(_DEFAULT)
        (self.user_dir / "symbols.yaml").write_text(_SYMBOLS)
        (self.user_dir / f"{SCHEMA}.custom.yaml").write_text(_CUSTOM)
        (self.user_dir / "custom_phrase.txt").write_text(
            "".join(f"{text}\t{code}\t{100 - n}\n" for n, (text, code) in enumerate(PHRASES.items())))
        self._strings = [str(SHARED_DATA).encode(), str(self.user_dir).encode(), b"rime.kiosk",
                         str(self.user_dir).encode()]
        traits = _Traits()
        traits.data_size = ctypes.sizeof(_Traits) - ctypes.sizeof(ctypes.c_int)
        traits.shared_data_dir, traits.user_data_dir, traits.app_name, traits.log_dir = self._strings
        traits.distribution_name = traits.distribution_code_name = b"kiosk"
        traits.distribution_version = b"1"
        traits.min_log_level = 3
        self._modules = (ctypes.c_char_p * 3)(b"default", b"deployer", None)
        traits.modules = ctypes.cast(self._modules, ctypes.c_void_p)
        self._traits = traits
        rime = self._rime
        if not rime.setup_done:
            rime.setup(ctypes.byref(traits))
            rime.setup_done = True
        rime.initialize(ctypes.byref(traits))
        rime.in_use, rime.owner = True, weakref.ref(self)
        rime.start_maintenance(1)          # applies our patches into this citizen's build dir
        rime.join_maintenance_thread()
        self._session = rime.create_session()
        if not self._session or not rime.select_schema(self._session, SCHEMA.encode()):
            self.close()
            raise RuntimeError("rime schema %s not available" % SCHEMA)
        rime.set_option(self._session, b"ascii_mode", 0)
        self.page_size = PAGE_SIZE

    # --- InputMethod --------------------------------------------------------
    @property
    def preedit(self) -> str:
        """The pinyin letters not yet converted (after the words chosen so far)."""
        shown, done = self._composition()
        return shown[len(done):].replace(" ", "").replace("ü", "v")

    def feed(self, key: str) -> str:
        """A letter, or 'backspace'/'space'; the text committed by this key ('' if none)."""
        code = _KEYSYMS.get(key, ord(key) if len(key) == 1 else None)
        if code is None:
            raise ValueError(key)
        self._rime.process_key(self._session, code, 0)
        return self._take_commit()

    def candidates(self, page: int = 0) -> list[str]:
        start, out = page * self.page_size, []
        it = _Iterator()
        if not self._rime.candidate_list_from_index(self._session, ctypes.byref(it), start):
            return out
        while len(out) < self.page_size and self._rime.candidate_list_next(ctypes.byref(it)):
            out.append(it.candidate.text.decode())
        self._rime.candidate_list_end(ctypes.byref(it))
        return out

    def choose(self, index: int) -> str:
        """Select candidate `index` (absolute); the committed text once the whole input is
        converted ('' while the phrase continues with the rest of the pinyin)."""
        self._rime.select_candidate(self._session, index)
        return self._take_commit()

    def pending(self) -> str:
        """The hanzi chosen so far in a phrase still being composed."""
        return self._composition()[1]

    def _composition(self) -> tuple[str, str]:
        """(the preedit as rime shows it, e.g. "我要tou su"; its converted part, "我要")."""
        ctx = _Context()
        ctx.data_size = ctypes.sizeof(_Context) - ctypes.sizeof(ctypes.c_int)
        if not self._rime.get_context(self._session, ctypes.byref(ctx)):
            return "", ""
        comp = ctx.composition
        raw = comp.preedit or b""
        shown, done = raw.decode(errors="replace"), raw[:max(comp.sel_start, 0)].decode(errors="ignore")
        self._rime.free_context(ctypes.byref(ctx))
        return shown, done

    def reset(self) -> None:
        self._rime.clear_composition(self._session)

    def close(self) -> None:
        rime = self._rime
        if not rime.in_use or rime.owner is None or rime.owner() is not self:
            return
        if self._session:
            rime.destroy_session(self._session)
            self._session = 0
        rime.finalize()
        rime.in_use, rime.owner = False, None

    def _take_commit(self) -> str:
        commit = _Commit()
        commit.data_size = ctypes.sizeof(_Commit) - ctypes.sizeof(ctypes.c_int)
        if not self._rime.get_commit(self._session, ctypes.byref(commit)):
            return ""
        text = commit.text.decode() if commit.text else ""
        self._rime.free_commit(ctypes.byref(commit))
        return text

