"""The keyboard's layouts as rows of key names (data only; screens/keyboard.py draws them).

A one-character name inserts itself; the others are the keyboard's commands. Every text
layout ends with the same bottom row: the layout switches, space, delete, clear.
"""
from __future__ import annotations

LETTERS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
DIGITS = "1234567890"
MARKS = ("，", "。", "？", "！", "、", "：", "；", "（", "）", "“", "”")

ROWS = {
    "pinyin": tuple(tuple(row) for row in LETTERS),
    "english": (tuple(DIGITS),) + tuple(tuple(row) for row in LETTERS[:2]) + (("shift",) + tuple(LETTERS[2]),),
    "symbols": (tuple(DIGITS), MARKS[:6], MARKS[6:]),
    "handwriting": (),            # the pad and its buttons instead of rows
}
COMMAND_ROW = ("space", "backspace", "clear")
PAD_COMMANDS = ("undo", "rewrite", "backspace")

# the numeric keypad (phone, ID number): "X" is the ID number's check character, "" a gap
NUMERIC_ROWS = {
    "phone": (("1", "2", "3"), ("4", "5", "6"), ("7", "8", "9"), ("", "0", "backspace")),
    "id": (("1", "2", "3"), ("4", "5", "6"), ("7", "8", "9"), ("X", "0", "backspace")),
}
ALLOWED = {"phone": DIGITS, "id": DIGITS + "X"}
# the unified social credit code (GB 32100): digits and capitals without I, O, S, V, Z
USCC_ALPHABET = DIGITS + "ABCDEFGHJKLMNPQRTUWXY"
