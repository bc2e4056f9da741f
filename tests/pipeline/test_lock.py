"""Run locks (`job.lock`): refused, not followed, where they could mislead."""

from __future__ import annotations

import pytest

from job.lock import RunLocked


def test_a_lock_file_that_is_a_symlink_is_refused_and_its_target_untouched(tmp_path):
    from job.lock import out_dir_lock

    target = tmp_path / "penting.txt"
    target.write_text("jangan ditimpa\n")
    out = tmp_path / "keluaran"
    out.mkdir()
    (out / ".iid-audit.lock").symlink_to(target)
    with pytest.raises(RunLocked) as info:
        with out_dir_lock(out):
            pass
    assert "symbolic link" in str(info.value)
    assert target.read_text() == "jangan ditimpa\n"
