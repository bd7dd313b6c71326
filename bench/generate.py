"""Generate a synthetic registry of N items in safetylist's real format.

    python bench/generate.py --items 20000 --out bench/out/reg-20000

Many campaign files (250 items each), realistic Chinese text (the shipped items' texts),
departments and groups from data/departments.yaml, deadlines spread over 2022-2024, about a
third of the items with history, 1% recurring. Deterministic for a given N and seed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from safetylist.layout import dump_campaign  # noqa: E402
from safetylist.models import Assignment, Campaign, Deadline, Declared, HistoryEntry, Item, Task  # noqa: E402
from safetylist.registry import load  # noqa: E402
from safetylist.shares import expand, item_status  # noqa: E402

ITEMS_PER_FILE = 250
ITEMS_PER_TASK = (1, 5)


def generate(n_items: int, out: Path, seed: int = 2022, shares: bool = True) -> list[dict]:
    """Write the registry; return one plain record per item (for loading other tools).

    With ``shares`` (the default), each report names the department that made it, and an
    item's status is what its shares say; without, no report names a department (each is
    for the item as a whole, as in a registry of the release before shares), so that a tree
    of that release reads the same registry (``bench/side_by_side.py``)."""
    shipped, _ = load(ROOT / "data")
    assert shipped is not None
    texts = [i.text for c in shipped.campaigns for t in c.tasks for i in t.items]
    names = sorted(shipped.directory.entries)
    city_like = [n for n in names if shipped.directory.entries[n].level != "county"]
    rng = random.Random(seed + n_items)
    if out.exists():
        shutil.rmtree(out)
    (out / "tasks").mkdir(parents=True)
    shutil.copy(ROOT / "data" / "departments.yaml", out / "departments.yaml")
    records: list[dict] = []
    written: list[tuple[Campaign, str]] = []
    made, number = 0, 0
    while made < n_items:
        number += 1
        tasks, in_file, k = [], 0, 0
        while in_file < ITEMS_PER_FILE and made < n_items:
            k += 1
            depts = rng.sample(city_like, rng.randint(1, 3))
            if rng.random() < 0.3 and "市、县应急管理局" not in depts:
                depts.append("市、县应急管理局")
            task_deadline = None
            if rng.random() < 0.5:
                day = dt.date(2022, 1, 1) + dt.timedelta(days=rng.randint(0, 3 * 365))
                task_deadline = Deadline(date=day, text=f"{day.year}年{day.month}月底前")
            items = []
            for j in range(1, rng.randint(*ITEMS_PER_TASK) + 1):
                if in_file >= ITEMS_PER_FILE or made >= n_items:
                    break
                item = Item(id=f"{number}.{k}.{j}", text=rng.choice(texts))
                if rng.random() < 0.01:
                    item.recurrence, item.recurrence_text = "FREQ=MONTHLY;BYMONTHDAY=-1", "每月"
                if rng.random() < 0.33:
                    for _ in range(rng.randint(1, 3)):
                        status = rng.choice(["in_progress", "done", "blocked"])
                        item.history.append(HistoryEntry(
                            date=dt.date(2022, 1, 1) + dt.timedelta(days=rng.randint(0, 700)),
                            status=status, by=rng.choice(depts) if shares else None,
                            note=rng.choice(texts)[:20]))
                    item.history.sort(key=lambda h: h.date)  # a chronology, as files keep it
                    # The stored status is what the history and the shares say (``shares``).
                    holders = expand(shipped.directory, depts)
                    item.status = item_status(item, holders)
                items.append(item)
                made += 1
                in_file += 1
            task = Task(id=f"{number}.{k}", departments=[Assignment(name=d) for d in depts],
                        deadline=task_deadline, items=items)
            tasks.append(task)
            for i in items:
                deadline = (task_deadline.date if task_deadline else dt.date(2022, 12, 31))
                records.append({"id": i.id, "text": i.text, "departments": depts, "status": i.status,
                                "deadline": deadline.isoformat(), "campaign": number,
                                "recurring": i.recurrence is not None})
        campaign = Campaign(id=f"synthetic-{number}", number=number, title=f"合成专项整治 {number}",
                            heading=f"合成专项整治 {number}", declared=Declared(
                                tasks=len(tasks), items=sum(len(t.items) for t in tasks)),
                            source="bench/generate.py", default_deadline=dt.date(2022, 12, 31),
                            tasks=tasks)
        name = f"{number:02d}-synthetic-{number}.yaml"
        (out / "tasks" / name).write_text(dump_campaign(campaign), encoding="utf-8")
        written.append((campaign, name))
    from safetylist.manifest import dump_manifest, entry_for
    from safetylist.models import DateRange, Manifest

    manifest = Manifest(notice="合成〔2022〕1号", title="bench/generate.py", issued_by="bench",
                        period=DateRange(start=dt.date(2022, 1, 1), end=dt.date(2024, 12, 31)),
                        campaigns=[entry_for(c, name) for c, name in written])
    (out / "registry.yaml").write_text(dump_manifest(manifest), encoding="utf-8")
    (out / "records.json").write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return records


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=20000)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "reg-20000")
    args = parser.parse_args()
    generate(args.items, args.out)
    print(f"{args.out}: {args.items} items")
