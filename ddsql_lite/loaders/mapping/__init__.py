"""The pure mapping: API records -> table rows -> Arrow tables, and fixture files.

Nothing here calls AWS or runs SQL. ``values`` converts API values (timestamps, JSON
column text), ``to_row`` maps one record to one row, ``to_arrow`` builds a table's Arrow
table from rows, ``api_shapes`` holds the API output shapes the mapping checks values
against, ``fixture_reader`` and ``fixture_writer`` read and write fixture files record
by record, ``synthetic_records`` makes deterministic records (docs/design.md, "Fixture
format" and "From API record to row").
"""
