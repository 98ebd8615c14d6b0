"""A build split in parts (--shard K/N): the parts, copied into one folder, are the whole
build, byte for byte, and their manifests merge."""

from __future__ import annotations

import shutil
from dataclasses import replace

import pytest
from helpers import options

from handoutkit.build import build
from handoutkit.cli import main
from handoutkit.config import CONTENT_DIR
from handoutkit.manifest import FILE
from handoutkit.targets import cost, shard, targets


def pdfs(folder) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*.pdf")}


def test_parts_copied_into_one_folder_are_the_whole_build(built, tmp_path):
    """The parts of the easy Spanish set against the same PDFs of the shared whole build."""
    whole = options(tmp_path, langs=("es",), levels=("easy",), content=CONTENT_DIR, html=True)
    merged = tmp_path / "merged"
    for part in (1, 2):
        out = tmp_path / f"part-{part}"
        report = build(replace(whole, out=out, shard=(part, 2)))
        assert not report.failures and report.written
        assert (out / f".handouts-manifest.{part}-of-2.json").is_file() and not (out / FILE).exists()
        shutil.copytree(out, merged, dirs_exist_ok=True)
    expected = {name: data for name, data in pdfs(built).items()
                if name.startswith(("es/easy/", "es/wallet"))}
    assert len(expected) == 6 and pdfs(merged) == expected  # 4 handouts, the booklet, the wallet cards

    again = build(replace(whole, out=merged))  # the parts' manifests vouch for every PDF
    assert again.written == [] and len(again.skipped) == 6
    assert (merged / FILE).is_file() and not list(merged.glob(".handouts-manifest.*-of-*.json"))


def test_parts_take_every_target_once_balanced_by_cost_the_same_on_every_run(tmp_path):
    units = targets(options(tmp_path, langs=("en", "es"), bilingual=("es",)), None)
    every = [target for unit in units.values() for target in unit]
    for parts in (2, 3, 7):
        split = [shard(every, part, parts) for part in range(1, parts + 1)]
        assert sorted(t.name for part in split for t in part) == sorted(t.name for t in every)
        loads = [sum(cost(target) for target in part) for part in split]
        assert max(loads) - min(loads) <= max(cost(target) for target in every)
        assert split == [shard(list(reversed(every)), part, parts) for part in range(1, parts + 1)]


@pytest.mark.parametrize("wrong", ["0/3", "4/3", "1", "a/b", "1/0"])
def test_a_part_that_is_not_k_of_n_is_refused(capsys, wrong):
    with pytest.raises(SystemExit) as exit_:
        main(["build", "--shard", wrong])
    assert exit_.value.code == 2
    assert f"argument --shard: '{wrong}' is not a part such as 2/4 (part K of N, K from 1 to N)" in \
        capsys.readouterr().err
