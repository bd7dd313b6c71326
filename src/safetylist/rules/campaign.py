"""A campaign file's own fields: its id, number, file name, declared counts and removals."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .base import ERROR, WARNING, CampaignCheck, Loc, rule

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

Found = Iterator[tuple[Loc, str]]


@rule("campaign-id", ERROR, "campaign")
def campaign_id(file: CampaignCheck) -> Found:
    """A campaign's `id` is a lowercase slug: letters, digits and single hyphens.

    Why: the id names the file (`04-coal-mine.yaml`) and is typed in `--campaign coal-mine`;
    spaces, capitals or Chinese characters would make both fragile.

    Fails:

    ```yaml
    id: Coal Mine
    ```

    Fix: `id: coal-mine`, and rename the file to match.
    """
    c = file.campaign
    if not SLUG.match(c.id):
        yield ("id",), f"campaign id '{c.id}' must be a lowercase slug like 'coal-mine'"


@rule("campaign-number", ERROR, "campaign")
def campaign_number(file: CampaignCheck) -> Found:
    """A campaign's `number` is between 0 and 9999.

    Why: the number begins every task and item id (`4.15.2`) and orders the campaigns; 0
    holds the notice's own requirements.

    Fails:

    ```yaml
    number: -4
    ```

    Fix: the campaign's number in the notice (`number: 4` for 四、).
    """
    c = file.campaign
    if not 0 <= c.number <= 9999:
        yield ("number",), f"campaign number {c.number} must be between 0 and 9999"


@rule("file-name", WARNING, "campaign")
def file_name(file: CampaignCheck) -> Found:
    """A campaign file is named after its number and id: `NN-id.yaml`.

    Why: the files then list in campaign order, and the name says which campaign a file holds.

    Fails: `tasks/coal.yaml` holding `number: 4` and `id: coal-mine`.

    Fix: rename it `tasks/04-coal-mine.yaml` (with `git mv`, and in `registry.yaml`).
    """
    c = file.campaign
    expected = f"{c.number:02d}-{c.id}"
    if file.path.stem != expected:
        yield ("id",), f"file name should be {expected}{file.path.suffix} (number and id)"


@rule("declared-counts", ERROR, "campaign")
def declared_counts(file: CampaignCheck) -> Found:
    """The counts a campaign's heading declares are not negative.

    Why: `declared` is what the notice's heading prints, `（30条61项）`: 30 tasks, 61 items.

    Fails:

    ```yaml
    declared: {tasks: -30, items: 61}
    ```

    Fix: copy the numbers from the heading: `declared: {tasks: 30, items: 61}`.
    """
    d = file.campaign.declared
    if d.tasks < 0 or d.items < 0:
        yield ("declared",), "declared counts cannot be negative"


@rule("declared-vs-present", WARNING, "campaign")
def declared_vs_present(file: CampaignCheck) -> Found:
    """The tasks (with items) and items a campaign holds are the counts its heading declares.

    Why: the notice's table is damaged in places; a difference shows a row lost or rebuilt,
    which the campaign's `source_note` should explain. `check` prints the counts of every
    campaign.

    Fails: `declared: {tasks: 2, items: 3}` on a campaign whose tasks hold 2 items.

    Fix: find the missing item in the notice; where the notice lost it, say so in the
    campaign's `source_note` (the warning then says "see source_note").
    """
    c = file.campaign
    tasks = sum(1 for t in c.tasks if t.items)
    items = sum(len(t.items) for t in c.tasks)
    if (tasks, items) != (c.declared.tasks, c.declared.items):
        explained = "see source_note" if c.source_note else "no source_note explains it"
        yield ("declared",), (f"campaign {c.number}: declared {c.declared.tasks}条{c.declared.items}项, "
                              f"present {tasks}条{items}项 ({explained})")


@rule("removal-reason", ERROR, "campaign")
def removal_reason(file: CampaignCheck) -> Found:
    """A recorded removal says why.

    Why: `removed:` is how an item leaves the registry on purpose, keeping the other items'
    ids; the reason is what a reader of the file, or of `git log`, has to go on.

    Fails:

    ```yaml
    removed: [{id: 4.15.5, reason: ""}]
    ```

    Fix: `removed: [{id: 4.15.5, reason: 与4.15.4重复}]`.
    """
    for ri, r in enumerate(file.campaign.removed):
        if not r.reason.strip():
            yield ("removed", ri, "reason"), f"removal of {r.id}: say why it was removed"


RULES = (campaign_id, campaign_number, file_name, declared_counts, declared_vs_present, removal_reason)
