"""Network maps: codes, validation, measures (against networkx), change, layout, MAPS
reading, the bulk measures path and the research exports."""

from __future__ import annotations

import dataclasses
import json
import math
import random

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verbind.core.network import (
    Alter,
    Network,
    NetworkError,
    change,
    definitions,
    from_dict,
    layout,
    measures,
    problems,
    read_lines,
    sentences,
    to_dict,
    validate,
)
from verbind.core.network import export as nexport
from verbind.core.network.bulk import COLUMNS, measure_lines, row_of
from verbind.core.network.definitions import NetworkDefinitionError, parse

DEFS = definitions()
RELATIONS = DEFS.codes("relations")
FREQUENCIES = DEFS.codes("frequencies")
WANTS = DEFS.codes("wants")
MODES = DEFS.codes("modes")
SUPPORT = DEFS.codes("support")


def person(alter_id, relation="friend", circle=2, frequency="weekly", meaningful=False, **kw):
    return Alter(alter_id, relation, circle, frequency, meaningful, **kw)


def random_network(rng: random.Random, size: int | None = None, ego: str = "p1", wave: int = 1):
    n = rng.randint(0, 20) if size is None else size
    alters = tuple(
        Alter(
            id=f"a{i}",
            relation=rng.choice(RELATIONS),
            circle=rng.randint(1, 3),
            frequency=rng.choice(FREQUENCIES),
            meaningful=rng.random() < 0.5,
            wants=rng.choice([*WANTS, None]),
            modes=tuple(rng.sample(MODES, rng.randint(0, len(MODES)))),
            support=tuple(rng.sample(SUPPORT, rng.randint(0, len(SUPPORT)))),
        )
        for i in range(n)
    )
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    chosen = rng.sample(pairs, rng.randint(0, len(pairs))) if pairs else []
    ties = tuple((f"a{i}", f"a{j}") for i, j in chosen)
    return Network(ego, wave, alters, ties)


@st.composite
def networks(draw, max_size: int = 15):
    """Valid maps of up to max_size people with any ties among them."""
    n = draw(st.integers(0, max_size))
    alters = []
    for i in range(n):
        alters.append(
            Alter(
                id=f"a{i}",
                relation=draw(st.sampled_from(RELATIONS)),
                circle=draw(st.integers(1, 3)),
                frequency=draw(st.sampled_from(FREQUENCIES)),
                meaningful=draw(st.booleans()),
                wants=draw(st.sampled_from([*WANTS, None])),
                modes=tuple(draw(st.lists(st.sampled_from(MODES), unique=True))),
                support=tuple(draw(st.lists(st.sampled_from(SUPPORT), unique=True))),
            )
        )
    pairs = [(f"a{i}", f"a{j}") for i in range(n) for j in range(i + 1, n)]
    ties = draw(st.lists(st.sampled_from(pairs), unique=True)) if pairs else []
    return Network("p1", 1, tuple(alters), tuple(ties))


# ---- definitions ---------------------------------------------------------------------


def test_codes_and_labels_are_defined_once_in_both_languages():
    assert RELATIONS == (
        "partner", "family", "friend", "neighbour", "colleague", "acquaintance",
        "professional", "online", "other",
    )  # fmt: skip
    assert DEFS.codes("circles") == (1, 2, 3)
    assert FREQUENCIES == ("daily", "weekly", "monthly", "few_times_year", "yearly_or_less")
    assert DEFS.label("relations", "other", "en") == "Other (for example a pet)"
    assert DEFS.label("circles", 1, "nl") == "Heel dichtbij"
    assert DEFS.per_week["daily"] == 7 and DEFS.per_week["weekly"] == 1
    assert DEFS.per_week["monthly"] == pytest.approx(12 / 52, abs=1e-6)
    for field in ("relations", "circles", "frequencies", "modes", "support", "wants"):
        for code in getattr(DEFS, field):
            assert set(code.label) == {"nl", "en"}


def test_a_broken_definitions_file_is_refused_naming_the_field():
    good = {
        "limits": {"max_alters": 100},
        "social": {"min": 3, "relations": sorted(DEFS.social_relations)},
        **{f: [{"code": c.code, **c.label, **({"per_week": c.per_week} if c.per_week is not
               None else {})} for c in getattr(DEFS, f)]
           for f in ("relations", "circles", "frequencies", "modes", "support", "wants")},
        "change": {k: {lang: dict(v) for lang, v in DEFS.change[k].items()} for k in DEFS.change},
    }  # fmt: skip
    parse(good)
    broken = json.loads(json.dumps(good))
    del broken["relations"][2]["en"]
    with pytest.raises(NetworkDefinitionError, match=r"relations\[2\]: no 'en' text"):
        parse(broken)
    broken = json.loads(json.dumps(good))
    broken["change"]["new"]["nl"]["other"] = "{count} nieuw"
    with pytest.raises(NetworkDefinitionError, match=r"change.new.nl.other: unknown placeholder"):
        parse(broken)
    broken = json.loads(json.dumps(good))
    broken["social"]["relations"].append("pet")
    with pytest.raises(NetworkDefinitionError, match=r"social.relations: \['pet'\] are not"):
        parse(broken)


# ---- validation ----------------------------------------------------------------------


def test_a_valid_map_passes_and_round_trips_through_a_dict():
    net = Network(
        "p-1",
        2,
        (
            person("a", "partner", 1, "daily", True, modes=("in_person",), support=("emotional",)),
            person("b", "other", 3, "monthly", False, wants="more", name="Poes"),
        ),
        (("a", "b"),),
    )
    assert problems(net) == []
    assert from_dict(json.loads(json.dumps(to_dict(net, names=True)))) == net
    assert "name" not in json.dumps(to_dict(net))  # research lines: ids only


def test_every_problem_is_named_at_once_with_where_it_is():
    net = Network(
        "bad id!",
        -1,
        (
            person("a", "frend", 4, "often", "yes", wants="lots", modes=("fax",)),
            person("a", name="Jan"),
            person("c", name=" jan "),
        ),
        (("a", "zz"), ("c", "c"), ("a", "c"), ("c", "a")),
    )
    found = [str(p) for p in problems(net)]
    assert found == [
        "ego: 'bad id!' is not an id: use 1 to 64 letters, digits, '.', '_' or '-'",
        "wave: -1: use a whole number of 0 or more",
        "alters[0].relation: 'frend' is not a code; codes: partner, family, friend, neighbour, "
        "colleague, acquaintance, professional, online, other",
        "alters[0].frequency: 'often' is not a code; codes: daily, weekly, monthly, "
        "few_times_year, yearly_or_less",
        "alters[0].circle: 4 is not a circle; use 1, 2 or 3",
        "alters[0].meaningful: 'yes': use true or false",
        "alters[0].wants: 'lots' is not a code; codes: more, same, less",
        "alters[0].modes: 'fax' is not a code; codes: in_person, phone, online",
        "alters[1].id: 'a' is also alters[0]",
        "alters[2].name: ' jan ' is also the name of alters[1]; add something to tell them apart",
        "ties[0]: no person with id 'zz'",
        "ties[1]: 'c' is tied to themself; a tie joins two people",
        "ties[3]: 'c' - 'a' is also ties[2]",
    ]
    with pytest.raises(NetworkError) as caught:
        validate(net)
    assert len(caught.value.problems) == len(found)


def test_more_than_a_hundred_people_is_refused():
    net = Network("p1", 1, tuple(person(f"a{i}") for i in range(101)))
    assert [str(p) for p in problems(net)] == ["alters: 101 people; a map holds at most 100"]
    assert problems(Network("p1", 1, net.alters[:100])) == []


def test_from_dict_names_wrong_shapes_and_missing_fields():
    with pytest.raises(NetworkError) as caught:
        from_dict(
            {"ego": "p1", "alterz": [], "alters": [{"id": "a", "circle": 1}, 5],
             "ties": [["a"], "x"]}
        )  # fmt: skip
    messages = [str(p) for p in caught.value.problems]
    assert messages[0].startswith("map: unknown field 'alterz'")
    assert "wave: missing" in messages
    assert "alters[0]: missing relation, frequency, meaningful" in messages
    assert 'alters[1]: expected an object {"id": ..., "circle": ...}' in messages
    assert "ties[0]: ['a']: a tie is a pair of two alter ids" in messages


# ---- measures ------------------------------------------------------------------------

EXAMPLE = Network(
    "p1",
    1,
    (
        person("a", "partner", 1, "daily", True),
        person("b", "family", 1, "weekly", False),
        person("c", "friend", 2, "monthly", True),
        person("d", "neighbour", 2, "weekly", False),
        person("e", "colleague", 3, "few_times_year", False),
        person("f", "other", 3, "yearly_or_less", False, name="Poes"),
    ),
    (("a", "b"), ("c", "d")),
)


def test_measures_of_a_small_map_by_hand():
    m = measures(EXAMPLE)
    assert (m.size, m.meaningful, m.inner_circle, m.ties, m.components) == (6, 2, 2, 2, 4)
    assert m.share_inner == pytest.approx(2 / 6)
    assert m.density == pytest.approx(2 / 15)
    assert m.contacts_per_week == pytest.approx(7 + 1 + 12 / 52 + 1 + 4 / 52 + 1 / 52, abs=1e-5)
    assert m.emotional is True  # the partner: circle 1 and meaningful
    assert m.social is True  # friend, neighbour, colleague outside circle 1
    assert m.relation_types == 6
    assert m.diversity == pytest.approx((1 - 6 * (1 / 6) ** 2) / (1 - 1 / 9))


def test_emotional_and_social_edges():
    only_inner_friends = Network("p1", 1, tuple(person(f"f{i}", circle=1) for i in range(5)))
    m = measures(only_inner_friends)
    assert (m.emotional, m.social) == (False, False)  # circle 1 but not meaningful; no wider
    confidant = Network("p1", 1, (person("x", circle=3, support=("emotional",)),))
    assert measures(confidant).emotional is True
    two_wider = Network("p1", 1, (person("x"), person("y", "acquaintance")))
    assert measures(two_wider).social is False  # N = 3
    family_outside = Network("p1", 1, tuple(person(f"f{i}", "family", 3) for i in range(5)))
    assert measures(family_outside).social is False  # family is not the wider circle


def test_empty_and_single_maps():
    m = measures(Network("p1", 1, ()))
    assert (m.size, m.density, m.components, m.share_inner, m.diversity) == (0, None, 0, None, None)
    m = measures(Network("p1", 1, (person("a"),)))
    assert (m.density, m.components, m.diversity) == (None, 1, 0.0)


def _nx_graph(net):
    g = nx.Graph()
    g.add_nodes_from(a.id for a in net.alters)
    g.add_edges_from(net.ties)
    return g


def test_density_and_components_equal_networkx_on_random_maps():
    rng = random.Random(7)
    for _ in range(300):
        net = random_network(rng, size=rng.choice([0, 1, 2, 3, 8, 15, 40]))
        g, m = _nx_graph(net), measures(net)
        assert m.components == nx.number_connected_components(g)
        if len(net.alters) >= 2:
            assert m.density == pytest.approx(nx.density(g))


@settings(max_examples=60)
@given(networks(), st.booleans(), st.sampled_from(RELATIONS), st.integers(1, 3))
def test_adding_a_meaningful_person_never_lowers_the_meaningful_count(net, tie, rel, circle):
    extra = person("new", rel, circle, "weekly", True)
    ties = net.ties + ((("new", net.alters[0].id),) if tie and net.alters else ())
    bigger = Network(net.ego, net.wave, (*net.alters, extra), ties)
    assert measures(bigger).meaningful == measures(net).meaningful + 1


@settings(max_examples=60)
@given(networks())
def test_measures_stay_in_range(net):
    m = measures(net)
    assert m.density is None or 0.0 <= m.density <= 1.0
    assert m.components <= m.size
    assert m.diversity is None or -1e-9 <= m.diversity <= 1.0 + 1e-9


@settings(max_examples=60)
@given(networks(), st.randoms(use_true_random=False))
def test_measures_do_not_depend_on_the_ids(net, rng):
    new_ids = [f"x{i}" for i in range(len(net.alters))]
    rng.shuffle(new_ids)
    rename = {a.id: new for a, new in zip(net.alters, new_ids, strict=True)}
    renamed = Network(
        net.ego,
        net.wave,
        tuple(dataclasses.replace(a, id=rename[a.id]) for a in net.alters),
        tuple((rename[a], rename[b]) for a, b in net.ties),
    )
    assert measures(renamed) == measures(net)


# ---- change --------------------------------------------------------------------------


@settings(max_examples=60)
@given(networks())
def test_change_of_a_map_with_itself_is_empty(net):
    result = change(net, net)
    assert result.is_empty and result.before == result.after
    assert sentences(result, "nl") == ["Er is niets veranderd in uw netwerk"]


def test_change_finds_new_left_moved_and_meaningful_by_id_then_name():
    before = Network(
        "p1",
        1,
        (
            person("a", circle=3, meaningful=False),
            person("b", circle=1, meaningful=True),
            person("c", meaningful=True, name="Riet"),
            person("d", meaningful=True),
            person("e", circle=2),
        ),
    )
    after = Network(
        "p1",
        2,
        (
            person("a", circle=1, meaningful=True),  # closer, now meaningful
            person("b", circle=2, meaningful=False),  # farther, no longer meaningful
            person("c-2", meaningful=True, name=" riet"),  # same person, new id: by name
            person("n1", meaningful=True),
            person("n2", meaningful=True),
            person("n3"),
            person("e", circle=2),
        ),
    )
    r = change(before, after)
    assert [a.id for a in r.new] == ["n1", "n2", "n3"]
    assert [a.id for a in r.left] == ["d"]
    assert [(m.before.id, m.steps) for m in r.closer] == [("a", -2)]
    assert [(m.before.id, m.steps) for m in r.farther] == [("b", 1)]
    assert sorted(a.id for a in r.meaningful_gained) == ["a", "n1", "n2"]
    assert sorted(a.id for a in r.meaningful_lost) == ["b", "d"]
    assert (r.before.size, r.after.size) == (5, 7)
    assert sentences(r, "nl") == [
        "3 nieuwe mensen in uw netwerk",
        "2 nieuwe mensen die veel voor u betekenen",
        "1 iemand betekent nu veel voor u, eerst nog niet",
        "1 iemand staat nu dichter bij u",
        "1 iemand staat niet meer in uw netwerk",
        "Van hen betekende 1 iemand veel voor u",
        "1 iemand betekent nu minder voor u dan eerst",
        "1 iemand staat nu verder van u af",
    ]
    assert sentences(r, "en")[1] == "2 new people who mean a lot to you"


def test_a_name_shared_by_two_people_is_not_used_to_match():
    before = Network("p1", 1, (person("a", name="Jan"), person("b", name="Piet")))
    after = Network("p1", 2, (person("x", name="Jan"), person("y", name="Piet")))
    assert len(change(before, after).matched) == 2
    # On one map two people are called 'Jan' only when something tells them apart; names
    # that are equal after normalising are never matched when they are not unique.
    twice = Network("p1", 2, (person("x", name="Jan"), person("y", name="JAN")))
    assert [a.id for a in change(before, twice).new] == ["x", "y"]


# ---- layout --------------------------------------------------------------------------


def test_layout_places_people_evenly_on_their_circle_in_a_fixed_order():
    lay = layout(EXAMPLE)
    assert lay.rings == ((1, 1 / 3), (2, 2 / 3), (3, 1.0))
    where = {p.alter_id: p for p in lay.people}
    for p in lay.people:
        assert math.hypot(p.x, p.y) == pytest.approx(dict(lay.rings)[p.circle])
    # circle 1: partner before family; the first at the top, the second opposite
    assert (where["a"].x, where["a"].y) == (0.0, pytest.approx(-1 / 3))
    assert where["b"].angle == 180.0
    # ring 2 turned by half a step
    assert [where["c"].angle, where["d"].angle] == [90.0, 270.0]
    assert len(lay.lines) == 2 and lay.lines[0].source == "a"
    shuffled = dataclasses.replace(EXAMPLE, alters=tuple(reversed(EXAMPLE.alters)))
    assert layout(shuffled).people == lay.people  # the order does not depend on input order


# ---- reading MAPS and the bulk path --------------------------------------------------


def test_reading_reports_each_bad_line_with_its_number():
    good = json.dumps(to_dict(EXAMPLE))
    lines = [
        good,
        "",
        "{not json",
        json.dumps({"ego": "p2", "wave": 1, "alters": [{"id": "a", "circle": 9,
                    "relation": "friend", "frequency": "weekly", "meaningful": True}]}),
        good,
        "[1, 2]",
    ]  # fmt: skip
    result = read_lines(lines)
    assert result.lines == (1,)
    assert [(e.line, e.ego) for e in result.errors] == [(3, None), (4, "p2"), (5, "p1"), (6, None)]
    assert result.errors[0].message.startswith("not valid JSON")
    assert result.errors[1].message == "alters[0].circle: 9 is not a circle; use 1, 2 or 3"
    assert result.errors[2].message == "ego 'p1' wave 1 is also on line 1"
    assert str(result.errors[3]).startswith("line 6: map: expected an object")
    bulk = measure_lines(lines)
    assert bulk.errors == list(result.errors)


def test_bytes_that_are_not_utf8_are_a_bad_line():
    result = read_lines([json.dumps(to_dict(EXAMPLE)).encode(), b"\xff\xfe"])
    assert [str(e) for e in result.errors] == ["line 2: not UTF-8 text (byte 1)"]


def _mutate(rng: random.Random, data: dict) -> None:
    """Break (or harmlessly change) one thing in a MAPS line."""
    alters = data["alters"]
    choice = rng.randrange(14)
    if alters and choice < 9:
        a = rng.choice(alters)
        key, value = [
            ("circle", rng.choice([0, 4, "1", True, 2.0, [1]])),
            ("relation", rng.choice(["Friend", "pet", None, 3, ["friend"], {"a": 1}])),
            ("frequency", rng.choice(["often", "", ["weekly"]])),
            ("meaningful", rng.choice([1, "true", None])),
            ("wants", rng.choice(["most", None, "same", ["more"]])),
            ("modes", rng.choice([["fax"], "phone", ["phone", "phone"], ["online"]])),
            ("support", rng.choice([["emotional"], [1], ["company", "company"]])),
            ("name", rng.choice(["x" * 41, 5, "  ", "Jan", ""])),
            ("id", rng.choice(["", "a b", alters[0]["id"], 7, "ok-id", ["a0"], {}])),
        ][choice]
        a[key] = value
    elif choice == 9 and alters:
        del rng.choice(alters)["frequency"]
    elif choice == 10:
        data["ties"].append(
            rng.choice([["a0", "a0"], ["a0", "zz"], ["a0"], "a0", [1, 2], [["a0"], "a1"]])
        )
    elif choice == 11 and data["ties"]:
        data["ties"].append(list(reversed(data["ties"][0])))
    elif choice == 12:
        data[rng.choice(["wave", "ego", "extra"])] = rng.choice([True, -1, "x y", None, 1])
    else:
        data["alters"] = [*alters, *alters[:1]] * rng.choice([1, 60])


def test_the_bulk_path_equals_from_dict_and_measures_on_random_lines():
    rng = random.Random(2026)
    lines, expected_rows, expected_errors = [], [], []
    for i in range(1200):
        data = to_dict(random_network(rng, ego=f"p{i}"), names=True)
        if i % 2:
            _mutate(rng, data)
        lines.append(json.dumps(data))
    for number, line in enumerate(lines, start=1):
        try:
            net = from_dict(json.loads(line))
        except NetworkError as exc:
            expected_errors.append((number, "; ".join(map(str, exc.problems))))
            continue
        expected_rows.append(row_of(net.ego, net.wave, measures(net)))
    result = measure_lines(lines)
    assert 300 < len(expected_errors) < 600  # both kinds are well represented
    assert [(e.line, e.message) for e in result.errors] == expected_errors
    assert result.rows == expected_rows
    assert len(COLUMNS) == len(result.rows[0])


# ---- exports -------------------------------------------------------------------------


def _exported(alter):
    """What an export keeps of an alter: everything but the name (choices as a set)."""
    return dataclasses.replace(
        alter, name="", modes=tuple(sorted(alter.modes)), support=tuple(sorted(alter.support))
    )


def test_graphml_round_trip_keeps_attributes_and_measures(tmp_path):
    rng = random.Random(3)
    maps = [random_network(rng, ego=f"p{i}", wave=1 + i % 2) for i in range(12)]
    maps.append(EXAMPLE)
    written = nexport.export(maps, tmp_path / "out", "graphml")
    assert len(written) == len(maps)
    for net, path in zip(maps, written, strict=True):
        g = nx.read_graphml(path)
        assert g.graph["ego"] == net.ego and g.graph["wave"] == net.wave
        assert g.graph["size"] == len(net.alters)
        back = nexport.from_graph(g)
        assert measures(back) == measures(net)
        assert [_exported(a) for a in back.alters] == [_exported(a) for a in net.alters]
        assert all(d["wave"] == net.wave for _, d in g.nodes(data=True))
    text = written[-1].read_text(encoding="utf-8")
    assert "Poes" not in text  # names never leave the app
    assert 'attr.name="mode_phone"' in text and 'attr.name="support_emotional"' in text


def test_network_canvas_tables_round_trip(tmp_path):
    rng = random.Random(4)
    maps = [random_network(rng, ego=f"p{i % 5}", wave=i // 5) for i in range(15)]
    maps.append(dataclasses.replace(EXAMPLE, ego="p9"))
    folder = tmp_path / "nc"
    written = nexport.export(maps, folder, "csv")
    assert [p.name for p in written] == [
        "network_ego.csv", "network_attributeList_Person.csv", "network_edgeList_Knows.csv",
    ]  # fmt: skip
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in written)
    back = nexport.read_network_canvas(folder)
    assert [measures(n) for n in back] == [measures(n) for n in maps]
    assert [[_exported(a) for a in n.alters] for n in back] == [
        [_exported(a) for a in n.alters] for n in maps
    ]
    header = {p.name: p.read_text(encoding="utf-8").splitlines()[0].split(",") for p in written}
    assert header["network_ego.csv"][:3] == [
        "networkCanvasEgoUUID", "networkCanvasCaseID", "networkCanvasSessionID",
    ]  # fmt: skip
    assert header["network_attributeList_Person.csv"][:3] == [
        "nodeID", "networkCanvasEgoUUID", "networkCanvasUUID",
    ]  # fmt: skip
    assert {"networkCanvasSourceUUID", "networkCanvasTargetUUID", "wave"} <= set(
        header["network_edgeList_Knows.csv"]
    )
    assert all("wave" in h for h in header.values())
    assert "Poes" not in (folder / "network_attributeList_Person.csv").read_text(encoding="utf-8")
    rows = (folder / "network_attributeList_Person.csv").read_text().splitlines()
    assert len(rows) - 1 == sum(len(n.alters) for n in maps)  # one row per alter
    edges = (folder / "network_edgeList_Knows.csv").read_text().splitlines()
    assert len(edges) - 1 == sum(len(n.ties) for n in maps)  # one row per tie


def test_an_export_refuses_the_same_map_twice_and_leaves_nothing(tmp_path):
    with pytest.raises(ValueError, match="ego 'p1' wave 1 twice"):
        nexport.export([EXAMPLE, EXAMPLE], tmp_path / "out", "csv")
    assert not (tmp_path / "out").exists()


def test_docs_hold_the_code_tables_and_define_every_measure():
    from pathlib import Path

    from verbind.core.network import FIELDS
    from verbind.core.network.definitions import codes_markdown

    text = (Path(__file__).resolve().parents[2] / "docs" / "network.md").read_text("utf-8")
    assert codes_markdown() in text, "docs/network.md is out of date: paste codes_markdown()"
    for field in FIELDS:
        assert f"| `{field}` |" in text, f"docs/network.md does not define {field}"
    assert f"at least **{DEFS.social_min}**" in text


def test_problems_point_at_the_line_as_written_when_parts_cannot_be_read():
    line = {
        "ego": "p1",
        "wave": 1,
        "alters": [
            "Jan",
            {"id": "a", "relation": "frend", "circle": 1, "frequency": "weekly",
             "meaningful": True},
            {"id": "b", "relation": "friend", "circle": 2, "meaningful": False},
            {"id": "a", "relation": "friend", "circle": 2, "frequency": "daily",
             "meaningful": False},
        ],
        "ties": [["a"], ["a", "b"], ["b", "a"]],
    }  # fmt: skip
    with pytest.raises(NetworkError) as caught:
        from_dict(line)
    assert [str(p) for p in caught.value.problems] == [
        'alters[0]: expected an object {"id": ..., "circle": ...}',
        "alters[2]: missing frequency",  # said once, not also as a wrong code
        "ties[0]: ['a']: a tie is a pair of two alter ids",
        "alters[1].relation: 'frend' is not a code; codes: partner, family, friend, neighbour, "
        "colleague, acquaintance, professional, online, other",
        "alters[3].id: 'a' is also alters[1]",
        "ties[2]: 'b' - 'a' is also ties[1]",
    ]


def test_an_export_that_fails_half_way_leaves_no_files(tmp_path):
    # A map that was never validated (a tie to nobody) breaks the CSV writer half way.
    broken = Network("p2", 1, EXAMPLE.alters, (("a", "nobody"),))
    folder = tmp_path / "out"
    with pytest.raises(KeyError):
        nexport.export([EXAMPLE, broken], folder, "csv")
    assert list(folder.iterdir()) == []  # neither files nor the staging folder


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 200) | st.floats(allow_nan=False)
    | st.sampled_from(["", "a0", "a1", "friend", "weekly", "more", "phone", "Jan", " "]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner,
                                                                 max_size=2),
    max_leaves=6,
)  # fmt: skip
_ALTER = st.fixed_dictionaries(
    {},
    optional=dict.fromkeys(
        ("id", "relation", "circle", "frequency", "meaningful", "wants", "modes", "support",
         "name", "extra"),
        _JSON,
    ),
)  # fmt: skip
_LINE = st.fixed_dictionaries(
    {},
    optional={
        "ego": _JSON, "wave": _JSON, "extra": _JSON,
        "alters": st.lists(_ALTER | _JSON, max_size=4),
        "ties": st.lists(st.lists(_JSON, max_size=3) | _JSON, max_size=3) | _JSON,
    },
)  # fmt: skip


@settings(max_examples=300)
@given(_LINE | _JSON)
def test_any_json_line_gives_a_map_or_named_problems_never_a_crash(data):
    try:
        net = from_dict(data)
    except NetworkError as exc:
        assert exc.problems and all(p.where and p.message for p in exc.problems)
        expected = None
    else:
        expected = row_of(net.ego, net.wave, measures(net))
    result = measure_lines([json.dumps(data)])
    assert result.rows == ([expected] if expected else [])
