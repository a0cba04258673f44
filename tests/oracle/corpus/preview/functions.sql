-- DDSQL (Preview), functions.md and window_functions.md: the functions the preview lists
-- beyond the reference's (docs/dialect.md, "The Preview variant").
--
-- output names: the function as written
SELECT string_agg(name, ',' ORDER BY name), substr('abc', 2), char_length('abc'), md5('x'), mod(7, 2) FROM t
SELECT ltrim(' a'), rtrim('a '), left('abc', 1), right('abc', 1), ln(1), log(10), exp(0), sqrt(4), nullif(1, 2)
SELECT array_cat(ARRAY[1], ARRAY[2]), array_append(ARRAY[1], 2), concat('a', 'b'), json_build_object('a', 1)
SELECT round(2.5, 0), (mod(9, 4)), 9 % 4
SELECT log2(8) -- pg: SELECT log(2, 8) AS log2
SELECT array_length(ARRAY[1, 2]), array_contains(ARRAY[1], 1) -- pg: SELECT cardinality(ARRAY[1, 2]) AS array_length, ARRAY[1] @> ARRAY[1] AS array_contains
--
-- aggregates: string_agg
SELECT string_agg(name, ',' ORDER BY name) AS s FROM t
SELECT status, string_agg(account_id, '|' ORDER BY _key) AS s FROM t GROUP BY status ORDER BY status
SELECT string_agg(DISTINCT account_id, ',' ORDER BY account_id) AS s FROM t
SELECT string_agg(status_reason, ';' ORDER BY _key) AS s FROM t
SELECT string_agg(team::text, ' / ' ORDER BY _key) AS s FROM t WHERE env = 'prod'
-- strings
SELECT concat('a', 'b', 'c') AS c
SELECT concat('a', NULL, 'b') AS c
SELECT concat(name, '#', 1, '#', 2.5) AS c FROM t ORDER BY _key
SELECT concat(true, false, NULL::boolean) AS c
-- numbers are doubles (DDSQL's decimals), printed as PostgreSQL prints a float8
SELECT concat(1e15, 0.1) AS c -- ddsql: [('1e+150.1',)]
SELECT substr('hello', 2) AS a, substr('hello', -2, 4) AS b
SELECT substr('hello', 0, 3) AS a, substr('hello', 3, 100) AS b, substr('hello', 10) AS c
SELECT substr(name, 1, 5) AS s FROM t ORDER BY _key
SELECT md5('a') AS m, md5('') AS e, md5(name) AS n FROM t ORDER BY _key
SELECT char_length('héllo') AS n, char_length('') AS e
SELECT left('abcdef', 2) AS a, left('abcdef', -2) AS b, left('abc', 10) AS c, left('abc', 0) AS d
SELECT right('abcdef', 2) AS a, right('abcdef', -2) AS b, right('abc', 10) AS c
SELECT left(name, 5) AS l, right(name, 6) AS r FROM t ORDER BY _key
SELECT ltrim('xxaxx', 'x') AS l, rtrim('xxaxx', 'x') AS r
SELECT ltrim('  a  ') AS l, rtrim('  a  ') AS r
SELECT ltrim('abcba', 'ab') AS l, rtrim('abcba', 'ab') AS r
-- maths
SELECT round(2.675, 2) AS a, round(2.5, 0) AS b, round(-2.5, 0) AS c
SELECT round(1234.5678, 1) AS a, round(1234.5678, -2) AS b, round(0.125, 2) AS c
SELECT round(7, 1) AS a, round(length(name) / 3.0, 2) AS b FROM t ORDER BY _key
SELECT mod(7, 3) AS a, mod(-7, 3) AS b, mod(7, -3) AS c
SELECT mod(length(name), 5) AS m FROM t ORDER BY _key
SELECT mod(7, 0) AS m -- error: division by zero
SELECT ln(1) AS a, ln(10) AS b, log(100) AS c, log(2) AS d
SELECT log2(8) AS a, log2(1024) AS b, log2(3) AS c -- pg: SELECT log(2, 8) AS a, log(2, 1024) AS b, log(2, 3) AS c
SELECT exp(0) AS a, exp(1) AS b, sqrt(2) AS c, sqrt(16) AS d, power(2, 10) AS e
SELECT ln(0) AS x -- error: cannot take logarithm of zero
SELECT ln(-1) AS x -- error: cannot take logarithm of a negative number
SELECT log(0) AS x -- error: cannot take logarithm of zero
SELECT sqrt(-4) AS x -- error: cannot take square root of a negative number
SELECT exp(1000) AS x -- error: value out of range: overflow
SELECT sqrt(length(name)) AS s FROM t ORDER BY _key
-- arrays
SELECT array_length(ARRAY[1, 2, 3]) AS n -- pg: SELECT cardinality(ARRAY[1, 2, 3]) AS n
SELECT array_length(string_to_array(name, '-')) AS n FROM t ORDER BY _key -- pg: SELECT cardinality(string_to_array(name, '-')) AS n FROM t ORDER BY _key
SELECT array_contains(ARRAY[1, 2], 2) AS a, array_contains(ARRAY[1, 2], 3) AS b -- pg: SELECT 2 = ANY(ARRAY[1, 2]) AS a, 3 = ANY(ARRAY[1, 2]) AS b
SELECT name FROM t WHERE array_contains(string_to_array(name, '-'), 'shadow') ORDER BY _key -- pg: SELECT name FROM t WHERE 'shadow' = ANY(string_to_array(name, '-')) ORDER BY _key
SELECT array_cat(ARRAY[1, 2], ARRAY[3]) AS a, array_cat(ARRAY['a'], ARRAY['b', 'c']) AS b
SELECT array_cat(NULL::int[], ARRAY[1]) AS a, array_cat(ARRAY[1], NULL::int[]) AS b
SELECT array_append(ARRAY[1, 2], 3) AS a, array_append(ARRAY['x'], 'y') AS b, array_append(NULL::int[], 1) AS c
SELECT string_to_array('a,-,b', ',', '-') AS a, string_to_array('x|y', '|', 'z') AS b
SELECT string_to_array(name, '-', 'shadow') AS a FROM t ORDER BY _key
SELECT array_to_string(ARRAY['a', NULL, 'b'], ',', '*') AS a, array_to_string(ARRAY['a', NULL], ',') AS b
SELECT name, unnest(string_to_array(name, '-')) AS part FROM t WHERE team = 'fraud' ORDER BY _key
-- time
SELECT date_diff('day', TIMESTAMP '2025-01-01', TIMESTAMP '2025-01-03') AS d -- pg: SELECT 2 AS d
SELECT date_diff('hour', TIMESTAMP '2025-01-01 10:59', TIMESTAMP '2025-01-01 12:01') AS d -- pg: SELECT 2 AS d
SELECT date_diff('day', creation_time, last_modified_time) AS d FROM t ORDER BY _key -- pg: SELECT (last_modified_time::date - creation_time::date) AS d FROM t ORDER BY _key
SELECT date_diff('month', TIMESTAMP '2025-01-31', TIMESTAMP '2025-03-01') AS d -- pg: SELECT 2 AS d
SELECT date_diff('fortnight', TIMESTAMP '2025-01-31', TIMESTAMP '2025-03-01') AS d -- error: fortnight -- pg: SELECT date_part('fortnight', now())
-- conditional
SELECT nullif(1, 1) AS a, nullif(1, 2) AS b, nullif('a', 'b') AS c
SELECT name, nullif(status_reason, '') AS r FROM t ORDER BY _key
-- JSON
SELECT json_build_object('a', 1, 'b', 'x', 'c', true, 'd', NULL) AS j
SELECT json_build_object('name', name, 'status', status) AS j FROM t ORDER BY _key
SELECT json_build_object('k', json_build_object('n', 2.5)) AS j
SELECT json_build_object('meta', endpoint_metadata) AS j FROM t ORDER BY _key
SELECT json_build_object('a') AS j -- error: even number
-- window functions
SELECT name, dense_rank() OVER (ORDER BY status) AS r FROM t ORDER BY _key
SELECT name, dense_rank() OVER (PARTITION BY account_id ORDER BY type) AS r FROM t ORDER BY _key
-- row_to_json(table): the row as a JSON object (tags as hstore's JSON: values joined by commas)
SELECT row_to_json(t) FROM t ORDER BY _key
SELECT x.name, row_to_json(x) AS j FROM t AS x WHERE x.status = 'Running' ORDER BY x._key
SELECT row_to_json(t) -> 'tags' AS tags FROM t ORDER BY _key
SELECT row_to_json(t) ->> 'creation_time' AS created FROM t ORDER BY _key
SELECT row_to_json(name) FROM t -- error: takes a table's name
SELECT json_build_object('a', 1, 'b', 'x') -> 'b' AS b, json_build_object('a', 1) ->> 'a' AS a
