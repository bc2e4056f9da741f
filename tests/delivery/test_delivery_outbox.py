"""No SMTP configured (or a dry run): `.eml` files in the run's outbox; `send_outbox` later."""

from __future__ import annotations

from datetime import datetime, timezone

import pandas as pd
import pytest

from core.outcomes import Outcome
from delivery import build_message, content_hash, deliver, findings_csv_attachment, send_outbox
from delivery.message import serialize
from delivery.outbox import list_outbox, read_eml
from delivery_helpers import nation, report
from store.ledger import OUTBOX, SENT, Ledger

NOW = datetime(2026, 3, 1, 2, 0, tzinfo=timezone.utc)


def test_no_smtp_writes_eml_files_that_parse_back_to_the_same_message(engine, tmp_path, no_smtp_settings):
    csv = findings_csv_attachment(
        pd.DataFrame({"rule_id": ["BKT-05"], "nilai": ["=HYPERLINK(\"http://x\")"], "baris": [3]}),
        tmp_path / "35.04-temuan.csv",
    )
    item = report(attachment=csv)
    summary = deliver([item], settings=no_smtp_settings, engine=engine, run_id="r1",
                      outbox_dir=tmp_path / "outbox", send=True, now=NOW)  # send asked, no host: outbox
    assert summary.outbox == ["35.04"] and summary.sent == []
    [path] = list_outbox(tmp_path / "outbox")
    assert path == summary.results[0].path and path.suffix == ".eml"
    assert not [p for p in (tmp_path / "outbox").iterdir() if p.name.endswith(".tmp")]

    expected = build_message(item, no_smtp_settings, run_id="r1", seq=0, digest=content_hash(item), now=NOW)
    assert path.read_bytes() == serialize(expected)
    parsed = read_eml(path)
    for h in ("Subject", "From", "To", "Reply-To", "Date", "Message-ID"):
        assert str(parsed[h]) == str(expected[h])
    assert parsed.get_body(("html",)).get_content().rstrip("\n") == item.html
    [att] = list(parsed.iter_attachments())
    assert att.get_content_type() == "text/csv"
    assert "'=HYPERLINK" in att.get_content()  # formula-safe attachment
    assert [(r.state, r.message_id) for r in Ledger(engine).rows()] == [(OUTBOX, str(expected["Message-ID"]))]


def test_dry_run_twice_keeps_one_file_per_pemda(engine, tmp_path, no_smtp_settings):
    for _ in range(2):
        deliver(nation(3), settings=no_smtp_settings, engine=engine, run_id="r1",
                outbox_dir=tmp_path / "outbox", send=False)
    assert len(list_outbox(tmp_path / "outbox")) == 3
    assert len(Ledger(engine).rows()) == 3


@pytest.mark.smtp
def test_send_outbox_sends_each_file_once(smtp_server, engine, tmp_path, sleeps, no_smtp_settings):
    deliver(nation(3), settings=no_smtp_settings, engine=engine, run_id="r1",
            outbox_dir=tmp_path / "outbox", send=False)
    files = list_outbox(tmp_path / "outbox")

    first = send_outbox(tmp_path / "outbox", settings=smtp_server.settings(), engine=engine, sleep=sleeps)
    assert sorted(first.sent) == ["35.01", "35.02", "35.03"]
    assert len(smtp_server.messages) == 3
    sent_ids = sorted(m.message["Message-ID"] for m in smtp_server.messages)
    assert sent_ids == sorted(str(read_eml(p)["Message-ID"]) for p in files)  # the file, as written
    by_kode = {m.message["X-IID-Audit-Kode-Pemda"]: m for m in smtp_server.messages}
    assert by_kode["35.02"].rcpt_tos == ["admin2@pemda2.go.id"]

    again = send_outbox(tmp_path / "outbox", settings=smtp_server.settings(), engine=engine, sleep=sleeps)
    assert again.sent == [] and sorted(again.skipped_unchanged) == ["35.01", "35.02", "35.03"]
    assert len(smtp_server.messages) == 3
    assert {r.state for r in Ledger(engine).rows()} == {SENT}

    # the night's real run after the outbox was sent: nothing twice either
    rerun = deliver(nation(3), settings=smtp_server.settings(), engine=engine, run_id="r1",
                    outbox_dir=tmp_path / "outbox", send=True, sleep=sleeps)
    assert rerun.sent == [] and len(smtp_server.messages) == 3


@pytest.mark.smtp
def test_send_outbox_skips_what_the_run_already_sent(smtp_server, engine, tmp_path, sleeps, no_smtp_settings):
    deliver(nation(2), settings=no_smtp_settings, engine=engine, run_id="r1",
            outbox_dir=tmp_path / "outbox", send=False)
    deliver(nation(2)[:1], settings=smtp_server.settings(), engine=engine, run_id="r1",
            outbox_dir=tmp_path / "outbox", send=True, sleep=sleeps)
    summary = send_outbox(tmp_path / "outbox", settings=smtp_server.settings(), engine=engine, sleep=sleeps)
    assert summary.sent == ["35.02"] and summary.skipped_unchanged == ["35.01"]
    assert len(smtp_server.messages) == 2


def test_send_outbox_without_smtp_is_a_usage_error(engine, tmp_path, no_smtp_settings):
    from core.outcomes import UsageError

    with pytest.raises(UsageError):
        send_outbox(tmp_path / "outbox", settings=no_smtp_settings, engine=engine)


def test_report_messages_from_ringkasan_subject_and_missing_recipient(engine, tmp_path, no_smtp_settings):
    from delivery import Recipients, report_messages

    ringkasan = pd.DataFrame({
        "kode_pemda": ["35.04", "35.05", "35.06"],
        "pemda": ["Kab. Tulungagung", "Kab. Blitar", "Kab. Kediri"],
        "persen_indikator_bermasalah": [42.0, 10.0, float("nan")],
        "skor_klaim": [61.5, 70.0, float("nan")],
        "predikat_klaim": ["Inovatif", "Sangat Inovatif", None],
        "skor_terverifikasi": [38.126, 65.0, float("nan")],
        "predikat_terverifikasi": ["Kurang Inovatif", "Inovatif", None],
    })
    items = report_messages(
        ringkasan, tahun=2026,
        html={"35.04": "<p>a</p>", "35.05": "<p>b</p>"},  # 35.06 failed to render
        recipients={"35.04": Recipients(to=("admin@tulungagungkab.go.id",))},
    )
    assert [i.kode_pemda for i in items] == ["35.04", "35.05"]
    summary = deliver(items, settings=no_smtp_settings, engine=engine, run_id="r1",
                      outbox_dir=tmp_path / "outbox", send=False)
    # without an address the email still waits in the outbox (no To), listed, not a failure
    assert summary.outbox == ["35.04", "35.05"] and summary.unaddressed == ["35.05"]
    assert summary.no_recipient == [] and summary.outcome is Outcome.CLEAN
    paths = {read_eml(p)["X-IID-Audit-Kode-Pemda"]: p for p in list_outbox(tmp_path / "outbox")}
    assert read_eml(paths["35.05"])["To"] is None
    path = paths["35.04"]
    assert read_eml(path)["Subject"] == "Hasil audit IID 2026 Kab. Tulungagung: skor terverifikasi 38,13 (Kurang Inovatif)"


def test_subject_says_how_far_the_score_moved_since_the_previous_audit():
    from delivery import Recipients, report_messages
    from delivery.message import subject_for

    ringkasan = pd.DataFrame({
        "kode_pemda": ["35.04", "35.05", "35.06", "35.07"],
        "pemda": ["Kab. Tulungagung", "Kab. Blitar", "Kab. Kediri", "Kab. Malang"],
        "skor_terverifikasi": [43.5, 60.0, 50.0, 20.0],
        "predikat_terverifikasi": ["Inovatif", "Inovatif", "Inovatif", "Kurang Inovatif"],
        "selisih_skor_terverifikasi": [5.374, -1.25, 0.0, float("nan")],  # up, down, same, first audit
    })
    items = report_messages(ringkasan, tahun=2026, html={k: "<p>x</p>" for k in ringkasan["kode_pemda"]},
                            recipients={"35.04": Recipients(to=("admin@tulungagungkab.go.id",))})
    subjects = {i.kode_pemda: subject_for(i) for i in items}
    assert subjects["35.04"] == ("Hasil audit IID 2026 Kab. Tulungagung: skor terverifikasi 43,50 (Inovatif), "
                                 "naik 5,37 sejak audit sebelumnya")
    assert subjects["35.05"].endswith("skor terverifikasi 60,00 (Inovatif), turun 1,25 sejak audit sebelumnya")
    assert subjects["35.06"].endswith("skor terverifikasi 50,00 (Inovatif)")
    assert subjects["35.07"].endswith("skor terverifikasi 20,00 (Kurang Inovatif)")


def test_subject_takes_the_change_the_report_shows_over_ringkasan():
    """An unchanged rerun's report repeats the previous report's change; `ringkasan` says 0
    against the previous run. The subject follows the report (one value, `score_change`)."""
    from delivery import report_messages
    from delivery.message import subject_for

    ringkasan = pd.DataFrame({"kode_pemda": ["35.04", "35.05"], "pemda": ["Kab. Tulungagung", "Kab. Blitar"],
                              "skor_terverifikasi": [43.5, 60.0], "predikat_terverifikasi": ["Inovatif", "Inovatif"],
                              "selisih_skor_terverifikasi": [0.0, -1.25]})
    items = report_messages(ringkasan, tahun=2026, html={"35.04": "<p>x</p>", "35.05": "<p>y</p>"}, recipients={},
                            score_change={"35.04": 2.0, "35.05": None})  # 35.05's report shows no change
    subjects = {i.kode_pemda: subject_for(i) for i in items}
    assert subjects["35.04"].endswith("(Inovatif), naik 2,00 sejak audit sebelumnya")
    assert subjects["35.05"].endswith("skor terverifikasi 60,00 (Inovatif)")


def test_many_messages_each_written_once_and_listed_in_order(engine, tmp_path, no_smtp_settings):
    items = nation(40)
    seen: list[str] = []
    summary = deliver(items, settings=no_smtp_settings, engine=engine, run_id="r1",
                      outbox_dir=tmp_path / "outbox", send=False, on_result=lambda r: seen.append(r.kode_pemda))
    kodes = [str(i.kode_pemda) for i in items]
    assert [r.kode_pemda for r in summary.results] == kodes == seen
    assert sorted(summary.outbox) == sorted(kodes)
    assert len(list_outbox(tmp_path / "outbox")) == 40
    rows = Ledger(engine).rows()
    assert sorted(r.kode_pemda for r in rows) == sorted(kodes) and {r.state for r in rows} == {OUTBOX}
    for r in summary.results:  # each ledger row points at its own, whole file
        assert read_eml(r.path)["Message-ID"] == r.message_id


def test_an_outbox_that_cannot_be_written_stops_with_the_error(engine, tmp_path, no_smtp_settings):
    blocked = tmp_path / "outbox"
    blocked.write_text("a file where the folder should be")
    with pytest.raises(OSError):
        deliver(nation(12), settings=no_smtp_settings, engine=engine, run_id="r1", outbox_dir=blocked, send=False)
    assert Ledger(engine).rows() == []  # no row says a message is in an outbox that has none


def test_a_long_report_comes_back_exactly_from_its_quoted_printable_part(engine, tmp_path, no_smtp_settings):
    """The HTML part is encoded in C (`binascii`), not by `email.quoprimime`: a report with
    long lines, `=` in every attribute, trailing spaces, a line that starts with a dot and
    non-ASCII text reads back exactly, and no encoded line is longer than 76 characters."""
    rows = "".join(f'<tr><td style="padding:2px;color:#b91c1c">Inovasi {i} · Kab. Tulungagung — ü ✓</td></tr>\n'
                   for i in range(2000))
    html = "<html><body>" + "x" * 500 + "  \n.awal titik\n=sama\n" + rows + "</body></html>"
    item = report(html=html)
    deliver([item], settings=no_smtp_settings, engine=engine, run_id="r1", outbox_dir=tmp_path / "outbox", send=False,
            now=NOW)
    [path] = list_outbox(tmp_path / "outbox")
    raw = path.read_bytes()
    assert b"Content-Transfer-Encoding: quoted-printable" in raw
    assert max(len(line) for line in raw.split(b"\r\n")) <= 78
    assert read_eml(path).get_body(("html",)).get_content().replace("\r\n", "\n").rstrip("\n") == html


@pytest.mark.parametrize("body", [
    "satu\ndua\n", "tanpa akhir baris", "crlf\r\nlf\ncr sendiri\rakhir\r", "\n\n\nkosong di atas", "",
    "Kab. Tulungagung — ü ✓\n" * 300,
])
def test_serialize_writes_the_bytes_the_stdlib_writes(tmp_path, no_smtp_settings, body):
    """`serialize` ends body lines in one substitution instead of the stdlib's line by line:
    the bytes must stay `as_bytes(policy=SMTP)`'s, for any line ends a text may carry, for a
    built message (text part, QP HTML, attachment) and for one read back from an `.eml`."""
    from delivery.message import WIRE_POLICY

    att = tmp_path / "35.04-temuan.csv"
    att.write_bytes(body.encode("utf-8") + bytes(range(256)))
    item = report(html=f"<html><body>{body}</body></html>", attachment=att)
    item.text = body or None
    msg = build_message(item, no_smtp_settings, run_id="r1", seq=0, now=NOW)
    assert serialize(msg) == msg.as_bytes(policy=WIRE_POLICY)
    eml = tmp_path / "m.eml"
    eml.write_bytes(serialize(msg))
    parsed = read_eml(eml)
    assert serialize(parsed) == parsed.as_bytes(policy=WIRE_POLICY)


@pytest.mark.parametrize("pemda, name, to, cc", [
    ("Kab. Tulungagung", "Budi Santoso", ("admin@tulungagungkab.go.id",), ()),
    ("Kabupaten Pegunungan Bintang — Ünggul", "Dra. Siti Nur'aini, M.Si", ("a@b.go.id", "c@d.go.id"), ("e@f.go.id",)),
    ("Kota " + "Sangat Panjang " * 12, "", ("x@y.go.id",), ()),
    ("Kab. \"Kutip\" (Uji)", 'Nama "Kutip", S.Pd', ("kutip@pemda.go.id",), ("cc@pemda.go.id",) * 3),
])
def test_headers_are_the_bytes_the_stdlib_folds(no_smtp_settings, pemda, name, to, cc):
    """`serialize` writes a short ASCII header as it is and folds the rest as the stdlib
    does: non-ASCII names, long subjects, quoted display names, several recipients."""
    from delivery.message import WIRE_POLICY

    msg = build_message(report(pemda=pemda, name=name, to=to, cc=cc), no_smtp_settings, run_id="r1", seq=0, now=NOW)
    assert serialize(msg) == msg.as_bytes(policy=WIRE_POLICY)
