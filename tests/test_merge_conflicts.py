"""The merge driver's true conflicts: git's markers around the lines that differ, through real
git; a version it cannot read, merged line by line; and install-git's check of .gitattributes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from safetylist.cli import app

from conftest import MINI_CAMPAIGN, ROOT

SCRIPT = str(Path(sys.executable).parent / "safetylist")
ENV = {**os.environ, "PATH": f"{Path(SCRIPT).parent}{os.pathsep}{os.environ['PATH']}"}
FILE = "data/tasks/04-coal-mine.yaml"


def git(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True,
                          env=ENV)


def sl(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([SCRIPT, *args], cwd=cwd, capture_output=True, text=True, env=ENV)


def repository(top: Path, data: Path, attributes: str | None = None) -> Path:
    """A git repository holding the registry ``data`` as data/, with the shipped
    .gitattributes (or ``attributes``), committed on main."""
    repo = top / "repo"
    shutil.copytree(data, repo / "data")
    if attributes is None:
        shutil.copy(ROOT / ".gitattributes", repo / ".gitattributes")
    else:
        (repo / ".gitattributes").write_text(attributes, encoding="utf-8")
    (repo / ".gitignore").write_text(".safetylist.lock\n", encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "office@example.org")
    git(repo, "config", "user.name", "office")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "registry")
    return repo


def both_sides(repo: Path, theirs: tuple[str, str], ours: tuple[str, str]) -> subprocess.CompletedProcess:
    """Branch ``other`` replaces theirs[0] by theirs[1] and reports 4.1.1 done; main replaces
    ours[0] by ours[1] and notes 4.2.1; then main merges other."""
    path = repo / FILE
    text = path.read_text(encoding="utf-8")
    git(repo, "checkout", "-q", "-b", "other")
    path.write_text(text.replace(*theirs, 1), encoding="utf-8")
    assert sl(repo, "done", "4.1.1", "--by", "市应急管理局", "--date", "2022-06-15").returncode == 0
    git(repo, "commit", "-qam", "theirs")
    git(repo, "checkout", "-q", "main")
    path.write_text(text.replace(*ours, 1), encoding="utf-8")
    assert sl(repo, "note", "4.2.1", "已部署", "--by", "市能源局", "--date", "2022-06-16").returncode == 0
    git(repo, "commit", "-qam", "ours")
    return subprocess.run(["git", "merge", "--no-edit", "other"], cwd=repo, capture_output=True,
                          text=True, env=ENV)


@pytest.fixture
def repo(tmp_path, make_registry):
    repo = repository(tmp_path, make_registry())
    assert sl(repo, "install-git").returncode == 0
    return repo


MERGED_TITLE = """\
id: coal-mine
number: 4
<<<<<<< ours
title: 煤矿安全专项整治（二）
=======
title: 煤矿安全专项整治（修订）
>>>>>>> theirs
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
    status: done
    history:
    - {date: 2022-06-15, status: done, by: 市应急管理局}
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
    history:
    - {date: 2022-06-16, by: 市能源局, note: 已部署}
"""


def test_a_campaign_field_changed_on_both_sides_stops_git_with_markers_around_it(repo):
    run = both_sides(repo, ("title: 煤矿安全专项整治\n", "title: 煤矿安全专项整治（修订）\n"),
                     ("title: 煤矿安全专项整治\n", "title: 煤矿安全专项整治（二）\n"))
    assert run.returncode == 1, run.stdout + run.stderr
    assert f"CONFLICT (content): Merge conflict in {FILE}" in run.stdout
    assert f"{FILE}: conflict: campaign 4: title changed differently on both sides\n" in run.stderr
    # Only the title is in conflict: both sides' reports are merged outside the markers.
    assert (repo / FILE).read_text(encoding="utf-8") == MERGED_TITLE
    assert git(repo, "status", "--porcelain").stdout == f"UU {FILE}\n"
    diff = git(repo, "diff").stdout
    assert ("  number: 4\n"
            "++<<<<<<< ours\n"
            " +title: 煤矿安全专项整治（二）\n"
            "++=======\n"
            "+ title: 煤矿安全专项整治（修订）\n"
            "++>>>>>>> theirs\n"
            "  heading: 四、煤矿安全专项整治（2条3项）\n") in diff
    # The file with markers is refused, located, never a traceback.
    checked = sl(repo, "check")
    assert checked.returncode == 1
    assert ("tasks/04-coal-mine.yaml:3:1: error: unresolved merge conflict (lines 3-7): git's "
            "markers <<<<<<<, =======, >>>>>>> hold two versions; keep the lines you mean, delete "
            "the three marker lines, and run `safetylist check` again [conflict-markers]\n") in checked.stdout + checked.stderr
    assert "Traceback" not in checked.stderr
    due = sl(repo, "due")
    assert (due.returncode, due.stdout) == (1, "")
    assert "tasks/04-coal-mine.yaml:3:1: error: unresolved merge conflict (lines 3-7)" in due.stderr
    # Resolved by hand, the file is whole again.
    (repo / FILE).write_text(MERGED_TITLE.replace(
        "<<<<<<< ours\ntitle: 煤矿安全专项整治（二）\n=======\n", "").replace(">>>>>>> theirs\n", ""),
        encoding="utf-8")
    assert sl(repo, "check").returncode == 0


def test_a_task_field_changed_on_both_sides_marks_only_its_lines(repo):
    run = both_sides(repo, ("  - {name: 市能源局, role: lead}\n", "  - {name: 市能源局, role: support}\n"),
                     ("  - {name: 市能源局, role: lead}\n", "  - 市能源局\n"))
    assert run.returncode == 1
    assert f"{FILE}: conflict: task 4.2: departments changed differently on both sides\n" in run.stderr
    merged = (repo / FILE).read_text(encoding="utf-8")
    assert merged.count("<<<<<<<") == 1
    assert ('- id: "4.2"\n'
            "  departments:\n"
            "<<<<<<< ours\n"
            "  - 市能源局\n"
            "=======\n"
            "  - {name: 市能源局, role: support}\n"
            ">>>>>>> theirs\n"
            "  - 市、县应急管理局\n"
            "  items:\n") in merged
    assert "    - {date: 2022-06-15, status: done, by: 市应急管理局}\n" in merged


def test_markers_have_the_size_git_asks_for(tmp_path, make_registry):
    attributes = (ROOT / ".gitattributes").read_text(encoding="utf-8")
    repo = repository(tmp_path, make_registry(),
                      attributes + "data/tasks/*.yaml conflict-marker-size=10\n")
    assert sl(repo, "install-git").returncode == 0
    run = both_sides(repo, ("第一项", "第一项（修订）"), ("第一项", "第一项（二）"))
    assert run.returncode == 1
    merged = (repo / FILE).read_text(encoding="utf-8")
    assert ("  - id: 4.1.1\n"
            "<<<<<<<<<< ours\n"
            "    text: 第一项（二）\n"
            "==========\n"
            "    text: 第一项（修订）\n"
            ">>>>>>>>>> theirs\n"
            "    status: done\n") in merged


def merge_file(runner, tmp_path, base: str, ours: str, theirs: str, *options: str):
    """Run the driver as git would, on three versions of the mini registry's campaign file."""
    data = tmp_path / "reg"
    names = []
    for label, text in (("base", base), ("ours", ours), ("theirs", theirs)):
        (tmp_path / label).write_text(text, encoding="utf-8")
        names.append(str(tmp_path / label))
    result = runner.invoke(app, ["merge-file", *names, str(data / "tasks" / "04-coal-mine.yaml"),
                                 *options])
    return result, (tmp_path / "ours").read_text(encoding="utf-8")


def test_an_item_removed_on_one_side_and_reported_on_the_other_is_a_conflict(runner, tmp_path,
                                                                            make_registry):
    make_registry()
    item = ("  - id: 4.1.2\n    text: 第二项\n    status: not_started\n"
            "    deadline: {date: 2022-06-30, text: 2022年6月底前}\n")
    assert item in MINI_CAMPAIGN
    ours = MINI_CAMPAIGN.replace(item, "").replace("tasks:\n", "removed:\n- {id: 4.1.2, reason: 重复}\ntasks:\n")
    theirs = MINI_CAMPAIGN.replace(item, item + "    history:\n    - {date: 2022-06-15, by: 市应急管理局, note: 已部署}\n")
    result, merged = merge_file(runner, tmp_path, MINI_CAMPAIGN, ours, theirs)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.endswith("04-coal-mine.yaml: conflict: item 4.1.2: removed on one side, "
                                  "changed on the other\n")
    assert ("removed:\n- {id: 4.1.2, reason: 重复}\n" in merged
            and "      text: 第一项\n        status: not_started\n" not in merged)
    assert ("    status: not_started\n"
            "<<<<<<< ours\n"
            "=======\n"
            "  - id: 4.1.2\n"
            "    text: 第二项\n"
            "    status: not_started\n"
            "    deadline: {date: 2022-06-30, text: 2022年6月底前}\n"
            "    history:\n"
            "    - {date: 2022-06-15, by: 市应急管理局, note: 已部署}\n"
            ">>>>>>> theirs\n"
            '- id: "4.2"\n') in merged


def test_a_task_both_sides_added_differently_is_a_conflict(runner, tmp_path, make_registry):
    make_registry()
    task = '- id: "4.3"\n  departments:\n  - 市能源局\n  items:\n  - id: 4.3.1\n    text: {}\n    status: not_started\n'
    ours = MINI_CAMPAIGN + task.replace("{}", "第四项")
    theirs = MINI_CAMPAIGN + task.replace("{}", "第四项（另拟）")
    result, merged = merge_file(runner, tmp_path, MINI_CAMPAIGN, ours, theirs, "--marker-size", "9")
    assert result.exit_code == 1
    assert "04-coal-mine.yaml: conflict: item 4.3.1: text changed differently on both sides\n" in result.stderr
    assert merged == MINI_CAMPAIGN + task.replace(
        "    text: {}\n", "<<<<<<<<< ours\n    text: 第四项\n=========\n    text: 第四项（另拟）\n>>>>>>>>> theirs\n")
    # The same task added alike on both sides is no conflict.
    result, merged = merge_file(runner, tmp_path, MINI_CAMPAIGN, ours, ours)
    assert (result.exit_code, result.stderr, merged) == (0, "", ours)


def test_a_version_that_is_no_campaign_file_is_merged_line_by_line(runner, tmp_path, make_registry):
    make_registry()
    ours = MINI_CAMPAIGN.replace("第一项", "第一项（二）")
    theirs = MINI_CAMPAIGN.replace("title: 煤矿安全专项整治", "title: [煤矿安全专项整治")
    result, merged = merge_file(runner, tmp_path, MINI_CAMPAIGN, ours, theirs)
    assert result.exit_code == 0, result.output
    assert "/04-coal-mine.yaml:4:8: error: YAML syntax: while parsing a flow sequence" in result.stderr
    assert result.stderr.endswith("04-coal-mine.yaml: the theirs version cannot be merged item by "
                                  "item: merged line by line\n")
    assert merged == theirs.replace("第一项", "第一项（二）")
    # Lines both sides changed: git's markers, and exit 1.
    result, merged = merge_file(runner, tmp_path, MINI_CAMPAIGN,
                                MINI_CAMPAIGN.replace("title: 煤矿安全专项整治", "title: 煤矿"), theirs)
    assert result.exit_code == 1
    assert "<<<<<<< ours\ntitle: 煤矿\n=======\ntitle: [煤矿安全专项整治\n>>>>>>> theirs\n" in merged


# install-git ---------------------------------------------------------------------------------

LINE = "git config merge.safetylist.driver 'safetylist merge-file %O %A %B %P --marker-size %L'\n"


def test_install_git_with_the_shipped_attributes_says_nothing_more(tmp_path, make_registry):
    repo = repository(tmp_path, make_registry())
    run = sl(repo, "install-git")
    assert (run.returncode, run.stdout, run.stderr) == (0, LINE, "")
    assert git(repo, "config", "merge.safetylist.driver").stdout == LINE.split("'")[1] + "\n"


def test_install_git_warns_when_gitattributes_does_not_hand_the_files_to_the_driver(tmp_path,
                                                                                   make_registry):
    repo = repository(tmp_path, make_registry(), attributes="data/tasks/*.yaml text eol=lf\n")
    run = sl(repo, "install-git")
    assert (run.returncode, run.stdout) == (0, LINE)
    assert run.stderr == (
        "safetylist: warning: .gitattributes does not mark its campaign files merge=safetylist, so "
        "git merges them line by line and never runs the driver; add this line to the "
        ".gitattributes at the repository's top, and commit it: data/tasks/*.yaml merge=safetylist\n")
    (repo / ".gitattributes").write_text("data/tasks/04-*.yaml merge=safetylist\n", encoding="utf-8")
    (repo / "data" / "tasks" / "05-x.yaml").write_text("", encoding="utf-8")
    run = sl(repo, "install-git")
    assert run.returncode == 0
    assert run.stderr.startswith("safetylist: warning: .gitattributes does not mark campaign file(s) "
                                 "data/tasks/05-x.yaml merge=safetylist, so git merges them")


def test_install_git_outside_a_registry_still_configures_git_and_says_what_it_could_not_check(tmp_path):
    repo = tmp_path / "elsewhere"
    repo.mkdir()
    git(repo, "init", "-q")
    run = sl(repo, "install-git")
    assert (run.returncode, run.stdout) == (0, LINE)
    assert run.stderr.startswith("safetylist: warning: could not check that .gitattributes marks the "
                                 "campaign files merge=safetylist: no registry found")


def test_install_git_warns_when_git_could_not_find_the_driver_on_path(tmp_path, make_registry):
    """git runs `safetylist` from its PATH: a virtual environment not activated leaves merges
    undone, so install-git says so (git itself is still found)."""
    repo = repository(tmp_path, make_registry())
    git_dir = str(Path(shutil.which("git")).parent)
    run = subprocess.run([SCRIPT, "install-git"], cwd=repo, capture_output=True, text=True,
                         env={**os.environ, "PATH": git_dir})
    assert (run.returncode, run.stdout) == (0, LINE)
    assert run.stderr == (
        "safetylist: warning: `safetylist` is not on this PATH, so git cannot run the driver and will "
        "leave campaign files unmerged; activate the environment safetylist is installed in (or put "
        "its scripts folder on PATH) before merging\n")
