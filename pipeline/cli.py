"""Command line: each command is a thin layer over one library function."""

from __future__ import annotations

import argparse
import sys

from pipeline import __version__


def _cmd_run(args: argparse.Namespace) -> int:
    from pipeline.run import run

    summary = run(args.inputs, args.out)
    for err in summary.errors:
        print(f"error: {err.error.message} [{err.error.type}]", file=sys.stderr)
    print(f"{summary.documents} documents, {summary.failed} failed; results in {args.out}")
    return 1 if summary.failed else 0


def _cmd_eval(args: argparse.Namespace) -> int:
    import json

    from pipeline.evaluate import evaluate, format_report

    try:
        report = evaluate(args.gold, args.pred)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not report.documents:
        print(f"error: no *.gold.json files in {args.gold}", file=sys.stderr)
        return 2
    if args.json:
        exclude = None if args.per_doc else {"per_document"}
        print(json.dumps(report.model_dump(mode="json", exclude=exclude), ensure_ascii=False, indent=2))
    else:
        print(format_report(report, per_document=args.per_doc))
    return 0


def _cmd_build_models(args: argparse.Namespace) -> int:
    from pipeline import nlp

    for path in nlp.build_all(args.out or nlp.MODELS_DIR):
        print(f"wrote {path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="agreements", description=__doc__)
    parser.add_argument("--version", action="version", version=f"agreements {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("run", help="read documents and write one JSON result per document")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="files or folders (walked recursively)")
    p.add_argument("--out", default="output", help="folder for the JSON results (default: output)")
    p.set_defaults(func=_cmd_run)

    p = sub.add_parser("eval", help="score results against gold files (*.gold.json)")
    p.add_argument("--gold", required=True, metavar="DIR", help="folder of NAME.gold.json files")
    p.add_argument("--pred", required=True, metavar="DIR", help="folder of results written by `run`")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--per-doc", action="store_true", help="also print per-document scores")
    p.set_defaults(func=_cmd_eval)

    p = sub.add_parser("build-models", help="rebuild the spaCy pipelines in models/ from the pattern sources")
    p.add_argument("--out", default=None, metavar="DIR", help="where to write them (default: the models/ folder)")
    p.set_defaults(func=_cmd_build_models)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
