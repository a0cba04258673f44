"""How the shell lays results out: aligned tables, expanded records, footer, pager."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from ddsql_lite.repl import display


def plain(lines: list[display.Fragments]) -> list[str]:
    return display.to_text(lines, styled=False).splitlines()


def test_aligned_table_is_psql_like_with_nulls_and_numbers() -> None:
    lines, cut = display.aligned(["name", "n", "note"], [("a", 1, None), ("bbbb", 22.5, "x")])
    assert plain(lines) == [
        "name | n    | note",
        "-----+------+-----",
        "a    |    1 | NULL",
        "bbbb | 22.5 | x",
    ]
    assert not cut


def test_null_is_styled_apart_from_the_text_null_on_a_terminal() -> None:
    lines, _ = display.aligned(["v"], [(None,), ("NULL",)])
    styled = display.to_text(lines, styled=True).splitlines()
    assert styled[2] == display.STYLES["null"] + "NULL" + display.RESET
    assert styled[3] == "NULL"


def test_multi_line_values_continue_with_a_plus() -> None:
    lines, _ = display.aligned(["a", "b"], [("one\ntwo", "x"), ("y", "1\n2")])
    assert plain(lines)[2:] == ["one+| x", "two |", "y   | 1+", "    | 2"]
    lines, _ = display.aligned(["a", "b"], [("one\ntwo", "x")], markers=False)
    assert plain(lines)[2:] == ["one | x", "two |"]


def test_wide_values_are_cut_to_fit_widest_column_first() -> None:
    doc = json.dumps({"k" * 10: "v" * 200})
    lines, cut = display.aligned(["name", "doc"], [("short", doc)], max_width=60)
    text = plain(lines)
    assert cut and all(display.width(line) <= 60 for line in text)
    assert text[2].startswith("short | {") and text[2].endswith("…")
    assert display.aligned(["name", "doc"], [("short", doc)], max_width=None)[1] is False


def test_long_columns_are_cut_to_a_common_width_before_short_ones() -> None:
    stamp = "2025-01-01 00:00:00.000+00:00"  # short: kept whole while others can give room
    rows = [("dd.time_frame_start", stamp, "Start of the query time frame " + "x" * 30)]
    text = plain(display.aligned(["name", "setting", "description"], rows, max_width=80)[0])
    assert f"| {stamp} |" in text[2] and text[2].endswith("…") and len(text[2]) == 80
    rows = [("n", "a" * 100, "b" * 60)]
    text = plain(display.aligned(["n", "x", "y"], rows, max_width=50)[0])
    assert text[2] == "n | " + "a" * 20 + "…" + " | " + "b" * 20 + "…"


def test_a_narrow_terminal_cuts_free_text_and_keeps_the_name_whole() -> None:
    arn = "arn:aws:sagemaker:us-east-1:482910374615:inference-experiment/fraud-xgb-v7-shadow"
    name = "fraud-xgb-v7-shadow-experiment-nm"
    rows = [(arn, name, "r" * 30, "d" * 120)]
    columns = ["arn", "name", "reason", "description"]
    text = plain(display.aligned(columns, rows, max_width=200)[0])  # the long text first
    assert text[2] == f"{arn} | {name} | {'r' * 30} | {'d' * 46}…"
    text = plain(display.aligned(columns, rows, max_width=150)[0])  # then the short text
    assert text[2] == f"{arn} | {name} | {'r' * 12}… | {'d' * 12}…"
    text = plain(display.aligned(columns, rows, max_width=100)[0])  # then the names too
    assert max(len(line) for line in text) <= 100 and arn not in text[2]
    assert display.identifying("model_name") and display.identifying("role_arn")
    assert not display.identifying("description") and not display.identifying("names")


def test_cutting_counts_wide_characters() -> None:
    lines, cut = display.aligned(["v"], [("日本語のテキスト" * 4,)], max_width=20)
    assert cut and max(display.width(line) for line in plain(lines)) <= 20


def test_expanded_records_pretty_print_json_and_never_cut() -> None:
    doc = {"variants": [{"name": "x" * 150, "count": 4}], "empty": {}}
    rows = [("exp-1", json.dumps(doc), [("team", ["a", "b"])], None)]
    text = plain(display.expanded(["name", "model_variants", "tags", "ended"], rows))
    assert text[0].startswith("-[ RECORD 1 ]")
    assert text[1] == "name           | exp-1"
    assert text[2] == "model_variants | {"
    assert any(line.endswith('"name": "' + "x" * 150 + '",') for line in text)
    assert 'tags           | {"team": ["a", "b"]}' in text
    assert text[-1] == "ended          | NULL"
    body = "\n".join(line.split("| ", 1)[1] for line in text[2:] if "| " in line)
    assert json.loads(body.split("\n{")[0]) == doc  # the JSON lines parse back whole


def test_pretty_leaves_non_json_text_alone() -> None:
    assert display.pretty("[1,2]") == "[1,2]"  # short JSON text is shown as written
    assert display.pretty("{not json}" * 20) == "{not json}" * 20
    assert display.pretty("plain") == "plain"
    assert display.pretty(3) == "3"


def test_footer_counts_rows_and_time() -> None:
    assert display.to_text([display.footer(1, None)], styled=False) == "(1 row)\n"
    assert display.to_text([display.footer(3, 0.0123)], styled=False) == "(3 rows, 12.3 ms)\n"
    assert display.to_text([display.footer(0, 2.5, "x")], styled=False) == "(0 rows, 2.50 s) x\n"


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_pager_runs_for_tall_output_on_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paged = tmp_path / "paged.txt"
    monkeypatch.setenv("PAGER", f"sh -c 'cat > {paged}'")
    monkeypatch.setenv("LINES", "10")
    tall = "".join(f"line {i}\n" for i in range(50))
    screen = FakeTerminal()
    display.show(tall, screen, pager=True)
    assert paged.read_text() == tall and screen.getvalue() == ""
    display.show("short\n", screen, pager=True)  # fits: no pager
    assert screen.getvalue() == "short\n"


def test_no_pager_when_not_a_terminal_or_turned_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paged = tmp_path / "paged.txt"
    monkeypatch.setenv("PAGER", f"sh -c 'cat > {paged}'")
    monkeypatch.setenv("LINES", "10")
    tall = "x\n" * 50
    out = io.StringIO()
    display.show(tall, out, pager=True)
    assert out.getvalue() == tall and not paged.exists()
    monkeypatch.setenv("PAGER", "")
    screen = FakeTerminal()
    display.show(tall, screen, pager=True)
    assert screen.getvalue() == tall


# --- hostile text (issue 13): controls escaped, widths counted on what is shown ----------

HOSTILE = [
    ("\x1b]0;pwned\x07", "\\x1b]0;pwned\\x07"),  # retitles the terminal
    ("visible\rhidden", "visible\\rhidden"),  # hides what came before
    ("a\tb", "a\\tb"),
    ("\x00\x08\x7f", "\\x00\\x08\\x7f"),
    ("\u009b2J", "\\x9b2J"),  # C1 CSI
    ("abc\u202edcba", "abc\\u202edcba"),  # right-to-left override
    ("x\u2028y", "x\\u2028y"),
    ("\udcff", "\\udcff"),  # an undecodable byte: also unencodable
    ("漢字 ok é", "漢字 ok é"),
]


@pytest.mark.parametrize(("raw", "shown"), HOSTILE)
def test_controls_are_escaped_in_aligned_and_expanded_display(raw: str, shown: str) -> None:
    lines, _ = display.aligned([f"c{raw}", "n"], [(raw, 1), ("x", 22)])
    text = plain(lines)
    assert text[0].startswith(f"c{shown} | n") and text[2].startswith(f"{shown} ")
    bars = {
        display.width(line[: line.index("+" if n == 1 else "|")]) for n, line in enumerate(text)
    }
    assert len(bars) == 1, text  # the columns line up
    styled = display.to_text(lines, styled=True)
    assert raw in ("漢字 ok é",) or raw not in styled
    record = plain(display.expanded([f"c{raw}"], [(raw,)]))
    assert record[1] == f"c{shown} | {shown}"


def test_a_line_break_stays_a_line_break_and_is_shown_as_such_in_headers() -> None:
    lines, _ = display.aligned(["a\nb"], [("one\r\ntwo",)])
    assert plain(lines) == ["a\\nb", "-----", "one\\r+", "two"]


def test_widths_count_wide_and_zero_width_characters() -> None:
    assert display.width("漢字") == 4 and display.width("e\u0301") == 1
    assert display.width("\u200d") == 0 and display.width("abc") == 3
    lines, _ = display.aligned(["名前", "n"], [("漢字", 1), ("x", 2)])
    assert plain(lines) == ["名前 | n", "-----+--", "漢字 | 1", "x    | 2"]
    cut_lines, cut = display.aligned(["v"], [("\x1b" * 30,)], max_width=10)
    assert cut and plain(cut_lines)[2] == "\\x1b\\x1b\\…"
