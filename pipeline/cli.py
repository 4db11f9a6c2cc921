"""Command line: each command is a thin layer over one library function."""

from __future__ import annotations

import argparse
import sys

from pipeline import __version__


def _cmd_run(args: argparse.Namespace) -> int:
    from pipeline.batch.dask_executor import DaskUnavailable
    from pipeline.batch.ledger import BusyOutput
    from pipeline.batch.local import WorkersCannotStart
    from pipeline.batch.limits import Limits
    from pipeline.batch.progress import reporter_for
    from pipeline.registry import RegistryError
    from pipeline.run import default_db_url, run

    db = None if args.no_db else (args.db or default_db_url(args.out))
    limits = Limits(max_bytes=args.max_bytes or None, max_pages=args.max_pages or None,
                    max_parts=args.max_parts or None, timeout=args.timeout or None,
                    max_memory=args.max_memory or None)
    reporter = reporter_for(args.quiet, args.log_every)
    workers = args.workers or _cores()
    try:
        summary = run(args.inputs, args.out, db=db, workers=workers, executor=args.executor,
                      scheduler=args.scheduler, force=args.force, retry_failed=args.retry_failed, limits=limits,
                      progress=reporter, redact_contacts=args.redact_contacts)
    except (RegistryError, BusyOutput, DaskUnavailable, WorkersCannotStart) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not args.quiet:
        for err in summary.errors[:_SHOW_ERRORS]:
            print(f"error: {err.error.message} [{err.error.type}]", file=sys.stderr)
        if len(summary.errors) > _SHOW_ERRORS:
            print(f"error: ... and {len(summary.errors) - _SHOW_ERRORS} more", file=sys.stderr)
    print(_summary_line(summary, args.out))
    if summary.interrupted:
        return 130
    return 1 if summary.any_failed else 0


_SHOW_ERRORS = 20


def _cores() -> int:
    import os

    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _summary_line(summary, out: str) -> str:  # noqa: ANN001
    line = f"{summary.documents} documents, {summary.failed} failed"
    if summary.skipped:
        earlier = f", {summary.skipped_failed} of them failed" if summary.skipped_failed else ""
        line += f", {summary.skipped} skipped (done before{earlier})"
    if summary.interrupted:
        line += ", interrupted (run it again to finish)"
    line += f"; results in {out}"
    if summary.registry:
        done = ", ".join(f"{n} {action}" for action, n in sorted(summary.loaded.items())) or "nothing loaded"
        line += f"; registry {_shown(summary.registry)}: {done}"
    if summary.failed and summary.errors_file:
        line += f"; failures in {summary.errors_file}"
    if summary.processed:
        line += f"; {summary.seconds:.1f} s, {summary.processed / max(summary.seconds, 1e-9):.1f} documents/s"
    return line


def _size(text: str) -> int:
    from pipeline.batch.limits import parse_size

    try:
        return parse_size(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _memory(text: str) -> int:
    from pipeline.batch.limits import MIN_MEMORY, describe_size

    n = _size(text)
    if n and n < MIN_MEMORY:
        raise argparse.ArgumentTypeError(f"{text}: a worker needs at least {describe_size(MIN_MEMORY)} (0: no limit)")
    return n


def _shown(url: str) -> str:
    """A database URL as a person reads it: a SQLite file's path, other URLs without password."""
    from pipeline.registry.db import normalise_url

    u = normalise_url(url)
    if u.get_backend_name() == "sqlite":
        return u.database
    return u.set(drivername=u.get_backend_name()).render_as_string(hide_password=True)


# --- registry and review: each a thin layer over one function of pipeline.registry ------


def _open(args: argparse.Namespace, create: bool = False):  # noqa: ANN202
    """The registry named by --db; reading commands refuse a SQLite file that does not exist."""
    from pathlib import Path

    from pipeline.registry import RegistryError, open_registry
    from pipeline.registry.db import normalise_url

    u = normalise_url(args.db)
    if not create and u.get_backend_name() == "sqlite" and u.database and not Path(u.database).exists():
        raise RegistryError(f"no registry at {u.database}: fill one with `agreements run INPUT... --out DIR` "
                            "or `agreements registry load RESULTS... --db URL`")
    return open_registry(args.db)


def _registry_cmd(fn):  # noqa: ANN001, ANN202
    """Run a registry command; a RegistryError (review problems included) is printed, exit status 2."""

    def wrapper(args: argparse.Namespace) -> int:
        from pipeline.registry import RegistryError

        try:
            return fn(args)
        except BrokenPipeError:  # `... | head`: the reader has seen enough
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 0
        except RegistryError as exc:
            for line in str(exc).splitlines():
                print(f"error: {line}", file=sys.stderr)
            if getattr(exc, "problems", None):
                print("error: the review file was not applied; nothing was changed", file=sys.stderr)
            return 2

    return wrapper


def _agreement_filter(args: argparse.Namespace):  # noqa: ANN202
    from pipeline.registry.views import AgreementFilter

    return AgreementFilter(party=args.party, kind=args.kind, year=args.year, type=args.type, status=args.status,
                           currency=args.currency)


def _organisation_filter(args: argparse.Namespace):  # noqa: ANN202
    from pipeline.registry.views import OrganisationFilter

    return OrganisationFilter(party=args.party, kind=args.kind, country=getattr(args, "country", None),
                              year=args.year, type=args.type, status=args.status, currency=args.currency)


def _print_json(items) -> None:  # noqa: ANN001
    import json

    data = [i.model_dump(mode="json") for i in items] if isinstance(items, list) else items.model_dump(mode="json")
    print(json.dumps(data, ensure_ascii=False, indent=2))


@_registry_cmd
def _cmd_registry_load(args: argparse.Namespace) -> int:
    from collections import Counter

    from pipeline.registry import load_result
    from pipeline.registry.load import read_result_files

    engine = _open(args, create=True)
    passed_over: list = []
    counts = Counter(load_result(engine, result).action
                     for _path, result in read_result_files(args.results, skipped=passed_over))
    print(f"{sum(counts.values())} results: " + ", ".join(
        f"{counts[a]} {a}" for a in ("inserted", "replaced", "unchanged", "skipped")) + f"; registry {_shown(args.db)}")
    if passed_over:
        print(f"passed over {len(passed_over)} JSON files that are not results: "
              + ", ".join(p.name for p in passed_over[:5]) + (" ..." if len(passed_over) > 5 else ""))
    return 0


@_registry_cmd
def _cmd_registry_agreements(args: argparse.Namespace) -> int:
    from pipeline.registry.query import list_agreements
    from pipeline.registry.table import agreements_table

    items = list_agreements(_open(args), _agreement_filter(args))
    if args.json:
        _print_json(items)
    else:
        print(agreements_table(items))
        print(f"{len(items)} agreements")
    return 0


@_registry_cmd
def _cmd_registry_organisations(args: argparse.Namespace) -> int:
    from pipeline.registry.query import list_organisations
    from pipeline.registry.table import organisations_table

    items = list_organisations(_open(args), _organisation_filter(args))
    if args.json:
        _print_json(items)
    else:
        print(organisations_table(items))
        print(f"{len(items)} organisations")
    return 0


@_registry_cmd
def _cmd_registry_forget_person(args: argparse.Namespace) -> int:
    from pipeline.registry.forget import forget_person

    report = forget_person(_open(args), args.name, results=None if args.no_results else args.results)
    print(f"forgot {args.name!r}: {report.contacts} contact records of {report.persons} persons, "
          f"{report.quotes} evidence quotes masked, {len(report.files)} result files rewritten")
    return 0


@_registry_cmd
def _cmd_registry_show_agreement(args: argparse.Namespace) -> int:
    from pipeline.registry.query import get_agreement

    _print_json(get_agreement(_open(args), args.id))
    return 0


@_registry_cmd
def _cmd_registry_show_organisation(args: argparse.Namespace) -> int:
    from pipeline.registry.query import get_organisation

    _print_json(get_organisation(_open(args), args.id))
    return 0


@_registry_cmd
def _cmd_registry_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from pipeline.registry.export import export

    engine = _open(args)
    kwargs = dict(entity=args.entity, agreement_filter=_agreement_filter(args),
                  organisation_filter=_organisation_filter(args), ocid_prefix=args.ocid_prefix)
    if args.out in (None, "-"):
        export(engine, args.format, sys.stdout, **kwargs)
        return 0
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as fh:
        n = export(engine, args.format, fh, **kwargs)
    print(f"wrote {n} {args.entity} as {args.format} to {out}")
    return 0


@_registry_cmd
def _cmd_review_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from pipeline.registry.review import write_review

    review = write_review(_open(args), Path(args.out))
    print(f"wrote {args.out}: {len(review.agreements)} agreements, {len(review.organisations)} organisations, "
          f"{len(review.contacts)} contacts")
    return 0


@_registry_cmd
def _cmd_review_apply(args: argparse.Namespace) -> int:
    from pipeline.registry.review import apply_review

    report = apply_review(_open(args), args.file)
    if not report.corrections:
        print(f"{args.file}: no changes")
        return 0
    parts = [f"{len(ids)} {what}" for what, ids in (("agreements", report.agreements),
             ("organisations", report.organisations), ("contacts", report.contacts)) if ids]
    print(f"applied {args.file}: {report.corrections} corrections ({', '.join(parts)})")
    return 0


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
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="files, folders (walked recursively), glob patterns ('data/**/*.html'), mbox and WARC files")
    p.add_argument("--out", default="output", help="folder for the JSON results (default: output)")
    p.add_argument("--db", default=None, metavar="URL",
                   help="registry to load the results into: sqlite:///FILE or postgresql://... "
                        "(default: sqlite:///OUT/registry.sqlite)")
    p.add_argument("--no-db", action="store_true", help="write the JSON results only")
    p.add_argument("--redact-contacts", action="store_true",
                   help="keep contacts' roles and organisations but no names, phones or emails in any output")
    g = p.add_argument_group("parallel and resumable")
    g.add_argument("--workers", type=int, default=0, metavar="N",
                   help="worker processes (default: the machine's cores); 1 runs in this process")
    g.add_argument("--executor", choices=["local", "dask"], default="local",
                   help="local: a process pool on this machine (default); dask: a Dask distributed cluster")
    g.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                   help="with --executor dask: the scheduler to use (default: a local cluster of --workers)")
    g.add_argument("--force", action="store_true",
                   help="process every document again, even those done before with the same content and version")
    g.add_argument("--retry-failed", action="store_true", help="process documents that failed before again")
    g = p.add_argument_group("limits per document (0: no limit)")
    g.add_argument("--max-bytes", type=_size, default="50MB", metavar="SIZE",
                   help="bytes of a file, mbox message or WARC record (default: 50MB)")
    g.add_argument("--max-pages", type=int, default=500, metavar="N", help="pages of a PDF (default: 500)")
    g.add_argument("--max-parts", type=int, default=1000, metavar="N",
                   help="MIME parts of an email message (default: 1000)")
    g.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS",
                   help="wall time to read and extract one document; a worker past it is replaced (default: 60)")
    g.add_argument("--max-memory", type=_memory, default="4GB", metavar="SIZE",
                   help="address space of each worker process; a document needing more fails and its worker "
                        "is replaced (default: 4GB; not with --workers 1)")
    g = p.add_argument_group("output")
    g.add_argument("--quiet", "-q", action="store_true", help="no progress and no error lines: only the summary")
    g.add_argument("--log-every", type=float, default=30.0, metavar="SECONDS",
                   help="when standard error is not a terminal: a progress line this often (default: 30)")
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

    _add_registry(sub)
    _add_review(sub)
    return parser


DEFAULT_DB = "sqlite:///output/registry.sqlite"


def _db_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", default=DEFAULT_DB, metavar="URL",
                   help=f"sqlite:///FILE or postgresql://user@host/db (default: {DEFAULT_DB})")


def _agreement_filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--party", help="a party's name or part of it (any spelling seen)")
    p.add_argument("--kind", help="some party is of this kind (municipality, region, state, organisation, company)")
    p.add_argument("--year", type=int, help="the agreement's period touches this year")
    p.add_argument("--type", help="iop, operating_agreement, cooperation_agreement, grant, grant_application, contract")
    p.add_argument("--status", help="proposed, applied, approved, signed, in_force, ended")
    p.add_argument("--currency", help="some amount is in this currency (DKK, SEK, NOK, EUR, GBP...)")


def _add_registry(sub) -> None:  # noqa: ANN001
    reg = sub.add_parser("registry", help="the agreement registry: load, list, show, export").add_subparsers(
        dest="registry_command", required=True)

    p = reg.add_parser("load", help="load result files written by `run` (files or folders of *.json)")
    p.add_argument("results", nargs="+", metavar="RESULTS")
    _db_arg(p)
    p.set_defaults(func=_cmd_registry_load)

    p = reg.add_parser("agreements", help="list agreements")
    _db_arg(p)
    _agreement_filters(p)
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(func=_cmd_registry_agreements)

    p = reg.add_parser("organisations", help="list organisations")
    _db_arg(p)
    _agreement_filters(p)
    p.add_argument("--country", help="ISO country code (DK, SE, NO...)")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(func=_cmd_registry_organisations)

    p = reg.add_parser("show-agreement", help="one agreement with its parties, amounts, sources and evidence")
    p.add_argument("id", metavar="ID", help="agreement id (ag-...)")
    _db_arg(p)
    p.set_defaults(func=_cmd_registry_show_agreement)

    p = reg.add_parser("show-organisation", help="one organisation with aliases, agreements, persons, evidence")
    p.add_argument("id", metavar="ID", help="organisation id (org-...) or name")
    _db_arg(p)
    p.set_defaults(func=_cmd_registry_show_organisation)

    p = reg.add_parser("forget-person", help="remove a person and their name from the registry and the result files")
    p.add_argument("name", metavar="NAME", help="the person's name (case and spacing do not matter)")
    _db_arg(p)
    p.add_argument("--results", default="output", metavar="DIR", help="result files to clean too (default: output)")
    p.add_argument("--no-results", action="store_true", help="the registry only")
    p.set_defaults(func=_cmd_registry_forget_person)

    p = reg.add_parser("export", help="export agreements or organisations as JSON, JSONL, CSV or OCDS")
    _db_arg(p)
    _agreement_filters(p)
    p.add_argument("--country", help="organisations: ISO country code")
    p.add_argument("--entity", choices=["agreements", "organisations"], default="agreements")
    p.add_argument("--format", choices=["json", "jsonl", "csv", "ocds"], default="json")
    p.add_argument("--out", metavar="FILE", help="write here (default: standard output)")
    p.add_argument("--ocid-prefix", default="ocds-agreements", help="OCDS ocid prefix (default: ocds-agreements)")
    p.set_defaults(func=_cmd_registry_export)


def _add_review(sub) -> None:  # noqa: ANN001
    rev = sub.add_parser("review", help="export facts for review; apply a reviewed file").add_subparsers(
        dest="review_command", required=True)

    p = rev.add_parser("export", help="write every fact with its evidence as an editable JSON file")
    _db_arg(p)
    p.add_argument("--out", required=True, metavar="FILE")
    p.set_defaults(func=_cmd_review_export)

    p = rev.add_parser("apply", help="validate a reviewed file and store its corrections (all or nothing)")
    p.add_argument("file", metavar="FILE")
    _db_arg(p)
    p.set_defaults(func=_cmd_review_apply)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
