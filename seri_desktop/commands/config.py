"""``config``: the user's own settings, for now the name recorded with every change.

``seri-desktop config --name 홍길동`` sets it once (in ``settings.json`` in
the data folder, :mod:`seri_desktop.settings`); every write command then
records that name unless given ``--who``. Without arguments it shows the
name and the settings file.
"""

from __future__ import annotations

import argparse

from seri_desktop.commands.common import EXIT_OK, Subparsers


def cmd_config(args: argparse.Namespace) -> int:
    from seri_desktop.settings import set_user_name, settings_path, user_name

    if args.name is not None:
        given = set_user_name(args.name)
        print(f"기록에 남길 이름을 '{given}'(으)로 정했습니다: {settings_path()}")
        return EXIT_OK
    name = user_name()
    shown = f"'{name}'" if name else "정해지지 않음 (seri-desktop config --name 이름)"
    print(f"기록에 남길 이름: {shown}")
    print(f"설정 파일: {settings_path()}")
    return EXIT_OK


def register(sub: Subparsers) -> None:
    p = sub.add_parser("config", help="기록에 남길 이름 같은 사용자 설정을 보거나 정합니다")
    p.add_argument("--name", help="바꾼 내용마다 기록에 남을 이름 (한 번 정하면 됩니다; 로그인 이름은 쓰지 않습니다)")
    p.set_defaults(func=cmd_config)
