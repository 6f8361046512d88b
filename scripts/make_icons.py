"""Draw the app's PNG icons from the same design as static/icons/icon.svg.

Run by hand after changing the design, then commit the PNGs:

    .venv/bin/pip install -e '.[assets]' && .venv/bin/python scripts/make_icons.py
"""

from pathlib import Path

from PIL import Image, ImageDraw

ICONS = Path(__file__).resolve().parent.parent / "smallsteps" / "static" / "icons"
GREEN = (35, 96, 79, 255)
SOFT = (225, 239, 232, 255)
WHITE = (255, 255, 255, 255)
# The three rising steps of icon.svg, on its 64-unit grid: x, y, width, height, colour.
STEPS = [(12, 40, 12, 12, SOFT), (26, 30, 12, 22, SOFT), (40, 18, 12, 34, WHITE)]
SUPERSAMPLE = 4


def draw(size: int, *, rounded: bool, scale: float = 1.0) -> Image.Image:
    """Return the icon at `size` pixels; `scale` shrinks the steps toward the centre."""
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    unit = big / 64
    if rounded:
        pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=14 * unit, fill=GREEN)
    else:
        pen.rectangle((0, 0, big, big), fill=GREEN)
    # The steps' bounding box is centred at (32, 35); shrink around that point.
    cx, cy = 32 * unit, 35 * unit
    for x, y, w, h, colour in STEPS:
        left = cx + (x * unit - cx) * scale
        top = cy + (y * unit - cy) * scale
        box = (left, top, left + w * unit * scale, top + h * unit * scale)
        pen.rounded_rectangle(box, radius=3 * unit * scale, fill=colour)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    """Write every icon the manifest and iOS ask for."""
    draw(192, rounded=True).save(ICONS / "icon-192.png", optimize=True)
    draw(512, rounded=True).save(ICONS / "icon-512.png", optimize=True)
    # Maskable: full bleed, the steps inside the central safe circle (80% of the width).
    draw(512, rounded=False, scale=0.72).save(ICONS / "icon-maskable-512.png", optimize=True)
    # iOS rounds the corners itself and shows transparency as black.
    apple = draw(180, rounded=False, scale=0.85).convert("RGB")
    apple.save(ICONS / "apple-touch-icon.png", optimize=True)


if __name__ == "__main__":
    main()
