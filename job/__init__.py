"""The job as plain functions, in one place: `job.pipeline.run_job` runs every stage of an
audit (ingest → rules → metrics → history → render → deliver → index → run.json), with its
locks (`job.lock`) and progress hook (`job.progress`). Below `flows/` (which runs the same
stages as Prefect tasks) and the CLI (`iid_audit.cli`); testable without Prefect."""
