"""Hostile workbooks, built by the tests themselves: each refused with one clear line (exit 3)
before any parser unpacks it, in bounded memory (measured in a subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from ingest_builders import daftar, innovation, write_workbook

from core.outcomes import UnreadableExport
from ingest import read_export


def workbook_with(tmp_path: Path, name: str, extra: dict[str, bytes], *, xml_prefix: bytes = b"") -> Path:
    """A real innovation-list workbook, plus `extra` members; `xml_prefix` goes before the
    first sheet's XML (after its XML declaration)."""
    clean = write_workbook(tmp_path / "bersih.xlsx", {"Daftar Inovasi": daftar(innovation())})
    out = tmp_path / name
    with zipfile.ZipFile(clean) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if xml_prefix and item.filename == "xl/worksheets/sheet1.xml":
                decl, _, rest = data.partition(b"?>")
                data = decl + b"?>" + xml_prefix + rest
            dst.writestr(item, data)
        for member, data in extra.items():
            dst.writestr(member, data)
    return out


def zip_bomb(tmp_path: Path) -> Path:
    """~1 MB on disk that declares and unpacks to 1 GiB of sheet XML."""
    path = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", b"<?xml version='1.0'?><Types/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            block = b"<row>" + b" " * (1024 * 1024 - 11) + b"</row>"
            for _ in range(1024):
                fh.write(block)
    return path


ENTITY_BOMB = (b"<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
               b"<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]>")
XXE = b"<!DOCTYPE foo [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"


@pytest.mark.parametrize("build, says", [
    (lambda p: zip_bomb(p), "bom zip"),
    (lambda p: workbook_with(p, "entitas.xlsx", {}, xml_prefix=ENTITY_BOMB), "DOCTYPE"),
    (lambda p: workbook_with(p, "xxe.xlsx", {}, xml_prefix=XXE), "DOCTYPE"),
    (lambda p: workbook_with(p, "banyak.xlsx", {f"x/{i}.bin": b"" for i in range(10_001)}), "bagian"),
], ids=["zip-bomb", "entity-bomb", "xxe", "ten-thousand-parts"])
def test_a_hostile_workbook_is_refused_with_one_line(tmp_path, build, says):
    path = build(tmp_path)
    with pytest.raises(UnreadableExport) as info:
        read_export(path)
    assert says in str(info.value) and path.name in str(info.value)
    assert "\n" not in str(info.value)


def test_the_zip_bomb_is_refused_in_bounded_memory(tmp_path):
    """Peak memory of reading the bomb, in a fresh process: what the check costs, not what
    unpacking 1 GiB would (the README states the bound)."""
    bomb = zip_bomb(tmp_path)
    code = (
        "import json, resource\n"
        "from ingest import read_export\n"
        "base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "try:\n"
        f"    read_export({str(bomb)!r}); outcome = 'read'\n"
        "except Exception as exc:\n"
        "    outcome = type(exc).__name__\n"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(json.dumps({'outcome': outcome, 'grew_mb': (peak - base) // 1024}))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2])
    got = json.loads(run.stdout.strip().splitlines()[-1])
    assert got["outcome"] == "UnreadableExport"
    assert got["grew_mb"] < 50, got


def test_a_clean_workbook_still_reads(tmp_path):
    e = read_export(workbook_with(tmp_path, "ok.xlsx", {}))
    assert len(e.tables["daftar_inovasi"]) == 1


def test_cli_exit_code_3_for_a_bomb(tmp_path):
    bomb = zip_bomb(tmp_path)
    run = subprocess.run([sys.executable, "-m", "iid_audit.cli", "audit", str(bomb), "--out", str(tmp_path / "o")],
                         capture_output=True, text=True, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
                                                              "IID_AUDIT_STATE_DIR": str(tmp_path / "st")},
                         cwd=Path(__file__).resolve().parents[2])
    assert run.returncode == 3, run.stderr
    assert "Traceback" not in run.stderr and "bom zip" in run.stderr
