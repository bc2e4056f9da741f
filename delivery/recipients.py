"""Who receives each Pemda's report, from three sources, each overriding the one before for
the Pemda it names:

1. `Profil Pemda` of the export (`Email`, several addresses separated by `,` or `;`): the
   full bundle has it; the innovation list the IID app exports today never does;
2. the **address book** (`kontak.csv`, `Settings.kontak_path`): BSKDN keeps its Pemda contacts
   for years, apart from any export; columns `kode_pemda,nama,to,cc` (`nama` optional: the
   greeting; `to`/`cc` several addresses separated by `;`). `iid-audit kontak check FILE`
   validates it;
3. `--recipients FILE` (same columns), for one run.

Addresses are validated (`email.utils` parse + a plain ASCII regex; control characters and
encoded words refused). A Pemda left without a valid address is returned in a list for the
run summary, never a crash. Addresses are personal data: nothing here logs them.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from email.utils import parseaddr
from pathlib import Path

import pandas as pd

from delivery.headers import clean_header_text

log = logging.getLogger(__name__)

#: Addresses longer than RFC 5321's path limit are refused by servers anyway.
MAX_ADDRESS_LENGTH = 254

# ASCII dot-atom local part (no leading/trailing/double dots) @ a hostname with a TLD.
_LOCAL = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_DOMAIN = r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
_ADDRESS_RE = re.compile(rf"^{_LOCAL}@{_DOMAIN}$")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")
_SPLIT_RE = re.compile(r"[,;]")


@dataclass(frozen=True)
class Recipients:
    """Validated addresses of one Pemda; `name` is the admin's display name (cleaned)."""

    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    name: str = ""
    invalid: int = field(default=0, compare=False)  # how many given addresses were refused

    @property
    def envelope(self) -> list[str]:
        """Every address once, To first: the SMTP RCPT TO list."""
        seen: dict[str, str] = {}
        for a in (*self.to, *self.cc):
            seen.setdefault(a.lower(), a)  # same mailbox once; its spelling kept
        return list(seen.values())

    def __bool__(self) -> bool:
        return bool(self.to)


def validate_address(raw: object) -> str | None:
    """A clean `local@domain` (domain lower-cased) or None when the text is not one address."""
    if raw is None or (isinstance(raw, float) and pd.isna(raw)):
        return None
    s = str(raw).strip()
    if not s or _CONTROL_RE.search(s) or "=?" in s or len(s) > MAX_ADDRESS_LENGTH * 2:
        return None
    name, addr = parseaddr(s)
    if not addr or (addr != s and not re.fullmatch(r"[^<>@]*<" + re.escape(addr) + ">", s)):
        return None  # parseaddr salvaged something out of junk: refuse rather than guess
    if len(addr) > MAX_ADDRESS_LENGTH or not _ADDRESS_RE.match(addr):
        return None
    local, _, domain = addr.rpartition("@")
    return f"{local}@{domain.lower()}"


def parse_addresses(text: object) -> tuple[list[str], int]:
    """Split a cell on `,`/`;` (and whitespace between bare addresses); valid ones, deduplicated,
    and how many pieces were refused."""
    if text is None or (isinstance(text, float) and pd.isna(text)) or text is pd.NA:
        return [], 0
    pieces: list[str] = []
    for part in _SPLIT_RE.split(str(text)):
        part = part.strip()
        if not part:
            continue
        if part.count("@") > 1 and "<" not in part:
            pieces.extend(p for p in part.split() if p)
        else:
            pieces.append(part)
    good: list[str] = []
    bad = 0
    for p in pieces:
        a = validate_address(p)
        if a is None:
            bad += 1
        elif a.lower() not in {g.lower() for g in good}:
            good.append(a)
    return good, bad


def _text(v: object) -> str:
    if v is None or v is pd.NA or (isinstance(v, float) and pd.isna(v)):
        return ""
    return str(v)


def _from_profil(profil: pd.DataFrame) -> dict[str, Recipients]:
    out: dict[str, Recipients] = {}
    if profil is None or profil.empty or "kode_pemda" not in profil.columns:
        return out
    email_col = "email" if "email" in profil.columns else None
    rows = profil[profil["kode_pemda"].notna()]
    for kode, grp in rows.groupby(rows["kode_pemda"].astype(str), sort=False):  # loop over Pemda
        to: list[str] = []
        bad = 0
        if email_col:
            for cell in grp[email_col].tolist():
                good, nbad = _cell_addresses(cell)
                bad += nbad
                to.extend(a for a in good if a.lower() not in {t.lower() for t in to})
        name = ""
        if "nama_admin" in grp.columns:
            names = [n for n in (_text(v) for v in grp["nama_admin"].tolist()) if n.strip()]
            name = clean_header_text(names[0], limit=80) if names else ""
        out[kode] = Recipients(to=tuple(to), name=name, invalid=bad)
    return out


def _contact_rows(path: Path) -> pd.DataFrame:
    """The rows of a contacts file (`kode_pemda,nama,to,cc`), every cell text, `baris` 1-based."""
    from core.outcomes import UnreadableExport, UsageError

    path = Path(path)
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig", sep=None, engine="python")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise UnreadableExport(f"Berkas kontak {path.name} tidak terbaca ({type(exc).__name__})",
                               f"contacts file {path.name} cannot be read ({type(exc).__name__})") from None
    df.columns = [str(c).strip().lower() for c in df.columns]
    if "kode_pemda" not in df.columns or "to" not in df.columns:
        raise UsageError(
            f"Berkas kontak {path.name} harus berkolom kode_pemda,nama,to,cc (nama dan cc boleh tidak ada)",
            f"contacts file {path.name} needs columns kode_pemda,nama,to,cc (nama and cc optional)",
        )
    for c in ("nama", "cc"):
        if c not in df.columns:
            df[c] = ""
    df["baris"] = range(1, len(df) + 1)
    df["kode_pemda"] = df["kode_pemda"].str.strip()
    return df


def read_override_csv(path: Path) -> dict[str, Recipients]:
    """An address book or `--recipients` file: `kode_pemda,nama,to,cc` (to/cc may hold several
    addresses separated by `;` or quoted `,`). A cell with control characters gives no address
    (refused, not repaired: `a@x.id\r\nBcc: b@y.id` must not become two recipients)."""
    out: dict[str, Recipients] = {}
    for rec in _contact_rows(path).to_dict("records"):  # a short operator-written file, not national data
        kode = rec["kode_pemda"]
        if not kode:
            continue
        to, bad_to = _cell_addresses(rec.get("to"))
        cc, bad_cc = _cell_addresses(rec.get("cc", ""))
        prev = out.get(kode)
        if prev:
            to = list(prev.to) + [a for a in to if a not in prev.to]
            cc = list(prev.cc) + [a for a in cc if a not in prev.cc]
        to_l = {a.lower() for a in to}
        cc = [a for a in cc if a.lower() not in to_l]
        name = clean_header_text(rec.get("nama") or "", limit=80) or (prev.name if prev else "")
        out[kode] = Recipients(to=tuple(to), cc=tuple(cc), name=name,
                               invalid=bad_to + bad_cc + (prev.invalid if prev else 0))
    return out


def _cell_addresses(text: object) -> tuple[list[str], int]:
    """`parse_addresses`, except that a cell carrying a control character yields nothing."""
    if isinstance(text, str) and _CONTROL_RE.search(text):
        return [], max(1, len(_SPLIT_RE.split(text)))
    return parse_addresses(text)


@dataclass(frozen=True)
class ContactProblem:
    """One line of `iid-audit kontak check`: where, and what is wrong (never the address)."""

    kode_pemda: str
    baris: int | None
    masalah: str  # stable code: kode_tidak_dikenal | alamat_tidak_sah | tanpa_alamat | tanpa_kontak
    pesan: str


def check_address_book(path: Path, expected: set[str] | None = None) -> list[ContactProblem]:
    """Every problem of an address book: codes that are no Kemendagri Pemda, addresses that
    are not valid (or cells with control characters), rows without any valid `to`, and the
    Pemda of `expected` (default: every assessed Pemda) with no contact at all."""
    from ingest.pemda import assessed_codes, is_known

    problems: list[ContactProblem] = []
    rows = _contact_rows(path)
    named: set[str] = set()
    for rec in rows.to_dict("records"):  # one check per written row
        kode, baris = rec["kode_pemda"], int(rec["baris"])
        named.add(kode)
        if not is_known(kode):
            problems.append(ContactProblem(kode, baris, "kode_tidak_dikenal",
                                           f"baris {baris}: kode Pemda '{kode}' tidak dikenal (bentuk PP atau PP.KK, "
                                           "mis. 35.04) / unknown Pemda code"))
            continue
        to, bad_to = _cell_addresses(rec.get("to"))
        _cc, bad_cc = _cell_addresses(rec.get("cc"))
        for kolom, bad in (("to", bad_to), ("cc", bad_cc)):
            if bad:
                problems.append(ContactProblem(kode, baris, "alamat_tidak_sah",
                                               f"baris {baris}, kolom {kolom}: {bad} alamat tidak sah / "
                                               f"{bad} invalid address(es)"))
        if not to:
            problems.append(ContactProblem(kode, baris, "tanpa_alamat",
                                           f"baris {baris}: tidak ada alamat 'to' yang sah / no valid 'to' address"))
    for kode in sorted((expected if expected is not None else set(assessed_codes())) - named):
        problems.append(ContactProblem(kode, None, "tanpa_kontak", "tidak ada kontak / no contact"))
    return problems


def recipients_from_profil(
    profil: pd.DataFrame | None, override_csv: Path | None = None, address_book: Path | None = None,
) -> tuple[dict[str, Recipients], list[str]]:
    """Recipients per kode_pemda, and the kode_pemda left without any valid address.

    Sources in order (module doc): the export's Profil Pemda, then `address_book`, then
    `override_csv`. A Pemda named by a later source takes its addresses from there only (its
    greeting name too when given, else the earlier one); Pemda only there are added.
    """
    book = _from_profil(profil) if profil is not None else {}
    for source in (address_book, override_csv):
        if source is None:
            continue
        for kode, rec in read_override_csv(Path(source)).items():
            name = rec.name or (book[kode].name if kode in book else "")
            book[kode] = Recipients(to=rec.to, cc=rec.cc, name=name, invalid=rec.invalid)
    missing = [k for k, r in book.items() if not r.to]
    log.info("recipients: %d Pemda with an address, %d without, %d addresses refused",
             len(book) - len(missing), len(missing), sum(r.invalid for r in book.values()))
    return {k: r for k, r in book.items() if r.to}, missing
