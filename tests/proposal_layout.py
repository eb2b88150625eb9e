"""Layout in a real browser: which text runs out of its table cell or key-figure box (where it would overlap the
next one), at a desktop, a laptop and a narrow window width. Used by tests/test_proposal.py (which has the
reports to check); skips with the reason without chromium."""

from __future__ import annotations

from pathlib import Path

from test_report import _chromium_paths

WIDTHS = (1280, 1024, 800)

# every text fragment of a cell must lie within the cell's box; returns the ones that do not
OVERFLOWS = """
const out = [];
for (const box of document.querySelectorAll(arguments[0])) {
  const r = box.getBoundingClientRect();
  const range = document.createRange();
  range.selectNodeContents(box);
  for (const t of range.getClientRects()) {
    if (t.width > 0 && (t.left < r.left - 1 || t.right > r.right + 1)) {
      out.push(box.textContent.trim().slice(0, 60) + ' [' + Math.round(r.left) + '-' + Math.round(r.right) +
               ' vs ' + Math.round(t.left) + '-' + Math.round(t.right) + ']');
      break;
    }
  }
}
return out;
"""


def overflowing(html_file: Path, selector: str) -> dict[int, list[str]]:
    browser, driver_path = _chromium_paths()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = browser
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        opts.add_argument(arg)
    driver = webdriver.Chrome(service=Service(driver_path), options=opts)
    found = {}
    try:
        for width in WIDTHS:
            driver.set_window_size(width, 1000)
            driver.get(html_file.resolve().as_uri())
            bad = driver.execute_script(OVERFLOWS, selector)
            if bad:
                found[width] = bad
    finally:
        driver.quit()
    return found


