"""Doubles made text (casts, ``||``, ``array_to_string``, arrays) read exactly as
PostgreSQL 15 prints them, on thousands of values. (Arrays made text, with every
quoting case, are in the oracle corpus, tests/oracle/corpus/dialect.sql.)"""

from __future__ import annotations

import math
import random
import struct

import pytest

import ddsql_lite
from ddsql_lite.formats import float_text
from tests.support.pg_oracle import PostgresServer, run


def doubles(count: int, seed: int = 15) -> list[float]:
    """Edge values (the 1e15 and 1e-4 layout switches, integers, specials, extremes) and
    random doubles of every magnitude, random bit patterns included."""
    rng = random.Random(seed)
    edges = [
        0.0,
        -0.0,
        1.0,
        -2.0,
        0.1,
        0.5,
        1e15,
        -1e15,
        1.5e15,
        1e15 + 0.5,
        9999999999999998.0,
        1e16,
        1e16 + 2,
        999999999999999.9,
        123456789012345.6,
        1e-4,
        1e-5,
        0.00012345,
        5e-324,
        2.2250738585072014e-308,
        1.7976931348623157e308,
        2**53,
        2**53 + 2.0,
        math.inf,
        -math.inf,
        math.nan,
        100.0,
        1e21,
        1e22,
        123456.0,
        1 / 3,
    ]
    values = [*edges, *(2.0**e for e in range(50, 1024, 7)), *(-(2.0**e) for e in (53, 54, 70))]
    while len(values) < count:
        pick = rng.random()
        if pick < 0.1:  # few digits, large: where a rounding bound can be the shortest text
            values.append(float(f"{rng.randint(1, 99999)}e{rng.randint(16, 300)}"))
        elif pick < 0.3:
            values.append(round(rng.uniform(-1, 1) * 10 ** rng.randint(-6, 20), rng.randint(0, 6)))
        elif pick < 0.6:
            values.append(rng.uniform(1e15, 1e16) * rng.choice((1, -1)))
        elif pick < 0.8:
            values.append(float(rng.randint(-(10**17), 10**17)))
        else:
            bits = rng.getrandbits(64)
            value = struct.unpack("<d", struct.pack("<Q", bits))[0]
            if math.isfinite(value):
                values.append(value)
    return values


def literal(value: float) -> str:
    if math.isnan(value):
        return "'NaN'"
    if math.isinf(value):
        return "'Infinity'" if value > 0 else "'-Infinity'"
    return f"'{value!r}'"


@pytest.mark.slow
def test_doubles_print_as_float8out(pg: PostgresServer) -> None:
    values = doubles(4000)
    con = ddsql_lite.connect()
    wrong = []
    for start in range(0, len(values), 500):
        chunk = values[start : start + 500]
        rows = ", ".join(
            f"({i}, CAST({literal(v)} AS DOUBLE PRECISION))" for i, v in enumerate(chunk)
        )
        sql = (
            "SELECT i, CAST(x AS TEXT) AS t, x || '' AS c, array_to_string(ARRAY[x, x], ';') AS a,"
            " CAST(ARRAY[x] AS TEXT) AS b"
            f" FROM (VALUES {rows}) AS v (i, x) ORDER BY i"
        )
        _, expected = run(pg.conn, sql)
        got = con.sql(sql.replace("DOUBLE PRECISION", "DOUBLE")).fetchall()
        assert len(got) == len(chunk)
        # the command line's cells print doubles the same way
        wrong += [
            (chunk[e[0]], e[1], float_text(chunk[e[0]]))
            for e in expected
            if e[1] != float_text(chunk[e[0]])
        ]
        wrong += [
            (chunk[e[0]], e[1:], g[1:]) for e, g in zip(expected, got) if tuple(e) != tuple(g)
        ]
    assert not wrong, f"{len(wrong)} differ, e.g. {wrong[:5]}"


def test_arrays_of_arrays_are_refused_not_misprinted() -> None:
    con = ddsql_lite.connect()
    with pytest.raises(ddsql_lite.DDSQLError, match="cannot be made text"):
        con.sql("SELECT CAST(ARRAY[akeys(tags)] AS TEXT) FROM aws.sagemaker_inference_experiment")
