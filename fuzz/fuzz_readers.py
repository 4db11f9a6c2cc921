"""Coverage-guided fuzzing of the readers with atheris.

    .venv/bin/pip install -e '.[fuzz]'
    .venv/bin/python fuzz/fuzz_readers.py html -max_total_time=300 fuzz/corpus/html
    (targets: html, mail, pdf, text, any — "any" goes through format sniffing)

A reader may refuse input with an IngestError (that is its contract); any other
exception is a crash: atheris stops and writes the input to crash-<hash>. Turn
each one into a regression test under tests/fuzz_regressions/.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    # The readers load lazily; import them here so their code is instrumented.
    from pipeline.errors import IngestError
    from pipeline.ingest import blocks, boilerplate, charset, headline, html, mail, pdf, pdf_layout, sniff, text  # noqa: F401
    from pipeline.ingest import read_bytes

PREFIX = {"html": b"<html>", "mail": b"From: a@b.dk\nSubject: x\nDate: Mon, 3 Feb 2025 10:00:00 +0100\n", "pdf": b"%PDF-1.4\n", "text": b"", "any": b""}


def main() -> None:
    target = sys.argv[1] if len(sys.argv) > 1 and sys.argv[1] in PREFIX else "any"
    args = [a for a in sys.argv if a != target]
    prefix = PREFIX[target]

    def one_input(data: bytes) -> None:
        try:
            read_bytes(prefix + data, path=f"fuzz-{target}", doc_id="fuzz", detect_language=False)
        except IngestError:
            pass  # a clear refusal naming the input is the contract

    atheris.Setup(args, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
