"""The window's autosave writers for the office's editors, under the names the window imports.

The writers themselves are :func:`seri_desktop.store.repository.save_section_ii`
(one department's section II) and :func:`~seri_desktop.store.repository.save_front_matter`
(the cover and I. 일반 현황); each runs in one ``IMMEDIATE`` transaction of its
own and touches only the rows of what it saves. Replacing the whole report
instead (load, modify, ``save_report(replace=True)``) would cost about a
second on a 1,000-program report, far too slow for a save after every pause
in typing.
"""

from __future__ import annotations

from seri_desktop.store.repository import DepartmentNotFoundError, save_department, save_front_matter

__all__ = ["DepartmentNotFoundError", "save_department", "save_front_matter"]
