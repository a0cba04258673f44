-- DDSQL (Preview), data_types.md: literals, types and aliases (docs/dialect.md, "The Preview
-- variant"). Relative time literals read the query's clock; PostgreSQL's meaning is
-- LOCALTIMESTAMP plus the interval, so these lines compare differences and filters, not instants.
--
-- integers, hexadecimal integers
SELECT 1, 4, 23901239412, 0x4B1D
SELECT 0x0 AS zero, 0xff AS ff, 0XFF AS upper, 0x7FFFFFFFFFFFFFFF AS biggest
SELECT 0x10 + 1 AS n, -0x10 AS m, 0x10 * 0x10 AS square
SELECT name FROM t ORDER BY _key LIMIT 0x3
SELECT count(*) FROM t WHERE length(name) > 0x10
-- reals, text
-- array<type>[values...]
SELECT array<int>[1, 2, 3] AS a
SELECT array<text>['b', 'a'] AS a
SELECT array<varchar>['x'] AS a, array<bigint>[] AS e
SELECT array<double>[1, 2.5] AS a
SELECT cardinality(array<int>[1, 2, 3]) AS n
SELECT array<int>[1, 2][2] AS second
SELECT array_position(array<text>['a', 'b'], 'b') AS p
SELECT array<boolean>[true, false] AS a
SELECT array<int>[0x10, 0x20] AS a
-- group literals: sorted, each value once
SELECT {'b', 'a'} AS g
SELECT {'a', 'a', 'a'} AS g
SELECT {'Zoë', 'zoe', 'Z'} AS g
SELECT {'it''s', 'a'} AS g
SELECT {} AS g -- pg: SELECT ARRAY[]::text[] AS g
SELECT {'a', 'b'} = {'b', 'a'} AS same
SELECT {'a', 'b'} = {'a'} AS other
SELECT ARRAY['b', 'a', 'b']::group AS g -- pg: SELECT ARRAY['a', 'b']::text[] AS g
SELECT CAST(ARRAY['z', 'y'] AS tag_column) AS g -- pg: SELECT ARRAY['y', 'z']::text[] AS g
SELECT ARRAY['b', 'a']::hstore AS g -- pg: SELECT ARRAY['a', 'b']::text[] AS g
SELECT {'b', 'a'}::text AS t -- pg: SELECT 'a,b' AS t
SELECT name FROM t WHERE team = ARRAY['fraud']::group ORDER BY _key -- pg: SELECT name FROM t WHERE tag_values(tags, 'team') = ARRAY['fraud'] ORDER BY _key
-- relative timestamps: 'now' is the query's start; '<interval> ago' that instant less the interval
SELECT timestamp 'now' - timestamp '1 day ago' AS d
SELECT timestamp 'now' - timestamp '2 hours ago' AS d
SELECT timestamp 'now' - timestamp '1 hr ago' AS d
SELECT timestamp 'now' - timestamp '30 minutes ago' AS d
SELECT timestamp 'now' - timestamp '1 week ago' AS d
SELECT timestamp 'now' - timestamp '1 day 2 hours ago' AS d
SELECT timestamp '1 day ago' < timestamp 'now' AS earlier
SELECT timestamp 'NOW' = timestamp 'now' AS same
SELECT timestamp '3 months ago' < timestamp '2 months ago' AS earlier
SELECT timestamp '1 year ago' + interval '1 year' = timestamp 'now' AS back
SELECT count(*) FROM t WHERE creation_time > timestamp '100000 days ago'
SELECT count(*) FROM t WHERE creation_time < timestamp 'now'
SELECT count(*) FROM t WHERE creation_time > timestamp '1 day ago'
SELECT count(*) FROM t WHERE last_modified_time BETWEEN timestamp '36500 days ago' AND timestamp 'now'
SELECT name FROM t WHERE completion_time < timestamp '30 days ago' ORDER BY _key
-- relative dates: the date of that instant; date literals are YYYY-MM-DD
SELECT date 'now' - date '1 day ago' AS days
SELECT date 'now' - date '10 days ago' AS days
SELECT date '2025-01-01' AS d
SELECT date '2025-03-01' - date '2025-02-01' AS days
SELECT CAST('2025-03-01' AS date) AS d
SELECT count(*) FROM t WHERE creation_time > date '2025-01-01'
SELECT count(*) FROM t WHERE creation_time >= date '100000 days ago'
SELECT date '2025-01-01' + interval '1 day' AS ts
SELECT CAST(creation_time AS date) AS d FROM t ORDER BY _key
SELECT date 'bad' -- error: date
-- intervals: PostgreSQL's spellings, and the page's shorthands '30s', '2 min', '1 day'
-- base types and aliases
