"""The forms on the right of the main window: a program, a department's section II, the front matter."""
