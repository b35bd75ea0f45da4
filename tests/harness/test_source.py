"""YAML read with line numbers: spans, key lines, and YAML mistakes as file:line, one rule per test."""

from __future__ import annotations

import pytest

from harness.source import Problem, load, parse

SCENARIO = """\
name: spans
steps:
  - asinfo.sync: {}
    save: first

  # a comment between steps
  - komet.get_po:
      po: 0
    expect:
      status: CF
  # a comment after the last step
expect:
  - asinfo.print_labels: {awb: 0,
                          format: zpl}
  - komet.call:
      method: x
      params:
        note: |
          two
          lines

  - check: invariants
"""


@pytest.fixture
def src():
    return parse(SCENARIO, "spans.yaml")


def test_the_data_is_plain_python(src):
    assert src.data["steps"][1] == {"komet.get_po": {"po": 0}, "expect": {"status": "CF"}}


def test_a_step_span_ends_at_its_last_line_not_at_the_next_step(src):
    assert src.span(("steps", 0)) == (3, 4)


def test_a_step_span_leaves_out_trailing_blank_and_comment_lines(src):
    assert src.span(("steps", 1)) == (7, 10)


def test_a_flow_mapping_over_two_lines_spans_both(src):
    assert src.span(("expect", 0)) == (13, 14)


def test_a_block_scalar_span_leaves_out_its_trailing_blank_line(src):
    assert src.lines[("expect", 1, "komet.call", "params", "note")] == (18, 20)
    assert src.span(("expect", 1)) == (15, 20)


def test_the_last_step_of_the_file(src):
    assert src.span(("expect", 2)) == (22, 22)


def test_key_lines_are_where_each_key_is_written(src):
    assert src.key_lines[("steps",)] == 2
    assert src.key_lines[("steps", 1, "expect")] == 9
    assert src.key_lines[("steps", 1, "expect", "status")] == 10


def test_line_of_a_key_is_the_key_not_its_value(src):
    assert src.line(("steps", 1, "komet.get_po")) == 7  # the value starts on line 8


def test_line_of_a_list_item(src):
    assert src.line(("steps", 1)) == 7


def test_line_of_an_unknown_path_falls_back_to_its_nearest_known_parent(src):
    assert src.line(("steps", 1, "expect", "status", "deeper", 3)) == 10
    assert src.line(("steps", 9)) == 2


def test_line_of_the_root(src):
    assert src.line(()) == 1


def test_span_of_a_keyed_value_starts_at_its_key(src):
    assert src.span(("steps", 1, "expect")) == (9, 10)


def test_span_of_an_unknown_path_is_the_line_of_its_parent(src):
    assert src.span(("steps", 1, "nope")) == (7, 7)


def test_excerpt_numbers_the_lines(src):
    assert src.excerpt(3, 4) == "3 |   - asinfo.sync: {}\n4 |     save: first"


def test_excerpt_aligns_line_numbers_of_different_widths(src):
    assert src.excerpt(9, 10).splitlines() == [" 9 |     expect:", "10 |       status: CF"]


def test_excerpt_stops_at_the_end_of_the_file(src):
    assert len(src.excerpt(22, 40).splitlines()) == 1


def test_a_leading_comment_does_not_shift_lines():
    src = parse("# expect: something\nname: x\nsteps: []\n", "f")
    assert src.key_lines[("name",)] == 2


def problem(text: str) -> Problem:
    with pytest.raises(Problem) as info:
        parse(text, "f.yaml")
    return info.value


def test_problem_prints_file_line_message():
    assert str(Problem("a.yaml", 3, "what is wrong")) == "a.yaml:3: what is wrong"


def test_an_empty_text_is_a_problem_at_line_1():
    p = problem("")
    assert (p.line, p.message) == (1, "the file is empty (nothing but comments or blank lines)")


def test_a_text_of_comments_is_empty():
    assert "the file is empty" in problem("# one\n\n# two\n").message


def test_a_duplicate_key_is_reported_where_it_repeats_with_the_first_line():
    p = problem("name: a\nsteps: []\nname: b\n")
    assert (p.line, p.message) == (3, "duplicate key 'name' (first on line 1)")


def test_a_duplicate_key_deep_inside():
    p = problem("steps:\n  - asinfo.confirm: {po: 0, po: 1}\n")
    assert p.line == 2 and "duplicate key 'po'" in p.message


def test_a_tab_is_reported_on_its_line():
    p = problem("name: x\nsteps:\n\t- a: 1\n")
    assert p.line == 3 and "a tab character" in p.message


def test_an_unclosed_bracket_is_reported_where_it_opened():
    p = problem("name: x\ntags: [a, b\nsteps: []\n")
    assert p.line == 2 and "the '[' opened on line 2 is never closed" in p.message


def test_an_unclosed_bracket_at_the_end_of_the_file():
    p = problem("name: x\nstep: {a: 1\n")
    assert p.line == 2 and "found the end of the file" in p.message


def test_an_unclosed_quote_is_reported_where_it_opened():
    p = problem('name: "x\nsteps:\n  - a: 1\n')
    assert p.line == 1 and "the quote opened on line 1 is never closed" in p.message


def test_bad_indentation_is_reported_on_the_line_that_does_not_line_up():
    p = problem("steps:\n  - a: 1\n   - b: 2\n")
    assert p.line == 3 and "bad indentation: line 3 does not line up" in p.message


def test_a_colon_inside_plain_text():
    p = problem("steps:\n  - a: 1\n    refused: Komet said: no\n")
    assert p.line == 3 and "a ':' where no key can start" in p.message


def test_a_line_without_a_colon_in_a_mapping():
    p = problem("name: x\nsteps:\n  - a: 1\n  just words\n  - b: 2\n")
    assert p.line == 4 and "line 4 is not `key: value`" in p.message


def test_two_documents_in_one_file():
    p = problem("name: a\n---\nname: b\n")
    assert p.line == 2 and "a second YAML document" in p.message


def test_an_undefined_alias():
    p = problem("a: *nope\n")
    assert p.line == 1 and "no anchor &name defines it" in p.message


def test_a_merge_key_is_refused_with_the_alternative():
    p = problem("base: &b {po: 0}\nstep: {<<: *b, boxes: all}\n")
    assert p.line == 2 and "merge keys (<<) are not supported" in p.message


def test_a_key_that_is_not_plain_text():
    p = problem("? [a, b]\n: 1\n")
    assert p.line == 1 and p.message == "a key must be plain text"


def test_every_yaml_problem_says_it_is_yaml():
    assert problem("a: [\n").message.startswith("YAML syntax error: ")


def test_load_of_a_missing_file(tmp_path):
    with pytest.raises(Problem) as info:
        load(tmp_path / "nope.yaml", "nope.yaml")
    assert str(info.value) == "nope.yaml: file not found"


def test_load_of_a_directory(tmp_path):
    with pytest.raises(Problem, match="a directory"):
        load(tmp_path)


def test_load_of_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_bytes(b"name: \xff\n")
    with pytest.raises(Problem, match="not UTF-8"):
        load(path)


def test_load_shows_the_display_name(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("name: [\n", encoding="utf-8")
    with pytest.raises(Problem) as info:
        load(path, "shown.yaml")
    assert info.value.file == "shown.yaml"
