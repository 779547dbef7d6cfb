"""Draw the app icons (school/static/img/icon-*.png) from the favicon's shapes.

Run once after changing the design: `.venv/bin/python scripts/make_icons.py`.
"""

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "school" / "static" / "img"
RED = (183, 28, 28)
GOLD = (255, 213, 79)
# The favicon's star, on its 32-unit grid.
STAR = [
    (16, 5), (19.1, 11.6), (26.3, 12.5), (21, 17.5), (22.4, 24.6),
    (16, 21.1), (9.6, 24.6), (11, 17.5), (5.7, 12.5), (12.9, 11.6),
]  # fmt: skip


def icon(size: int, *, maskable: bool = False) -> Image.Image:
    scale = 4  # drawn large, then shrunk, for smooth edges
    big = size * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable:
        # Full bleed; the star stays inside the 80 % safe zone.
        draw.rectangle((0, 0, big, big), fill=RED)
        unit, offset = big * 0.6 / 32, big * 0.2
    else:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=big * 6 / 32, fill=RED)
        unit, offset = big / 32, 0
    draw.polygon([(offset + x * unit, offset + y * unit) for x, y in STAR], fill=GOLD)
    return image.resize((size, size), Image.LANCZOS)


def main():
    for size in (192, 512):
        icon(size).save(OUT / f"icon-{size}.png", optimize=True)
        icon(size, maskable=True).save(OUT / f"icon-maskable-{size}.png", optimize=True)
    # iOS home screen: no transparency.
    icon(180, maskable=True).convert("RGB").save(OUT / "apple-touch-icon.png")


if __name__ == "__main__":
    main()
