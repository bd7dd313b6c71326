"""The monthly summary as a web page with charts: self-contained, and right in a real browser."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from safetylist.cli import app

from test_report import DEPARTMENTS, HISTORY_CAMPAIGN

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PDFTOTEXT = shutil.which("pdftotext")


def chinese_font() -> bool:
    """Whether fontconfig knows a font with Chinese glyphs (without one, the page prints as boxes)."""
    fc_list = shutil.which("fc-list")
    return bool(fc_list and subprocess.run([fc_list, ":lang=zh"], capture_output=True, text=True).stdout.strip())


# CI installs both and a Chinese font (.ci/run); elsewhere the browser check is skipped when they are missing.
needs_browser = pytest.mark.skipif((CHROMIUM is None or PDFTOTEXT is None) and not os.environ.get("CI"),
                                   reason="needs chromium and pdftotext (CI installs them)")
RED, GREEN = "#c62828", "#2e7d32"


@pytest.fixture
def page(runner, make_registry, tmp_path) -> Path:
    data = make_registry({"04-coal-mine.yaml": HISTORY_CAMPAIGN.replace("受阻的一项 | 含竖线", "受阻的一项 <b>&</b>")},
                         departments=DEPARTMENTS)
    out = tmp_path / "2022-06.html"
    result = runner.invoke(app, ["summary", "--month", "2022-06", "--format", "html", "--output",
                                 str(out), "--data", str(data)])
    assert result.exit_code == 0, result.output
    return out


def test_one_self_contained_file_without_script_or_network(page):
    html = page.read_text(encoding="utf-8")
    assert html.startswith('<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n')
    for outside in ("<script", "http:", "https:", "src=", "href=", "url(", "@import", "<link"):
        assert outside not in html, outside
    assert html.count("<svg ") == 2  # completion per campaign, per department
    assert "<h1>安全生产专项整治三年行动月度汇总（2022年6月）</h1>" in html
    assert "受阻的一项 &lt;b&gt;&amp;&lt;/b&gt;" in html and "<b>&</b>" not in html
    assert "@page { size: A4;" in html and "thead { display: table-header-group; }" in html


def test_bars_are_the_items_split_by_state_overdue_in_red(page):
    html = page.read_text(encoding="utf-8")
    campaigns = html[html.index("各专项完成情况"):html.index("</svg>")]
    # Campaign 4: 6 items, 1 done (every share), 4 open, 1 overdue, over a 300-pixel bar.
    assert re.findall(r'<rect class="(\w+)" x="[\d.]+" y="\d+" width="([\d.]+)"', campaigns) == [
        ("done", "50.00"), ("open", "200.00"), ("overdue", "50.00")]
    assert f'class="overdue" x="500.00" y="47" width="50.00" height="13" fill="{RED}"' in campaigns
    assert "完成率 16.7% · 逾期 1" in campaigns
    departments = html[html.index("各责任单位完成情况</text>"):]
    departments = departments[:departments.index("</svg>")]
    # 孝义市应急管理局, first: its 3 shares, 1 done on time, 2 open.
    assert re.findall(r'<rect class="(\w+)" x="[\d.]+" y="47" width="([\d.]+)"', departments) == [
        ("done", "100.00"), ("open", "200.00")]


def test_html_goes_to_stdout_without_output(runner, make_registry):
    result = runner.invoke(app, ["summary", "--month", "2022-06", "--format", "html",
                                 "--data", str(make_registry())])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("<!DOCTYPE html>") and result.stdout.endswith("</html>\n")


def chromium(page: Path, tmp_path: Path, *args: str) -> None:
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    f"--user-data-dir={tmp_path / 'profile'}", *args, page.as_uri()],
                   check=True, capture_output=True, timeout=180)


def pdf_colours(pdf: bytes) -> set[str]:
    """The fill colours the PDF's pages paint with, as #rrggbb."""
    found = set()
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            content = zlib.decompress(stream)
        except zlib.error:
            continue
        for r, g, b in re.findall(rb"([\d.]+) ([\d.]+) ([\d.]+) rg", content):
            found.add("#" + "".join(f"{round(float(v) * 255):02x}" for v in (r, g, b)))
    return found


@needs_browser
def test_the_page_prints_on_a4_in_a_real_browser_with_its_charts(page, tmp_path):
    assert CHROMIUM and PDFTOTEXT, "CI must install chromium and poppler-utils"
    assert chinese_font(), "CI must install a Chinese font (fonts-wqy-microhei)"
    pdf = tmp_path / "page.pdf"
    chromium(page, tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
    raw = pdf.read_bytes()
    assert raw.startswith(b"%PDF-")
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", raw)
    assert boxes and all(round(float(w)) == 595 and round(float(h)) == 842 for w, h in boxes)  # A4
    assert {RED, GREEN} <= pdf_colours(raw)  # the bars were painted
    text = subprocess.run([PDFTOTEXT, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "安全生产专项整治三年行动月度汇总（2022年6月）" in text
    for words in ("各专项完成情况", "完成率 16.7% · 逾期 1", "二、各专项整治进展情况", "受阻的一项 <b>&</b>"):
        assert words in text, words


@needs_browser
def test_a_screenshot_has_the_size_asked_for(page, tmp_path):
    assert CHROMIUM, "CI must install chromium"
    png = tmp_path / "page.png"
    chromium(page, tmp_path, "--window-size=800,1200", "--hide-scrollbars", f"--screenshot={png}")
    raw = png.read_bytes()
    assert raw[:8] == b"\x89PNG\r\n\x1a\n" and raw[12:16] == b"IHDR"
    assert struct.unpack(">II", raw[16:24]) == (800, 1200)
