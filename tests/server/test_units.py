"""The server's parts without a server: values as PostgreSQL writes them, parameters,
statements, the ``$n`` placeholders, SCRAM, error positions and catalog routing."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
from datetime import datetime, timedelta
from decimal import Decimal

import pyarrow as pa
import pytest

from ddsql_lite.errors import ParseError, UndefinedColumnError, at, located
from ddsql_lite.server.catalog import is_catalog_query, rewrite
from ddsql_lite.server.scram import ScramError, ScramServer
from ddsql_lite.server.statements import classify, placeholders, setting_value
from ddsql_lite.server.wire_types import (
    FLOAT8,
    TEXT,
    _numeric_from_binary,
    array_text,
    column_for,
    hstore_text,
    numeric_binary,
    parse_array,
    read_parameter,
    scalar_text,
)


def test_hstore_text_orders_keys_as_hstore_and_escapes() -> None:
    tags = [("team", ["b", "a"]), ("env", ["prod"]), ('a"b\\', [""]), ("zz", None)]
    assert hstore_text(tags) == '"zz"=>NULL, "env"=>"prod", "a\\"b\\\\"=>"", "team"=>"b,a"'
    assert hstore_text([]) == ""


def test_array_text_quotes_as_postgresql() -> None:
    assert array_text(["a", "b c", "", None, "NULL", 'q"', "x,y", "{"], TEXT) == (
        '{a,"b c","",NULL,"NULL","q\\"",' + '"x,y","{"}'
    )
    assert array_text([1.0, 0.1], FLOAT8) == "{1,0.1}"
    assert array_text([True, False], column_for("BOOLEAN").pg) == "{t,f}"


def test_scalar_text_is_postgresql_output() -> None:
    assert scalar_text(1e15, FLOAT8) == "1e+15"
    assert scalar_text(datetime(2025, 1, 1, 10, 0, 0, 250000), TEXT) == "2025-01-01 10:00:00.25"
    assert scalar_text(pa.MonthDayNano([-4, 0, 1_000_000_000]), TEXT) == "-4 mons +00:00:01"
    assert scalar_text(timedelta(days=1, hours=2), TEXT) == "1 day 02:00:00"
    assert scalar_text(True, TEXT) == "t"


@pytest.mark.parametrize(
    "text", ["0", "1", "-1", "12345.6789", "0.0001", "1e20", "-0.5", "99990000"]
)
def test_numeric_binary_round_trips(text: str) -> None:
    value = Decimal(text)
    assert _numeric_from_binary(numeric_binary(value)) == value


def test_parameters_read_by_declared_type() -> None:
    assert read_parameter(b"42", 20, False) == 42
    assert read_parameter(struct.pack("!q", -7), 20, True) == -7
    assert read_parameter(b"2.5", 701, False) == 2.5
    assert read_parameter(b"t", 16, False) is True
    assert read_parameter(b"2025-01-01 10:00:00+02", 1184, False) == datetime(2025, 1, 1, 8)
    assert read_parameter(b"x' OR 1=1", 0, False) == "x' OR 1=1"
    assert read_parameter(b'{a,"b c",NULL}', 1009, False) == ["a", "b c", None]
    with pytest.raises(Exception, match="invalid input syntax for type int8"):
        read_parameter(b"many", 20, False)
    assert parse_array("{}") == []


def test_placeholders_outside_strings_and_positions_back() -> None:
    sql = "SELECT '$1', $1, \"$2\", $10 -- $3\n, x"
    text, highest, back = placeholders(sql)
    assert text == "SELECT '$1', :p1, \"$2\", :p10 -- $3\n, x"
    assert highest == 10
    assert back(text.index("x") + 1) == sql.index("x") + 1
    assert back(text.index(":p10") + 1) == sql.index("$10") + 1


@pytest.mark.parametrize(
    ("sql", "name", "setting", "value"),
    [
        ("BEGIN", "transaction", "", None),
        ("  rollback to savepoint a", "transaction", "", None),
        ("SET application_name = 'x'", "set", "application_name", "x"),
        ('set time zone "Etc/UTC"', "set", "timezone", "Etc/UTC"),
        ("SET SESSION DateStyle TO ISO, MDY", "set", "datestyle", "ISO, MDY"),
        ("SHOW TRANSACTION ISOLATION LEVEL", "show", "transaction_isolation", None),
        ("SET dd.time_frame_start = '2025-01-01'", "set", "dd.time_frame_start", "2025-01-01"),
        ("SELECT 1", "query", "", None),
        (" ; ", "empty", "", None),
        ("-- nothing", "empty", "", None),
        ("DISCARD ALL", "ignored", "", None),
    ],
)
def test_statements_are_classified(sql: str, name: str, setting: str, value: str | None) -> None:
    kind = classify(sql)
    assert (kind.name, kind.setting) == (name, setting)
    if value is not None:
        assert setting_value(kind.value) == value


def _client_proof(password: str, first_bare: str, server_first: str, final_bare: str) -> str:
    attrs = dict(part.split("=", 1) for part in server_first.split(","))
    salted = hashlib.pbkdf2_hmac(
        "sha256", password.encode(), base64.b64decode(attrs["s"]), int(attrs["i"])
    )
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    stored = hashlib.sha256(client_key).digest()
    message = f"{first_bare},{server_first},{final_bare}".encode()
    signature = hmac.new(stored, message, hashlib.sha256).digest()
    return base64.b64encode(bytes(a ^ b for a, b in zip(client_key, signature))).decode()


@pytest.mark.parametrize(("given", "ok"), [("right one", True), ("wrong", False)])
def test_scram_exchange(given: str, ok: bool) -> None:
    server = ScramServer("right one")
    first_bare = "n=,r=clientnonce"
    server_first = server.first("n,," + first_bare)
    assert server_first.startswith("r=clientnonce")
    nonce = server_first.split(",")[0][2:]
    final_bare = f"c=biws,r={nonce}"
    proof = _client_proof(given, first_bare, server_first, final_bare)
    if ok:
        assert server.final(f"{final_bare},p={proof}").startswith("v=")
    else:
        with pytest.raises(ScramError, match="password authentication failed"):
            server.final(f"{final_bare},p={proof}")


def test_errors_give_their_place_as_a_position() -> None:
    sql = "SELECT a,\n  nosuch FROM t"
    message = at("column 'nosuch' does not exist", sql, sql.index("nosuch"))
    assert located(str(UndefinedColumnError(message)), sql) == (
        "column 'nosuch' does not exist",
        sql.index("nosuch") + 1,
    )
    error = ParseError("syntax error at end of input", sql, 2, 3)
    assert located(str(error), sql)[1] == sql.index("nosuch") + 1
    assert located("no place here", sql) == ("no place here", None)
    assert UndefinedColumnError.sqlstate == "42703" and ParseError.sqlstate == "42601"


@pytest.mark.parametrize(
    ("sql", "catalog"),
    [
        ("SELECT * FROM pg_catalog.pg_class", True),
        ("SELECT relname FROM pg_class", True),
        ("SELECT table_name FROM information_schema.tables", True),
        ("select version()", True),
        ("SELECT current_schema()", True),
        ("SELECT pg_backend_pid()", True),
        ("SELECT current_setting('application_name')", True),
        ("SELECT current_setting('dd.time_frame_start')", False),
        ("SELECT count(*) FROM aws.sagemaker_inference_experiment", False),
        ("SELECT 1", False),
        ("selec 1", False),
    ],
)
def test_catalog_queries_are_told_apart(sql: str, catalog: bool) -> None:
    assert is_catalog_query(sql) is catalog


def test_catalog_rewrite() -> None:
    session = {"database": "db", "current_schema": "public", "search_path": "public, aws"}
    sql = rewrite(
        "SELECT c.oid::pg_catalog.regclass, pg_catalog.version() FROM pg_catalog.pg_class c "
        "WHERE c.relname OPERATOR(pg_catalog.~) '^(x)$' COLLATE pg_catalog.default",
        session,
    )
    assert "pgc.pg_class" in sql and 'ddsql_regclass(c.oid) as "oid"' in sql.lower()
    assert "PostgreSQL 15" in sql and "COLLATE" not in sql.upper()
