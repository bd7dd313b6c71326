"""Reading a registry file: its bytes, its YAML, its model, and a campaign file's text.

All but the last are checked by the loading pipeline as it reads (``registry`` reads the
bytes, ``yamlio`` the YAML, ``validate`` the model): a file that fails one is read no further,
so its other problems show once it is fixed.
"""

from __future__ import annotations

from collections.abc import Iterator

from .base import ERROR, WARNING, TextCheck, reading_rule, rule

unreadable = reading_rule("unreadable", ERROR, "file", """\
    The file can be read.

    Why: a file that cannot be opened (its permissions, a broken link, a folder where a file
    belongs) holds nothing the registry can use.

    Fails: `tasks/04-coal-mine.yaml` readable by its owner only, and `check` run by another user.

    Fix: give the file back its permissions (`chmod 644`), or restore it from git.
    """)

file_size = reading_rule("file-size", ERROR, "file", """\
    The file is at most 20 MiB.

    Why: the largest campaign file of a real notice is a few hundred kilobytes; a file of
    20 MiB is a mistake (a pasted attachment, a runaway script), and reading it would cost
    the memory of every command.

    Fails: a campaign file of 21 MiB.

    Fix: restore the file from git (`git checkout -- FILE`).
    """)

encoding = reading_rule("encoding", ERROR, "file", """\
    The file is UTF-8 text.

    Why: YAML is read as UTF-8; a file saved as GBK by an editor on Chinese Windows would
    read as garbage. A UTF-8 byte-order mark and CRLF line ends are accepted.

    Fails: the file saved as GBK (the problem names the first byte that is not UTF-8).

    Fix: save the file as UTF-8 ("UTF-8" in the editor's encoding menu, not "ANSI").
    """)

syntax = reading_rule("syntax", ERROR, "yaml", """\
    The file is one well-formed YAML document, without control characters.

    Why: nothing in a file that is not YAML can be read; the problem is placed where the
    YAML parser gave up.

    Fails:

    ```yaml
    title: [煤矿安全专项整治
    ```

    Fix: close the bracket or quote the text (`title: "[煤矿安全专项整治"`); use spaces, not
    tabs, to indent; remove control characters.
    """)

conflict_markers = reading_rule("conflict-markers", ERROR, "yaml", """\
    The file holds no conflict that a git merge left unresolved.

    Why: where two clones changed the same item's text differently, the merge driver (and
    git) leave both versions between git's markers for a person to choose; until then the
    file is not YAML, and which version counts is not decided.

    Fails:

    ```yaml
    <<<<<<< ours
    title: 煤矿安全专项整治
    =======
    title: 煤矿安全专项整治行动
    >>>>>>> theirs
    ```

    Fix: keep the lines you mean, delete the three marker lines, then `safetylist check`.
    """)

duplicate_key = reading_rule("duplicate-key", ERROR, "yaml", """\
    No mapping has the same key twice.

    Why: PyYAML would keep the last value silently, so an edit made to the first one would be
    lost without a word.

    Fails:

    ```yaml
    title: 煤矿安全专项整治
    title: 另一个
    ```

    Fix: keep one of them.
    """)

anchors = reading_rule("anchors", ERROR, "yaml", """\
    No anchors (`&a`), aliases (`*a`) or merge keys (`<<`).

    Why: no registry file needs them, they hide what a value is from `grep` and `git diff`,
    and refusing them makes a "billion laughs" file (aliases nested until memory runs out)
    harmless.

    Fails:

    ```yaml
    departments: &city [市应急管理局]
    ```

    Fix: write the value out where it is used.
    """)

tags = reading_rule("tags", ERROR, "yaml", """\
    No YAML tags (`!!python/object`, `!!set`, …).

    Why: the registry holds plain strings, numbers, lists and mappings; a tag asks a YAML
    loader to build something else, and some loaders would run code for it. Nothing runs here.

    Fails:

    ```yaml
    title: !!python/object/apply:os.system ["touch PWNED"]
    ```

    Fix: remove the tag; quote the value if it is text.
    """)

nesting = reading_rule("nesting", ERROR, "yaml", """\
    Nothing is nested more than 64 levels deep.

    Why: a campaign file nests six levels; a file nested far deeper is not one, and reading it
    would exhaust the stack.

    Fails: `a: [[[[…]]]]` with 70 levels.

    Fix: restore the file from git.
    """)

key_type = reading_rule("key-type", ERROR, "yaml", """\
    Every key is a plain string.

    Why: YAML reads `2022: …` or `true: …` as a number or a boolean key, which no model field
    matches and no message could name.

    Fails:

    ```yaml
    2022: 年度
    ```

    Fix: keys are the field names the README shows (`id`, `title`, `tasks`, …); a text that
    begins with a number goes in quotes (`'2022: 年度'`).
    """)

schema = reading_rule("schema", ERROR, "schema", """\
    The data matches its model: every key known, every value of its type.

    Why: a misspelt key (`statuss`) or a value of the wrong type (`number: four`) would
    otherwise be ignored or break a command far from the file; the message names the nearest
    known key.

    Fails:

    ```yaml
    - id: 4.1.1
      text: 第一项
      statuss: not_started
    ```

    Fix: `status: not_started`. Statuses are `not_started`, `in_progress`, `done`, `blocked`;
    dates are `YYYY-MM-DD` days that exist.
    """)


@rule("end-of-line-comment", WARNING, "text")
def end_of_line_comment(file: TextCheck) -> Iterator[tuple[tuple[int, int], str]]:
    """A campaign file has no comment at the end of a line with a value.

    Why: a ` #` typed into a text ends the value there, so YAML cuts the text short; and the
    canonical layout, which every write keeps, drops comments.

    Fails:

    ```yaml
    text: 开展隐患排查 #每月一次
    ```

    Fix: put the text in double quotes (`text: "开展隐患排查 #每月一次"`); a note belongs in
    the item's history (`safetylist note`).
    """
    if "#" not in file.text:
        return
    from ..yamlio import comments  # deferred: the reader needs PyYAML, found only when a '#' is

    lines = file.text.split("\n")
    for line, col, comment in comments(file.text):
        if lines[line - 1][: col - 1].strip():
            yield (line, col), (f"end-of-line comment {comment[:40]!r}: YAML ends the value before "
                                "it (a ' #' typed into a text cuts the text short; put the text in "
                                "double quotes), and writes drop it")


RULES = (unreadable, file_size, encoding, syntax, conflict_markers, duplicate_key, anchors, tags, nesting, key_type,
         schema, end_of_line_comment)
