"""``verbind network measures|export`` end to end, on real files."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from verbind.cli.main import app
from verbind.core.network import Alter, Network, measures, read_maps, to_dict
from verbind.core.network import export as nexport

WIDE = {"COLUMNS": "400", "NO_COLOR": "1"}
REPO = Path(__file__).resolve().parents[2]


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args], env=WIDE)


def _map(ego, wave=1, n=4, ties=(("a0", "a1"),)):
    relations = ["partner", "friend", "neighbour", "other"]
    alters = tuple(
        Alter(f"a{i}", relations[i % 4], 1 + i % 3, "weekly", i % 2 == 0, wants="same")
        for i in range(n)
    )
    return Network(ego, wave, alters, ties if n >= 2 else ())


GOOD = [_map("p1"), _map("p1", wave=2, n=6), _map("p2", n=1), _map("p3", n=0)]


def _write(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _good_lines():
    return [json.dumps(to_dict(n)) for n in GOOD]


def _bad_lines():
    lines = _good_lines()
    bad = to_dict(_map("p4"))
    bad["alters"][1]["relation"] = "frend"
    bad["ties"].append(["a0", "a9"])
    lines.insert(1, json.dumps(bad))  # line 2
    lines.insert(3, "{oops")  # line 4
    return lines


def _csv(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_measures_writes_one_row_per_map(tmp_path):
    maps = _write(tmp_path / "maps.jsonl", _good_lines())
    out = tmp_path / "measures.csv"
    result = run("network", "measures", maps, "-o", out)
    assert result.exit_code == 0, result.output
    rows = _csv(out)
    assert [(r["ego"], r["wave"]) for r in rows] == [("p1", "1"), ("p1", "2"), ("p2", "1"),
                                                     ("p3", "1")]  # fmt: skip
    assert list(rows[0])[:7] == [
        "ego", "wave", "size", "meaningful", "inner_circle", "share_inner", "contacts_per_week",
    ]  # fmt: skip
    m = measures(GOOD[1])
    assert rows[1]["size"] == "6" and rows[1]["meaningful"] == str(m.meaningful)
    assert float(rows[1]["density"]) == m.density
    assert rows[1]["emotional"] in ("true", "false")
    assert rows[2]["density"] == "" and rows[2]["components"] == "1"  # one person: no density
    assert rows[3]["density"] == "" and rows[3]["components"] == "0"  # nobody
    assert "Wrote measures of 4 maps" in result.output


def test_bad_lines_are_named_with_their_numbers_and_nothing_is_written(tmp_path):
    maps = _write(tmp_path / "maps.jsonl", _bad_lines())
    out = tmp_path / "measures.csv"
    out.write_text("earlier results\n", encoding="utf-8")
    result = run("network", "measures", maps, "-o", out)
    assert result.exit_code == 2
    text = result.output
    assert f"{maps}:2: alters[1].relation: 'frend' is not a code" in text
    assert "ties[1]: no person with id 'a9'" in text
    assert f"{maps}:4: not valid JSON" in text
    assert "2 of 6 lines are bad" in text and "nothing written" in text
    assert out.read_text(encoding="utf-8") == "earlier results\n"  # untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["maps.jsonl", "measures.csv"]
    result = run("network", "export", maps, "-o", tmp_path / "export", "--format", "csv")
    assert result.exit_code == 2 and not (tmp_path / "export").exists()


def test_skip_bad_writes_the_good_maps_and_an_errors_file(tmp_path):
    maps = _write(tmp_path / "maps.jsonl", _bad_lines())
    out = tmp_path / "measures.csv"
    result = run("network", "measures", maps, "-o", out, "--skip-bad")
    assert result.exit_code == 0, result.output
    assert [r["ego"] for r in _csv(out)] == ["p1", "p1", "p2", "p3"]
    errors = _csv(tmp_path / "measures.errors.csv")
    assert [(e["line"], e["ego"]) for e in errors] == [("2", "p4"), ("4", "")]
    assert errors[0]["problem"].startswith("alters[1].relation: 'frend' is not a code")
    result = run("network", "export", maps, "-o", tmp_path / "nc", "--format", "csv",
                 "--skip-bad", "--errors", tmp_path / "nc-errors.csv")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert len(_csv(tmp_path / "nc-errors.csv")) == 2
    assert len(_csv(tmp_path / "nc" / nexport.EGO_FILE)) == 4


def test_arguments_that_cannot_work_exit_2(tmp_path):
    maps = _write(tmp_path / "maps.jsonl", _good_lines())
    result = run("network", "measures", tmp_path / "missing.jsonl", "-o", tmp_path / "m.csv")
    assert result.exit_code == 2 and "no such file" in result.output
    result = run("network", "measures", maps, "-o", maps)
    assert result.exit_code == 2 and "is the MAPS file" in result.output
    assert maps.read_text(encoding="utf-8").startswith('{"ego": "p1"')
    result = run("network", "measures", maps, "-o", tmp_path / "nope" / "m.csv")
    assert result.exit_code == 2 and "does not exist" in result.output
    result = run("network", "measures", maps, "-o", tmp_path / "m.parquet")
    assert result.exit_code == 2 and "give a .csv file name" in result.output
    assert not (tmp_path / "m.parquet").exists()
    result = run("network", "export", maps, "-o", maps, "--format", "csv")
    assert result.exit_code == 2 and "is a file; give a folder" in result.output
    result = run("network", "export", maps, "-o", tmp_path / "x", "--format", "pdf")
    assert result.exit_code == 2
    dup = _write(tmp_path / "dup.jsonl", _good_lines() + _good_lines()[:1])
    result = run("network", "measures", dup, "-o", tmp_path / "m.csv")
    assert result.exit_code == 2 and "ego 'p1' wave 1 is also on line 1" in result.output


def test_export_graphml_round_trip_through_networkx(tmp_path):
    maps = _write(tmp_path / "maps.jsonl", _good_lines())
    folder = tmp_path / "graphml"
    result = run("network", "export", maps, "--format", "graphml", "-o", folder)
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in folder.iterdir())
    assert files == ["p1_wave1.graphml", "p1_wave2.graphml", "p2_wave1.graphml",
                     "p3_wave1.graphml"]  # fmt: skip
    for net in GOOD:
        g = nx.read_graphml(folder / nexport.graphml_name(net))
        assert measures(nexport.from_graph(g)) == measures(net)
        if len(net.alters) >= 2:
            assert nx.density(g) == measures(net).density
        assert nx.number_connected_components(g) == measures(net).components


def test_export_csv_round_trip_and_same_measures_as_the_measures_command(tmp_path):
    maps = _write(tmp_path / "maps.jsonl", _good_lines())
    run("network", "measures", maps, "-o", tmp_path / "m.csv")
    result = run("network", "export", maps, "--format", "csv", "-o", tmp_path / "nc")
    assert result.exit_code == 0, result.output
    back = nexport.read_network_canvas(tmp_path / "nc")
    assert [measures(n) for n in back] == [measures(n) for n in read_maps(maps).maps]
    egos = _csv(tmp_path / "nc" / nexport.EGO_FILE)
    measured = _csv(tmp_path / "m.csv")
    for ego_row, row in zip(egos, measured, strict=True):
        assert ego_row["networkCanvasCaseID"] == row["ego"]
        assert {k: ego_row[k] for k in row if k != "ego"} == {k: v for k, v in row.items()
                                                              if k != "ego"}  # fmt: skip


def test_help_does_not_import_networkx_or_polars_for_the_network_commands():
    code = (
        "import sys; from verbind.cli import main; "
        "print('networkx' in sys.modules, 'verbind.core.network.export' in sys.modules)"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.stdout.split() == ["False", "False"], out.stderr


def test_a_csv_that_fails_while_being_written_leaves_the_old_file(tmp_path):
    from verbind.cli.network import _atomic_csv

    out = tmp_path / "m.csv"
    out.write_text("earlier\n", encoding="utf-8")

    def rows():
        yield ["p1", 1]
        raise RuntimeError("disk gone")

    with pytest.raises(RuntimeError, match="disk gone"):
        _atomic_csv(out, ["ego", "wave"], rows())
    assert out.read_text(encoding="utf-8") == "earlier\n"
    assert [p.name for p in tmp_path.iterdir()] == ["m.csv"]
