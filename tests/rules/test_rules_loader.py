"""Loader and schema: every shipped rulebook loads once, history is append-only, and a bad
file is reported with file, key path and the problem."""

from __future__ import annotations

import re
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from samfard.errors import RuleError
from samfard.rules import Service, shipped_rulebooks
from samfard.rules.loader import SHIPPED_ROOT, load_rulebooks, parse_rulebook

MUNICIPALITIES = ("2303", "2305", "2309", "2313", "2321", "2326", "2361", "2380") + (
    "2260",
    "2262",
    "2280",
    "2281",
    "2282",
    "2283",
    "2284",
)
# The reference tables with their primary sources, copied into the repository.
REFERENCE = tomllib.loads(
    (Path(__file__).parent / "data" / "reference_bands.toml").read_text(encoding="utf-8")
)


def shipped(relative: str) -> dict[str, Any]:
    return tomllib.loads((SHIPPED_ROOT / relative).read_text(encoding="utf-8"))


def problems(data: dict[str, Any], file: str = "rulebooks/2280/fardtjanst.toml") -> str:
    with pytest.raises(RuleError) as error:
        parse_rulebook(data, file, folder=file.split("/")[1])
    return error.value.message


def test_every_principal_has_its_rulebooks() -> None:
    """Both regions, all 15 municipalities, the national table and both RKMs are shipped."""
    books = shipped_rulebooks()
    for region in ("23", "22"):
        assert books.get(region, Service.SJUKRESA).versions
    for code in MUNICIPALITIES:
        assert books.get(code, Service.FARDTJANST).versions
    assert books.get("SE", Service.RIKSFARDTJANST).versions
    for rkm in ("RKM-23", "RKM-22"):
        assert books.get(rkm, Service.NARTRAFIK).versions


def test_shipped_rulebooks_are_loaded_once() -> None:
    """The cache returns the same object: files are read and checked once per process."""
    assert shipped_rulebooks() is shipped_rulebooks()


def test_shipped_versions_strictly_increase() -> None:
    for book in shipped_rulebooks().books:
        dates = [v.valid_from for v in book.versions]
        assert dates == sorted(set(dates)), book.file


def test_version_in_force_is_the_latest_started() -> None:
    """Jämtland's ceiling was 1 600 kr before 2021-05-01 and 2 400 kr from that day."""
    book = shipped_rulebooks().get("23", Service.SJUKRESA)
    index, version = book.version_on(date(2021, 4, 30))
    assert (index, version.ceiling.amount_ore) == (0, 160000)  # type: ignore[union-attr]
    index, version = book.version_on(date(2021, 5, 1))
    assert (index, version.ceiling.amount_ore) == (1, 240000)  # type: ignore[union-attr]
    with pytest.raises(RuleError, match="no version in force on 2016-12-31"):
        book.version_on(date(2016, 12, 31))


def test_missing_rulebook_names_what_exists() -> None:
    with pytest.raises(RuleError, match="no fardtjanst rulebook for principal '9999'"):
        shipped_rulebooks().get("9999", Service.FARDTJANST)


def test_band_tables_match_the_reference_tables() -> None:
    """Härnösand's eight bands and the stated riksfärdtjänst bands are the published ones
    (tests/rules/data/reference_bands.toml names the source of each)."""
    stated = re.findall(
        r"(\d+(?:\.\d)?)-(\d+\.\d) km (\d+) kr", REFERENCE["harnosand_fardtjanst"]["text"]
    )
    assert len(stated) == 8
    harnosand = shipped("2280/fardtjanst.toml")["versions"][0]["fee"]["bands"]
    assert [(str(b["min_km"]), str(b["max_km"]), b["fee_kr"]) for b in harnosand] == [
        (lo if "." in lo or lo == "0" else f"{lo}.0", hi, fee) for lo, hi, fee in stated
    ]
    riks = re.findall(r"(\d+)-(\d+) km (\d+) kr", REFERENCE["riksfardtjanst"]["text"])
    assert len(riks) == 3
    bands = shipped("SE/riksfardtjanst.toml")["versions"][0]["fee"]["bands"]
    assert [(str(b["min_km"]), str(b["max_km"]), b["fee_kr"]) for b in bands[:3]] == riks


def test_every_o_tag_names_its_place() -> None:
    """[O:X] must say whose value was borrowed, so the principal knows what to confirm."""
    for path in SHIPPED_ROOT.glob("*/*.toml"):
        for tag in re.findall(r"\[O:([^\]]*)\]", path.read_text(encoding="utf-8")):
            assert tag.strip(), path


def test_band_problem_names_file_key_and_values() -> None:
    data = shipped("2281/fardtjanst.toml")
    second = dict(data["versions"][0], valid_from=date(2030, 1, 1))
    bands = [dict(b) for b in second["fee"]["bands"]]
    bands[2]["max_km"] = 9.0
    second["fee"] = dict(second["fee"], bands=bands)
    data["versions"] = [data["versions"][0], second]
    message = problems(data, "rulebooks/2281/fardtjanst.toml")
    assert (
        "rulebooks/2281/fardtjanst.toml: versions[1].fee.bands[2].max_km: "
        "must be greater than min_km 17.0, got 9.0"
    ) in message


def test_duplicate_valid_from_is_refused() -> None:
    data = shipped("2280/fardtjanst.toml")
    data["versions"] = [data["versions"][0], data["versions"][0]]
    assert "versions[1].valid_from: must be after the previous version's 2024-01-01" in problems(
        data
    )


def test_unsorted_versions_are_refused() -> None:
    data = shipped("2280/fardtjanst.toml")
    older = dict(data["versions"][0], valid_from=date(2020, 1, 1))
    data["versions"] = [data["versions"][0], older]
    assert "versions[1].valid_from: must be after" in problems(data)


def test_unknown_key_is_refused() -> None:
    data = shipped("2280/fardtjanst.toml")
    data["versions"][0]["fee"]["max_fee_kr"] = "100"
    assert "versions[0].fee.max_fee_kr: Extra inputs are not permitted" in problems(data)


def test_money_as_float_is_refused() -> None:
    data = shipped("2280/fardtjanst.toml")
    data["versions"][0]["fee"]["bands"][0]["fee_kr"] = 38.5
    assert 'versions[0].fee.bands[0].fee_kr: must be kronor as a string like "38"' in problems(data)


def test_source_tag_is_required_and_checked() -> None:
    data = shipped("2280/fardtjanst.toml")
    data["versions"][0]["area"]["source"] = "the municipality said so"
    assert "versions[0].area.source: must start with a source tag" in problems(data)
    del data["versions"][0]["area"]["source"]
    assert "versions[0].area.source: Field required" in problems(data)


def test_gap_between_bands_is_refused() -> None:
    data = shipped("2280/fardtjanst.toml")
    data["versions"][0]["fee"]["bands"][1]["min_km"] = 9.5
    assert "versions[0].fee.bands[1].min_km: must follow the previous band" in problems(data)


def test_principal_must_match_its_folder() -> None:
    data = shipped("2280/fardtjanst.toml")
    assert "principal: must match its folder '2281'" in problems(
        data, "rulebooks/2281/fardtjanst.toml"
    )


def test_all_broken_files_are_reported_together(tmp_path: Path) -> None:
    root = tmp_path / "rulebooks"
    for code in ("2280", "2281"):
        (root / code).mkdir(parents=True)
        text = (SHIPPED_ROOT / code / "fardtjanst.toml").read_text(encoding="utf-8")
        (root / code / "fardtjanst.toml").write_text(
            text.replace('multiple = "1.5"', "").replace('kind = "distance_bands"', ""),
            encoding="utf-8",
        )
    with pytest.raises(RuleError) as error:
        load_rulebooks(root)
    assert "rulebooks/2280/fardtjanst.toml: versions[0].fee" in error.value.message
    assert "rulebooks/2281/fardtjanst.toml: versions[0].fee" in error.value.message


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    root = tmp_path / "rulebooks"
    (root / "2280").mkdir(parents=True)
    (root / "2280" / "fardtjanst.toml").write_text("principal = ", encoding="utf-8")
    with pytest.raises(RuleError, match="rulebooks/2280/fardtjanst.toml: not valid TOML"):
        load_rulebooks(root)
