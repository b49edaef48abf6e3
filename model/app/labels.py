"""The page's words in Chinese and English (``labels.toml``), where the fonts allow.

Chinese is shown only when a CJK font is installed where the page is served (the charts are
drawn there, and a browser on the same machine uses the same fonts); otherwise the page speaks
English alone rather than draw empty boxes. ``.ci/run`` installs Debian's ``fonts-noto-cjk``.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

LABELS_FILE = Path(__file__).parent / "labels.toml"
# CJK fonts, most wanted first: Debian's Noto, then those common on planners' machines.
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "SimHei",
)


@cache
def table() -> dict[str, Any]:
    with LABELS_FILE.open("rb") as fh:
        return tomllib.load(fh)


@cache
def cjk_font() -> str | None:
    """The first CJK font matplotlib can use, or None. Fonts installed after matplotlib built its
    font cache (as ``.ci/run`` may do) are added from the system's font folders first."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    if not names & set(CJK_FONTS):
        known = {f.fname for f in font_manager.fontManager.ttflist}
        for path in font_manager.findSystemFonts():
            if path not in known:
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):  # a font file matplotlib cannot read
                    continue
        names = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in names), None)


def bilingual(zh: str, en: str) -> str:
    """``zh en`` where a CJK font allows, else ``en``."""
    return f"{zh} {en}" if cjk_font() else en


def word(key: str) -> str:
    """A heading or axis word of ``[words]``."""
    zh, en = table()["words"][key]
    return bilingual(zh, en)


def with_unit(key: str, unit: str) -> str:
    """An axis label: the word and its unit, ``新增常住人口 extra residents (人 persons)``."""
    return f"{word(key)} ({word(unit)})"


def group(name: str) -> str:
    return bilingual(table()["groups"].get(name, ""), name.replace("_", " ")).strip()


def measure(mid: str, name: str) -> str:
    """``H1 公租房保障 public_rental``."""
    return f"{mid} {bilingual(table()['measures'].get(mid, ''), name).strip()}"


def kind(name: str) -> str:
    return bilingual(table()["kinds"].get(name, ""), name.replace("_", " ")).strip()
