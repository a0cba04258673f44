-- DDSQL (Preview) constructs that are PostgreSQL's too, read alike in both variants
-- (tests/dialect/test_preview.py checks that the reference answers them the same): the
-- data types page's literals, intervals (its shorthands '30s' and '2 min' are PostgreSQL
-- spellings) and type aliases.
SELECT '0x10' AS text_stays
SELECT 1.0, 1e30, 314e-2, .25, 5.
SELECT 'Hello, world'
SELECT interval '1 day', interval '30s', interval '2 min'
SELECT interval '1 hr', interval '90 sec', interval '2 mins', interval '1 week'
SELECT '30s'::interval AS i, CAST('2 min' AS interval) AS j
SELECT timestamp '2025-01-01 00:00:00' + interval '30s' AS ts
SELECT CAST('7' AS integer) AS a, CAST('7' AS int) AS b, CAST(7 AS text) AS c, CAST(7 AS varchar) AS d
SELECT CAST('2.5' AS real) AS r, CAST('2.5' AS double) AS d -- pg: SELECT CAST('2.5' AS double precision) AS r, CAST('2.5' AS double precision) AS d
SELECT CAST('2.5' AS decimal) AS n -- pg: SELECT CAST('2.5' AS double precision) AS n
SELECT CAST(7 AS string) AS s -- pg: SELECT CAST(7 AS text) AS s
SELECT CAST('true' AS boolean) AS b, CAST('{"a": 1}' AS json) AS j
SELECT CAST('2025-01-02 03:04:05' AS timestamp) AS ts
SELECT CAST('2025-01-02 03:04:05' AS timestamp without time zone) AS ts
SELECT interval '1 day' AS i
-- functions.md / window_functions.md entries the reference lists too
SELECT reverse('brown') AS r
SELECT trim(leading 'x' from 'xxaxx') AS l, trim(trailing 'x' from 'xxaxx') AS r, trim(both 'x' from 'xxaxx') AS b
SELECT unnest(ARRAY[1, 2, 3]) AS a, unnest(ARRAY['x', 'y']) AS b
SELECT to_timestamp(0) AS a, to_timestamp(1700000000) AS b
SELECT name, rank() OVER (ORDER BY status) AS r, row_number() OVER (ORDER BY _key) AS n FROM t ORDER BY _key
