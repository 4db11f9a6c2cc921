"""Small invented documents for the batch tests, and stage functions that misbehave on purpose.

The stage functions are top-level (worker processes import them by name) and
wrap the real stage; they act on file names only, so nothing in the pipeline
itself carries a test hook.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from unittest import mock

from pipeline.batch.stage import process_task

TOWNS = ["Horsens Kommune", "Vejle Kommune", "Skive Kommune", "Aabenraa Kommune", "Viborg Kommune", "Favrskov Kommune"]
ORGS = ["Krisecenter Nord", "Frivilligcenter Syd", "Idrætsforeningen Øst", "Kulturhuset Vest", "Bydelsrådet Midt"]
SV_TOWNS = ["Lunds kommun", "Umeå kommun", "Växjö kommun"]
SV_ORGS = ["Kvinnojouren Stella", "Föreningen Fristad", "Brottsofferjouren Norr"]


def _da(i: int) -> str:
    town, org = TOWNS[i % len(TOWNS)], ORGS[i % len(ORGS)]
    amount = 100_000 + 25_000 * i
    return (f"{town} indgår aftale med {org}\n\n"
            f"{town} har indgået en samarbejdsaftale med {org}. Aftalen gælder fra 1. januar {2024 + i % 4} "
            f"til 31. december {2026 + i % 4}, og kommunen giver et årligt tilskud på {amount:,} kr.".replace(",", ".")
            + f"\n\nKontakt: Mette Vang, chefkonsulent, telefon 70 10 {10 + i:02d} 00.\n")


def _sv(i: int) -> str:
    town, org = SV_TOWNS[i % len(SV_TOWNS)], SV_ORGS[i % len(SV_ORGS)]
    return (f"{town} tecknar IOP med {org}\n\n"
            f"{town} och {org} har tecknat ett idéburet offentligt partnerskap. Partnerskapet gäller från "
            f"1 mars {2025 + i % 2} till 28 februari {2028 + i % 2} och kommunen bidrar med {200 + 10 * i} 000 kronor per år.\n")


def _html(i: int) -> str:
    town, org = TOWNS[(i + 2) % len(TOWNS)], ORGS[(i + 1) % len(ORGS)]
    return (f"<!DOCTYPE html><html lang='da'><head><meta charset='utf-8'><title>Tilskud til {org}</title></head>"
            f"<body><nav>Forside | Nyheder</nav><article><h1>Tilskud til {org}</h1><p>Publiceret {1 + i % 27}. maj 2025</p>"
            f"<p>{town} har bevilget et tilskud på {50 + i} 000 kr. til {org} i 2025.</p></article></body></html>")


def _mail(i: int, n: int) -> str:
    return (f"From: Nyhedsbrev <nyt@kommune{i}.example.dk>\nTo: abonnent@example.dk\n"
            f"Subject: Nyhedsbrev {n}: ny aftale om frivillighed\nDate: Mon, {n + 1} Jun 2025 09:00:00 +0200\n"
            f"Message-ID: <nyt-{i}-{n}@kommune.example.dk>\nContent-Type: text/plain; charset=utf-8\n\n"
            f"{_da(i + n)}\n")


def make_corpus(folder: Path, n: int = 24) -> int:
    """n invented documents of several kinds and languages (an mbox of three messages among them,
    two files with one stem in different folders); returns the number of documents."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "under").mkdir(exist_ok=True)
    docs = 0
    for i in range(n):
        kind = i % 4
        if kind == 0:
            (folder / f"da-{i:02d}.txt").write_text(_da(i), encoding="utf-8")
        elif kind == 1:
            (folder / f"sv-{i:02d}.txt").write_text(_sv(i), encoding="utf-8")
        elif kind == 2:
            (folder / f"web-{i:02d}.html").write_text(_html(i), encoding="utf-8")
        else:
            (folder / f"mail-{i:02d}.eml").write_text(_mail(i, 1), encoding="utf-8")
        docs += 1
    (folder / "under" / "da-00.txt").write_text(_da(99), encoding="utf-8")  # same stem, another folder
    docs += 1
    mbox = "".join(f"From nyt@example.dk Mon Jun  {k + 1} 09:00:00 2025\n{_mail(50, k)}\n" for k in range(3))
    (folder / "arkiv.mbox").write_text(mbox, encoding="utf-8")
    docs += 3
    (folder / "tom.txt").write_bytes(b"")  # fails: empty
    docs += 1
    return docs


# --- stages that misbehave (by file name) -------------------------------------------


def slow_stage(task, config):  # noqa: ANN001, ANN201
    """The real stage, a little slower: a run lasts long enough to be killed half-way."""
    time.sleep(0.25)
    return process_task(task, config)


def trouble_stage(task, config):  # noqa: ANN001, ANN201
    """hang*: stuck where no alarm reaches (only the parent's kill ends it); sleep*: stuck in
    extraction (the worker's own alarm ends it); crash*: the worker process exits at once;
    oom*: a MemoryError in extraction. Anything else: the real stage."""
    name = Path(task.path).name
    if name.startswith("hang"):
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(120)
    if name.startswith("crash"):
        os._exit(3)
    if name.startswith(("sleep", "oom")):
        import pipeline.run

        def stuck(doc):  # noqa: ANN001, ANN202
            if name.startswith("oom"):
                raise MemoryError("simulated")
            time.sleep(120)

        with mock.patch.object(pipeline.run, "result_for", stuck):
            return process_task(task, config)
    return process_task(task, config)
