"""The deployment definitions, inspected as objects (no server, no serve)."""

from __future__ import annotations


from prefect.client.schemas.schedules import CronSchedule

from flows.deployments import build_deployments


def test_nightly_runs_at_two_in_the_morning_jakarta_time_and_region_on_demand(tmp_path):
    nightly, region = build_deployments("/data/iid/ekspor-*", str(tmp_path / "keluaran"))
    assert (nightly.flow_name, nightly.name) == ("nightly-audit", "nightly-audit")
    assert (region.flow_name, region.name) == ("audit-region", "audit-region")
    [s] = nightly.schedules
    assert isinstance(s.schedule, CronSchedule)
    assert (s.schedule.cron, s.schedule.timezone, s.active) == ("0 2 * * *", "Asia/Jakarta", True)
    assert region.schedules == []
    assert nightly.concurrency_limit == 1
    assert nightly.concurrency_options.collision_strategy.value == "CANCEL_NEW"


def test_deployments_carry_absolute_sources_and_write_one_folder_per_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    nightly, region = build_deployments("ekspor-*", "keluaran")
    for d in (nightly, region):
        assert d.parameters["source"] == str(tmp_path / "ekspor-*")
        assert d.parameters["out"] == str(tmp_path / "keluaran")
        assert d.parameters["run_folder"] is True
        assert d.entrypoint.startswith("flows.audit.")


def test_region_deployment_schema_asks_for_the_code_as_text(tmp_path):
    _, region = build_deployments("x", str(tmp_path))
    schema = region._parameter_openapi_schema.model_dump()
    assert schema["properties"]["kode_pemda"]["type"] == "string"
    assert "kode_pemda" in schema["required"]
