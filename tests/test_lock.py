"""The lock file installs what pyproject.toml asks for: every dependency pinned, hashed and within its range."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

REPO = Path(__file__).resolve().parents[1]
LOCK = REPO / "scripts" / "requirements.lock"
_PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)")


def _locked() -> dict[str, Version]:
    pins: dict[str, Version] = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        m = _PIN.match(line)
        if m:
            pins[canonicalize_name(m.group(1))] = Version(m.group(2))
    return pins


def _declared() -> list[Requirement]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = [*project["dependencies"]]
    for extra in project["optional-dependencies"].values():
        names.extend(extra)
    return [Requirement(n) for n in names if not n.startswith("seri-desktop")]


def test_every_declared_dependency_is_locked_within_its_range() -> None:
    pins = _locked()
    out_of_date = [
        str(req)
        for req in _declared()
        if canonicalize_name(req.name) not in pins or pins[canonicalize_name(req.name)] not in req.specifier
    ]
    assert out_of_date == [], "run scripts/lock.sh: the lock does not satisfy " + ", ".join(out_of_date)


def test_every_pin_carries_a_hash() -> None:
    text = LOCK.read_text(encoding="utf-8")
    blocks = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2])
    unhashed = [b.split()[0] for b in blocks if "==" in b.split()[0] and "--hash=sha256:" not in b]
    assert len(_locked()) > 30
    assert unhashed == []
