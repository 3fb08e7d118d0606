"""The tour's states of the on-screen keyboard: each layout of a keyboard in turn, with
something typed so the candidate bar shows (pinyin 'zhengwufuwu', the strokes of 大).
Used by the screen tours (screens/tour/screens.py) and the keyboard's UI tests. Not
production code."""
from __future__ import annotations

from screens.tour.fit import within

# the strokes of 大 on a 300-unit pad, y downwards (as tests/input/strokes.py draws them)
DA = (((40, 110), (260, 105)), ((150, 30), (150, 90), (130, 170), (60, 260)),
      ((150, 140), (200, 210), (270, 260)))


def layouts(driver, keyboard):
    """Show each layout of `keyboard`, yielding its name; the engines are loaded first."""
    inputs = keyboard.inputs
    if inputs is not None and not inputs.ready:
        inputs.load()                  # as a first touch would
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
    keyboard.reset()
    driver.frames(2)


def _guide(driver, screen):
    driver.app.start_session()
    driver.app.go("guide")
    driver.frames(2)
    yield screen.keyboard


def _complaint(driver, screen):
    driver.app.start_session()
    driver.app.go("complaint")
    driver.frames(2)
    screen.go_to("form")
    yield screen.keyboard
    screen.write_in("phone")
    yield screen.keyboard


def _evaluation(driver, screen):
    driver.app.start_session()
    driver.app.go("evaluation")
    driver.frames(2)
    screen.level, screen.state = "dissatisfied", "reasons"
    screen.render()
    yield screen.keyboard


# the screens whose keyboards the tour shows, after the screen's own states
SCREENS = {"guide": _guide, "complaint": _complaint, "evaluation": _evaluation}


def tour(driver, name: str):
    """Each layout of each keyboard of screen `name`, yielding 'keyboard-<layout>'."""
    screen = driver.screen(name)
    for keyboard in SCREENS[name](driver, screen):
        driver.frames(3)
        scroll = screen.ids.get("scroll")
        if scroll is not None and within(keyboard, scroll):
            scroll.scroll_to(keyboard, padding=0, animate=False)
        for layout in layouts(driver, keyboard):
            yield f"keyboard-{keyboard.keypad or layout}"

