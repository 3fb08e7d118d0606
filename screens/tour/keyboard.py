"""The tour's states of the on-screen keyboard: each layout of a keyboard in turn, with
something typed so the candidate bar shows (pinyin 'zhengwufuwu', the strokes of 大).
Used by the screen tours (screens/tour/screens.py) and the keyboard's UI tests. Not
production code."""
from __future__ import annotations

# the strokes of 大 on a 300-unit pad, y downwards (as tests/input/strokes.py draws them)
DA = (((40, 110), (260, 105)), ((150, 30), (150, 90), (130, 170), (60, 260)),
      ((150, 140), (200, 210), (270, 260)))


def layouts(driver, keyboard):
    """Show each layout of `keyboard`, yielding its name; the engines are loaded first."""
    inputs = keyboard.inputs
    if inputs is not None and not inputs.ready:
        driver.wait_until(lambda: inputs.ready, 30)
        driver.frames(2)
    for layout in keyboard.composer.layouts:
        keyboard.press(f"layout:{layout}")
        if layout == "pinyin":
            for letter in "zhengwufuwu":
                keyboard.press(letter)
        elif layout == "handwriting" and keyboard.pad is not None:
            side = keyboard.pad.width
            for stroke in DA:
                keyboard.stroke([(x * side / 300, y * side / 300) for x, y in stroke])
        elif layout == "english":
            keyboard.press("shift")
        driver.frames(3)
        yield layout
        keyboard.press("layout:" + next(iter(set(keyboard.composer.layouts) - {layout}), layout))
    keyboard.reset()
    driver.frames(2)
