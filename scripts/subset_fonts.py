"""Build planner/fonts/ (the fonts report.pdf embeds) from the Noto fonts of Debian's fonts-noto-core and
fonts-noto-cjk packages (`apt-get install fonts-noto-core fonts-noto-cjk`), so a PDF in any supported language
needs no system font.

Noto Sans (Latin, Greek, Cyrillic, Vietnamese), Noto Sans Arabic and the Noto Sans of the language catalog's other
scripts (Ethiopic, Thai, Khmer, Lao, Myanmar, Sinhala, Tamil, Devanagari, Bengali) are copied whole (a few hundred kB
each);
Noto Sans CJK SC is cut down to the 6,763 hanzi of GB 2312 (what simplified-Chinese text uses in practice), CJK
punctuation, full-width forms and every character of the Chinese catalog. Run from the repository root:

    python scripts/subset_fonts.py
"""

from __future__ import annotations

import shutil
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "planner" / "fonts"
CORE = Path("/usr/share/fonts/truetype/noto")
CJK = Path("/usr/share/fonts/opentype/noto")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
OTHER_SCRIPTS = ("Ethiopic", "Thai", "Khmer", "Lao", "Myanmar", "Sinhala", "Tamil", "Devanagari", "Bengali")


def gb2312() -> set[int]:
    """Every character of GB 2312 (rows 0xA1-0xF7, cells 0xA1-0xFE)."""
    chars = set()
    for row in range(0xA1, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes([row, cell]).decode("gb2312")))
            except UnicodeDecodeError:
                pass
    return chars


def catalog_chars(lang: str) -> set[int]:
    text = (ROOT / "planner" / "locale" / lang / "LC_MESSAGES" / "planner.po").read_text(encoding="utf-8")
    return {ord(c) for c in text}


def sc_face(ttc: Path) -> object:
    """The simplified-Chinese face of a Noto Sans CJK collection."""
    for font in TTCollection(str(ttc)).fonts:
        if "CJK SC" in font["name"].getDebugName(1):
            return font
    raise SystemExit(f"no Noto Sans CJK SC face in {ttc}")


def subset_cjk(weight: str) -> None:
    font = sc_face(CJK / f"NotoSansCJK-{weight}.ttc")
    ranges = set(range(0x3000, 0x3040)) | set(range(0xFF00, 0xFFF0)) | set(range(0x2000, 0x2070))
    wanted = gb2312() | ranges | catalog_chars("zh_Hans")
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(wanted))
    subsetter.subset(font)
    font.save(str(OUT / f"NotoSansSC-{weight}-GB2312.otf"))


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for name in ("NotoSans-Regular", "NotoSans-Bold", "NotoSansArabic-Regular", "NotoSansArabic-Bold"):
        shutil.copy(CORE / f"{name}.ttf", OUT / f"{name}.ttf")
    for script in OTHER_SCRIPTS:  # whole (30-350 kB each): names in the language catalog's other scripts
        for weight in ("Regular", "Bold"):
            shutil.copy(CORE / f"NotoSans{script}-{weight}.ttf", OUT / f"NotoSans{script}-{weight}.ttf")
    mono = subset.Subsetter(subset.Options())  # ids, hashes and file names: Latin-1 is enough
    mono.populate(unicodes=list(range(0x20, 0x7F)) + list(range(0xA0, 0x180)) + [0x2026, 0x2192])
    font = subset.load_font(str(DEJAVU / "DejaVuSansMono.ttf"), subset.Options())
    mono.subset(font)
    font.save(str(OUT / "DejaVuSansMono-Latin.ttf"))
    for package in ("fonts-noto-core", "fonts-noto-cjk", "fonts-dejavu-core"):
        shutil.copy(Path("/usr/share/doc") / package / "copyright", OUT / f"LICENSE-{package}.txt")
    for weight in ("Regular", "Bold"):
        if not (OUT / f"NotoSansSC-{weight}-GB2312.otf").exists():  # slow (a minute): delete the file to redo it
            subset_cjk(weight)
    for path in sorted(OUT.iterdir()):
        print(f"{path.name}: {path.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
