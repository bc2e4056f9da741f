"""Slots matched by integer keys (`checks.metrics.SlotKeys`): what a merge on the three text
keys would match, no more."""

from __future__ import annotations

import pandas as pd
import pytest

from checks.metrics import SlotKeys

SLOTS = pd.DataFrame({
    "kode_pemda": ["35.04", "35.04", "35.04", "35.79"],
    "id_inovasi": ["", "35.04-1", "35.04-1", "35.79-7"],  # "" = an SPD slot of the Pemda
    "no_indikator": ["1", "16", "17", "16"],
})


def keys(kode, inovasi, no) -> pd.DataFrame:
    return pd.DataFrame({"kode_pemda": kode, "id_inovasi": inovasi, "no_indikator": no})


def test_each_row_finds_the_slot_with_its_three_keys_and_no_other():
    found = SlotKeys.of(SLOTS).positions(keys(
        ["35.04", "35.04", "35.79", "35.79", "35.04", "35.79", "36.01"],
        ["35.04-1", "", "35.79-7", "35.04-1", "35.04-1", "35.79-7", ""],
        ["17", "1", "16", "16", "18", "17", "1"]))
    # the last four: another Pemda's innovation, an indicator the innovation has no slot for,
    # a pair of known values that is no slot together, a Pemda with no slot at all
    assert found.tolist() == [2, 0, 3, -1, -1, -1, -1]


def test_flags_say_which_slots_some_row_names():
    flags = SlotKeys.of(SLOTS).flags(keys(["35.79", "35.79", "35.04"], ["35.79-7", "35.79-7", ""], ["16", "16", "2"]))
    assert flags.tolist() == [False, False, False, True]


def test_a_repeated_key_is_an_error_or_with_first_its_first_row():
    twice = pd.concat([SLOTS, SLOTS.iloc[[1]]], ignore_index=True)
    with pytest.raises(ValueError):
        SlotKeys.of(twice)
    first = SlotKeys.of(twice, first=True)
    assert first.positions(keys(["35.04"], ["35.04-1"], ["16"])).tolist() == [1]
    assert first.flags(keys(["35.04"], ["35.04-1"], ["16"])).tolist() == [False, True, False, False, False]
