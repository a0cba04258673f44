"""PostgreSQL's operator, function and common-type resolution over the typed tree.

:func:`resolve_types` runs once the query is qualified and typed (on either path: the
tree and its types are the same), before the rewrites. It gives each expression the type
PostgreSQL 15 would give it, from the leaves up, and, as PostgreSQL's parser does:

* types an untyped string literal (``unknown``) from the other operand or the other
  branches: ``1 + '1'`` reads ``'1'`` as an integer, and a literal that does not read as
  that type is an error in PostgreSQL's words (``invalid input syntax for type integer``);
* refuses an operator, function, condition or common type PostgreSQL has no candidate
  for (``operator does not exist: text = bigint``, ``function sum(boolean) does not
  exist``, ``argument of WHERE must be type boolean``, ``UNION types integer and text
  cannot be matched``, ``cannot determine type of empty array``), with a caret under the
  operator, the call or the operand that does not fit;
* records which array function an array ``||`` stands for (:data:`ARRAY_OPERATOR`), for
  the rules.

It judges only what it knows: an expression whose type it cannot tell is passed over,
and what DuckDB already reads as PostgreSQL does (text read as a timestamp or an
interval) is left to the rules (docs/dialect.md, "Types and operators").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from sqlglot import exp

from ..errors import QueryError, UndefinedFunctionError
from .nodes import data_type, replace_node, sources
from .refusals import Refusal
from .runtime import BLANKS, TRUE_WORDS, input_problem

# PostgreSQL's names of the types DDSQL has; arrays are the element's name and "[]".
INTEGER, BIGINT, SMALLINT = "integer", "bigint", "smallint"
NUMERIC, REAL, DOUBLE = "numeric", "real", "double precision"
TEXT, VARCHAR, CHAR, UNKNOWN = "text", "character varying", "character", "unknown"
BOOLEAN, TIMESTAMP, INTERVAL = "boolean", "timestamp without time zone", "interval"
JSON, HSTORE = "json", "hstore"

# A function's candidates: (parameter types, result type) each; "anyarray" and
# "anyelement" are PostgreSQL's polymorphic parameters (an array, and its element).
Candidates = tuple[tuple[tuple[str, ...], str], ...]

# Numbers in the order of PostgreSQL's implicit casts (each reads as any later one).
_NUMBERS = (SMALLINT, INTEGER, BIGINT, NUMERIC, REAL, DOUBLE)
_RANK = {name: rank for rank, name in enumerate(_NUMBERS)}
# PostgreSQL's type categories (pg_type.typcategory): Numeric, String, Boolean,
# Datetime, Timespan, User-defined, Array, and X for an untyped literal.
_CATEGORY = {name: "N" for name in _NUMBERS} | {
    TEXT: "S",
    VARCHAR: "S",
    CHAR: "S",
    BOOLEAN: "B",
    TIMESTAMP: "D",
    INTERVAL: "T",
    JSON: "U",
    HSTORE: "U",
    UNKNOWN: "X",
}

# sqlglot's type of a column or cast -> PostgreSQL's name. Columns hold text; a cast to
# varchar is PostgreSQL's character varying, to char its character.
FROM_SQLGLOT = {
    exp.DType.SMALLINT: SMALLINT,
    exp.DType.INT: INTEGER,
    exp.DType.BIGINT: BIGINT,
    exp.DType.DECIMAL: NUMERIC,
    exp.DType.FLOAT: REAL,
    exp.DType.DOUBLE: DOUBLE,
    exp.DType.TEXT: TEXT,
    exp.DType.VARCHAR: TEXT,
    exp.DType.CHAR: TEXT,
    exp.DType.BOOLEAN: BOOLEAN,
    exp.DType.TIMESTAMP: TIMESTAMP,
    exp.DType.TIMESTAMPNTZ: TIMESTAMP,
    exp.DType.INTERVAL: INTERVAL,
    exp.DType.JSON: JSON,
    exp.DType.MAP: HSTORE,
}
# DuckDB's name of the type a literal is read as (what the rewrites and DuckDB see).
_DUCKDB = {
    SMALLINT: "BIGINT",
    INTEGER: "BIGINT",
    BIGINT: "BIGINT",
    NUMERIC: "DOUBLE",
    REAL: "DOUBLE",
    DOUBLE: "DOUBLE",
    BOOLEAN: "BOOLEAN",
    TIMESTAMP: "TIMESTAMP",
    INTERVAL: "INTERVAL",
    JSON: "JSON",
}

_COMPARISONS: dict[type[exp.Expr], str] = {
    exp.EQ: "=",
    exp.NEQ: "<>",
    exp.GT: ">",
    exp.GTE: ">=",
    exp.LT: "<",
    exp.LTE: "<=",
}
_ARITHMETIC: dict[type[exp.Expr], str] = {
    exp.Add: "+",
    exp.Sub: "-",
    exp.Mul: "*",
    exp.Div: "/",
    exp.Mod: "%",
}
# Results of the text functions DDSQL lists, for the operators they meet.
_RESULTS: dict[type[exp.Expr], str] = {
    exp.Count: BIGINT,
    exp.RowNumber: BIGINT,
    exp.Rank: BIGINT,
    exp.Is: BOOLEAN,
    exp.Exists: BOOLEAN,
}
# Calls sqlglot leaves by name (the parser's renamed JSON path functions).
_ANONYMOUS = {
    "ddsql_json_extract_path": JSON,
    "ddsql_json_extract_path_text": TEXT,
    "akeys": f"{TEXT}[]",
    "avals": f"{TEXT}[]",
    "regexp_match": f"{TEXT}[]",
}
# Where the resolution of ``||`` leaves PostgreSQL's array function it stands for, for the
# rules: ``array_cat``, ``array_append`` or ``array_prepend``.
ARRAY_OPERATOR = "array_operator"


def category(pg_type: str) -> str:
    """PostgreSQL's category of ``pg_type`` (``A`` for arrays, ``?`` if not listed)."""
    if pg_type.endswith("[]"):
        return "A"
    return _CATEGORY.get(pg_type, "?")


class Typing:
    """PostgreSQL's types of one query's expressions (see the module docstring)."""

    def __init__(self) -> None:
        self.types: dict[int, str | None] = {}
        # Untyped literals to read as a type: (literal, PostgreSQL type), applied at the end.
        self.coercions: dict[int, tuple[exp.Literal, str]] = {}
        # The column types of each VALUES and set operation, by id.
        self.columns: dict[int, list[str | None]] = {}

    # ----------------------------------------------------------------- the walk

    def resolve(self, tree: exp.Expr) -> None:
        """Type every expression of ``tree`` (raising a refusal where PostgreSQL has no
        resolution), then read the untyped literals as the types they took."""
        for node in tree.walk():
            if type(node) in _TYPED or isinstance(node, (exp.Union, exp.Values)):
                self.of(node)
        for literal, pg_type in self.coercions.values():
            cast = exp.Cast(this=literal.copy(), to=data_type(_DUCKDB[pg_type]))
            cast.type = data_type(_DUCKDB[pg_type])
            replace_node(literal, cast)

    def of(self, node: exp.Expr) -> str | None:
        """PostgreSQL's type of ``node``; None when this module cannot tell."""
        key = id(node)
        if key in self.types:
            return self.types[key]
        self.types[key] = None  # (a cycle through a CTE would read None)
        rule = _TYPED.get(type(node))
        found = rule(self, node) if rule is not None else None
        if isinstance(node, exp.Union):
            found = None
            self.set_operation(node)
        elif isinstance(node, exp.Values):
            self.values(node)
        self.types[key] = found
        return found

    # ----------------------------------------------------------------- leaves

    def literal(self, node: exp.Expr) -> str | None:
        if node.is_string:
            return UNKNOWN
        if not node.is_int:
            return NUMERIC
        value = int(node.this)
        return INTEGER if value < 2**31 else BIGINT if value < 2**63 else NUMERIC

    def cast_to(self, node: exp.Expr) -> str | None:
        # (a session setting, bound as a parameter cast to varchar, is text)
        return self.from_data_type(
            node.args.get("to"), cast=not isinstance(node.this, exp.Placeholder)
        )

    def from_data_type(self, to: exp.Expr | None, cast: bool = False) -> str | None:
        if not isinstance(to, exp.DataType):
            return None
        if to.this == exp.DType.ARRAY:
            element = self.from_data_type(to.expressions[0] if to.expressions else None)
            return f"{element}[]" if element else None
        if cast and to.this in (exp.DType.VARCHAR, exp.DType.CHAR):
            return VARCHAR if to.this == exp.DType.VARCHAR else CHAR
        return FROM_SQLGLOT.get(to.this)

    def column(self, node: exp.Expr) -> str | None:
        source = _source_of(cast(exp.Column, node))
        if isinstance(source, exp.Table) and _cte_query(source) is None:
            return self.from_data_type(node.type)  # a registry table's column
        query = _cte_query(source) if isinstance(source, exp.Table) else source
        if isinstance(query, exp.Subquery):
            query = query.this
        if isinstance(source, exp.Unnest):
            return self.unnested(source, node.name) or self.from_data_type(node.type)
        if not isinstance(query, (exp.Select, exp.Union, exp.Values)):
            return None
        index = _output_index(query, source, node.name)
        return None if index is None else self.output(query, index)

    def unnested(self, source: exp.Unnest, name: str) -> str | None:
        """The type of column ``name`` of an UNNEST source: its array's element type."""
        alias = source.args.get("alias")
        names = [c.name for c in alias.columns] if isinstance(alias, exp.TableAlias) else []
        arrays = source.expressions
        if names.count(name) != 1 or names.index(name) >= len(arrays):
            return None
        return _element(self.of(arrays[names.index(name)]))

    def element(self, node: exp.Expr) -> str | None:
        """A select-list ``unnest(a)``: the element type of ``a``."""
        return _element(self.of(node.this))

    def aggregated_array(self, node: exp.Expr) -> str | None:
        argument = node.this
        if isinstance(argument, exp.Distinct):
            argument = argument.expressions[0] if len(argument.expressions) == 1 else None
        element = self.of(argument) if argument is not None else None
        if element == UNKNOWN:
            raise Refusal("function array_agg(unknown) is not unique", node)
        if element is None or element.endswith("[]"):
            return None
        return f"{element}[]"

    def output(self, query: exp.Expr, index: int) -> str | None:
        """The type of a query's output column ``index``: an untyped literal is text."""
        found = None
        if isinstance(query, exp.Select) and index < len(query.expressions):
            found = self.of(query.expressions[index])
        elif isinstance(query, exp.Union):
            columns = self.set_operation(query)
            found = columns[index] if index < len(columns) else None
        elif isinstance(query, exp.Values):
            columns = self.values(query)
            found = columns[index] if index < len(columns) else None
        elif isinstance(query, exp.Subquery):
            return self.output(query.this, index)
        return TEXT if found == UNKNOWN else found

    def leg(self, query: exp.Expr, index: int) -> str | None:
        """The type of output column ``index`` of a set operation's operand: a SELECT's
        untyped literal is still untyped there (the operation's common type reads it)."""
        if isinstance(query, exp.Select):
            return self.of(query.expressions[index]) if index < len(query.expressions) else None
        return self.output(query, index)

    def scalar_subquery(self, node: exp.Expr) -> str | None:
        return self.output(node.this, 0)

    # ----------------------------------------------------------------- operators

    def comparison(self, node: exp.Expr) -> str | None:
        self.binary(node, _COMPARISONS[type(node)], node.this, node.expression)
        return BOOLEAN

    def arithmetic(self, node: exp.Expr) -> str | None:
        return self.binary(node, _ARITHMETIC[type(node)], node.this, node.expression)

    def binary(self, node: exp.Expr, op: str, left: exp.Expr, right: exp.Expr) -> str | None:
        """PostgreSQL's resolution of ``left op right`` (``node`` is where it is written):
        an untyped operand is taken as the other's type to find the operator, and read as
        that type only once the operator exists."""
        lt, rt = self.of(left), self.of(right)
        if lt is None or rt is None:
            return BOOLEAN if op in _COMPARISON_OPS else None
        written = f"{lt} {op} {rt}"
        if lt == UNKNOWN and rt == UNKNOWN:
            if op in _COMPARISON_OPS:
                return BOOLEAN  # read as text
            raise Refusal(f"operator is not unique: unknown {op} unknown", node)
        untyped, taken = None, None
        if UNKNOWN in (lt, rt):
            untyped = left if lt == UNKNOWN else right
            taken = self.untyped_beside(untyped, rt if lt == UNKNOWN else lt, op)
            if taken is None:
                return BOOLEAN if op in _COMPARISON_OPS else None
            lt, rt = (taken, rt) if lt == UNKNOWN else (lt, taken)
        result: str | bool | None
        if op in _COMPARISON_OPS:
            result = BOOLEAN if _comparable(lt, rt) is not False else False
        else:
            result = _arithmetic(op, lt, rt)
        if result is False and untyped is left and op == "-" and category(rt) == "S":
            # PostgreSQL has several ``x - text`` (jsonb's, hstore's) for an untyped x
            raise Refusal(f"operator is not unique: {written}", node)
        if result is False:
            raise _no_operator(node, written)
        if untyped is not None and taken is not None:
            if category(taken) in ("N", "B"):
                self.coerce(untyped, taken)
            elif category(taken) == "A" and not isinstance(_unwrapped(untyped), exp.Null):
                raise _array_literal(_unwrapped(untyped))
        return result if isinstance(result, str) else None

    def untyped_beside(self, operand: exp.Expr, other: str, op: str) -> str | None:
        """The type an untyped ``operand`` is taken as beside an operand of type ``other``:
        that type (numbers, booleans, text, json, arrays); None where the rules read it
        (text beside a timestamp or an interval, tags). NULL beside an interval in ``+``,
        ``-`` or a comparison is a NULL interval (DuckDB cannot choose otherwise)."""
        kind = category(other)
        if kind in ("D", "T") and op in ("*", "/", "%"):
            # no such operator on a timestamp; an interval is multiplied and divided by a
            # double precision
            return DOUBLE if kind == "T" and op != "%" else other
        if kind == "T" and isinstance(_unwrapped(operand), exp.Null):
            self.coercions[id(operand)] = (cast(exp.Literal, operand), INTERVAL)
            return INTERVAL
        if kind in ("N", "B", "S", "A") or other == JSON:
            return other
        if other == HSTORE and op not in _COMPARISON_OPS and op != "-":
            return other  # no such operator on tags (hstore's - and comparisons: the rules')
        return None

    def negation(self, node: exp.Expr) -> str | None:
        operand = self.of(node.this)
        if operand is None:
            return None
        if operand == UNKNOWN:
            raise Refusal("operator is not unique: - unknown", node)
        if category(operand) in ("N", "T"):
            return operand
        raise _no_operator(node, f"- {operand}")

    def concatenation(self, node: exp.Expr) -> str | None:
        """``||``: text with anything but an array (untyped literals read as text), or the
        array operators; nothing else."""
        lt, rt = self.of(node.this), self.of(node.expression)
        if lt is None or rt is None:
            return None
        kinds = (category(lt), category(rt))
        if "A" in kinds:
            return self.array_concatenation(node, lt, rt)
        if HSTORE in (lt, rt):
            return None  # hstore's operators: not DDSQL's, refused by the rules
        if kinds[0] in ("S", "X") or kinds[1] in ("S", "X"):
            return TEXT
        raise _no_operator(node, f"{lt} || {rt}")

    def array_concatenation(self, node: exp.Expr, lt: str, rt: str) -> str | None:
        """``||`` with an array: array || array of the same kind of element, an element
        of that kind before or after an array; NULL beside an array is an array. Nested
        arrays are not judged."""
        left, right = _element(lt), _element(rt)
        if (left or "").endswith("[]") or (right or "").endswith("[]"):
            return None
        for operand, pg_type in ((node.this, lt), (node.expression, rt)):
            if pg_type == UNKNOWN and not isinstance(_unwrapped(operand), exp.Null):
                raise _array_literal(_unwrapped(operand))
        items = [t for t in (left or lt, right or rt) if t != UNKNOWN]
        element = items[0]
        for other in items[1:]:
            if category(other) != category(element) or (
                category(element) == "U" and other != element
            ):
                raise _no_operator(node, f"{lt} || {rt}")
            if category(element) == "N" and _RANK[other] > _RANK[element]:
                element = other
        if (left or lt == UNKNOWN) and (right or rt == UNKNOWN):
            node.meta[ARRAY_OPERATOR] = "array_cat"
        else:
            node.meta[ARRAY_OPERATOR] = "array_append" if left else "array_prepend"
        return f"{element}[]"

    def between(self, node: exp.Expr) -> str | None:
        self.binary(node, ">=", node.this, node.args["low"])
        self.binary(node, "<=", node.this, node.args["high"])
        return BOOLEAN

    def membership(self, node: exp.Expr) -> str | None:
        """``x IN (a, b)``: one common type for all when there is one, else ``x = a``,
        ``x = b``... each resolved as an operator (PostgreSQL's order)."""
        values = node.expressions
        if node.args.get("query") is not None or not values:
            return BOOLEAN
        items = [node.this, *values]
        common = self.common("IN", items, quiet=True)
        if common is None or _comparable(common, common) is False:
            for value in values:
                self.binary(node, "=", node.this, value)
        return BOOLEAN

    def like(self, node: exp.Expr) -> str | None:
        """``a LIKE b`` is PostgreSQL's ``text ~~ text`` (``!~~`` for NOT LIKE)."""
        lt, rt = self.of(node.this), self.of(node.expression)
        for pg_type in (lt, rt):
            if pg_type is not None and category(pg_type) not in ("S", "X"):
                op = "!~~" if node.args.get("negate") else "~~"
                raise _no_operator(node, f"{lt or 'text'} {op} {rt or 'text'}")
        return BOOLEAN

    # ----------------------------------------------------------------- conditions

    def condition(self, node: exp.Expr | None, context: str) -> None:
        """The argument of WHERE, AND, CASE/WHEN...: a boolean (an untyped literal reads
        as one), as PostgreSQL requires."""
        pg_type = self.of(node) if node is not None else None
        if node is None or pg_type is None or pg_type == BOOLEAN:
            return
        if pg_type == UNKNOWN:
            self.coerce(node, BOOLEAN)
            return
        raise Refusal(
            f"argument of {context} must be type boolean, not type {pg_type}", _leftmost(node)
        )

    def connective(self, node: exp.Expr) -> str | None:
        context = _CONNECTIVES[type(node)]
        self.condition(node.this, context)
        if not isinstance(node, exp.Not):
            self.condition(node.expression, context)
        return BOOLEAN

    def clause(self, node: exp.Expr) -> str | None:
        if isinstance(node, exp.Join):
            self.condition(node.args.get("on"), "JOIN/ON")
        else:
            self.condition(node.this, "WHERE" if isinstance(node, exp.Where) else "HAVING")
        return None

    # ----------------------------------------------------------------- json and tags

    def json_step(self, node: exp.Expr) -> str | None:
        """``->`` and ``#>`` give json on json and text on tags; ``->>``, ``#>>`` text."""
        base = self.of(node.this)
        if isinstance(node, (exp.JSONExtractScalar, exp.JSONBExtractScalar)):
            return TEXT if base in (JSON, HSTORE) else None
        return JSON if base == JSON else TEXT if base == HSTORE else None

    def anonymous(self, node: exp.Expr) -> str | None:
        name = node.name.lower()
        if name in _ANONYMOUS_SIGNATURES:
            return self.call(node, name, node.expressions, _ANONYMOUS_SIGNATURES[name])
        return _ANONYMOUS.get(name)

    # ----------------------------------------------------------------- functions

    def function(self, node: exp.Expr) -> str | None:
        """A DDSQL function by PostgreSQL's signatures of it (see :data:`_SIGNATURES`)."""
        name, keys, candidates = _SIGNATURES[type(node)]
        set_keys = {k for k, v in node.args.items() if v not in (None, False, [], "")}
        if not set_keys <= set(keys):
            return None  # a form the rules read (round(x, n), ceil(x TO ...))
        arguments = [node.args[k] for k in keys if node.args.get(k) is not None]
        result = self.call(node, name, arguments, candidates)
        if result == _PATTERN:
            raise Refusal(
                "substring(string, pattern) with a text pattern is PostgreSQL's regular "
                "expression form, which DDSQL does not have: use regexp_match(string, "
                "pattern), or integer positions",
                node,
            )
        return result

    def call(
        self,
        node: exp.Expr,
        name: str,
        arguments: list[exp.Expr],
        candidates: Candidates,
    ) -> str | None:
        """PostgreSQL's function resolution: the candidates every argument converts to
        implicitly, the one with the most exact matches, then the one taking the preferred
        type (double precision, text) where an untyped literal stands; its untyped
        arguments read as its parameters' types."""
        types = [self.of(argument) for argument in arguments]
        if any(t is None for t in types):
            return None
        given = cast(list[str], types)
        fitting = [
            (params, result)
            for params, result in candidates
            if len(params) == len(given) and all(map(_converts, given, params))
        ]
        if not fitting:
            raise _no_function(node, name, ", ".join(given))
        fitting.sort(key=lambda c: (-sum(map(_exact, given, c[0])), -_preferred(given, c[0])))
        params, result = fitting[0]
        element = _polymorphic(node, given, params)
        if element is not None and element.endswith("[]"):
            return None  # arrays of arrays: not judged
        for argument, pg_type, param in zip(arguments, given, params):
            target = {"anyarray": f"{element}[]", "anyelement": element}.get(param, param)
            if pg_type == UNKNOWN and target is not None and category(target) in ("N", "B"):
                self.coerce(argument, target)
            elif pg_type == UNKNOWN and param == "anyarray":
                if not isinstance(_unwrapped(argument), exp.Null):
                    raise _array_literal(_unwrapped(argument))
            elif (
                param == "anyelement"
                and pg_type != UNKNOWN
                and element is not None
                and not _same_kind(pg_type, element)
            ):
                raise _no_function(node, name, ", ".join(given))
        return element if result == "anyelement" else result

    def trim(self, node: exp.Expr) -> str | None:
        """``trim([BOTH|LEADING|TRAILING] [chars FROM] s)``: PostgreSQL's btrim, ltrim or
        rtrim of (s [, chars]), text only (named trim, as written)."""
        arguments = [node.this] + ([node.expression] if node.expression is not None else [])
        return self.call(node, "trim", arguments, (((TEXT,), TEXT), ((TEXT, TEXT), TEXT)))

    # ----------------------------------------------------------------- aggregates

    def aggregate(self, node: exp.Expr) -> str | None:
        """sum, avg, min, max, bool_and, bool_or over one argument, by PostgreSQL's
        signatures for the types DDSQL has."""
        name = _AGGREGATES[type(node)]
        argument = node.this
        if isinstance(argument, exp.Distinct):
            argument = argument.expressions[0] if len(argument.expressions) == 1 else None
        pg_type = self.of(argument) if argument is not None else None
        if pg_type is None:
            return None
        kind = category(pg_type)
        if name in ("bool_and", "bool_or"):
            if kind == "X":
                self.coerce(argument, BOOLEAN)
            elif kind != "B":
                raise _no_function(node, name, pg_type)
            return BOOLEAN
        if kind == "X" and name in ("min", "max"):
            return TEXT  # (min(text) is the candidate PostgreSQL prefers)
        if kind == "X":
            raise Refusal(f"function {name}(unknown) is not unique", node)
        if name in ("min", "max"):
            if kind in ("N", "S", "D", "T", "A"):
                return TEXT if kind == "S" else pg_type
            raise _no_function(node, name, pg_type)
        if kind == "T":
            return INTERVAL
        if kind != "N":
            raise _no_function(node, name, pg_type)
        if pg_type in (REAL, DOUBLE):
            return pg_type
        if name == "sum" and pg_type in (SMALLINT, INTEGER):
            return BIGINT
        return NUMERIC

    def window(self, node: exp.Expr) -> str | None:
        return self.of(node.this)

    def same_as_argument(self, node: exp.Expr) -> str | None:
        """lag, lead, first_value, last_value, nth_value (PostgreSQL's anyelement): their
        argument's type, which an untyped literal does not give."""
        found = self.of(node.this)
        if found == UNKNOWN:
            raise Refusal(
                "could not determine polymorphic type because input has type unknown", node
            )
        return found

    # ----------------------------------------------------------------- common types

    def case(self, node: exp.Expr) -> str | None:
        """CASE's branches: ELSE first, then each THEN (PostgreSQL's order)."""
        if node.this is None:
            for branch in node.args.get("ifs") or []:
                self.condition(branch.this, "CASE/WHEN")
        branches = [i.args["true"] for i in node.args.get("ifs") or []]
        if node.args.get("default") is not None:
            branches.insert(0, node.args["default"])
        if node.this is not None:  # the simple form compares the operand with each WHEN
            for branch in node.args.get("ifs") or []:
                self.binary(branch.this, "=", node.this, branch.this)
        return self.common("CASE", branches)

    def coalesce(self, node: exp.Expr) -> str | None:
        return self.common("COALESCE", [node.this, *node.expressions])

    def array(self, node: exp.Expr) -> str | None:
        if not node.expressions:
            if isinstance(node.parent, exp.Cast):
                return self.of(node.parent)
            raise Refusal("cannot determine type of empty array", node)
        element = self.common("ARRAY", node.expressions)
        return f"{element}[]" if element else None

    def bracket(self, node: exp.Expr) -> str | None:
        return _element(self.of(node.this))

    def values(self, node: exp.Values) -> list[str | None]:
        """The types of the columns of VALUES rows (each column a common type)."""
        known = self.columns.get(id(node))
        if known is not None:
            return known
        rows = [r.expressions for r in node.expressions if isinstance(r, exp.Tuple)]
        if not rows or len({len(r) for r in rows}) != 1 or len(rows) != len(node.expressions):
            return []
        found = [self.common("VALUES", [row[i] for row in rows]) for i in range(len(rows[0]))]
        self.columns[id(node)] = found
        return found

    def set_operation(self, node: exp.Union) -> list[str | None]:
        """The column types of ``left UNION right``: each pair resolved as a common type
        (chains resolve from the left, as PostgreSQL's)."""
        known = self.columns.get(id(node))
        if known is not None:
            return known
        left, right = _legs(node.this), _legs(node.expression)
        found: list[str | None] = []
        width = min(_width(left), _width(right))
        for index in range(width):
            pair = [_output_node(left, index), _output_node(right, index)]
            if any(p is None for p in pair):
                found.append(None)
                continue
            types = [self.leg(left, index), self.leg(right, index)]
            found.append(self.common("UNION", pair, types=types))  # type: ignore[arg-type]
        self.columns[id(node)] = found
        return found

    def common(
        self,
        context: str,
        items: list[exp.Expr],
        types: list[str | None] | None = None,
        quiet: bool = False,
    ) -> str | None:
        """PostgreSQL's ``select_common_type`` over ``items``: untyped literals take the
        first known type's category, widened to the type the others read as; a type of
        another category is an error (None instead when ``quiet``). None when a type is
        not known."""
        typed = types if types is not None else [self.of(item) for item in items]
        if any(t is None for t in typed):
            return None
        known = [(item, t) for item, t in zip(items, typed) if t != UNKNOWN]
        if not known:
            return TEXT  # all untyped: text
        chosen = known[0][1]
        assert chosen is not None
        for item, pg_type in known[1:]:
            assert pg_type is not None
            kind = category(chosen)
            if category(pg_type) != kind or (kind == "U" and pg_type != chosen):
                if quiet:
                    return None
                raise Refusal(
                    f"{context} types {chosen} and {pg_type} cannot be matched", _leftmost(item)
                )
            if kind == "A" and pg_type != chosen:
                return None  # arrays of different element types: left to DuckDB
            if kind == "N" and _RANK[pg_type] > _RANK[chosen]:
                chosen = pg_type
            elif kind == "S" and pg_type == TEXT:
                chosen = TEXT
        for item, pg_type in zip(items, typed):
            if pg_type != UNKNOWN:
                continue
            if category(chosen) in ("N", "B", "D", "T") or chosen == JSON:
                self.coerce(_unaliased(item), chosen)
            elif category(chosen) == "A" and not isinstance(_unwrapped(item), exp.Null):
                raise _array_literal(_unwrapped(_unaliased(item)))
        return chosen

    # ----------------------------------------------------------------- literals

    def coerce(self, node: exp.Expr, pg_type: str) -> None:
        """Read the untyped literal ``node`` as ``pg_type``: a number or a boolean as
        PostgreSQL's input function would (an error in its words when it does not read);
        a timestamp, an interval or json as a cast, which the rules read."""
        while isinstance(node, exp.Paren):
            node = node.this
        if not (isinstance(node, exp.Literal) and node.is_string):
            return  # NULL, or a parameter: nothing to read
        if pg_type in (TIMESTAMP, INTERVAL, JSON):
            self.coercions[id(node)] = (node, pg_type)
            return
        try:
            value = _read(node.this, pg_type)
        except _Unreadable as unreadable:
            raise Refusal(str(unreadable), node, kind=QueryError) from None
        self.coercions[id(node)] = (node, pg_type)
        node.set("this", value)


_COMPARISON_OPS = frozenset(_COMPARISONS.values())
_NUMBER_SIGNATURES = tuple(((t,), t) for t in _NUMBERS)
# The result of PostgreSQL's regular-expression substring, which DDSQL does not have.
_PATTERN = "text (a regular expression's match)"
_ROUNDING = (((NUMERIC,), NUMERIC), ((DOUBLE,), DOUBLE))
# PostgreSQL's signatures of the DDSQL functions (pg_proc, for the types DDSQL has): the
# name, the arguments read in order, and the candidates as (parameters, result).
_SIGNATURES: dict[type[exp.Expr], tuple[str, tuple[str, ...], Candidates]] = {
    exp.Lower: ("lower", ("this",), (((TEXT,), TEXT),)),
    exp.Upper: ("upper", ("this",), (((TEXT,), TEXT),)),
    exp.Reverse: ("reverse", ("this",), (((TEXT,), TEXT),)),
    exp.Length: ("length", ("this",), (((TEXT,), INTEGER),)),
    exp.Replace: (
        "replace",
        ("this", "expression", "replacement"),
        (((TEXT, TEXT, TEXT), TEXT),),
    ),
    exp.StrPosition: ("strpos", ("this", "substr"), (((TEXT, TEXT), INTEGER),)),
    exp.SplitPart: (
        "split_part",
        ("this", "delimiter", "part_index"),
        (((TEXT, TEXT, INTEGER), TEXT),),
    ),
    exp.Substring: (
        "substring",
        ("this", "start", "length"),
        (
            ((TEXT, INTEGER), TEXT),
            ((TEXT, INTEGER, INTEGER), TEXT),
            ((TEXT, TEXT), _PATTERN),  # substring(s FROM pattern [FOR escape])
            ((TEXT, TEXT, TEXT), _PATTERN),
        ),
    ),
    exp.Abs: ("abs", ("this",), _NUMBER_SIGNATURES),
    exp.Ceil: ("ceil", ("this",), _ROUNDING),
    exp.Floor: ("floor", ("this",), _ROUNDING),
    exp.Round: ("round", ("this",), _ROUNDING),
    exp.Pow: (
        "power",
        ("this", "expression"),
        (((DOUBLE, DOUBLE), DOUBLE), ((NUMERIC, NUMERIC), NUMERIC)),
    ),
    exp.StringToArray: ("string_to_array", ("this", "expression"), (((TEXT, TEXT), f"{TEXT}[]"),)),
    exp.ArrayToString: ("array_to_string", ("this", "expression"), ((("anyarray", TEXT), TEXT),)),
    exp.ArrayPosition: (
        "array_position",
        ("this", "expression"),
        ((("anyarray", "anyelement"), INTEGER),),
    ),
}
_ANONYMOUS_SIGNATURES: dict[str, Candidates] = {
    "cardinality": ((("anyarray",), INTEGER),),
}
_CONNECTIVES: dict[type[exp.Expr], str] = {exp.And: "AND", exp.Or: "OR", exp.Not: "NOT"}
_AGGREGATES: dict[type[exp.Expr], str] = {
    exp.Sum: "sum",
    exp.Avg: "avg",
    exp.Min: "min",
    exp.Max: "max",
    exp.LogicalAnd: "bool_and",
    exp.LogicalOr: "bool_or",
}


def _comparable(left: str, right: str) -> bool | None:
    """Whether PostgreSQL compares ``left`` with ``right`` (None: not judged here)."""
    kinds = {category(left), category(right)}
    if "?" in kinds:
        return None
    if kinds == {"A"}:  # arrays of the same kind of element
        elements = (_element(left) or "", _element(right) or "")
        if any(e.endswith("[]") for e in elements):
            return None
        return _comparable(*elements)
    if HSTORE in (left, right):
        if "S" in kinds:
            return None  # (tags compared with text: hstore's literal, read by the rules)
        return left == right
    if JSON in (left, right):
        return False  # json has no comparison operators at all
    return len(kinds) == 1


def _arithmetic(op: str, left: str, right: str) -> str | bool | None:
    """The result of ``left op right`` for + - * / %: a type, False when PostgreSQL has
    no such operator, None when not judged here."""
    kinds = (category(left), category(right))
    if "?" in kinds or (HSTORE in (left, right) and "S" in kinds and op == "-"):
        return None  # (hstore - text is hstore's, which the rules refuse)
    if "A" in kinds or HSTORE in (left, right):
        return False  # no arithmetic on arrays or tags
    if kinds == ("N", "N"):
        if op == "%" and (left in (REAL, DOUBLE) or right in (REAL, DOUBLE)):
            return False  # % is for integers and numeric
        if {left, right} == {NUMERIC, REAL}:
            return DOUBLE
        return left if _RANK[left] >= _RANK[right] else right
    return _TIME_ARITHMETIC.get((kinds[0], op, kinds[1]), False)


# Date/time arithmetic by category: D timestamp, T interval, N a number.
_TIME_ARITHMETIC: dict[tuple[str, str, str], str] = {
    ("D", "-", "D"): INTERVAL,
    ("D", "+", "T"): TIMESTAMP,
    ("T", "+", "D"): TIMESTAMP,
    ("D", "-", "T"): TIMESTAMP,
    ("T", "+", "T"): INTERVAL,
    ("T", "-", "T"): INTERVAL,
    ("T", "*", "N"): INTERVAL,
    ("N", "*", "T"): INTERVAL,
    ("T", "/", "N"): INTERVAL,
}


def _polymorphic(node: exp.Expr, given: list[str], params: tuple[str, ...]) -> str | None:
    """The element type PostgreSQL gives a call's ``anyarray``/``anyelement`` parameters:
    the array argument's element, else the element argument's type, else text when all
    are untyped; None when the call has no such parameter."""
    if "anyarray" not in params and "anyelement" not in params:
        return None
    arrays = [g for g, p in zip(given, params) if p == "anyarray" and g != UNKNOWN]
    if arrays:
        return arrays[0][:-2]
    elements = [g for g, p in zip(given, params) if p == "anyelement" and g != UNKNOWN]
    if elements and elements[0].endswith("[]"):
        raise Refusal(f"could not find array type for data type {elements[0]}", node)
    if elements:
        return elements[0]
    if "anyelement" in params:
        return TEXT
    raise Refusal("could not determine polymorphic type because input has type unknown", node)


def _same_kind(one: str, other: str) -> bool:
    """Do values of the two types resolve to a common type (same category, and the same
    type among user-defined ones: json, hstore)?"""
    return category(one) == category(other) and (category(one) != "U" or one == other)


def _converts(given: str, param: str) -> bool:
    """Does a value of type ``given`` convert implicitly to the parameter ``param``?"""
    if given in (param, UNKNOWN) or param == "anyelement":
        return True
    if param == "anyarray":
        return given.endswith("[]")
    if category(given) == category(param) == "S":
        return True
    if category(given) == category(param) == "N":
        return _RANK[given] <= _RANK[param] and not (given in (REAL, DOUBLE) and param == NUMERIC)
    return False


def _exact(given: str, param: str) -> bool:
    return given == param


def _preferred(given: list[str], params: tuple[str, ...]) -> int:
    """How many arguments needing a conversion a candidate takes as its category's
    preferred type (double precision, text): PostgreSQL's next choice after exact
    matches (round(integer) is round(double precision))."""
    return sum(1 for g, p in zip(given, params) if g != p and p in (DOUBLE, TEXT))


def _resolved(result: str, element: str | None) -> str | None:
    if result == "anyelement":
        return element
    return result


def _no_operator(node: exp.Expr, signature: str) -> Refusal:
    return Refusal(f"operator does not exist: {signature}", node, kind=UndefinedFunctionError)


def _array_literal(literal: exp.Expr) -> Refusal:
    """An untyped literal beside an array, which PostgreSQL reads as an array's text."""
    text = literal.name
    if text.lstrip().startswith("{"):
        return Refusal(
            "array literals in text are not supported in DDSQL; write ARRAY[...]", literal
        )
    return Refusal(f'malformed array literal: "{text}"', literal, kind=QueryError)


def _unwrapped(node: exp.Expr) -> exp.Expr:
    while isinstance(node, exp.Paren):
        node = node.this
    return node


def _no_function(node: exp.Expr, name: str, pg_type: str) -> Refusal:
    return Refusal(f"function {name}({pg_type}) does not exist", node, kind=UndefinedFunctionError)


# How each type's input reads text (the runtime's rules: :func:`.runtime.input_problem`).
_INPUT_KINDS = {
    SMALLINT: "bigint",
    INTEGER: "bigint",
    BIGINT: "bigint",
    NUMERIC: "double",
    REAL: "double",
    DOUBLE: "double",
    BOOLEAN: "boolean",
}


class _Unreadable(Exception):
    """Text PostgreSQL's input function rejects; the message is PostgreSQL's."""


def _read(text: str, pg_type: str) -> str:
    """``text`` read as ``pg_type`` by PostgreSQL's input rules: the text DuckDB reads as
    the same value; :class:`_Unreadable` with PostgreSQL's message when it does not read.
    DDSQL's integers are 64 bits wide whatever the type's name."""
    kind = _INPUT_KINDS.get(pg_type)
    if kind is None:
        return text
    problem = input_problem(text, kind, pg_type)
    if problem is not None:
        raise _Unreadable(problem)
    stripped = text.strip(BLANKS)
    if kind == "bigint":
        return str(int(stripped))
    if kind == "boolean":
        return "true" if stripped.lower() in TRUE_WORDS else "false"
    return stripped


def _element(array: str | None) -> str | None:
    """The element type of an array type (None for anything else)."""
    return array[:-2] if array is not None and array.endswith("[]") else None


def _leftmost(node: exp.Expr) -> exp.Expr:
    """Where an expression starts, for a caret under it (PostgreSQL's place for an
    operand that does not fit): its first operand, down to a leaf."""
    node = _unaliased(node)
    while isinstance(node, (exp.Cast, exp.Binary, exp.Paren)) and isinstance(node.this, exp.Expr):
        if isinstance(node, exp.Paren):
            break
        node = node.this
    return node


def _unaliased(node: exp.Expr) -> exp.Expr:
    return node.this if isinstance(node, exp.Alias) else node


def _legs(node: exp.Expr) -> exp.Expr:
    while isinstance(node, exp.Subquery):
        node = node.this
    return node


def _width(query: exp.Expr) -> int:
    if isinstance(query, exp.Select):
        return len(query.expressions)
    if isinstance(query, exp.Union):
        return _width(_legs(query.this))
    if isinstance(query, exp.Values):
        first = query.expressions[0] if query.expressions else None
        return len(first.expressions) if isinstance(first, exp.Tuple) else 0
    return 0


def _output_node(query: exp.Expr, index: int) -> exp.Expr | None:
    """The expression written for output column ``index`` (the first leg's, for a set
    operation or VALUES): where an error about the column points."""
    if isinstance(query, exp.Select):
        item = query.expressions[index]
        return None if item.is_star else _unaliased(item)
    if isinstance(query, exp.Union):
        return _output_node(_legs(query.expression), index)
    if isinstance(query, exp.Values):
        row = query.expressions[-1]
        return row.expressions[index] if isinstance(row, exp.Tuple) else None
    return None


def _source_of(column: exp.Column) -> exp.Expr | None:
    """The FROM/JOIN source (a table, subquery, VALUES or UNNEST) a qualified column
    reads, looked for in its SELECT and the SELECTs around it (correlated columns)."""
    table = column.table
    if not table:
        return None
    node: exp.Expr | None = column.parent
    while node is not None:
        if isinstance(node, exp.Select):
            for source in sources(node):
                if source.alias_or_name == table:
                    return source
        node = node.parent
    return None


def _cte_query(table: exp.Table) -> exp.Expr | None:
    """The query of the CTE ``table`` names, if it names one in scope."""
    if table.args.get("db"):
        return None
    name = table.name
    node: exp.Expr | None = table.parent
    while node is not None:
        with_ = node.args.get("with_") if isinstance(node, exp.Query) else None
        if with_ is not None:
            for cte in with_.expressions:
                if cte.alias == name:
                    return cast(exp.Expr, cte.this)
        node = node.parent
    return None


def _output_index(query: exp.Expr, source: exp.Expr | None, name: str) -> int | None:
    """Which output column of ``query`` (read through ``source``) is called ``name``."""
    alias = source.args.get("alias") if source is not None else None
    columns = alias.columns if isinstance(alias, exp.TableAlias) else []
    if not columns and isinstance(source, exp.Table):
        cte = _cte_of(source)
        columns = cte.args["alias"].columns if cte is not None else []
    if columns:
        names = [c.name for c in columns]
    else:
        first = query
        while isinstance(first, exp.Union):
            first = _legs(first.this)
        names = first.named_selects if isinstance(first, exp.Select) else []
    return names.index(name) if names.count(name) == 1 else None


def _cte_of(table: exp.Table) -> exp.CTE | None:
    query = _cte_query(table)
    return query.parent if query is not None and isinstance(query.parent, exp.CTE) else None


def _fixed(result: str) -> Callable[[Typing, exp.Expr], str]:
    return lambda _typing, _node: result


# The type rule of each node class this module types (others are not typed).
_TYPED: dict[type[exp.Expr], Callable[[Typing, exp.Expr], str | None]] = {
    exp.Literal: Typing.literal,
    exp.Null: _fixed(UNKNOWN),
    exp.Boolean: _fixed(BOOLEAN),
    exp.Paren: lambda typing, node: typing.of(node.this),
    exp.Alias: lambda typing, node: typing.of(node.this),
    exp.Cast: Typing.cast_to,
    exp.Column: Typing.column,
    exp.Subquery: Typing.scalar_subquery,
    exp.Neg: Typing.negation,
    exp.DPipe: Typing.concatenation,
    exp.Between: Typing.between,
    exp.In: Typing.membership,
    exp.JSONExtract: Typing.json_step,
    exp.JSONExtractScalar: Typing.json_step,
    exp.JSONBExtract: Typing.json_step,
    exp.JSONBExtractScalar: Typing.json_step,
    exp.Anonymous: Typing.anonymous,
    exp.Window: Typing.window,
    exp.Case: Typing.case,
    exp.Coalesce: Typing.coalesce,
    exp.Array: Typing.array,
    exp.Bracket: Typing.bracket,
    exp.Explode: Typing.element,
    **{
        kind: Typing.same_as_argument
        for kind in (exp.Lag, exp.Lead, exp.FirstValue, exp.LastValue, exp.NthValue)
    },
    exp.Trim: Typing.trim,
    **{kind: Typing.function for kind in _SIGNATURES},
    exp.Like: Typing.like,
    exp.Where: Typing.clause,
    exp.Having: Typing.clause,
    exp.Join: Typing.clause,
    **{kind: Typing.connective for kind in _CONNECTIVES},
    exp.ArrayAgg: Typing.aggregated_array,
    **{kind: Typing.comparison for kind in _COMPARISONS},
    **{kind: Typing.arithmetic for kind in _ARITHMETIC},
    **{kind: Typing.aggregate for kind in _AGGREGATES},
    **{kind: _fixed(result) for kind, result in _RESULTS.items()},
}


def resolve_types(tree: exp.Expr) -> None:
    """Apply PostgreSQL's type resolution to the qualified, typed ``tree`` (see the
    module docstring); raises a :class:`~.refusals.Refusal` where PostgreSQL fails."""
    Typing().resolve(tree)
