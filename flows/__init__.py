"""Prefect orchestration of the audit: flows (`flows.audit`), deployments and `serve`
(`flows.deployments`), run locks, progress, and the embedded-default configuration
(`flows.embedded`). The logic lives in plain functions (`job.pipeline` and the stage
packages); nothing here is needed to test it."""
