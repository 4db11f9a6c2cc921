"""Imported once by the forkserver of a local worker pool: every worker forked from it starts
with the readers and the language pipelines already loaded (and shares their memory)."""

from pipeline.batch.stage import warm_up

warm_up()
