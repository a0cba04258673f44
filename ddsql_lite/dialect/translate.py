"""DDSQL text -> DuckDB SQL: parse, validate, qualify, type, rewrite, generate.

:meth:`Translator.translate` is pure and cached by SQL text, and raises a
:class:`~ddsql_lite.errors.DDSQLError` subclass for anything it will not run
(docs/design.md, "Data flow").
"""

from __future__ import annotations

import re
from collections.abc import Set
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from sqlglot import exp
from sqlglot.dialects.dialect import ASCII_LOWER, Dialect, NormalizationStrategy
from sqlglot.errors import OptimizeError
from sqlglot.optimizer.annotate_types import annotate_types
from sqlglot.schema import MappingSchema
from sqlglot.tokenizer_core import TokenType

from ..errors import (
    CatalogError,
    DDSQLError,
    ParseError,
    UndefinedColumnError,
    UndefinedFunctionError,
    UnsupportedError,
    at,
    caret,
    position,
)
from ..registry import Registry, Table, suggest
from . import tables
from .analysis import check_qualified, check_structure, order_recursive_with
from .bounds import check_bounds, visible_cte
from .ddsql import DIALECT, INTERNAL_PREFIX, PARAMETER_NAME, parse
from .fast_qualify import NotFast, TableTypes, qualify_and_type
from .functions import CALL_SYNTAX
from .inventory import TOO_DEEP, Inventory, take_inventory
from .names import (
    group_by_output_names,
    name_outputs,
    name_values,
    order_using_star,
    output_names,
    using_orders,
)
from .nodes import data_type, pg_sql
from .pgtypes import resolve_types
from .refusals import Refusal, Source, refuse
from .variants import DEFAULT, Variant, preview_cast_hint, preview_function_hint, variant
from .walk import apply_rewrites


@dataclass(frozen=True)
class Translation:
    """The DuckDB SQL for one DDSQL query, and its output column names."""

    duckdb_sql: str
    columns: tuple[str, ...]
    parameters: tuple[str, ...] = ()  # names of the :name placeholders, in order
    # A session statement instead of a query: ("set", setting, value) or ("show", setting).
    session: tuple[str, ...] | None = None


TIME_FRAME_SETTINGS = ("dd.time_frame_start", "dd.time_frame_end")
DUCKDB = Dialect.get_or_raise("duckdb")
# A bound that keeps translation fast (the tree depth is bounded in .inventory).
MAX_QUERY_LENGTH = 100_000


def setting_parameter(setting: str) -> str:
    """The query parameter that carries a session setting's value (``ddsql_`` names are
    reserved, so users can neither write nor bind it)."""
    return INTERNAL_PREFIX + setting.replace(".", "_")


# Each session setting's parameter: the only reserved names generated SQL may bind.
SETTING_PARAMETERS = {s: setting_parameter(s) for s in TIME_FRAME_SETTINGS}


class Translator:
    """Translates DDSQL for the tables of one registry."""

    def __init__(
        self,
        registry: Registry,
        cache_size: int = 1024,
        fast: bool = True,
        syntax: str = DEFAULT,
    ) -> None:
        """``fast``: qualify and type the common query shapes with :mod:`.fast_qualify` (the
        same result as sqlglot's passes, faster); False runs sqlglot's passes always.
        ``syntax``: the variant it reads, ``ddsql`` or ``preview`` (:mod:`.variants`)."""
        self.registry = registry
        self.variant: Variant = variant(syntax)
        self.schema = MappingSchema(
            {
                t.schema_name: {t.table_name: {c.name: c.type.duckdb for c in t.columns}}
                for t in registry
            },
            dialect="duckdb",
        )
        self.table_types = TableTypes.of(
            self.schema, ((t.schema_name, t.table_name) for t in registry)
        )
        self.fast = fast
        self.translate = lru_cache(maxsize=cache_size)(self._translate)  # type: ignore[method-assign]

    def translate(self, sql: str, pretty: bool = False) -> Translation:  # cached, see above
        """``sql`` as DuckDB SQL; ``pretty``: over several indented lines (sqlglot's pretty
        generator, the same SQL but for blanks), to show rather than to run."""
        return self._translate(sql, pretty)

    def _translate(self, sql: str, pretty: bool = False) -> Translation:
        if len(sql) > MAX_QUERY_LENGTH:
            raise UnsupportedError(
                f"the query is {len(sql):,} characters long; the limit is {MAX_QUERY_LENGTH:,}"
            )
        try:
            if self.fast:
                try:
                    return self._translate_query(sql, fast=True, pretty=pretty)
                except NotFast:
                    pass  # a shape left to sqlglot's passes: start again from the text
            return self._translate_query(sql, fast=False, pretty=pretty)
        except RecursionError:  # sqlglot recurses per nesting level
            raise UnsupportedError(TOO_DEEP) from None
        except Refusal as refusal:  # located here, where the text is at hand
            raise refusal.located(sql) from None

    def _translate_query(self, sql: str, fast: bool, pretty: bool = False) -> Translation:
        parsed = parse(sql, unwrap_arrows=False, preview=self.variant.preview)
        if not parsed.statements:
            raise UnsupportedError("no statement to run")
        if len(parsed.statements) > 1:
            raise Refusal(
                f"one statement per call; got {len(parsed.statements)} (remove the extra ';')",
                offset=second_statement(Source(sql)),
            )
        tree = parsed.statements[0]
        found = take_inventory(tree, parsed.arrows)  # refuses a tree too deep to translate
        session = session_statement(tree, Source(sql))
        if session is not None:
            return Translation("", (), session=session)
        if isinstance(tree, (exp.Intersect, exp.Except)):
            raise refuse(tree, sql)
        if type(tree) not in (exp.Select, exp.Union, exp.Values):
            source = Source(sql)
            first = source.tokens[0] if source.tokens else None
            raise Refusal(
                f"{source.written(first).upper() if first else statement_kind(tree)} statements "
                "are not supported; DDSQL runs queries (SELECT, WITH, UNION, VALUES)",
                offset=first.start if first else None,
            )
        normalize(tree, found, sql)  # unquoted names fold to lower case
        check_calls(parsed.calls, found, sql, self.variant.functions)
        check_placeholders(found.of(exp.Placeholder))
        bind_settings(found)
        postgres_clauses(found, sql)
        validate(found, sql, self.variant)
        check_bounds(found, self.registry)  # before anything expands the query
        check_structure(
            found.of(exp.Select),
            found.of((exp.From, exp.Join)),
            found.of(exp.CTE),
            found.of((exp.Group, exp.Order, exp.Window)),
        )
        if self.variant.preview:
            from .preview import resolve_tags

            resolve_tags(tree, self.registry)  # tag references, before naming outputs
        order_recursive_with(found.of(exp.CTE))
        columns = output_names(tree)
        if self.variant.preview:
            from .preview import written_names

            columns = written_names(tree, columns, sql, self.variant.functions)
        name_outputs(tree, columns)
        tree = name_values(tree, found.of(exp.Values))
        tables.prepare_select_lists(found.of(exp.Anonymous), found.of(exp.Explode))
        replaced_functions = tables.prepare(found.of((exp.Table, exp.Unnest)))
        for replaced in replaced_functions:
            # A table function became an UNNEST source, holding the function's arguments.
            if replaced.this.find(exp.Table, exp.Query):
                found = take_inventory(tree)  # the order of the tables changed
                break
            found.discard(replaced)
        used = resolve_tables(found, self.registry, sql)
        group_by_output_names(found.of(exp.Select), found.of(exp.CTE), self.registry)
        if fast and not fast_shape(tree, found.of(exp.Select)):
            fast = False  # qualify_and_type would refuse it: go on here, not from the text
        if fast:
            # A query using_orders would refuse has a star, which the fast path leaves to
            # sqlglot's; there it is refused before qualification, as always.
            finish = qualify_and_type(tree, self.table_types)
            if check_qualified(found.of(exp.Select), self.registry):
                raise NotFast  # a column it tied to its source needs sqlglot's typing
        else:
            from sqlglot.optimizer.qualify import qualify  # the slow path's: imported once used

            orders = using_orders(tree)
            try:
                tree = qualify(
                    tree,
                    schema=self.schema,
                    dialect=DIALECT,
                    validate_qualify_columns=True,
                    quote_identifiers=True,
                    expand_alias_refs=False,  # PostgreSQL has no lateral column aliases
                )
            except OptimizeError as exc:
                raise unknown_column(exc, used, sql, source_names(found), tree) from None
            order_using_star(tree, orders)
            refuse_duckdb_reads(tree, sql)
            check_qualified(tree.find_all(exp.Select), self.registry)
            tree = annotate_types(tree, schema=self.schema, dialect=DIALECT)
            finish = _nothing
        resolve_types(tree)  # PostgreSQL's operator and common-type resolution
        tree = apply_rewrites(tree, self.variant.rewrites)
        if replaced_functions:
            tree = tables.fuse_element_paths(tree)
        finish()  # (GROUP BY positions, in the fast path)
        # Every placeholder the generator is about to print as $name is checked here, on
        # the tree it prints (they come from the text or stand for settings).
        names = parameters(tree)
        # The generator may change the tree it prints; nothing reads this one afterwards.
        # Comments are dropped: the DuckDB SQL holds no user text outside literals and
        # quoted names, which the generator escapes.
        text = DUCKDB.generate(tree, copy=False, comments=False, pretty=pretty)
        return Translation(text, columns, names)


def _nothing() -> None:
    pass


def fast_shape(tree: exp.Expr, selects: list[exp.Expr]) -> bool:
    """False for shapes :func:`.fast_qualify.qualify_and_type` leaves to sqlglot at once (a
    set operation, a star), told without a walk; the translation then goes on with
    sqlglot's passes instead of starting again from the text."""
    if not isinstance(tree, exp.Select):
        return False
    for select in (tree, *selects):
        for item in select.expressions:
            if isinstance(item, exp.Star) or (
                isinstance(item, exp.Column) and isinstance(item.this, exp.Star)
            ):
                return False
    return True


def second_statement(source: Source) -> int | None:
    """Where the second statement of the text starts (after the first ``;``)."""
    tokens = source.tokens
    for i, tok in enumerate(tokens[:-1]):
        if tok.token_type == TokenType.SEMICOLON and tokens[i + 1].token_type != tok.token_type:
            return tokens[i + 1].start
    return None


def refuse_duckdb_reads(qualified: exp.Expr, sql: str) -> None:
    """What sqlglot's qualification accepts as DuckDB reads it, and PostgreSQL refuses
    or answers differently (the fast path leaves both to this one):

    * ``tags.team`` where ``tags`` is no source in FROM: read as a field of the column
      ``tags`` (DuckDB's struct and JSON dot access); PostgreSQL reports a missing
      FROM-clause entry;
    * ``SELECT t FROM x AS t``, a source's name as a value: a struct in DuckDB, a row
      value (printed ``(a,b,...)``) in PostgreSQL; but the name of a set-returning
      source with one column is that column (:func:`.tables.one_column`)."""
    for node in list(qualified.walk()):
        if isinstance(node, exp.Dot):
            base = node.this.unnest() if isinstance(node.this, exp.Paren) else node.this
            raise Refusal(
                f"{{written}}: there is no table {base.name!r} in FROM (DDSQL has no '.' "
                "field access: for a JSON key write j -> 'key', for a tag tags -> 'key')",
                node,
                parts={"written": node},
                kind=CatalogError,
            ).located(sql)
        if isinstance(node, exp.TableColumn):
            column = tables.one_column(node)
            if column is not None:
                node.replace(column)
                continue
            raise Refusal(
                f"{node.name} names a table: whole-row values are not supported in DDSQL; "
                f"list its columns, or use {node.name}.* in a select list",
                node,
            ).located(sql)


def session_statement(tree: exp.Expr, source: Source) -> tuple[str, ...] | None:
    """``SET dd.time_frame_start = '...'``, ``SHOW dd.time_frame_end``, ``SHOW ALL`` as
    ("set", setting, value) / ("show", setting | "all"); None for anything else."""
    if not isinstance(tree, (exp.Command, exp.Set)):
        return None
    # the setting's name follows SHOW or SET (and SESSION or LOCAL)
    named = [t for t in source.tokens[1:] if t.text.upper() not in ("SESSION", "LOCAL")]
    setting = named[0].start if named else None
    if isinstance(tree, exp.Command) and str(tree.this).upper() == "SHOW":
        name = tree.expression.name.strip().lower() if tree.expression else ""
        if name == "all" or name in TIME_FRAME_SETTINGS:
            return ("show", name)
        raise Refusal(
            f"SHOW {name}: the settings are {', '.join(TIME_FRAME_SETTINGS)}", offset=setting
        )
    if isinstance(tree, exp.Set) and len(tree.expressions) == 1 and not tree.args.get("unset"):
        item = tree.expressions[0]
        assignment = item.this
        if isinstance(assignment, exp.EQ) and isinstance(assignment.this, exp.Column):
            name = ".".join(p.name for p in assignment.this.parts).lower()
            value = assignment.expression
            if name in TIME_FRAME_SETTINGS and item.args.get("kind") is None:
                if not (isinstance(value, exp.Literal) and value.is_string):
                    raise Refusal(f"SET {name} takes a quoted timestamp", value)
                return ("set", name, value.this)
            if name in TIME_FRAME_SETTINGS:
                raise Refusal(f"SET {item.args['kind']} is not supported", offset=setting)
        raise Refusal(
            f"SET is supported for {' and '.join(TIME_FRAME_SETTINGS)} only", offset=setting
        )
    return None


def normalize(tree: exp.Expr, found: Inventory, sql: str) -> None:
    """Fold unquoted identifiers to lower case, as PostgreSQL does: sqlglot's
    ``normalize_identifiers`` (which also honours ``sqlglot.meta`` comments), done here
    directly for the dialect's rule when no such comment is present."""
    if "sqlglot.meta" in sql or not _FOLDS_ASCII:
        from sqlglot.optimizer.normalize_identifiers import normalize_identifiers

        normalize_identifiers(tree, dialect=DIALECT)
        return
    for identifier in found.of(exp.Identifier):
        if not identifier.args.get("quoted"):
            name = identifier.this
            folded = name.translate(ASCII_LOWER)
            if folded != name:
                identifier.set("this", folded)


# DIALECT.normalize_identifier folds unquoted names with ASCII_LOWER (checked here).
_FOLDS_ASCII = (
    DIALECT.normalization_strategy is NormalizationStrategy.LOWERCASE
    and DIALECT.ASCII_ONLY_NORMALIZATION
)


def bind_settings(found: Inventory) -> bool:
    """``current_setting('dd.time_frame_start')`` -> the parameter that carries it.
    Returns whether there was any."""
    bound = False
    for node in found.of(exp.Anonymous):
        assert isinstance(node, exp.Anonymous)
        if node.name.lower() != "current_setting":
            continue
        arg = node.expressions[0] if len(node.expressions) == 1 else None
        name = arg.this.lower() if isinstance(arg, exp.Literal) and arg.is_string else None
        if name not in TIME_FRAME_SETTINGS:
            raise Refusal(
                f"current_setting() reads {' or '.join(TIME_FRAME_SETTINGS)}",
                arg if arg is not None else node,
            )
        node.replace(
            exp.Cast(this=exp.Placeholder(this=setting_parameter(name)), to=data_type("VARCHAR"))
        )
        found.drop(node)
        bound = True
    return bound


def check_calls(
    calls: dict[str, int], found: Inventory, sql: str, functions: frozenset[str] | None = None
) -> None:
    """Refuse a function name the text calls that DDSQL does not document (whatever
    sqlglot would have made of it). Names that turned out to be table aliases with
    column lists (``AS v(a, b)``, ``WITH x(a) AS``) are not calls. ``functions``: the
    variant's list (the reference's by default)."""
    known = variant().functions if functions is None else functions
    if all(name in known or name in CALL_SYNTAX for name in calls):
        return
    aliases = {a.name.lower() for a in found.of(exp.TableAlias)}
    aliases |= {cte.alias.lower() for cte in found.of(exp.CTE)}
    for name, start in calls.items():
        if name not in known | CALL_SYNTAX and name not in aliases:
            written = sql[start : start + len(name)]
            if name in _DUCKDB_CALLS:
                raise UnsupportedError(at(_DUCKDB_CALLS[name], sql, start))
            what = f"function {written}() is not supported in DDSQL"
            if functions is None or functions == variant().functions:
                what += preview_function_hint(name)
            raise UndefinedFunctionError(at(what, sql, start))


# DuckDB syntax that reads like a call, refused by its name.
_DUCKDB_CALLS = {
    "columns": "COLUMNS(...) is DuckDB syntax, not DDSQL; list the columns",
    "unpack": "UNPACK(...) is DuckDB syntax, not DDSQL",
}


def postgres_clauses(found: Inventory, sql: str) -> None:
    """PostgreSQL's ``GROUP BY ALL|DISTINCT cols`` (the same grouping as plain GROUP BY for
    column lists) and ``LIMIT ALL`` (no limit); DuckDB's ``GROUP BY ALL`` is refused."""
    for group in found.of(exp.Group):
        if group.args.get("all") and not group.expressions:
            tokens = Source(sql).tokens
            alls = (
                b.start
                for a, b in pairwise(tokens)
                if a.token_type == TokenType.GROUP_BY and b.token_type == TokenType.ALL
            )
            raise Refusal(
                "GROUP BY ALL without columns is DuckDB syntax; list them", offset=next(alls, None)
            )
        group.set("all", None)
    for limit in found.of(exp.Limit):
        if isinstance(limit.expression, exp.Var) and limit.expression.name.upper() == "ALL":
            limit.pop()
            found.drop(limit)


def statement_kind(tree: exp.Expr) -> str:
    if isinstance(tree, exp.Command):
        return str(tree.this).upper()
    return (tree.key or type(tree).__name__).upper()


def located(message: str, node: exp.Expr, sql: str) -> str:
    """``message`` with a caret under ``node`` (its own token: see
    :meth:`.refusals.Source.own_offset`) when its place in ``sql`` is known."""
    offset = Source(sql).own_offset(node)
    return message if offset is None else at(message, sql, offset)


# Per node class, what validate needs to know: is it a cast, a function, allowed by its
# class alone, a call (allowed by its name), a structure whose arguments are checked?
_CAST, _FUNC, _ALLOWED, _CALL, _SHAPE = 1, 2, 4, 8, 16
_KINDS: dict[tuple[str, type[exp.Expr]], int] = {}
# The arguments each structural node may have set; anything else is a clause of another
# dialect that sqlglot reads into the same node (DuckDB's UNION BY NAME, SEMI JOIN...).
_SHAPES: dict[type[exp.Expr], frozenset[str]] = {
    exp.Select: frozenset(
        {"with_", "expressions", "distinct", "from_", "joins", "where", "group", "having"}
        | {"order", "limit", "offset", "windows"}
    ),
    exp.Union: frozenset({"with_", "this", "expression", "distinct", "order", "limit", "offset"}),
    exp.Join: frozenset({"this", "on", "side", "kind", "using", "method"}),
    exp.Star: frozenset(),
    exp.Tuple: frozenset({"expressions"}),
    exp.Table: frozenset({"this", "db", "catalog", "alias", "only", "ordinality"}),
    exp.Unnest: frozenset({"expressions", "alias", "offset"}),  # offset: WITH ORDINALITY
    exp.Window: frozenset({"this", "partition_by", "order", "spec", "over", "first"}),
    exp.Alias: frozenset({"this", "alias"}),
    exp.Is: frozenset({"this", "expression", "negate"}),
}
# Where a parenthesised list (a, b) is PostgreSQL's list syntax, not a row value (which
# DuckDB would make a struct): a VALUES row, an IN operand, a row comparison, GROUP BY,
# DISTINCT ON.
_LIST_PLACES = (exp.Values, exp.In, exp.Group, exp.Tuple, exp.EQ, exp.NEQ, exp.Distinct)
# What a set argument is called when it is refused (DuckDB's syntax by its name).
_SHAPE_NAMES: dict[tuple[type[exp.Expr], str], str] = {
    (exp.Union, "by_name"): "UNION BY NAME is DuckDB syntax, not DDSQL",
    (exp.Star, "except_"): "SELECT * EXCEPT (...) is DuckDB syntax, not DDSQL; list the columns",
    (exp.Star, "replace"): "SELECT * REPLACE (...) is DuckDB syntax, not DDSQL",
    (exp.Star, "rename"): "SELECT * RENAME (...) is DuckDB syntax, not DDSQL",
    (exp.Star, "ilike"): "SELECT * LIKE/ILIKE is DuckDB syntax, not DDSQL",
    # OVER w, OVER (w ORDER BY ...), WINDOW w AS (...): DuckDB's parser fails on a name it
    # has no definition of, and answered one it has as if the name were not there
    (exp.Window, "alias"): "named windows are not supported in DDSQL; write the window "
    "out in each OVER (...)",
}
# Where a query may stand without parentheses of its own: the statement, a (subquery), a
# CTE's body, an operand of UNION, EXISTS, IN and ARRAY(...) (which hold its parentheses).
_QUERY_PLACES = (exp.Subquery, exp.CTE, exp.SetOperation, exp.Exists, exp.In, exp.Array)
# What OVER (...) may follow: aggregates and window functions (DuckDB's parser fails on
# another call, which PostgreSQL refuses too).
_WINDOWED = (exp.AggFunc, exp.RowNumber)
# Where a bare * may stand: a select-list item, count(*), t.* (DuckDB also filters a
# star's columns with * LIKE 'pattern', which sqlglot reads as a LIKE on the star).
_STAR_PLACES = (exp.Select, exp.Count, exp.Column)
# Join kinds and methods PostgreSQL has (others are DuckDB's: SEMI, ANTI, ASOF, POSITIONAL).
_JOIN_KINDS = frozenset({"", "INNER", "OUTER", "CROSS"})
_JOIN_METHODS = frozenset({"", "NATURAL"})


def _kind(node_class: type[exp.Expr], language: Variant) -> int:
    allowed = language.allowed_kind(node_class)
    return (
        (_CAST if issubclass(node_class, exp.Cast) else 0)
        | (_FUNC if issubclass(node_class, exp.Func) else 0)
        | (_ALLOWED if allowed else 0)
        | (_CALL if allowed is None else 0)
        | (_SHAPE if node_class in _SHAPES else 0)
    )


def check_shape(node: exp.Expr, sql: str, language: Variant | None = None) -> None:
    """Refuse the arguments of a SELECT, UNION, JOIN or ``*`` that PostgreSQL's syntax
    cannot set (see :data:`_SHAPES`)."""
    allowed = _SHAPES[type(node)]
    allowed_kind = (language or variant()).allowed_kind
    for key, value in node.args.items():
        if value in (None, False, [], "") or key in allowed:
            continue
        name = _SHAPE_NAMES.get((type(node), key))
        held = value if type(value) is list else [value]
        if name is None and all(
            isinstance(v, exp.Expr) and allowed_kind(type(v)) is False for v in held
        ):
            continue  # nodes validate refuses by their class, with their own message
        if name is None and isinstance(held[0], exp.Expr):
            raise refuse(held[0], sql)
        # the clause's keyword: before its parenthesised list, or the key's own word
        source = Source(sql)
        keyword = (
            source.name_before(held[0])
            if isinstance(held[0], exp.Expr)
            else next((t for t in source.tokens if t.text.upper() == key.upper()), None)
        )
        message = name or (
            f"{source.written(keyword)} is not supported in DDSQL"
            if keyword is not None
            else f"{key.upper()} in {node.key.upper()} is not supported"
        )
        if keyword is None:
            raise UnsupportedError(located(message, node, sql))
        raise UnsupportedError(at(message, sql, keyword.start))
    if isinstance(node, (exp.Select, exp.Union)) and isinstance(node.parent, (exp.From, exp.Join)):
        # FROM FROM t: a query starting with FROM, read as a source without parentheses
        raise UnsupportedError(
            located("a query starting with FROM is DuckDB syntax, not DDSQL", node, sql)
        )
    group = node.args.get("group") if isinstance(node, exp.Select) else None
    if isinstance(group, exp.Group) and not any(group.args.values()):
        # GROUP BY without keys: sqlglot reads it, DuckDB's parser does not
        raise UnsupportedError(located("syntax error: GROUP BY without keys", node, sql))
    if isinstance(node, (exp.Select, exp.Union)) and not (
        node.parent is None or isinstance(node.parent, _QUERY_PLACES)
    ):
        # upper(SELECT name): sqlglot reads a bare query as an argument, DuckDB does not
        raise UnsupportedError(
            located("syntax error: a subquery goes in parentheses, (SELECT ...)", node, sql)
        )
    if isinstance(node, exp.Is) and not isinstance(node.expression, (exp.Null, exp.Boolean)):
        # x IS y: sqlglot reads any value after IS, DuckDB's parser only NULL, TRUE, FALSE
        raise UnsupportedError(
            located("syntax error: IS takes NULL, TRUE or FALSE, such as x IS NULL", node, sql)
        )
    if isinstance(node, exp.Alias) and not (
        isinstance(node.parent, exp.Select) and node.arg_key == "expressions"
    ):
        raise misplaced_alias(node, sql)  # (x AS y): sqlglot reads it, DuckDB cannot
    if isinstance(node, exp.Window) and not isinstance(node.this, _WINDOWED):
        function = node.this
        message = "OVER is not supported for ordered-set aggregate approx_percentile"
        if not isinstance(function, exp.WithinGroup):
            name = Source(sql).call_name(function) if isinstance(function, exp.Func) else "it"
            message = (
                f"OVER specified, but {name} is not a window function nor an aggregate function"
            )
        raise UnsupportedError(located(message, node, sql))
    if isinstance(node, exp.Star) and not isinstance(node.parent, _STAR_PLACES):
        source = Source(sql)
        raise UnsupportedError(
            located(
                f"* in {source.quoted(node.parent) if node.parent else '?'}: a * stands "
                "alone in a select list or in count(*) (* LIKE is DuckDB syntax, not DDSQL)",
                node,
                sql,
            )
        )
    if isinstance(node, exp.Tuple) and not isinstance(node.parent, _LIST_PLACES):
        raise UnsupportedError(
            located(f"row values such as {Source(sql).quoted(node)} are not supported", node, sql)
        )
    if isinstance(node, exp.Tuple) and isinstance(node.parent, (exp.EQ, exp.NEQ)):
        other = node.parent.expression if node.arg_key == "this" else node.parent.this
        if isinstance(other, exp.Tuple) and len(other.expressions) != len(node.expressions):
            raise UnsupportedError(
                located("unequal number of entries in row expressions", node.parent, sql)
            )
    if isinstance(node, exp.Join):
        kind = (node.args.get("kind") or "").upper()
        method = (node.args.get("method") or "").upper()
        if kind not in _JOIN_KINDS or method not in _JOIN_METHODS:
            word = kind if kind not in _JOIN_KINDS else method
            raise UnsupportedError(located(f"{word} JOIN is DuckDB syntax, not DDSQL", node, sql))


def validate(found: Inventory, sql: str, language: Variant | None = None) -> None:
    """Refuse every node that is not a construct or listed function of the variant
    ``language`` (the reference by default; nodes the checks before replaced with allowed
    ones are skipped)."""
    language = language or variant()
    for node in found.nodes:
        if found.dropped and id(node) in found.dropped:
            continue
        kind = _KINDS.get((language.name, type(node)))
        if kind is None:
            kind = _KINDS[language.name, type(node)] = _kind(type(node), language)
        if kind & _CAST:
            to = node.args.get("to")
            if isinstance(to, exp.DataType) and to.this not in language.cast_types:
                raise refuse_cast(node, sql)
        if kind & _FUNC and node.error_messages():
            # sqlglot builds some calls (ceil(), split_part('a')) without their required
            # arguments; the rewrites rely on them.
            name = Source(sql).call_name(node)
            raise UnsupportedError(located(f"function {name}() is missing arguments", node, sql))
        if kind & _SHAPE:
            check_shape(node, sql, language)
        if isinstance(node, exp.Exists) and not isinstance(
            node.this, (exp.Query, exp.Subquery, exp.Values)
        ):
            raise UnsupportedError(located("syntax error: EXISTS takes a (SELECT ...)", node, sql))
        if isinstance(node, exp.DataType) and not isinstance(node.parent, (exp.Cast, exp.DataType)):
            # x IN ('a', NULL[): sqlglot reads a type where a value goes, DuckDB does not
            raise UnsupportedError(
                located(f"syntax error: the type {pg_sql(node)} is not a value", node, sql)
            )
        if kind & _ALLOWED or (kind & _CALL and language.is_allowed(node)):
            continue
        if isinstance(node, (exp.DDL, exp.DML, exp.Command)) or node.key in {"pragma", "set"}:
            raise UnsupportedError(
                located(f"{statement_kind(node)} is not supported; DDSQL runs queries", node, sql)
            )
        raise refuse(node, sql)


def misplaced_alias(alias: exp.Expr, sql: str) -> DDSQLError:
    """``expr AS name`` names a select-list item only; elsewhere (``(x AS bigint)``, which
    sqlglot reads as a name inside parentheses) PostgreSQL fails at the ``AS``."""
    source = Source(sql)
    extent = source.extent(alias.this)
    word = next(
        (
            t
            for t in source.tokens
            if t.token_type == TokenType.ALIAS and extent is not None and t.start > extent[1]
        ),
        None,
    )
    if word is None:
        return refuse(alias, sql)
    return ParseError(
        f'syntax error at or near "{source.written(word)}"', sql, *position(sql, word.start)
    )


def refuse_cast(cast: exp.Expr, sql: str) -> UnsupportedError:
    """The refusal of a cast to a type DDSQL does not have, named as written, with a caret
    under it (the first token after the value and its ``::`` or ``AS``)."""
    source = Source(sql)
    extent = source.extent(cast.this)
    skip = (TokenType.R_PAREN, TokenType.DCOLON, TokenType.ALIAS)
    tokens = source.tokens
    if extent is not None:
        after = extent[1]
    else:  # a value with no position (NULL): the type follows the first :: or AS
        after = next((t.start for t in tokens if t.token_type in skip[1:]), -1)
    for i, tok in enumerate(tokens):
        if tok.start > after and tok.token_type not in skip:
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            closing = source.closing(nxt) if nxt and nxt.token_type == TokenType.L_PAREN else None
            written = sql[tok.start : (closing or tok).end + 1]
            hint = preview_cast_hint(cast)
            return UnsupportedError(
                at(f"casts to {written} are not supported{hint}", sql, tok.start)
            )
    to = cast.args["to"]
    written = f"casts to {pg_sql(to)} are not supported"
    return UnsupportedError(located(written + preview_cast_hint(cast), cast, sql))


def check_placeholders(placeholders: list[exp.Expr]) -> None:
    """The placeholders the text holds are ``:name`` with an identifier outside the
    reserved ``ddsql_`` space (the tokenizer's pass checks them as written; this checks
    what sqlglot made of them, whatever syntax it read)."""
    for node in placeholders:
        name = node.args.get("this")
        if not isinstance(name, str) or not name or name == "?" or name.isdigit():
            raise UnsupportedError("parameters are named, like :name")
        if not PARAMETER_NAME.fullmatch(name):
            raise UnsupportedError(f"parameter name {name!r}: letters, digits and underscores only")
        if name.lower().startswith(INTERNAL_PREFIX):
            raise UnsupportedError(
                f"parameter :{name}: names starting with {INTERNAL_PREFIX} are reserved"
            )
        parent = node.parent
        if isinstance(parent, exp.TableAlias) or (
            isinstance(parent, exp.Alias) and node.arg_key == "alias"
        ):  # (AS :x, FROM t AS :x, AS v(:x), WITH :x AS: PostgreSQL has no such syntax)
            raise Refusal(
                f"a parameter is a value, not a name: :{name} cannot name a column or a table", node
            )


def parameters(tree: exp.Expr) -> tuple[str, ...]:
    """The names of the ``:name`` placeholders, each once, in order of appearance
    (including the ``ddsql_`` ones that carry session settings).

    The last check before the generator prints each as ``$name``: a name that is not an
    identifier, or a reserved one that no setting uses, is refused here whatever put it
    in the tree. Names that differ only in case are refused too: DuckDB binds ``$x`` and
    ``$X`` as one parameter."""
    names: dict[str, exp.Expr] = {}
    for node in tree.find_all(exp.Placeholder):
        name = node.args.get("this")
        if not isinstance(name, str) or not name or name == "?" or name.isdigit():
            raise UnsupportedError("parameters are named, like :name")
        if not PARAMETER_NAME.fullmatch(name) or (
            name.lower().startswith(INTERNAL_PREFIX) and name not in SETTING_PARAMETERS.values()
        ):
            raise UnsupportedError(f"parameter name {name!r} is not allowed")
        names.setdefault(name, node)
    folded: dict[str, str] = {}
    for name, written in names.items():
        other = folded.setdefault(name.lower(), name)
        if other != name:
            raise Refusal(
                f"parameters :{other} and :{name} differ only in case; use distinct names", written
            )
    return tuple(names)


def resolve_tables(found: Inventory, registry: Registry, sql: str) -> list[Table]:
    """Check every table reference (a CTE's name only where the CTE is visible, as in
    PostgreSQL: after its definition, or anywhere in a WITH RECURSIVE); rename aliases of
    registry tables to their canonical name (keeping the written name as the alias).
    Returns the tables used."""
    ctes = {cte.alias_or_name.lower() for cte in found.of(exp.CTE)}
    used: list[Table] = []
    for ref in found.of(exp.Table):
        assert isinstance(ref, exp.Table)
        if not isinstance(ref.this, exp.Identifier):
            raise UnsupportedError(
                located(f"{Source(sql).quoted(ref.this)} is not supported in FROM", ref, sql)
            )
        if any(
            ref.args.get(part) is not None and not isinstance(ref.args[part], exp.Identifier)
            for part in ("db", "catalog")
        ):
            # aws..t: sqlglot leaves the middle name empty, DuckDB cannot parse it back
            raise UnsupportedError(
                located("syntax error: a table name has an empty part (..)", ref, sql)
            )
        written = ".".join(p.name for p in ref.parts).lower()
        if not ref.args.get("db") and written in ctes:
            if visible_cte(ref, written) is not None:
                continue
            if registry.find(written) is None:  # a WITH item read before its definition
                raise CatalogError(
                    located(
                        f'relation "{written}" does not exist: there is a WITH item named '
                        f'"{written}", but it cannot be referenced from this part of the '
                        "query (define it before, or use WITH RECURSIVE)",
                        ref,
                        sql,
                    )
                )
        table = registry.find(written)
        if table is None:
            known = [n for t in registry for n in t.names] + sorted(ctes)
            raise CatalogError(
                located(f"table {written!r} does not exist" + suggest(written, known), ref, sql)
            )
        used.append(table)
        if written != table.name:
            alias = ref.alias or written.split(".")[-1]
            ref.set("this", exp.to_identifier(table.table_name))
            ref.set("db", exp.to_identifier(table.schema_name))
            ref.set("alias", exp.TableAlias(this=exp.to_identifier(alias)))
    return used


def source_names(found: Inventory) -> set[str]:
    """The names a query gives its sources (tables, aliases, CTEs), lower case."""
    names = {a.name.lower() for a in found.of(exp.TableAlias)}
    names |= {t.alias_or_name.lower() for t in found.of(exp.Table)}
    return names | {cte.alias_or_name.lower() for cte in found.of(exp.CTE)}


_FOR_TABLE = re.compile(r"Column '([^']*)' could not be resolved for table: '([^']*)'")
_UNKNOWN_TABLE = re.compile(r"Unknown table: (\S+)")
_USING = re.compile(r"Cannot automatically join: (\S+)")
_UNKNOWN_COLUMN = re.compile(r"Unknown column: (\S+)")


def unknown_column(
    exc: OptimizeError,
    tables: list[Table],
    sql: str,
    sources: Set[str] = frozenset(),
    tree: exp.Expr | None = None,
) -> DDSQLError:
    """sqlglot's qualification failure as PostgreSQL says it: an unknown column (with
    the closest existing names; a caret under it when ``tree`` holds it), a table name
    that no source has (``missing FROM-clause entry``), a USING column that is missing."""
    text = str(exc)
    known = sorted({c.name for t in tables for c in t.columns})
    qualified = _FOR_TABLE.search(text)
    if qualified is not None:
        column, table = qualified.groups()
        written = re.search(rf"(?i)\b{re.escape(table)}\s*\.\s*\"?{re.escape(column)}", sql)
        kind: type[CatalogError] = CatalogError
        if table.lower() in sources:
            message = f"column {table}.{column} does not exist" + suggest(column, known)
            kind = UndefinedColumnError
        else:
            message = f'missing FROM-clause entry for table "{table}"'
        return kind(at(message, sql, written.start()) if written else message)
    unknown = _UNKNOWN_TABLE.search(text)
    if unknown is not None:
        table = unknown.group(1).strip("'\"")
        written = re.search(rf"(?i)\b{re.escape(table)}\s*\.\s*\*", sql)
        message = f'missing FROM-clause entry for table "{table}"'
        return CatalogError(at(message, sql, written.start()) if written else message)
    column_of = _UNKNOWN_COLUMN.search(text)
    if column_of is not None:  # t.nope, where t is a source
        column = column_of.group(1).strip("'\"")
        found = _qualified_column(tree, column) if tree is not None else None
        if found is not None:  # the column itself, for the caret
            return Refusal(
                "column {written} does not exist" + suggest(column, known),
                found,
                parts={"written": found},
                kind=UndefinedColumnError,
            ).located(sql)
        written = re.search(rf'(?i)\b[\w"]+\s*\.\s*"?{re.escape(column)}\b', sql)
        said = " ".join(written.group(0).split()) if written else column
        message = f"column {said} does not exist" + suggest(column, known)
        return UndefinedColumnError(at(message, sql, written.start()) if written else message)
    using = _USING.search(text)
    if using is not None:
        column = using.group(1).strip("'\"")
        written = re.search(rf"(?is)\bUSING\s*\([^)]*?\b({re.escape(column)})\b", sql)
        message = (
            f'column "{column}" specified in USING clause does not exist in the tables it joins'
        )
        return UndefinedColumnError(at(message, sql, written.start(1)) if written else message)
    name = text.split("'")[1] if text.count("'") >= 2 else ""
    if name and "could not be resolved" in text:
        message = f"column {name!r} does not exist" + suggest(name.split(".")[-1], known)
        line_col = text.rsplit("Line: ", 1)
        if len(line_col) == 2:
            line, _, col = line_col[1].partition(", Col: ")
            try:
                ln, cl = int(line), int(col.strip(". ")) - len(name) + 1
                return UndefinedColumnError(
                    f"{message} (line {ln}, column {cl})\n{caret(sql, ln, cl)}"
                )
            except ValueError:
                pass
        return UndefinedColumnError(message)
    return CatalogError(text.split(". Line")[0])


def _qualified_column(tree: exp.Expr, name: str) -> exp.Column | None:
    """The first column of ``tree`` written with a source name and named ``name``."""
    for column in tree.find_all(exp.Column):
        if column.table and column.name == name:
            return column
    return None
