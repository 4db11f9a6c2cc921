"""Batch runs at scale: parallel, resumable, observable, bounded, distributed.

- `tasks`: inputs (files, folders, globs, mbox, WARC) to one task per document,
  named in input order;
- `stage`: `process_task(task, config)`, the one function every worker runs;
- `ledger`: what is done (`<out>/.agreements-state.sqlite`), so a run started
  again does only the rest;
- `local`: in-process and process-pool executors (timeouts, dead workers);
- `dask_executor`: the same stage on a Dask distributed cluster;
- `progress`: progress bar or log lines; `limits`: per-document limits (and the
  memory cap of pool workers);
- `crash`: a test hook that kills the run at a chosen write (AGREEMENTS_CRASH_AT);
- `runner`: `run_batch`, which `pipeline.run.run` and `agreements run` call.
"""

from pipeline.batch.limits import Limits

__all__ = ["Limits"]
