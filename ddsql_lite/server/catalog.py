"""The catalog clients read: enough of PostgreSQL's ``pg_catalog`` and
``information_schema`` for psql's ``\\dt``/``\\d``, SQLAlchemy's inspector, pgcli's
completion and the drivers' connect-time queries.

Contract: the catalog is built from the registry (tables, columns, descriptions) and
the list of DDSQL functions, into a DuckDB database of its own that holds no data and
no files, with external access disabled and its configuration locked. A catalog query
is rewritten for DuckDB (names of ``pg_catalog``/``information_schema`` to this
database's schemas, ``::regclass`` and friends to name lookups, PostgreSQL-only
spellings) and run there, never on the data engine: a catalog query that names the
data table finds no such table.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import sqlglot
from sqlglot import exp

from ..errors import DDSQLError, QueryMemoryError, QueryTimeoutError, UnsupportedError
from ..memory import resident_bytes
from ..registry import Registry
from ..repl.sqltokens import WORD, significant, tokenize
from . import wire_types

CATALOG = "pgc"  # pg_catalog's tables and functions here
INFO = "infs"  # information_schema's
SCHEMAS = {"pg_catalog": CATALOG, "information_schema": INFO}
OWNER = "ddsql"
HSTORE_OID = 16390
NAMESPACES = {"pg_catalog": 11, "public": 2200, "information_schema": 13000}
FIRST_OID = 16400
SERVER_VERSION = "15.0"
CATALOG_MEMORY = "256MB"
BUDGET = 256 * 1024 * 1024
"""What a catalog query may add to the process's resident memory before it is stopped
(DuckDB's memory limit counts its buffers only)."""
AMPLIFIERS = frozenset({"repeat", "lpad", "rpad", "format", "printf", "list_resize",
                        "array_resize", "space"})  # fmt: skip
"""Functions that make a large value out of a small one: no catalog query needs them."""


class CatalogQueryError(DDSQLError):
    """A catalog query the catalog cannot answer (DuckDB's reason, or a refusal)."""

    sqlstate = "0A000"


class UnknownFunctionInCatalog(CatalogQueryError):
    """A catalog query calls a function the catalog does not offer."""

    sqlstate = "42883"  # undefined_function


class UnknownSettingError(CatalogQueryError):
    """``current_setting`` of a setting the server does not have."""

    sqlstate = "42704"  # undefined_object


# ------------------------------------------------------------------- the tables

_TABLES: dict[str, str] = {
    "pg_namespace": "oid BIGINT, nspname VARCHAR, nspowner BIGINT, nspacl VARCHAR[]",
    "pg_class": (
        "oid BIGINT, relname VARCHAR, relnamespace BIGINT, reltype BIGINT, reloftype BIGINT, "
        "relowner BIGINT, relam BIGINT, relfilenode BIGINT, reltablespace BIGINT, "
        "relpages INTEGER, reltuples FLOAT, relallvisible INTEGER, reltoastrelid BIGINT, "
        "relhasindex BOOLEAN, relisshared BOOLEAN, relpersistence VARCHAR, relkind VARCHAR, "
        "relnatts SMALLINT, relchecks SMALLINT, relhasrules BOOLEAN, relhastriggers BOOLEAN, "
        "relhassubclass BOOLEAN, relrowsecurity BOOLEAN, relforcerowsecurity BOOLEAN, "
        "relispopulated BOOLEAN, relreplident VARCHAR, relispartition BOOLEAN, "
        "relrewrite BIGINT, relfrozenxid BIGINT, relminmxid BIGINT, relacl VARCHAR[], "
        "reloptions VARCHAR[], relpartbound VARCHAR"
    ),
    "pg_attribute": (
        "attrelid BIGINT, attname VARCHAR, atttypid BIGINT, attstattarget INTEGER, "
        "attlen SMALLINT, attnum SMALLINT, attndims INTEGER, attcacheoff INTEGER, "
        "atttypmod INTEGER, attbyval BOOLEAN, attalign VARCHAR, attstorage VARCHAR, "
        "attcompression VARCHAR, attnotnull BOOLEAN, atthasdef BOOLEAN, "
        "atthasmissing BOOLEAN, attidentity VARCHAR, attgenerated VARCHAR, "
        "attisdropped BOOLEAN, attislocal BOOLEAN, attinhcount INTEGER, "
        "attcollation BIGINT, attacl VARCHAR[], attoptions VARCHAR[], "
        "attfdwoptions VARCHAR[], attmissingval VARCHAR"
    ),
    "pg_type": (
        "oid BIGINT, typname VARCHAR, typnamespace BIGINT, typowner BIGINT, typlen SMALLINT, "
        "typbyval BOOLEAN, typtype VARCHAR, typcategory VARCHAR, typispreferred BOOLEAN, "
        "typisdefined BOOLEAN, typdelim VARCHAR, typrelid BIGINT, typsubscript VARCHAR, "
        "typelem BIGINT, typarray BIGINT, typinput VARCHAR, typoutput VARCHAR, "
        "typreceive VARCHAR, typsend VARCHAR, typmodin VARCHAR, typmodout VARCHAR, "
        "typanalyze VARCHAR, typalign VARCHAR, typstorage VARCHAR, typnotnull BOOLEAN, "
        "typbasetype BIGINT, typtypmod INTEGER, typndims INTEGER, typcollation BIGINT, "
        "typdefaultbin VARCHAR, typdefault VARCHAR, typacl VARCHAR[]"
    ),
    "pg_proc": (
        "oid BIGINT, proname VARCHAR, pronamespace BIGINT, proowner BIGINT, prolang BIGINT, "
        "procost FLOAT, prorows FLOAT, provariadic BIGINT, prosupport VARCHAR, "
        "prokind VARCHAR, prosecdef BOOLEAN, proleakproof BOOLEAN, proisstrict BOOLEAN, "
        "proretset BOOLEAN, provolatile VARCHAR, proparallel VARCHAR, pronargs SMALLINT, "
        "pronargdefaults SMALLINT, prorettype BIGINT, proargtypes BIGINT[], "
        "proallargtypes BIGINT[], proargmodes VARCHAR[], proargnames VARCHAR[], "
        "proargdefaults VARCHAR, protrftypes BIGINT[], prosrc VARCHAR, probin VARCHAR, "
        "prosqlbody VARCHAR, proconfig VARCHAR[], proacl VARCHAR[]"
    ),
    "pg_database": (
        "oid BIGINT, datname VARCHAR, datdba BIGINT, encoding INTEGER, "
        "datlocprovider VARCHAR, datistemplate BOOLEAN, datallowconn BOOLEAN, "
        "datconnlimit INTEGER, datfrozenxid BIGINT, datminmxid BIGINT, dattablespace BIGINT, "
        "datcollate VARCHAR, datctype VARCHAR, daticulocale VARCHAR, datcollversion VARCHAR, "
        "datacl VARCHAR[]"
    ),
    "pg_description": "objoid BIGINT, classoid BIGINT, objsubid INTEGER, description VARCHAR",
    "pg_am": "oid BIGINT, amname VARCHAR, amhandler VARCHAR, amtype VARCHAR",
    "pg_attrdef": "oid BIGINT, adrelid BIGINT, adnum SMALLINT, adbin VARCHAR",
    "pg_collation": (
        "oid BIGINT, collname VARCHAR, collnamespace BIGINT, collowner BIGINT, "
        "collprovider VARCHAR, collisdeterministic BOOLEAN, collencoding INTEGER, "
        "collcollate VARCHAR, collctype VARCHAR"
    ),
    "pg_policy": (
        "oid BIGINT, polname VARCHAR, polrelid BIGINT, polcmd VARCHAR, "
        "polpermissive BOOLEAN, polroles BIGINT[], polqual VARCHAR, polwithcheck VARCHAR"
    ),
    "pg_statistic_ext": (
        "oid BIGINT, stxrelid BIGINT, stxname VARCHAR, stxnamespace BIGINT, stxowner BIGINT, "
        "stxstattarget INTEGER, stxkeys SMALLINT[], stxkind VARCHAR[], stxexprs VARCHAR"
    ),
    "pg_publication": (
        "oid BIGINT, pubname VARCHAR, pubowner BIGINT, puballtables BOOLEAN, "
        "pubinsert BOOLEAN, pubupdate BOOLEAN, pubdelete BOOLEAN, pubtruncate BOOLEAN, "
        "pubviaroot BOOLEAN"
    ),
    "pg_publication_namespace": "oid BIGINT, pnpubid BIGINT, pnnspid BIGINT",
    "pg_publication_rel": (
        "oid BIGINT, prpubid BIGINT, prrelid BIGINT, prqual VARCHAR, prattrs SMALLINT[]"
    ),
    "pg_inherits": (
        "inhrelid BIGINT, inhparent BIGINT, inhseqno INTEGER, inhdetachpending BOOLEAN"
    ),
    "pg_index": (
        "indexrelid BIGINT, indrelid BIGINT, indnatts SMALLINT, indnkeyatts SMALLINT, "
        "indisunique BOOLEAN, indisprimary BOOLEAN, indisexclusion BOOLEAN, "
        "indimmediate BOOLEAN, indisclustered BOOLEAN, indisvalid BOOLEAN, "
        "indisready BOOLEAN, indislive BOOLEAN, indkey SMALLINT[], indexprs VARCHAR, "
        "indpred VARCHAR"
    ),
    "pg_constraint": (
        "oid BIGINT, conname VARCHAR, connamespace BIGINT, contype VARCHAR, "
        "condeferrable BOOLEAN, condeferred BOOLEAN, convalidated BOOLEAN, conrelid BIGINT, "
        "contypid BIGINT, conindid BIGINT, conparentid BIGINT, confrelid BIGINT, "
        "confupdtype VARCHAR, confdeltype VARCHAR, confmatchtype VARCHAR, "
        "conislocal BOOLEAN, coninhcount INTEGER, connoinherit BOOLEAN, conkey SMALLINT[], "
        "confkey SMALLINT[], conbin VARCHAR"
    ),
    "pg_depend": (
        "classid BIGINT, objid BIGINT, objsubid INTEGER, refclassid BIGINT, "
        "refobjid BIGINT, refobjsubid INTEGER, deptype VARCHAR"
    ),
    "pg_roles": (
        "oid BIGINT, rolname VARCHAR, rolsuper BOOLEAN, rolinherit BOOLEAN, "
        "rolcreaterole BOOLEAN, rolcreatedb BOOLEAN, rolcanlogin BOOLEAN, "
        "rolreplication BOOLEAN, rolconnlimit INTEGER, rolpassword VARCHAR, "
        "rolvaliduntil TIMESTAMP, rolbypassrls BOOLEAN, rolconfig VARCHAR[]"
    ),
    "pg_user": (
        "usename VARCHAR, usesysid BIGINT, usecreatedb BOOLEAN, usesuper BOOLEAN, "
        "userepl BOOLEAN, usebypassrls BOOLEAN, passwd VARCHAR, valuntil TIMESTAMP, "
        "useconfig VARCHAR[]"
    ),
    "pg_language": "oid BIGINT, lanname VARCHAR, lanowner BIGINT, lanispl BOOLEAN",
    "pg_tablespace": "oid BIGINT, spcname VARCHAR, spcowner BIGINT",
    "pg_extension": (
        "oid BIGINT, extname VARCHAR, extowner BIGINT, extnamespace BIGINT, "
        "extrelocatable BOOLEAN, extversion VARCHAR"
    ),
    "pg_sequence": (
        "seqrelid BIGINT, seqtypid BIGINT, seqstart BIGINT, seqincrement BIGINT, "
        "seqmax BIGINT, seqmin BIGINT, seqcache BIGINT, seqcycle BOOLEAN"
    ),
    "pg_trigger": "oid BIGINT, tgrelid BIGINT, tgname VARCHAR, tgenabled VARCHAR",
    "pg_rewrite": "oid BIGINT, rulename VARCHAR, ev_class BIGINT, ev_type VARCHAR",
    "pg_enum": "oid BIGINT, enumtypid BIGINT, enumsortorder FLOAT, enumlabel VARCHAR",
    "pg_range": "rngtypid BIGINT, rngsubtype BIGINT",
    "pg_foreign_table": "ftrelid BIGINT, ftserver BIGINT, ftoptions VARCHAR[]",
    "pg_event_trigger": "oid BIGINT, evtname VARCHAR",
    "pg_tables": (
        "schemaname VARCHAR, tablename VARCHAR, tableowner VARCHAR, tablespace VARCHAR, "
        "hasindexes BOOLEAN, hasrules BOOLEAN, hastriggers BOOLEAN, rowsecurity BOOLEAN"
    ),
    "pg_views": ("schemaname VARCHAR, viewname VARCHAR, viewowner VARCHAR, definition VARCHAR"),
    "pg_matviews": (
        "schemaname VARCHAR, matviewname VARCHAR, matviewowner VARCHAR, definition VARCHAR"
    ),
    "pg_settings": (
        "name VARCHAR, setting VARCHAR, unit VARCHAR, category VARCHAR, short_desc VARCHAR, "
        "context VARCHAR, vartype VARCHAR, source VARCHAR, boot_val VARCHAR, "
        "reset_val VARCHAR"
    ),
}

_INFO_TABLES: dict[str, str] = {
    "schemata": (
        "catalog_name VARCHAR, schema_name VARCHAR, schema_owner VARCHAR, "
        "default_character_set_catalog VARCHAR, default_character_set_schema VARCHAR, "
        "default_character_set_name VARCHAR, sql_path VARCHAR"
    ),
    "tables": (
        "table_catalog VARCHAR, table_schema VARCHAR, table_name VARCHAR, "
        "table_type VARCHAR, self_referencing_column_name VARCHAR, "
        "reference_generation VARCHAR, user_defined_type_catalog VARCHAR, "
        "user_defined_type_schema VARCHAR, user_defined_type_name VARCHAR, "
        "is_insertable_into VARCHAR, is_typed VARCHAR, commit_action VARCHAR"
    ),
    "columns": (
        "table_catalog VARCHAR, table_schema VARCHAR, table_name VARCHAR, "
        "column_name VARCHAR, ordinal_position INTEGER, column_default VARCHAR, "
        "is_nullable VARCHAR, data_type VARCHAR, character_maximum_length INTEGER, "
        "character_octet_length INTEGER, numeric_precision INTEGER, "
        "numeric_precision_radix INTEGER, numeric_scale INTEGER, "
        "datetime_precision INTEGER, interval_type VARCHAR, udt_catalog VARCHAR, "
        "udt_schema VARCHAR, udt_name VARCHAR, is_identity VARCHAR, is_generated VARCHAR, "
        "generation_expression VARCHAR, is_updatable VARCHAR"
    ),
    "views": (
        "table_catalog VARCHAR, table_schema VARCHAR, table_name VARCHAR, view_definition VARCHAR"
    ),
    "table_constraints": (
        "constraint_catalog VARCHAR, constraint_schema VARCHAR, constraint_name VARCHAR, "
        "table_catalog VARCHAR, table_schema VARCHAR, table_name VARCHAR, "
        "constraint_type VARCHAR"
    ),
    "key_column_usage": (
        "constraint_catalog VARCHAR, constraint_schema VARCHAR, constraint_name VARCHAR, "
        "table_catalog VARCHAR, table_schema VARCHAR, table_name VARCHAR, "
        "column_name VARCHAR, ordinal_position INTEGER"
    ),
    "routines": (
        "routine_catalog VARCHAR, routine_schema VARCHAR, routine_name VARCHAR, "
        "routine_type VARCHAR, data_type VARCHAR"
    ),
}

CATALOG_TABLES = frozenset(_TABLES)
# Functions that make a query without a table a catalog query.
CATALOG_FUNCTIONS = frozenset(
    {
        "version", "current_schema", "current_schemas", "current_database",
        "current_catalog", "current_user", "session_user", "user", "format_type",
        "to_regtype", "to_regclass", "to_regproc", "obj_description", "col_description",
        "shobj_description", "inet_server_addr", "inet_server_port", "txid_current",
        "set_config", "quote_ident", "array_upper", "array_lower",
    }
)  # fmt: skip
_CATALOG_PREFIXES = ("pg_", "has_")

# PostgreSQL's display names of types (format_type, ::regtype).
_DISPLAY = {
    "int8": "bigint", "int4": "integer", "int2": "smallint", "float8": "double precision",
    "float4": "real", "bool": "boolean", "timestamp": "timestamp without time zone",
    "timestamptz": "timestamp with time zone", "time": "time without time zone",
    "varchar": "character varying", "char": '"char"',
}  # fmt: skip
_CATEGORY = {
    "int8": "N", "int4": "N", "int2": "N", "float8": "N", "float4": "N", "numeric": "N",
    "oid": "N", "bool": "B", "timestamp": "D", "timestamptz": "D", "date": "D", "time": "D",
    "interval": "T", "text": "S", "varchar": "S", "name": "S", "char": "Z", "json": "U",
    "bytea": "U", "uuid": "U",
}  # fmt: skip
_TEXTLIKE = {"text", "varchar", "name"}


def pg_type_of(duckdb_type: str, tags: bool) -> tuple[int, str]:
    """A registry column's type as the catalog shows it: its OID and display name."""
    if tags:
        return HSTORE_OID, "hstore"
    column = wire_types.column_for(duckdb_type)
    name = _DISPLAY.get(column.pg.name, column.pg.name)
    return (column.oid, name + "[]") if column.array else (column.pg.oid, name)


@dataclass
class _Rows:
    rows: dict[str, list[tuple[Any, ...]]]

    def add(self, table: str, *values: Any) -> None:
        self.rows.setdefault(table, []).append(values)


def _catalog_rows(registry: Registry, functions: Sequence[str], database: str) -> _Rows:
    """Every row of the catalog's tables, from the registry and the function names."""
    out = _Rows({})
    schemas = dict(NAMESPACES)
    for table in registry:
        schemas.setdefault(table.schema_name, FIRST_OID - 15 + len(schemas))
    for name, oid in schemas.items():
        out.add("pg_namespace", oid, name, 10, None)
        out.add("schemata", database, name, OWNER, None, None, "UTF8", None)
    # types: the scalars, their arrays, hstore
    types: list[tuple[int, str, int, int, int, int, str]] = []
    for pg in wire_types.SCALARS:
        types.append((pg.oid, pg.name, 11, pg.size, 0, pg.array_oid, _CATEGORY.get(pg.name, "U")))
        if pg.array_oid:
            types.append((pg.array_oid, "_" + pg.name, 11, -1, pg.oid, 0, "A"))
    types.append((HSTORE_OID, "hstore", 2200, -1, 0, HSTORE_OID + 5, "U"))
    types.append((HSTORE_OID + 5, "_hstore", 2200, -1, HSTORE_OID, 0, "A"))
    for oid, name, namespace, size, elem, array, category in types:
        collation = 100 if name in _TEXTLIKE else 0
        out.add(
            "pg_type", oid, name, namespace, 10, size, 0 < size <= 8, "b", category, False,
            True, ",", 0, None, elem, array, name + "in", name + "out", name + "recv",
            name + "send", None, None, None, "i", "x" if size < 0 else "p", False, 0, -1, 0,
            collation, None, None, None,
        )  # fmt: skip
    out.add("pg_am", 2, "heap", "heap_tableam_handler", "t")
    out.add("pg_collation", 100, "default", 11, 10, "d", True, -1, None, None)
    out.add("pg_roles", 10, OWNER, True, True, False, False, True, False, -1, "********",
            None, True, None)  # fmt: skip
    out.add("pg_user", OWNER, 10, False, True, False, True, "********", None, None)
    out.add("pg_database", 16384, database, 10, 6, "c", False, True, -1, 0, 0, 1663, "C",
            "C", None, None, None)  # fmt: skip
    out.add("pg_tablespace", 1663, "pg_default", 10)
    out.add("pg_language", 12, "internal", 10, False)
    out.add("pg_language", 14, "sql", 10, False)
    out.add("pg_extension", 16389, "hstore", 10, 2200, True, "1.8")
    oid = FIRST_OID
    for table in registry:
        relations = [(table.schema_name, table.table_name, "r")]
        relations += [("public", alias, "v") for alias in table.aliases if "." not in alias]
        for schema, name, kind in relations:
            out.add(
                "pg_class", oid, name, schemas[schema], 0, 0, 10, 2 if kind == "r" else 0, oid,
                0, 0, -1.0, 0, 0, False, False, "p", kind, len(table.columns), 0, False, False,
                False, False, False, True, "d", False, 0, 0, 0, None, None, None,
            )  # fmt: skip
            out.add("pg_description", oid, 1259, 0, table.description)
            kind_text = "BASE TABLE" if kind == "r" else "VIEW"
            out.add("tables", database, schema, name, kind_text, None, None, None, None, None,
                    "NO", "NO", None)  # fmt: skip
            if kind == "r":
                out.add("pg_tables", schema, name, OWNER, None, False, False, False, False)
            else:
                definition = f" SELECT * FROM {table.name};"
                out.add("pg_views", schema, name, OWNER, definition)
                out.add("views", database, schema, name, definition)
            for number, column in enumerate(table.columns, 1):
                tags = column.type.name == "hstore_csv"
                type_oid, display = pg_type_of(column.type.duckdb, tags)
                size = wire_types.column_for(column.type.duckdb).size if not tags else -1
                collation = 100 if display == "text" else 0
                out.add(
                    "pg_attribute", oid, column.name, type_oid, -1, size, number, 0, -1, -1,
                    0 < size <= 8, "i", "x" if size < 0 else "p", "", False, False, False, "",
                    "", False, True, 0, collation, None, None, None, None,
                )  # fmt: skip
                out.add("pg_description", oid, 1259, number, column.description)
                udt = "hstore" if tags else wire_types.BY_OID.get(type_oid, wire_types.TEXT).name
                if display.endswith("[]"):
                    udt = "_" + wire_types.ARRAY_OF[type_oid].name
                data_type = (
                    "USER-DEFINED" if tags else ("ARRAY" if display.endswith("[]") else display)
                )
                out.add(
                    "columns", database, schema, name, column.name, number, None, "YES",
                    data_type, None, None, None, None, None, None, None, database,
                    "public" if tags else "pg_catalog", udt, "NO", "NEVER", None, "NO",
                )  # fmt: skip
            oid += 1
    for number, name in enumerate(sorted(set(functions))):
        out.add(
            "pg_proc", 20000 + number, name, 11, 10, 12, 1.0, 0.0, 0, None, "f", False, False,
            False, False, "i", "s", 0, 0, 25, None, None, None, None, None, None, name, None,
            None, None, None,
        )  # fmt: skip
        out.add("routines", database, "pg_catalog", name, "FUNCTION", "text")
    return out


def _literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, (int, float)):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def _display(typname: str) -> str:
    """A type's name as format_type writes it (``_int8`` -> ``bigint[]``)."""
    base = typname.removeprefix("_")
    return _DISPLAY.get(base, base) + ("[]" if typname.startswith("_") else "")


def _lookup(argument: str, pairs: Sequence[tuple[Any, Any]], otherwise: str = "NULL") -> str:
    """``CASE argument WHEN key THEN value ... END`` over constant pairs: the catalog is
    fixed when the server starts, and a macro with a subquery would see the caller's
    column names (DuckDB's macros are not hygienic)."""
    if not pairs:
        return otherwise
    cases = " ".join(f"WHEN {_literal(k)} THEN {_literal(v)}" for k, v in pairs)
    return f"CASE {argument} {cases} ELSE {otherwise} END"


def _macros(rows: _Rows, search_path: Sequence[str]) -> list[str]:
    """The catalog functions clients call, as DuckDB macros over constants taken from
    the catalog's rows (session values such as the database name are put into the
    query instead: see :func:`rewrite`)."""
    names = {oid: name for oid, name, *_ in rows.rows["pg_namespace"]}
    types = [(row[0], _display(row[1])) for row in rows.rows["pg_type"]]
    relations = [(row[0], row[1], names[row[2]]) for row in rows.rows["pg_class"]]
    visible = [oid for oid, _, schema in relations if schema in search_path]
    shown = [(oid, name if schema in search_path else f"{schema}.{name}")
             for oid, name, schema in relations]  # fmt: skip
    regclass = [(name, oid) for oid, name, schema in relations if schema in search_path]
    regclass += [(f"{schema}.{name}", oid) for oid, name, schema in relations]
    regtype = [(name, oid) for oid, name in types]
    regtype += [(row[1], row[0]) for row in rows.rows["pg_type"]]
    described = [(row[0], row[3]) for row in rows.rows["pg_description"] if row[2] == 0]
    columns = [(f"{row[0]}:{row[2]}", row[3]) for row in rows.rows["pg_description"] if row[2]]
    views = [(oid, f" SELECT * FROM {schema}.{name};") for oid, name, schema in relations]
    c = CATALOG
    return [
        f"CREATE MACRO {c}.format_type(t, m) AS {_lookup('t', types)}",
        f"CREATE MACRO {c}.ddsql_regtype(t) AS {_lookup('t', types)}",
        f"CREATE MACRO {c}.ddsql_regnamespace(n) AS {_lookup('n', list(names.items()))}",
        f"CREATE MACRO {c}.ddsql_regclass(r) AS {_lookup('r', shown)}",
        f"CREATE MACRO {c}.to_regtype(name) AS {_lookup('name', regtype)}",
        f"CREATE MACRO {c}.to_regclass(name) AS {_lookup('name', regclass)}",
        f"CREATE MACRO {c}.pg_get_userbyid(u) AS '{OWNER}'",
        f"CREATE MACRO {c}.pg_table_is_visible(r) AS "
        f"r IN ({', '.join(map(str, visible)) or 'NULL'})",
        f"CREATE MACRO {c}.obj_description(o, k) AS {_lookup('o', described)}",
        f"CREATE MACRO {c}.obj_description(o) AS {_lookup('o', described)}",
        f"CREATE MACRO {c}.col_description(o, n) AS "
        f"{_lookup(chr(40) + 'o::VARCHAR || chr(58) || n::VARCHAR)', columns)}",
        f"CREATE MACRO {c}.pg_get_viewdef(v) AS {_lookup('v', views)}",
        f"CREATE MACRO {c}.pg_get_viewdef(v, p) AS {_lookup('v', views)}",
        f"CREATE MACRO {c}.pg_type_is_visible(t) AS true",
        f"CREATE MACRO {c}.pg_function_is_visible(f) AS true",
        f"CREATE MACRO {c}.pg_collation_is_visible(f) AS true",
        f"CREATE MACRO {c}.pg_relation_is_publishable(r) AS false",
        f"CREATE MACRO {c}.pg_get_expr(e, r) AS CAST(NULL AS VARCHAR)",
        f"CREATE MACRO {c}.pg_get_expr(e, r, p) AS CAST(NULL AS VARCHAR)",
        f"CREATE MACRO {c}.pg_get_serial_sequence(t, col) AS CAST(NULL AS VARCHAR)",
        f"CREATE MACRO {c}.pg_get_statisticsobjdef_columns(o) AS CAST(NULL AS VARCHAR)",
        f"CREATE MACRO {c}.pg_get_indexdef(i) AS CAST(NULL AS VARCHAR)",
        f"CREATE MACRO {c}.pg_get_constraintdef(i) AS CAST(NULL AS VARCHAR)",
        f"CREATE MACRO {c}.pg_get_constraintdef(i, p) AS CAST(NULL AS VARCHAR)",
        f"CREATE MACRO {c}.pg_encoding_to_char(e) AS 'UTF8'",
        f"CREATE MACRO {c}.pg_get_function_result(f) AS 'text'",
        f"CREATE MACRO {c}.pg_table_size(r) AS CAST(NULL AS BIGINT)",
        f"CREATE MACRO {c}.pg_relation_size(r) AS CAST(NULL AS BIGINT)",
        f"CREATE MACRO {c}.pg_total_relation_size(r) AS CAST(NULL AS BIGINT)",
        f"CREATE MACRO {c}.pg_size_pretty(b) AS CAST(b AS VARCHAR) || ' bytes'",
        f"CREATE MACRO {c}.pg_get_function_arguments(f) AS ''",
        f"CREATE MACRO {c}.pg_get_function_identity_arguments(f) AS ''",
        f"CREATE MACRO {c}.pg_backend_pid() AS 0",
        f"CREATE MACRO {c}.pg_is_in_recovery() AS false",
        f"CREATE MACRO {c}.pg_postmaster_start_time() AS TIMESTAMP '2000-01-01'",
        f"CREATE MACRO {c}.shobj_description(o, k) AS CAST(NULL AS VARCHAR)",
        f"CREATE MACRO {c}.has_table_privilege(a, b) AS true",
        f"CREATE MACRO {c}.has_table_privilege(a, b, p) AS true",
        f"CREATE MACRO {c}.has_schema_privilege(a, b) AS true",
        f"CREATE MACRO {c}.has_schema_privilege(a, b, p) AS true",
        f"CREATE MACRO {c}.has_database_privilege(a, b) AS true",
        f"CREATE MACRO {c}.has_database_privilege(a, b, p) AS true",
        f"CREATE MACRO {c}.has_column_privilege(a, b, p) AS true",
        f"CREATE MACRO {c}.has_column_privilege(a, b, cc, p) AS true",
        f"CREATE MACRO {c}.has_function_privilege(a, b) AS true",
        f"CREATE MACRO {c}.has_function_privilege(a, b, p) AS true",
        f"CREATE MACRO {c}.array_upper(a, d) AS len(a)",
        f"CREATE MACRO {c}.array_lower(a, d) AS CASE WHEN len(a) > 0 THEN 1 END",
        f"CREATE MACRO {c}.quote_ident(s) AS CASE WHEN regexp_full_match(s, '[a-z_][a-z0-9_$]*')"
        f" THEN s ELSE '\"' || replace(s, '\"', '\"\"') || '\"' END",
        f"CREATE MACRO {c}.txid_current() AS 1",
        f"CREATE MACRO {c}.inet_server_addr() AS '127.0.0.1'",
        f"CREATE MACRO {c}.inet_server_port() AS 0",
    ]


def _overloaded(macros: list[str]) -> list[str]:
    """``CREATE MACRO`` statements with the forms of one name merged into one statement
    (DuckDB's overloads: ``CREATE MACRO f(a) AS ..., (a, b) AS ...``)."""
    forms: dict[str, list[str]] = {}
    for macro in macros:
        head, _, rest = macro.partition("(")
        forms.setdefault(head, []).append("(" + rest)
    return [f"{head}{', '.join(bodies)}" for head, bodies in forms.items()]


def _server_version_text() -> str:
    from .. import __version__

    return f"PostgreSQL {SERVER_VERSION} (ddsql_lite {__version__}, DDSQL on DuckDB)"


# ------------------------------------------------------------------- rewriting

_OPERATOR = re.compile(r"OPERATOR\s*\(\s*(?:pg_catalog\s*\.\s*)?([^\s()]+)\s*\)", re.IGNORECASE)
_COLLATE = re.compile(r"\s+COLLATE\s+(?:pg_catalog\s*\.\s*)?(?:\"?default\"?|\"C\"|C)\b", re.I)
_REG_ARRAY = re.compile(r"::\s*(?:pg_catalog\s*\.\s*)?reg\w+\s*\[\]", re.IGNORECASE)
_REG_TYPES = {"regclass", "regtype", "regnamespace", "regproc", "regprocedure", "regrole"}


def _prepass(sql: str) -> str:
    """PostgreSQL spellings sqlglot does not read, in the forms clients send them:
    ``OPERATOR(pg_catalog.~)``, ``COLLATE pg_catalog.default``, casts to ``reg*[]``."""
    sql = _OPERATOR.sub(lambda m: f" {m.group(1)} ", sql)
    sql = _COLLATE.sub("", sql)
    return _REG_ARRAY.sub("::text[]", sql)


def _parse(sql: str) -> exp.Expr | None:
    try:
        trees = sqlglot.parse(_prepass(sql), read="postgres")
    except (sqlglot.errors.SqlglotError, RecursionError, ValueError):
        return None
    if len(trees) != 1 or trees[0] is None:
        return None
    return trees[0]


def _type_name(kind: exp.DataType) -> str:
    """The name of a user-defined type (``pg_catalog.regclass`` -> ``regclass``)."""
    target = kind.args.get("kind")
    if isinstance(target, exp.Dot):
        return target.name.lower()
    if target is not None:
        return str(target.name if hasattr(target, "name") else target).lower()
    return kind.sql("postgres").lower().rsplit(".", 1)[-1]


def is_catalog_query(sql: str) -> bool:
    """Does ``sql`` read the catalog: a name of ``pg_catalog`` or ``information_schema``
    (or one of pg_catalog's tables without its schema), a catalog function
    (``version()``, ``current_schema()``, ``pg_*``...), or ``current_setting`` of a
    setting other than DDSQL's ``dd.*``? Read from the tokens (in time linear in the
    text): a query that is not one is left to the translator, which bounds its work."""
    tokens = significant(tokenize(sql))
    for index, token in enumerate(tokens):
        if not token.is_name():
            continue
        name = token.value.lower()
        after = tokens[index + 1] if index + 1 < len(tokens) else None
        if name in SCHEMAS and after is not None and after.text == ".":
            return True
        if after is not None and after.text == "(" and token.kind == WORD:
            if name in CATALOG_FUNCTIONS or name.startswith(_CATALOG_PREFIXES):
                return True
            if name == "current_setting":
                argument = tokens[index + 2] if index + 2 < len(tokens) else None
                if argument is None or not argument.value.lower().startswith("dd."):
                    return True
        elif name in CATALOG_TABLES and index and tokens[index - 1].text in (",", "."):
            return tokens[index - 1].text == "," or _schema_before(tokens, index)
        elif name in CATALOG_TABLES and index and tokens[index - 1].is_word("from", "join"):
            return True
        elif token.kind == WORD and name in _SPECIAL_WORDS:
            return True  # current_user, current_schema: PostgreSQL's calls without ()
    return False


_SPECIAL_WORDS = frozenset({"current_user", "session_user", "current_catalog", "current_schema"})


def _schema_before(tokens: list[Any], index: int) -> bool:
    """Is the name at ``index`` qualified by a catalog schema (``pg_catalog.pg_class``)?"""
    return index >= 2 and tokens[index - 2].value.lower() in SCHEMAS


MAX_CATALOG_QUERY = 100_000
"""The longest catalog query read, in characters (the translator's bound)."""
MAX_CATALOG_DEPTH = 32
"""The deepest nesting of parentheses read in a catalog query."""
MAX_CATALOG_ROWS = 100_000
"""The most rows a catalog answer may have."""


def _check_bounds(sql: str) -> None:
    """Refuse a catalog query too long or too deeply nested to parse safely."""
    if len(sql) > MAX_CATALOG_QUERY:
        raise CatalogQueryError(
            f"the catalog reads queries of at most {MAX_CATALOG_QUERY:,} characters"
        )
    depth = deepest = 0
    for token in tokenize(sql):
        if token.text == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif token.text == ")":
            depth -= 1
    if deepest > MAX_CATALOG_DEPTH:
        raise CatalogQueryError(
            f"the catalog reads queries nested at most {MAX_CATALOG_DEPTH} parentheses deep"
        )


def _call_name(node: exp.Expr) -> str | None:
    if isinstance(node, exp.Anonymous):
        return str(node.this).lower()
    if isinstance(node, exp.Func) and not isinstance(node, exp.Anonymous):
        return node.sql_name().lower() if hasattr(node, "sql_name") else None
    return None


def _strip_schema(node: exp.Expr, session: Mapping[str, str]) -> exp.Expr:
    """One node of a catalog query, rewritten for the catalog database."""
    if isinstance(node, exp.Table) and not isinstance(node.this, exp.Identifier):
        if node.db.lower() == "pg_catalog":  # pg_catalog.generate_series(...): DuckDB's
            node = node.copy()
            node.set("db", None)
        return node
    if isinstance(node, exp.Table) and node.name:
        schema = node.db.lower()
        if schema in SCHEMAS:
            node = node.copy()
            node.set("db", exp.to_identifier(SCHEMAS[schema]))
        return node
    if (
        isinstance(node, exp.Dot)
        and isinstance(node.this, exp.Identifier)
        and node.this.name.lower() == "pg_catalog"
        and isinstance(node.expression, exp.Func)
    ):
        return node.expression
    if isinstance(node, exp.Column) and node.args.get("db") is not None:
        schema = node.db.lower()  # pg_catalog.pg_class.relname
        if schema in SCHEMAS:
            node = node.copy()
            node.set("db", exp.to_identifier(SCHEMAS[schema]))
        return node
    if isinstance(node, exp.Cast):
        to = node.to
        written = to.sql("postgres").lower().rsplit(".", 1)[-1]
        if written in _REG_TYPES:
            return _regcast(node.this, written)
        if to.this == exp.DType.USERDEFINED:
            name = _type_name(to)
            if name in _REG_TYPES:
                return _regcast(node.this, name)
            if name in ("text", "name", "char", "bpchar", "varchar"):
                return exp.cast(node.this, "VARCHAR")
            if name in ("oid", "int2", "int4", "int8"):
                return exp.cast(node.this, "BIGINT")
            if name == "int2vector" or name == "oidvector":
                return exp.cast(node.this, "BIGINT[]")
        if to.this == exp.DType.ARRAY and to.expressions:
            inner = to.expressions[0]
            if inner.this == exp.DType.USERDEFINED:
                return exp.cast(
                    node.this, "BIGINT[]" if "int" in _type_name(inner) else "VARCHAR[]"
                )
    if isinstance(node, (exp.CurrentUser, exp.SessionUser)):
        return exp.Literal.string(OWNER)
    if isinstance(node, exp.CurrentSchema):
        return exp.Literal.string(session["current_schema"])
    if isinstance(node, exp.CurrentVersion):
        return exp.Literal.string(_server_version_text())
    if isinstance(node, exp.CurrentCatalog):
        return exp.Literal.string(session["database"])
    name = _call_name(node) or ""
    if name in _RENAMED and isinstance(node, exp.Anonymous):
        return exp.Anonymous(this=_RENAMED[name], expressions=node.expressions)
    if isinstance(node, exp.JSONObject) and not node.args.get("null_handling"):
        pairs = [part for kv in node.expressions for part in (kv.this, kv.expression)]
        return exp.Anonymous(this="json_object", expressions=pairs)
    if name in ("current_database", "current_catalog"):
        return exp.Literal.string(session["database"])
    if name in ("current_schema",):
        return exp.Literal.string(session["current_schema"])
    if name == "version":
        return exp.Literal.string(_server_version_text())
    if name == "current_schemas":
        implicit = ["pg_catalog"] if node.sql("postgres").lower().endswith("(true)") else []
        schemas = implicit + [s.strip() for s in session["search_path"].split(",")]
        return exp.Array(expressions=[exp.Literal.string(s) for s in schemas])
    if name == "current_setting" and isinstance(node, exp.Anonymous):
        arg = node.expressions[0] if node.expressions else None
        if not isinstance(arg, exp.Literal):
            raise UnknownSettingError("current_setting() takes a setting's name as a literal")
        value = session.get("setting:" + arg.name.lower())
        if value is None:
            raise UnknownSettingError(f'unrecognized configuration parameter "{arg.name}"')
        return exp.Literal.string(value)
    if isinstance(node, exp.Any) and isinstance(node.parent, exp.EQ):
        return node
    return node


_RENAMED = {"json_build_object": "json_object", "jsonb_build_object": "json_object"}
_SPECIAL: dict[type, str] = {
    exp.CurrentVersion: "version",
    exp.CurrentSchema: "current_schema",
    exp.CurrentUser: "current_user",
    exp.SessionUser: "session_user",
    exp.CurrentCatalog: "current_catalog",
}


def _regcast(value: exp.Expr, kind: str) -> exp.Expr:
    """``value::regclass`` (regtype, regnamespace): a name. A literal stays the name it
    spells (so that ``x::regtype = 'trigger'::regtype`` compares names); an OID
    becomes the name it stands for."""
    if isinstance(value, exp.Literal) and value.is_string:
        return exp.Literal.string(value.name)
    macro = {"regclass": "ddsql_regclass", "regtype": "ddsql_regtype",
             "regnamespace": "ddsql_regnamespace"}.get(kind)  # fmt: skip
    if macro is None:
        return exp.cast(value, "VARCHAR")
    return exp.Anonymous(this=macro, expressions=[value])


def _any_to_list(node: exp.Expr) -> exp.Expr:
    """``x = ANY(array)`` (not a subquery) as DuckDB's ``list_contains(array, x)``."""
    if isinstance(node, exp.EQ) and isinstance(node.expression, exp.Any):
        target = node.expression.this
        if not isinstance(target, (exp.Subquery, exp.Select)):
            return exp.Anonymous(this="list_contains", expressions=[target, node.this])
    return node


def rewrite(sql: str, session: Mapping[str, str]) -> str:
    """A catalog query in the catalog database's DuckDB SQL; CatalogQueryError when it
    is not one query."""
    _check_bounds(sql)
    tree = _parse(sql)
    if tree is None:
        raise CatalogQueryError("the catalog cannot read this query")
    for node in tree.walk():
        name = _call_name(node)
        if name in AMPLIFIERS:
            raise UnknownFunctionInCatalog(f"function {name}() is not available in the catalog")
    if not isinstance(tree, (exp.Select, exp.SetOperation, exp.Subquery)):
        raise CatalogQueryError("the catalog answers queries only")
    _name_projections(tree)
    text = tree.sql("duckdb")
    for _ in range(8):  # a replaced node's children are rewritten by the next pass
        tree = tree.transform(lambda n: _strip_schema(n, session)).transform(_any_to_list)
        rewritten = tree.sql("duckdb")
        if rewritten == text:
            break
        text = rewritten
    return text


def _name_projections(tree: exp.Expr) -> None:
    """Name the unnamed calls of the select list as PostgreSQL does (``version()`` is
    the column ``version``), before they are replaced by values."""
    select = tree if isinstance(tree, exp.Select) else None
    if select is None:
        return
    for index, item in enumerate(select.expressions):
        if isinstance(item, exp.Cast):  # c.oid::regclass is the column "oid"
            inner = item.this
            while isinstance(inner, exp.Cast):
                inner = inner.this
            if isinstance(inner, exp.Column):
                column = exp.to_identifier(inner.name, quoted=True)
                select.expressions[index] = exp.alias_(item, column)
            continue
        if isinstance(item, (exp.Func, exp.Dot)) and not isinstance(item, exp.Alias):
            call = item.expression if isinstance(item, exp.Dot) else item
            name = _call_name(call) if isinstance(call, exp.Expr) else None
            if isinstance(call, tuple(_SPECIAL)):
                name = _SPECIAL[type(call)]
            if name:
                select.expressions[index] = exp.alias_(item, exp.to_identifier(name, quoted=True))


# ------------------------------------------------------------------- the database


class Catalog:
    """The catalog database: built once per server, queried by every session."""

    def __init__(self, registry: Registry, functions: Sequence[str], search_path: str) -> None:
        self.search_path = search_path
        path = [s.strip() for s in search_path.split(",")]
        db = duckdb.connect(":memory:")
        db.execute(f"CREATE SCHEMA {CATALOG}; CREATE SCHEMA {INFO}")
        catalog_rows = _catalog_rows(registry, functions, "ddsql")
        rows = catalog_rows.rows
        for schema, tables in ((CATALOG, _TABLES), (INFO, _INFO_TABLES)):
            for name, columns in tables.items():
                db.execute(f"CREATE TABLE {schema}.{name} ({columns})")
                values = rows.get(name, [])
                if values:
                    marks = ", ".join("?" * len(values[0]))
                    db.executemany(f"INSERT INTO {schema}.{name} VALUES ({marks})", values)
        for macro in _overloaded(_macros(catalog_rows, path)):
            db.execute(macro)
        db.execute(
            f"SET search_path = '{CATALOG},{INFO},main'; SET GLOBAL TimeZone = 'UTC'; "
            f"SET GLOBAL memory_limit = '{CATALOG_MEMORY}'; SET GLOBAL threads = 1; "
            # temp_directory '': nothing spills to disk, the catalog writes no file
            "SET GLOBAL temp_directory = ''; SET GLOBAL python_enable_replacements = false; "
            "SET GLOBAL autoinstall_known_extensions = false; "
            "SET GLOBAL autoload_known_extensions = false; "
            "SET GLOBAL enable_external_access = false; SET GLOBAL lock_configuration = true"
        )
        self._db = db
        self._lock = threading.Lock()

    def query(
        self,
        sql: str,
        params: Sequence[Any],
        session: Mapping[str, str],
        *,
        timeout: float,
        cancel: threading.Event | None = None,
    ) -> tuple[list[str], list[str], list[tuple[Any, ...]]]:
        """Run a catalog query: its column names, DuckDB types and rows (catalog
        answers are small)."""
        duck = rewrite(sql, session)
        with self._lock:
            cursor = self._db.cursor()
        try:
            cursor.execute(f"SET search_path = '{CATALOG},{INFO},main'")
            statements = cursor.extract_statements(duck)
            if len(statements) != 1 or statements[0].type != duckdb.StatementType.SELECT:
                raise UnsupportedError("the catalog answers one query at a time")
            stop = threading.Event()

            grown: list[bool] = []

            def watch() -> None:
                waited = 0.0
                baseline = resident_bytes()
                while not stop.wait(0.05):
                    waited += 0.05
                    now = resident_bytes()
                    if baseline is not None and now is not None and now - baseline > BUDGET:
                        grown.append(True)
                    if (
                        grown
                        or (timeout and waited >= timeout)
                        or (cancel is not None and cancel.is_set())
                    ):
                        with contextlib.suppress(duckdb.Error):
                            cursor.interrupt()
                        return

            watcher = threading.Thread(target=watch, name="ddsql-catalog-watch", daemon=True)
            watcher.start()
            try:
                relation = cursor.sql(statements[0], params=list(params) or None)
                limited = relation.limit(MAX_CATALOG_ROWS + 1) if relation is not None else None
                rows = limited.fetchall() if limited is not None else []
                if len(rows) > MAX_CATALOG_ROWS:
                    raise CatalogQueryError(
                        f"a catalog answer has at most {MAX_CATALOG_ROWS:,} rows"
                    )
                names = list(relation.columns) if relation is not None else []
                types = [str(t) for t in relation.types] if relation is not None else []
            except duckdb.InterruptException:
                if grown:
                    raise QueryMemoryError(
                        f"catalog query stopped: it needed more than {CATALOG_MEMORY}"
                    ) from None
                if cancel is not None and cancel.is_set():
                    from ..errors import QueryCancelledError

                    raise QueryCancelledError("canceling statement due to user request") from None
                raise QueryTimeoutError("canceling statement due to statement timeout") from None
            except duckdb.Error as failed:
                message = str(failed).split("\n")[0].partition(": ")[2] or str(failed)
                raise CatalogQueryError(f"catalog query failed: {message}") from None
            finally:
                stop.set()
            return names, types, rows
        finally:
            cursor.close()
