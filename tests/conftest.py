"""Shared fixtures: the shipped registry, copies of it, and small registries built in tmp_path."""

from __future__ import annotations

import os
import shutil
import tempfile
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
# Behaviour tests run on a frozen copy of the 2022 registry as first shipped: the live
# data/ folder changes every day as clerks record progress, so no test may depend on it.
FIXTURE = ROOT / "tests" / "fixtures" / "registry-2022"
DATA = FIXTURE
# The live registry: only invariants are tested on it (tests/test_data.py).
LIVE = Path(os.environ.get("SAFETYLIST_LIVE_DATA") or ROOT / "data")
SOURCE = ROOT / "data" / "source" / "lvliang-2022-task-list.txt"

assert (FIXTURE / "tasks").is_dir(), "the frozen registry fixture must exist"
assert SOURCE.is_file(), "the notice's text must exist"

# The tests use a parse cache of their own (never the user's), shared by the run.
os.environ["SAFETYLIST_CACHE"] = tempfile.mkdtemp(prefix="safetylist-test-cache-")

MINI_DEPARTMENTS = textwrap.dedent("""\
    counties: [离石区, 孝义市]
    county_kinds: [应急管理局]
    departments:
    - name: 市政府安委办
    - name: 市应急管理局
      aliases: [市应急局]
    - name: 市能源局
    groups:
    - name: 市、县应急管理局
      members: [市应急管理局]
      county_kind: 应急管理局
    """)

MINI_CAMPAIGN = textwrap.dedent("""\
    id: coal-mine
    number: 4
    title: 煤矿安全专项整治
    heading: 四、煤矿安全专项整治（2条3项）
    declared: {tasks: 2, items: 3}
    source: test
    default_deadline: 2022-12-31
    tasks:
    - id: "4.1"
      departments:
      - 市应急管理局
      items:
      - id: 4.1.1
        text: 第一项
        status: not_started
      - id: 4.1.2
        text: 第二项
        status: not_started
        deadline: {date: 2022-06-30, text: 2022年6月底前}
    - id: "4.2"
      departments:
      - {name: 市能源局, role: lead}
      - 市、县应急管理局
      items:
      - id: 4.2.1
        text: 第三项
        status: not_started
    """)


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/ from the current output")


@pytest.fixture
def update_golden(request) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def shipped_copy(tmp_path: Path) -> Path:
    """A writable copy of the frozen registry fixture."""
    dest = tmp_path / "data"
    shutil.copytree(FIXTURE, dest)
    return dest


@pytest.fixture
def make_registry(tmp_path: Path):
    """Build a small registry: make_registry({"04-coal-mine.yaml": text}) -> data dir."""

    def make(files: dict[str, str] | None = None, departments: str = MINI_DEPARTMENTS,
             manifest: bool = True) -> Path:
        data = tmp_path / "reg"
        (data / "tasks").mkdir(parents=True, exist_ok=True)
        (data / "departments.yaml").write_text(departments, encoding="utf-8")
        files = files if files is not None else {"04-coal-mine.yaml": MINI_CAMPAIGN}
        for name, text in files.items():
            target = data / "tasks" / name
            if isinstance(text, bytes):
                target.write_bytes(text)
            else:
                target.write_text(text, encoding="utf-8")
        if manifest:
            (data / "registry.yaml").write_text(manifest_for(files), encoding="utf-8")
        return data

    return make


def manifest_for(files: dict[str, str | bytes]) -> str:
    """A registry.yaml listing ``files``, indexed from what they hold (as far as they parse)."""
    import yaml

    out = ["notice: 测〔2022〕1号", "title: 测试清单", "issued_by: 测试办公室",
           "period: {start: 2022-01-01, end: 2022-12-31}", "campaigns:"]
    for name, text in files.items():
        try:
            c = yaml.safe_load(text)
            number, ident = int(c["number"]), str(c["id"])
            index = {str(t["id"]): len(t.get("items") or []) for t in c.get("tasks") or []}
        except Exception:  # a broken file under test: list it by its name only
            stem = name.rsplit(".", 1)[0]
            number = int(stem.split("-", 1)[0]) if stem[:2].isdigit() else 99
            ident, index = stem.split("-", 1)[-1], {}
        flow = ", ".join(f'"{k}": {v}' for k, v in index.items())
        out += [f"- number: {number}", f'  id: "{ident}"', f'  file: "{name}"', f"  index: {{{flow}}}"]
    return "\n".join(out) + "\n"


# MINI_CAMPAIGN with a third task whose departments are read from a merged cell.
MINI_INFERRED = MINI_CAMPAIGN.replace("（2条3项）", "（3条4项）").replace(
    "{tasks: 2, items: 3}", "{tasks: 3, items: 4}") + textwrap.dedent("""\
    - id: "4.3"
      departments:
      - 市能源局
      departments_text: 市能源局
      departments_inferred: true
      source_note: 本行未印责任部门，按合并单元格读作第2行的
      items:
      - id: 4.3.1
        text: 第四项
        status: not_started
    """)
