"""The development calls written by hand (bench/devN_src/*.txt) and the calls files built from them agree."""

import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO / "bench"))
from build_calls import build  # noqa: E402

CALLS = REPO / "src" / "liandong" / "cities" / "demo" / "calls"


@pytest.mark.parametrize("n, prefix", [(5, "v"), (6, "w"), (7, "x"), (8, "y"), (9, "z"), (10, "j"), (11, "k")])
def test_each_calls_file_is_its_hand_typed_lines(n, prefix):
    rows, errors = build(REPO / "bench" / f"dev{n}_src", prefix)
    assert errors == []
    stored = [json.loads(line) for line in (CALLS / f"routing_dev{n}.jsonl").read_text(encoding="utf-8").splitlines()]
    assert rows == stored


def test_a_bad_line_is_refused_with_its_file_and_line(tmp_path):
    (tmp_path / "a.txt").write_text("# header\n12345|12345|路灯不亮\n999|110|有人打架\n12345|911|着火了\n12345|12345|路灯不亮\n",
                                    encoding="utf-8")
    rows, errors = build(tmp_path, "t")
    assert errors == ["a.txt:3: bad channel '999'", "a.txt:4: bad services ['911']",
                      "a.txt:5: duplicate text (first at a.txt:2)"]
