"""A build split in parts (--shard K/N): the parts, copied into one folder, are the whole
build, byte for byte, and their manifests merge."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace

import pytest
from helpers import EXAMPLE, options

from handoutkit.build import build
from handoutkit.cli import main
from handoutkit.config import CONTENT_DIR
from handoutkit.manifest import FILE
from handoutkit.targets import cost, shard, targets


def pdfs(folder) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*.pdf")}


def test_parts_copied_into_one_folder_are_the_whole_build(built, tmp_path):
    """The parts of the easy English and Spanish sets against the same PDFs of the shared
    whole build: each part holds whole languages (a language is written whole or not at all)."""
    whole = options(tmp_path, langs=("en", "es"), levels=("easy",), content=CONTENT_DIR, html=True)
    merged = tmp_path / "merged"
    for part in (1, 2):
        out = tmp_path / f"part-{part}"
        report = build(replace(whole, out=out, shard=(part, 2)))
        assert not report.failures and report.written
        assert len({path.relative_to(out).parts[0] for path in report.written}) == 1  # one language
        assert (out / f".handouts-manifest.{part}-of-2.json").is_file() and not (out / FILE).exists()
        shutil.copytree(out, merged, dirs_exist_ok=True)
    expected = {name: data for name, data in pdfs(built).items()
                if name.startswith(("en/easy/", "en/wallet", "es/easy/", "es/wallet"))}
    assert len(expected) == 12 and pdfs(merged) == expected  # 4 handouts, the booklet, the wallet cards

    again = build(replace(whole, out=merged))  # the parts' manifests vouch for every PDF
    assert again.written == [] and len(again.skipped) == 12
    assert (merged / FILE).is_file() and not list(merged.glob(".handouts-manifest.*-of-*.json"))


def test_parts_take_whole_units_once_balanced_by_cost_the_same_on_every_run(tmp_path):
    clinics = tuple(tmp_path / f"clinic-{number}.yaml" for number in range(5))  # never read
    whole = options(tmp_path, langs=("en", "es", "fr"), bilingual=("es",), clinics=clinics)
    costs = {name: sum(cost(target) for target in unit) for name, unit in targets(whole, None).items()}
    every = sorted((file.stem, name) for file in clinics for name in costs)
    for parts in (2, 3, 7):
        split = [shard(whole, part, parts) for part in range(1, parts + 1)]
        assert sorted(unit for part in split for unit in part) == every  # each unit in one part
        loads = [sum(costs[name] for _, name in part) for part in split]
        assert max(loads) - min(loads) <= max(costs.values())
        shuffled = replace(whole, clinics=tuple(reversed(clinics)))
        assert split == [shard(shuffled, part, parts) for part in range(1, parts + 1)]


@pytest.mark.pdf
def test_a_part_reads_only_its_own_profiles_and_keeps_what_it_built_before(tmp_path):
    """A broken profile in another part moves nothing and is not this part's failure; a part
    built again into its folder (another topic) keeps listing what it built before."""
    broken = tmp_path / "broken.yaml"
    broken.write_text("clinic: [", encoding="utf-8")
    whole = options(tmp_path / "out", levels=("easy",), topics=("kratom",), clinics=(EXAMPLE, broken))
    part = next(part for part in (1, 2) if ("example", "en") in shard(whole, part, 2))
    assert ("broken", "en") not in shard(whole, part, 2)
    first = build(replace(whole, shard=(part, 2)))
    assert not first.failures and len(first.written) == 1
    second = build(replace(whole, shard=(part, 2), topics=("withdrawal",)))
    assert not second.failures and len(second.written) == 1
    listed = json.loads((whole.out / f".handouts-manifest.{part}-of-2.json").read_text())
    assert sorted(listed) == ["example/en/easy/kratom.pdf", "example/en/easy/withdrawal.pdf"]
    assert build(replace(whole, shard=(3 - part, 2))).failures.keys() == {str(broken)}


@pytest.mark.pdf
def test_a_unit_that_moves_to_another_part_is_warned_of_and_remade_in_the_merged_folder(tmp_path):
    """A clinic added moves units between parts. A part built again into its old folder
    lists what it built of a moved unit no more, and warns; the old copy is left (where the
    parts share a folder it is the other part's). Copied over the new one, it is made again
    by the build in the merged folder, since no part's manifest vouches for it."""
    clinics = tmp_path / "clinics"
    clinics.mkdir()
    shutil.copy(EXAMPLE, clinics / "example.yaml")
    shutil.copy(EXAMPLE.with_name("example-logo.svg"), clinics)
    before = options(tmp_path, langs=("en", "es"), levels=("easy",), topics=("kratom",),
                     clinics=(clinics / "example.yaml",))
    for part in (1, 2, 3):
        assert not build(replace(before, out=tmp_path / f"part-{part}", shard=(part, 3))).failures
    profile = clinics / "example.yaml"
    profile.write_text(profile.read_text().replace("(555) 010-0142", "(555) 010-9999"))
    shutil.copy(profile, clinics / "aaa.yaml")
    after = replace(before, clinics=(clinics / "aaa.yaml", profile))
    moved = {(unit, old) for old in (1, 2, 3) for unit in shard(before, old, 3)
             if unit not in shard(after, old, 3)}
    assert moved  # the test is about a move
    for part in (1, 2, 3):
        report = build(replace(after, out=tmp_path / f"part-{part}", shard=(part, 3)))
        assert not report.failures
        old = [f"{clinic}/{code}/" for (clinic, code), was in moved if was == part]
        assert [warning for warning in report.warnings if "another part now builds" in warning] == \
            ([f"{tmp_path / f'part-{part}'} holds PDFs that another part now builds, in {old[0]}: "
              "empty this folder and build the part again before copying the parts together, or "
              "build again in the merged folder (it makes again every PDF that is not what its "
              "part's manifest says)"] if old else [])
        listed = json.loads((tmp_path / f"part-{part}" / f".handouts-manifest.{part}-of-3.json").read_text())
        assert not any(key.startswith(tuple(old)) for key in listed) if old else listed
    merged, whole = tmp_path / "merged", tmp_path / "whole"
    for part in (1, 2, 3):  # an old copy may land over a new one
        shutil.copytree(tmp_path / f"part-{part}", merged, dirs_exist_ok=True)
    build(replace(after, out=merged))
    build(replace(after, out=whole))
    assert pdfs(merged) == pdfs(whole) and len(pdfs(whole)) == 4


@pytest.mark.parametrize("wrong", ["0/3", "4/3", "1", "a/b", "1/0"])
def test_a_part_that_is_not_k_of_n_is_refused(capsys, wrong):
    with pytest.raises(SystemExit) as exit_:
        main(["build", "--shard", wrong])
    assert exit_.value.code == 2
    assert f"argument --shard: '{wrong}' is not a part such as 2/4 (part K of N, K from 1 to N)" in \
        capsys.readouterr().err
