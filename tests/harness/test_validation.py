"""The validator's rules beyond the corpus, in process (fast): each case is a small file, the one problem it
must get (line and message), and nothing else."""

from __future__ import annotations

import pytest

from harness.scenario import ProblemList, load_file

HEAD = "name: x\nworld: {grower: connected}\nsteps:\n"  # steps start on line 4


def problems_of(write, text: str, name: str = "s.yaml") -> list[tuple[int | None, str]]:
    try:
        load_file(write(text, name))
    except ProblemList as exc:
        return [(p.line, p.message) for p in exc.problems]
    return []


CASES = {
    "step-as-text": (
        "  - asinfo.sync\n",
        4,
        'steps[0]: expected a step (action: arguments), got "asinfo.sync"; write `asinfo.sync: {}`',
    ),
    "required-args-missing-entirely": (
        "  - asinfo.confirm:\n",
        4,
        "steps[0].asinfo.confirm: needs its arguments (po, boxes), got nothing",
    ),
    "negative-boxes": (
        "  - asinfo.confirm: {po: 0, boxes: -1}\n",
        4,
        "steps[0].asinfo.confirm.boxes: expected a whole number (0 or more) or all/none, got -1",
    ),
    "methods-word": (
        "  - komet.create_token: {methods: some}\n",
        4,
        'steps[0].komet.create_token.methods: expected asinfo/all or a list of text, got "some"',
    ),
    "enum-near-miss": ("  - fault: {kind: timout}\n", 4, "did you mean 'timeout'?"),
    "check-near-miss": ("  - check: invariant\n", 4, "did you mean 'invariants'?"),
    "empty-list-arg": (
        "  - komet.create_po: {lines: []}\n",
        4,
        "steps[0].komet.create_po.lines: expected at least one item, got an empty list",
    ),
    "unknown-key-deep": (
        "  - komet.create_po:\n      lines:\n        - {boxes: 2, prodct: 1}\n",
        6,
        "unknown key 'prodct' in steps[0].komet.create_po.lines[0]; did you mean 'product'?",
    ),
    "unknown-step-lists-its-family": (
        "  - asinfo.frobnicate: {}\n",
        4,
        "steps[0]: unknown step 'asinfo.frobnicate' (asinfo steps: assign_boxes, cancel_outbox, confirm, connect,",
    ),
    "include-is-a-number": ("  - include: 5\n", 4, "steps[0].include: expected text, got 5"),
    "save-object-bad-name": (
        "  - asinfo.sync: {}\n    save: {'my x': result}\n",
        5,
        'steps[0].save: "my x" is not a variable name',
    ),
    "save-path-not-text": (
        "  - asinfo.sync: {}\n    save: {x: 5}\n",
        5,
        "steps[0].save.x: expected text, got 5",
    ),
    "save-over-last": (
        "  - asinfo.sync: {}\n    save: last\n",
        5,
        "steps[0].save: 'last' is a built-in variable",
    ),
    "reference-unreadable": (
        "  - asinfo.sync: {}\n    save: x\n  - asinfo.ship: {awb: '${x..y}'}\n",
        6,
        "steps[1].asinfo.ship.awb: ${x..y} cannot be read (unexpected '.' at column 3)",
    ),
    "reference-function-as-field": (
        "  - asinfo.orders: {}\n    save: boxes\n  - check: {value: '${boxes|length}'}\n    expect: 1\n",
        6,
        "steps[1].check.value: ${boxes|length} reads a field named 'length', which yields nothing; "
        "JMESPath calls functions with their argument: ${length(boxes)}",
    ),
    "reference-unknown-function": (
        "  - asinfo.orders: {}\n    save: boxes\n  - check: {value: '${lenght(boxes)}'}\n",
        6,
        "steps[1].check.value: ${lenght(boxes)}: JMESPath has no function lenght()",
    ),
    "reference-function-wrong-arity": (
        "  - asinfo.orders: {}\n    save: boxes\n  - check: {value: '${length(boxes, boxes)}'}\n",
        6,
        "steps[1].check.value: ${length(boxes, boxes)}: length() takes 1 argument(s), got 2",
    ),
    "reference-function-of-undefined": (
        "  - check: {value: '${length(boxs)}'}\n",
        4,
        "steps[0].check.value: undefined variable 'boxs'",
    ),
    "save-function-as-field": (
        "  - asinfo.orders: {}\n    save: {n: 'lines|length'}\n",
        5,
        "steps[0].save.n: lines|length reads a field named 'length'",
    ),
    "expect-field-not-returned": (
        "  - asinfo.get_line: {po: 0, line: 0}\n    expect: {confirmed: 1}\n",
        5,
        "steps[0].expect.confirmed: asinfo.get_line returns no field 'confirmed'; did you mean 'confirmedBoxes'?",
    ),
    "expect-field-not-in-list-items": (
        "  - asinfo.orders: {}\n    expect: {$each: {shipDat: today}}\n",
        5,
        "steps[0].expect.$each.shipDat: asinfo.orders returns no field 'shipDat' in its items; did you mean "
        "'shipDate'?",
    ),
    "renamed-argument-suggests-its-new-name": (
        "  - komet.change_line: {po: 0, line: 0, totalBoxes: 3}\n",
        4,
        "unknown key 'totalBoxes' in steps[0].komet.change_line; did you mean 'boxes'?",
    ),
    "reference-unclosed": (
        "  - asinfo.sync: {}\n    save: x\n  - asinfo.ship: {awb: '${x'}\n",
        6,
        "steps[1].asinfo.ship.awb: a ${ without its closing } in '${x'",
    ),
    "regex-matcher-invalid": (
        "  - asinfo.sync: {}\n    expect: {result: {$regex: '(ok'}}\n",
        5,
        "steps[0].expect.result.$regex: /(ok/ is not a valid regular expression",
    ),
    "type-matcher-unknown-type": (
        "  - asinfo.sync: {}\n    expect: {result: {$type: text}}\n",
        5,
        "steps[0].expect.result.$type: expected one of string, number, integer",
    ),
    "len-matcher-not-a-number": (
        "  - asinfo.sync: {}\n    expect: {counts: {$len: two}}\n",
        5,
        "steps[0].expect.counts.$len: expected a whole number or a matcher",
    ),
    "in-matcher-not-a-list": (
        "  - asinfo.sync: {}\n    expect: {result: {$in: ok}}\n",
        5,
        "steps[0].expect.result.$in: expected a list, got 'ok'",
    ),
    "matcher-inside-each": (
        "  - asinfo.get_order: {po: 0}\n    expect: {lines: {$each: {state: {$regx: a}}}}\n",
        5,
        "unknown matcher '$regx'; did you mean '$regex'?",
    ),
    "unknown-matcher-in-list-item": (
        "  - asinfo.shipments: {}\n    expect: [{state: {$nay: sent}}]\n",
        5,
        "steps[0].expect[0].state: unknown matcher '$nay'",
    ),
    "with-on-an-action": (
        "  - asinfo.sync: {}\n    with: {a: 1}\n",
        5,
        "steps[0].with: belongs to an include step",
    ),
    "save-on-include": (
        "  - include: fragments/f.yaml\n    save: x\n",
        5,
        "steps[0].save: an include step has no result to save",
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_rule(write, case):
    steps, line, message = CASES[case]
    write("params: {po: 0}\nsteps:\n  - asinfo.sync: {}\n", "fragments/f.yaml")
    found = problems_of(write, HEAD + steps)
    assert len(found) == 1, found
    assert found[0][0] == line, found
    assert message in found[0][1], found


def test_an_action_with_nothing_after_the_colon_is_an_action_without_arguments(write):
    assert problems_of(write, HEAD + "  - asinfo.sync:\n  - asinfo.retry:\n") == []


def test_a_variable_saved_by_a_fragment_is_in_scope_after_the_include(write):
    write(
        "params: {po: 0}\nsteps:\n  - asinfo.create_awb: {po: '${po}'}\n    save: awb\n", "fragments/awb.yaml"
    )
    assert (
        problems_of(write, HEAD + "  - include: fragments/awb.yaml\n  - asinfo.ship: {awb: '${awb}'}\n") == []
    )


def test_fragment_params_are_not_undefined_variables(write):
    write(
        "params: {airline: '729'}\nsteps:\n  - asinfo.create_awb: {airline: '${airline}'}\n",
        "fragments/p.yaml",
    )
    assert problems_of(write, HEAD + "  - include: fragments/p.yaml\n") == []


def test_a_fragment_param_binds_inside_refused_too(write):
    write("params: {why: nope}\nsteps:\n  - asinfo.sync: {}\n    refused: '${why}'\n", "fragments/r.yaml")
    scenarios = load_file(write(HEAD + "  - include: fragments/r.yaml\n    with: {why: down}\n"))
    assert scenarios[0].steps[0].refused == "down"


def test_a_fragment_that_is_not_a_mapping_is_reported_in_the_fragment(write):
    write("- asinfo.sync: {}\n", "fragments/list.yaml")
    found = problems_of(write, HEAD + "  - include: fragments/list.yaml\n")
    assert len(found) == 1 and found[0][0] == 1 and "at the top of a fragment, got a list" in found[0][1]


def test_a_fragment_with_a_yaml_error_is_reported_in_the_fragment(write, tmp_path):
    write("steps:\n  - asinfo.sync: {po: [0}\n", "fragments/bad.yaml")
    with pytest.raises(ProblemList) as info:
        load_file(write(HEAD + "  - include: fragments/bad.yaml\n"))
    [p] = info.value.problems
    assert p.file.endswith("fragments/bad.yaml") and p.line == 2 and "never closed" in p.message


def test_an_include_of_a_directory(write):
    write("steps:\n  - asinfo.sync: {}\n", "fragments/f.yaml")
    assert problems_of(write, HEAD + "  - include: fragments\n") == [
        (4, "steps[0].include: cannot include fragments: a directory, not a YAML file")
    ]


def test_an_include_with_a_near_miss_name_suggests_the_file(write):
    write("steps:\n  - asinfo.sync: {}\n", "fragments/ship-po.yaml")
    [(line, message)] = problems_of(write, HEAD + "  - include: fragments/ship_po.yaml\n")
    assert line == 4 and message.endswith("did you mean 'ship-po.yaml'?")


def test_a_fragment_included_twice_reports_its_problem_once(write):
    write("steps:\n  - asinfo.sync: {bad: 1}\n", "fragments/twice.yaml")
    found = problems_of(
        write, HEAD + "  - include: fragments/twice.yaml\n  - include: fragments/twice.yaml\n"
    )
    assert len(found) == 1


def test_an_undefined_variable_in_a_fragment_names_the_include(write, tmp_path):
    write("steps:\n  - asinfo.ship: {awb: '${awb}'}\n", "fragments/u.yaml")
    [(line, message)] = problems_of(write, HEAD + "  - include: fragments/u.yaml\n")
    assert line == 2 and message.endswith(f"the step comes from the include at {tmp_path / 's.yaml'}:4")


def test_an_undefined_variable_is_reported_on_the_line_that_uses_it(write):
    found = problems_of(write, HEAD + "  - asinfo.create_awb:\n      po: 0\n      number: '${nr}'\n")
    assert [line for line, _ in found] == [6]


def test_an_undefined_variable_missing_in_every_case_names_no_case(write):
    text = "name: x\ncases:\n  - {name: a}\n  - {name: b}\nsteps:\n  - check: {value: '${n}'}\n"
    [(line, message)] = problems_of(write, text)
    assert line == 6 and " in case " not in message


def test_vars_are_in_scope(write):
    assert problems_of(write, "name: x\nvars: {n: 1}\nsteps:\n  - check: {value: '${n}'}\n") == []


def test_several_mistakes_in_one_file_are_all_reported_in_line_order(write):
    text = (
        "name: x\nseed: a\nsteps:\n  - asinfo.shipp: {}\n  - asinfo.confirm: {po: 0, boxes: five, extra: 1}\n"
    )
    assert [line for line, _ in problems_of(write, text)] == [2, 4, 5, 5]


def test_an_unquoted_date_is_a_date(write):
    assert problems_of(write, HEAD + "  - asinfo.create_awb: {shipDate: 2026-11-27}\n") == []
    assert load_file(write(HEAD + "  - asinfo.create_awb: {shipDate: 2026-11-27}\n"))[0].steps[0].args == {
        "shipDate": "2026-11-27"
    }


def test_an_unquoted_date_that_does_not_exist_is_named(write):
    [(line, message)] = problems_of(write, HEAD + "  - asinfo.create_awb: {shipDate: 2026-02-30}\n")
    assert line == 4 and message.startswith(
        'steps[0].asinfo.create_awb.shipDate: "2026-02-30" is not a real date'
    )


def test_relative_dates_are_dates(write):
    assert (
        problems_of(
            write, HEAD + "  - asinfo.orders: {shipDate: today}\n  - asinfo.orders: {shipDate: -2d}\n"
        )
        == []
    )


MUTATIONS = [
    "",
    "{}",
    "[]",
    "~",
    "yes",
    "-1",
    "${a}",
    "${",
    "$len",
    "{$gt: x}",
    ":",
    "- ",
    "\t",
    "'",
    '"',
    "[",
    "{",
    "}",
    "*a",
    "&a",
    "!!binary x",
    "!!int x",
    "<<: {}",
    "? a",
    "---",
    "|",
    "@",
    "2026-02-30",
    "asinfo.sync",
    "include: nope.yaml",
    "with: {}",
    "save: 1",
    ".inf",
    "on",
]


def test_no_mangled_file_ever_gets_anything_but_problems(write):
    """Random small edits of every corpus file: each loads, or fails with file:line problems; never a crash."""
    import random
    from pathlib import Path

    corpus = Path(__file__).resolve().parent / "corpus"
    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.yaml"))]
    for frag in (corpus / "fragments").glob("*.yaml"):
        write(frag.read_text(encoding="utf-8"), f"fragments/{frag.name}")
    rng = random.Random(20261127)
    for _ in range(300):
        lines = rng.choice(texts).splitlines() or [""]
        j = rng.randrange(len(lines))
        words = lines[j].split(" ")
        words[rng.randrange(len(words))] = rng.choice(MUTATIONS)
        lines[j] = " ".join(words)
        try:
            load_file(write("\n".join(lines) + "\n"))
        except ProblemList as exc:
            assert all(p.line >= 1 and p.message for p in exc.problems)


def test_the_shipped_scenario_library_validates():
    from pathlib import Path

    from harness.runner import collect

    library = Path(__file__).resolve().parents[2] / "scenarios"
    scenarios, problems = collect([str(library)])
    assert problems == [] and scenarios


def test_expect_fields_of_a_refused_step_are_the_refusal_not_the_result(write):
    text = (
        HEAD
        + "  - asinfo.confirm: {po: 0, line: 0, boxes: 99}\n    refused: at most\n    expect: {refused: x}\n"
    )
    assert problems_of(write, text) == []


def test_expect_fields_of_a_whole_po_confirmation_are_the_orders(write):
    text = HEAD + "  - asinfo.confirm: {po: 0, boxes: all}\n    expect: {lines: [], confirmations: {}}\n"
    assert problems_of(write, text) == []


def test_another_growers_own_fields_are_not_checked_against_asinfos(write):
    from harness.scenario_checks import grower_results

    text = HEAD + "  - asinfo.get_line: {po: 0, line: 0}\n    expect: {myErpField: 1}\n"
    assert problems_of(write, text) != []
    with grower_results("examples.mini_grower.adapter:MiniGrowerAdapter"):
        assert problems_of(write, text) == []
