"""BKT-08: a `link` evidence (or `Link Video`) is not an `http(s)://` URL, or, for indicator 35
and `Link Video`, not on YouTube, Google Drive or a known social-media host (catalog
`ambang.video_host`; subdomains such as `www.`/`m.` count). `javascript:` is never OK.

Pandas, not GX: URLs are parsed with `urllib.parse` (scheme and host), once per distinct
value; a regex expectation cannot check hosts robustly (userinfo, ports, look-alike hosts
such as `youtube.com.evil.example`).
"""

from urllib.parse import urlsplit

from core.findings import Severity
from checks.registry import PandasRule


def _facts(hosts: tuple[str, ...]):
    from checks.rulekit import plain_link_host

    def f(url: str) -> tuple[bool, bool]:
        """(is http(s) URL with a host, host is a known video host)."""
        host = plain_link_host(url.strip())  # the usual link, read without urlsplit
        if host is not None:
            host = host.rstrip(".")
        else:
            try:
                parts = urlsplit(url.strip())
                host = (parts.hostname or "").lower().rstrip(".")
            except ValueError:
                return False, False
            if parts.scheme.lower() not in ("http", "https"):
                return False, False
        ok = bool(host)
        video = ok and any(host == h or host.endswith("." + h) for h in hosts)
        return ok, video

    return f


def check(ctx):
    import pandas as pd

    from checks.context import rows_to_findings
    from checks.rulekit import distinct_map, evidence_type, link_evidence, tables_with

    hosts = tuple(h.lower() for h in ctx.catalog.ambang.video_host)
    facts = _facts(hosts)
    parts = []
    for t in tables_with(ctx, "data_pendukung"):
        df = ctx.table(t)
        link = (evidence_type(df) == "link") | link_evidence(df)
        rows = df[link & df["data_pendukung"].notna()]
        f = distinct_map(rows["data_pendukung"].astype(str), facts)
        http_ok = f.map(lambda x: x[0])
        video_ok = f.map(lambda x: x[1])
        need_video = rows["no_indikator"].astype(str) == "35"
        bad = ~http_ok.astype(bool) | (need_video & ~video_ok.astype(bool))
        parts.append(rows_to_findings(rows[bad], t, "BKT-08", kolom="Data Pendukung", nilai=rows.loc[bad, "data_pendukung"]))
    if ctx.has("daftar_inovasi", "link_video"):
        df = ctx.table("daftar_inovasi")
        rows = df[df["link_video"].notna()]
        f = distinct_map(rows["link_video"].astype(str), facts)
        bad = ~f.map(lambda x: x[1]).astype(bool)
        parts.append(rows_to_findings(rows[bad], "daftar_inovasi", "BKT-08", kolom="Link Video",
                                      nilai=rows.loc[bad, "link_video"]))
    parts = [p for p in parts if len(p)]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


RULE = PandasRule(
    id="BKT-08",
    severity=Severity.WARNING,
    key=("kode_pemda", "id_inovasi", "no_indikator", "kolom"),
    judul_id="Tautan bukti tidak sah",
    judul_en="Evidence link not valid",
    pesan_id=(
        "Inovasi '{judul_inovasi}', indikator {no_indikator} ({indikator}): tautan pada kolom {kolom} '{nilai}' "
        "bukan alamat http(s):// yang dapat dibuka verifikator, atau (untuk video) tidak berada di YouTube, "
        "Google Drive, atau media sosial yang dikenal ({host_video}). Ganti dengan tautan lengkap berawalan "
        "https:// yang dapat diakses publik."
    ),
    pesan_en=(
        "Innovation '{judul_inovasi}', indicator {no_indikator} ({indikator}): the link in {kolom} '{nilai}' is not "
        "an http(s):// address the verifiers can open, or (for the video) is not on YouTube, Google Drive or a "
        "known social-media host ({host_video}). Replace it with a full, publicly accessible https:// link."
    ),
    perbaikan_id="Isi tautan lengkap http(s):// ke YouTube, Google Drive atau media sosial resmi.",
    perbaikan_en="Enter a full http(s):// link to YouTube, Google Drive or an official social-media account.",
    needs=("indikator_inovasi.data_pendukung",),
    cost=1.0,
    check=check,
    extra=lambda catalog: {"host_video": ", ".join(catalog.ambang.video_host)},
)
