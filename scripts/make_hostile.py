"""Build a corpus of broken and hostile inputs (nothing is downloaded), and measure a run over it.

    .venv/bin/python scripts/make_hostile.py OUT_DIR            # full size (a 200 MB page, 10 000 pages...)
    .venv/bin/python scripts/make_hostile.py OUT_DIR --scale 0.01   # the CI size
    .venv/bin/python scripts/make_hostile.py OUT_DIR --measure RESULTS_DIR [--workers 2] [-- RUN OPTIONS]

Every file is named for what it tries. The tool must give each one a result or a
structured error within the per-document limits, without crashing the run,
hanging, exhausting memory, writing outside the output folder or fetching anything.

--measure (Linux: it reads /proc) runs `agreements run` with the default limits
(plus any options after `--`) over the whole corpus once, then over each input
alone, each run in its own session, and prints a Markdown table per input: the
outcome (ok, or the error type), the document's seconds as the run's ledger
records them (reading, extracting, writing), the wall time of the run of that
input alone (start-up included), and the peak resident memory of any process of
that run (VmHWM; a worker's includes the language pipelines it shares with the
others).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zlib
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

PARTY = "Robert'); DROP TABLE organisations;-- Forening"
SHELL = "$(rm -rf ~) `reboot` ; | && Kvindekrisecenter"


def _pdf(objects: list[bytes], root: int = 1, trailer_extra: bytes = b"") -> bytes:
    """A PDF from numbered object bodies, with a correct cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, trailer_extra, xref))
    return out.getvalue()


def _text_page_pdf(text: str, extra_catalog: bytes = b"") -> bytes:
    stream = b"BT /F1 12 Tf 72 720 Td (" + text.encode("latin-1", "replace") + b") Tj ET"
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R " + extra_catalog + b">>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ])


def empty_pages_pdf(pages: int) -> bytes:
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(pages))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"] * pages
    return _pdf(objects)


def stream_bomb_pdf(megabytes: int) -> bytes:
    """One content stream that inflates to `megabytes` of zeros."""
    comp = zlib.compressobj(9)
    chunk = b"0" * (1 << 20)
    data = b"".join(comp.compress(chunk) for _ in range(megabytes)) + comp.flush()
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
    ])


def encrypted_pdf() -> bytes:
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt=pdfencrypt.StandardEncryption("hemmelig", canPrint=0))
    c.drawString(72, 720, "Fortrolig driftsaftale")
    c.showPage()
    c.save()
    return buf.getvalue()


def nested_html(depth: int) -> bytes:
    return b"<html><body>" + b"<div>" * depth + b"Dybt inde" + b"</div>" * depth + b"</body></html>"


def huge_html(megabytes: int) -> bytes:
    para = ("<p>Kommunen har indgået en samarbejdsaftale med foreningen om drift af huset. " * 10 + "</p>\n").encode()
    head = b"<html><head><meta charset='utf-8'><title>Stor side</title></head><body><h1>Stor side</h1>"
    return head + para * max(1, (megabytes << 20) // len(para)) + b"</body></html>"


def entity_bomb_xhtml() -> bytes:
    lol = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{"&lol%d;" % (i - 1) * 10}">' for i in range(1, 10)]
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE html [\n' + "\n".join(lol)
        + '\n<!ENTITY ext SYSTEM "http://127.0.0.1:9/should-never-be-fetched">\n]>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml"><body><h1>Aftale &lol9;</h1><p>&ext;</p></body></html>'
    ).encode()


def mail(subject: str, body: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "Kommunen <post@example.dk>"
    msg["To"] = "modtager@example.dk"
    msg["Subject"] = subject
    msg["Date"] = "Mon, 03 Feb 2025 10:00:00 +0100"
    msg.set_content(body)
    return msg


def many_parts_mail(parts: int) -> bytes:
    msg = mail("Mange dele", "Se vedhæftede filer.")
    for i in range(parts):
        msg.add_attachment(f"Del {i}: tilskud på {i} kr.".encode(), maintype="text", subtype="plain", filename=f"del{i}.txt")
    return msg.as_bytes(policy=SMTP)


def nested_mail(depth: int) -> bytes:
    inner = mail("Inderst", f"Aftale med {PARTY} om 100.000 kr.")
    for level in range(depth):
        outer = mail(f"Fwd: niveau {level}", "Videresendt.")
        outer.add_attachment(inner)
        inner = outer
    return inner.as_bytes(policy=SMTP)


def traversal_mail() -> bytes:
    msg = mail("Bilag", "Bilaget ligger vedhæftet.")
    msg.add_attachment(b"root:x:0:0:root:/root:/bin/bash\n", maintype="text", subtype="plain", filename="../../etc/passwd")
    msg.add_attachment(b"<html><p>Aftale</p></html>", maintype="text", subtype="html", filename="/tmp/../../../../var/evil.html")
    return msg.as_bytes(policy=SMTP)


def build(out: Path, scale: float = 1.0) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    n = lambda full, least=1: max(least, int(full * scale))  # noqa: E731
    good_pdf = _text_page_pdf("Driftsaftale mellem Aarhus Kommune og Kvindehuset")
    files = {
        "truncated.pdf": good_pdf[: len(good_pdf) // 2],
        "corrupt-xref.pdf": good_pdf.replace(b"xref", b"xrfe").replace(b"startxref\n", b"startxref\n9"),
        "encrypted.pdf": encrypted_pdf(),
        "javascript.pdf": _text_page_pdf("Aftale", b"/OpenAction << /S /JavaScript /JS (app.launchURL('http://127.0.0.1:9/'); ) >> "),
        "empty-pages.pdf": empty_pages_pdf(n(10_000, 20)),
        "stream-bomb.pdf": stream_bomb_pdf(n(1024, 8)),
        "random-bytes.pdf": bytes((i * 7919 + 13) % 256 for i in range(50_000)),
        "nested-100000.html": nested_html(n(100_000, 3_000)),
        "huge.html": huge_html(n(200, 2)),
        "near-limit.html": huge_html(n(47, 0)),  # 47 MiB: just under the default --max-bytes of 50 MB
        "entity-bomb.xhtml": entity_bomb_xhtml(),
        "wrong-charset.html": '<html><head><meta charset="utf-8"></head><body><h1>Tilskud til Næstved Kvindecenter</h1><p>Kommunen giver 200.000 kr. til foreningen i år.</p></body></html>'.encode("cp1252"),
        "nul-bytes.txt": "Aftale\x00 med\x00 foreningen om tilskud på 50.000 kr.\n".encode() * 50,
        "many-parts.eml": many_parts_mail(n(5_000, 60)),
        "nested-10.eml": nested_mail(10),
        "path-traversal.eml": traversal_mail(),
        "sql-party.txt": f"Aftale med {PARTY}\n\nKommunen har indgået en driftsaftale med {PARTY} og {SHELL} om 1 mio. kr. om året.\n".encode(),
        "empty.txt": b"",
    }
    written = []
    for name, data in files.items():
        path = out / name
        path.write_bytes(data)
        written.append(path)
    return written


# --- measuring a run ---------------------------------------------------------------------


def _session_pids(sid: int) -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as fh:
                    fields = fh.read().rsplit(b")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == sid:  # after the name: state, ppid, pgrp, session
                pids.append(int(entry))
    return pids


def _peak_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def watch(cmd: list[str], every: float = 0.05, limit: float = 3600.0) -> tuple[int, float, int]:
    """Run `cmd` in its own session: (exit status, wall seconds, peak resident KB of any of its processes)."""
    started = time.monotonic()
    proc = subprocess.Popen(cmd, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peaks: dict[int, int] = {}
    while proc.poll() is None:
        for pid in _session_pids(proc.pid):
            peaks[pid] = max(peaks.get(pid, 0), _peak_kb(pid))
        if time.monotonic() - started > limit:
            os.killpg(proc.pid, signal.SIGKILL)
        time.sleep(every)
    return proc.wait(), time.monotonic() - started, max(peaks.values(), default=0)


def _outcomes(out: Path) -> dict[str, tuple[str, float | None]]:
    """Input file name -> (outcome, the ledger's seconds) of a finished run."""
    db = sqlite3.connect(out / ".agreements-state.sqlite")
    try:
        rows = db.execute("SELECT key, names, seconds FROM done").fetchall()
    finally:
        db.close()
    found = {}
    for key, names, seconds in rows:
        result = json.loads((out / f"{json.loads(names)[0]}.json").read_text(encoding="utf-8"))
        found[Path(key.split("#")[0]).name] = (result["status"] if result["status"] == "ok" else result["error"]["type"],
                                              seconds)
    return found


def measure(inputs: list[Path], results: Path, workers: int, options: list[str]) -> None:
    agreements = [sys.executable, "-m", "pipeline", "run", "--workers", str(workers), "--quiet", *options]
    folder = inputs[0].parent
    for old in (results / "all", results / "each"):  # fresh runs: a ledger left from before would skip everything
        shutil.rmtree(old, ignore_errors=True)
    code, wall, peak = watch([*agreements, str(folder), "--out", str(results / "all")])
    whole = _outcomes(results / "all")
    print(f"whole corpus ({len(inputs)} inputs, --workers {workers}): exit {code}, {wall:.1f} s, "
          f"peak {peak >> 10} MB in one process; every input accounted for: {len(whole) == len(inputs)}\n")
    print("| input | size | outcome | document s (whole run) | document s (alone) | run alone s | peak MB (alone) |")
    print("|---|---:|---|---:|---:|---:|---:|")
    shown = lambda s: f"{s:.1f}" if s is not None else "-"  # noqa: E731 - planning refusals have no time
    for path in inputs:
        out = results / "each" / path.name
        code, wall, peak = watch([*agreements, str(path), "--out", str(out)])
        outcome, seconds = _outcomes(out).get(path.name, (f"no result (exit {code})", None))
        in_whole, whole_seconds = whole.get(path.name, ("no result", None))
        same = "" if in_whole == outcome else f" (whole run: {in_whole})"
        print(f"| {path.name} | {_size(path.stat().st_size)} | {outcome}{same} | {shown(whole_seconds)} | "
              f"{shown(seconds)} | {wall:.1f} | {peak >> 10} |", flush=True)


def _size(n: int) -> str:
    for unit, factor in (("MB", 1 << 20), ("kB", 1 << 10)):
        if n >= factor:
            return f"{n / factor:.0f} {unit}" if n >= 10 * factor else f"{n / factor:.1f} {unit}"
    return f"{n} B"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--scale", type=float, default=1.0, help="shrink the big cases (CI uses 0.01)")
    parser.add_argument("--measure", type=Path, metavar="RESULTS_DIR",
                        help="run `agreements run` over the corpus and over each input; print a table")
    parser.add_argument("--workers", type=int, default=2, help="with --measure: worker processes (default: 2)")
    parser.add_argument("options", nargs="*", help="with --measure: more `agreements run` options (after --)")
    args = parser.parse_args()
    inputs = build(args.out, args.scale)
    for path in inputs:
        print(f"{path}  {path.stat().st_size:,} bytes")
    if args.measure:
        print()
        measure(inputs, args.measure, args.workers, args.options)


if __name__ == "__main__":
    main()
