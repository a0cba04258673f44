-- Numbers, text read as numbers, JSON text and run-time errors at their edges (docs/dialect.md,
-- "Numbers at their edges" and "Errors"). `FROM t` stands for aws.sagemaker_inference_experiment AS t.
-- Decimal literals such as 1e300 are doubles in DDSQL and numeric in PostgreSQL, so the
-- overflow lines spell doubles as '...'::float8 in both.

-- ====================================================== text read as a number or a boolean
SELECT ' 12 '::bigint, '+7'::bigint, '-9223372036854775808'::bigint, BIGINT '42'
SELECT 'abc'::bigint -- error: invalid input syntax for type bigint: "abc"
SELECT CAST('1.5' AS BIGINT) -- error: invalid input syntax for type bigint: "1.5"
SELECT '1_000'::bigint -- error: invalid input syntax for type bigint
SELECT '0x10'::bigint -- error: invalid input syntax for type bigint
SELECT '1e3'::bigint -- error: invalid input syntax for type bigint
SELECT '99999999999999999999'::bigint -- error: value "99999999999999999999" is out of range for type bigint
SELECT ('x' || name)::bigint FROM t -- error: invalid input syntax for type bigint: "x
SELECT length(name)::text::bigint + 1 AS n FROM t ORDER BY _key LIMIT 3
SELECT (length(name)::text || '0000000000000000000')::bigint FROM t -- error: is out of range for type bigint
SELECT ' 1.5 '::float8, '.5'::float8, '1.'::float8, '-1e-310'::float8, '1e308'::float8
SELECT 'infinity'::float8::text AS a, '-Infinity'::float8::text AS b, 'nan'::float8::text AS c, '+inf'::float8::text AS d
SELECT 'x'::float8 -- error: invalid input syntax for type decimal: "x"
SELECT '1_0.5'::float8 -- error: invalid input syntax for type decimal
SELECT '  '::float8 -- error: invalid input syntax for type decimal
SELECT '10e400'::float8 -- error: "10e400" is out of range for type decimal
SELECT '-10e400'::double precision -- error: is out of range for type decimal
SELECT '10e-400'::float8 -- error: "10e-400" is out of range for type decimal
SELECT ('1e' || length(name) * 100)::float8 FROM t -- error: is out of range for type decimal
SELECT ('1e-' || length(name) * 100)::float8 FROM t -- error: is out of range for type decimal
SELECT ('0e-' || length(name) * 100)::float8 AS z FROM t ORDER BY _key LIMIT 1
SELECT 'yes'::boolean, 'on'::boolean, ' t '::boolean, '1'::boolean, 'of'::boolean, 'N'::boolean, 'FALSE'::boolean
SELECT 'o'::boolean -- error: invalid input syntax for type boolean: "o"
SELECT 'maybe'::boolean -- error: invalid input syntax for type boolean: "maybe"
SELECT (name || 'x')::boolean FROM t -- error: invalid input syntax for type boolean
SELECT CAST(NULL AS BIGINT), CAST(NULL AS DECIMAL), CAST(NULL AS BOOLEAN)
SELECT ARRAY['1', ' 2 ']::bigint[] AS a, ARRAY['on', 'f']::boolean[] AS b, ARRAY['1e3', 'inf']::float8[] AS c, ARRAY[1.5, 2.5]::bigint[] AS d
SELECT ARRAY['1.5']::bigint[] -- error: invalid input syntax for type bigint: "1.5"
SELECT string_to_array(name, '-')::bigint[] FROM t -- error: invalid input syntax for type bigint
SELECT ARRAY['1e400']::float8[] -- error: "1e400" is out of range for type decimal

-- ============================================================ double arithmetic out of range
SELECT '1e308'::float8 * 10 -- error: value out of range: overflow
SELECT '1e308'::float8 + '1e308'::float8 -- error: value out of range: overflow
SELECT '-1e308'::float8 - '1e308'::float8 -- error: value out of range: overflow
SELECT '1e-300'::float8 * '1e-300'::float8 -- error: value out of range: underflow
SELECT '1e-300'::float8 / '1e300'::float8 -- error: value out of range: underflow
SELECT '1e300'::float8 / '1e-300'::float8 -- error: value out of range: overflow
SELECT power(10, 300) * '1e300'::float8 -- error: value out of range: overflow
SELECT length(name) * '1e307'::float8 * 100 FROM t -- error: value out of range: overflow
SELECT ('inf'::float8 * 2)::text, ('inf'::float8 - 'inf'::float8)::text, ('-inf'::float8 / 2)::text
SELECT (length(name) * '0.5'::float8)::text AS half FROM t ORDER BY _key LIMIT 3
SELECT 0 * '1e300'::float8, '1e-300'::float8 * 0, '1e-310'::float8 * 1

-- ======================================================================= power and ^
SELECT power(2, 10), 2 ^ 0.5 AS root, power(-8, 3), power(2, -2), power(0, 0), power(9, 0.5)
SELECT power('nan'::float8, 0), power(1, 'nan'::float8), power(0.5, 'inf'::float8), power(2, '-inf'::float8)
SELECT power(0, -1) -- error: zero raised to a negative power is undefined
SELECT 0 ^ -1 -- error: zero raised to a negative power is undefined
SELECT power(-8, 0.5) -- error: a negative number raised to a non-integer power yields a complex result
SELECT (-8) ^ (1.0 / 3) -- error: a negative number raised to a non-integer power yields a complex result
SELECT power(10, 400) -- error: value out of range: overflow
SELECT power(10, -400) -- error: value out of range: underflow
SELECT power(length(name) - 100, 0.5) FROM t -- error: complex result

-- ================================================================ BIGINT stays 64 bits
SELECT 9223372036854775807 + 1 -- error: bigint out of range
SELECT -9223372036854775807 - 2 -- error: bigint out of range
SELECT 9223372036854775807 * 2 -- error: bigint out of range
SELECT -(-9223372036854775807 - 1) -- error: bigint out of range
SELECT -x FROM (VALUES (-9223372036854775807 - 1)) AS v(x) -- error: bigint out of range
SELECT abs(-9223372036854775807 - 1) -- error: bigint out of range
SELECT length(name) * 4611686018427387904 FROM t -- error: bigint out of range
SELECT -length(name) AS n, -(-9223372036854775807) AS m FROM t ORDER BY _key LIMIT 2
SELECT 1e30::bigint -- error: bigint out of range
SELECT 'nan'::float8::bigint -- error: bigint out of range
SELECT sum(x) FROM (VALUES (9223372036854775807), (1)) AS v(x)

-- ================================================================ JSON text is RFC 8259
SELECT '[1,2,]'::json -- error: invalid input syntax for type json: Expected JSON value, but found "]".
SELECT '{bad'::json -- error: Token "bad" is invalid.
SELECT '{"a":1,}'::json -- error: Expected string, but found "}".
SELECT JSON '[1 2]' -- error: Expected "," or "]", but found "2".
SELECT CAST('01' AS JSON) -- error: Token "01" is invalid.
SELECT '{"a":' :: json -- error: The input string ended unexpectedly.
SELECT 'NaN'::json -- error: Token "NaN" is invalid.
SELECT '"a\x"'::json -- error: Escape sequence "\x" is invalid.
SELECT '[1] x'::json -- error: Token "x" is invalid.
SELECT ('["' || name || '",]')::json FROM t -- error: invalid input syntax for type json: Expected JSON value, but found "]".
SELECT (name || '}')::json FROM t -- error: invalid input syntax for type json
SELECT ' [1, {"a": "\u00e9", "b": [true, false, null]}, -0.5e-3] '::json ->> 1 -- ddsql: [('{"a":"é","b":[true,false,null]}',)]
SELECT ('{"n": ' || length(name) || '}')::json ->> 'n' AS n FROM t ORDER BY _key LIMIT 2

-- ====================================== a double made text, whatever row its type comes from
SELECT x::text AS x FROM (VALUES (1::float8), ('2'), ('-inf'), ('1e15'), ('NaN')) AS v(x)
SELECT x || '!' AS x FROM (VALUES (0.5::float8), ('2')) AS v(x)
SELECT array_to_string(ARRAY[x, 3], ',') AS x FROM (VALUES (1::float8), ('2')) AS v(x)
WITH c(x) AS (VALUES (1e15::float8), ('1e16')) SELECT x::text AS x FROM c
SELECT x::text AS x FROM (SELECT 2::float8 AS x UNION ALL SELECT length(name)::float8 / 4 FROM t) AS u ORDER BY 1 LIMIT 3
SELECT x::text AS x, x || '' AS y FROM (VALUES ('a'), ('b')) AS v(x)

-- ===================================== strict functions: a NULL argument gives NULL first
SELECT array_to_string(ARRAY['a', 'b'], NULL) AS s
SELECT split_part('a,b', NULL, 0) AS s, split_part('a', '', NULL) AS t
SELECT substring('abc', NULL, -1) AS s, substring(NULL, 1, -1) AS t

-- ======================================================================= intervals at their edges
SELECT (interval '2562047 hours 47 minutes 16.854775 seconds')::text AS a, (interval '-2562047 hours -47 minutes -16.854775 seconds')::text AS b
SELECT (interval '2147483647 days')::text AS a, (interval '-2147483648 days')::text AS b, (interval '178956970 years 7 months')::text AS c
SELECT creation_time + interval '2000000 hours' - interval '2000000 hours' = creation_time AS same FROM t ORDER BY _key LIMIT 1
SELECT interval '2147483647 days' + interval '1 day' -- error: interval out of range
SELECT interval '178956970 years 7 months' + interval '1 month' -- error: interval out of range
-- (PostgreSQL holds times up to 2562047788:00:54.775807, a DDSQL result up to
-- 2562047:47:16.854775 and fails past it: tests/core/test_run_time_errors.py)

-- ============================================= integers are BIGINT, also two small literals
SELECT 2147483647 + 1 AS a, 65536 * 65536 AS b, -2147483648 - 1 AS c -- ddsql: [(2147483648, 4294967296, -2147483649)] -- pg: SELECT 2147483647::bigint + 1 AS a, 65536::bigint * 65536 AS b, -2147483648::bigint - 1 AS c

-- ============================================ VALUES as an expression (DuckDB must parse it)
SELECT (VALUES (1)) AS v
SELECT 2 IN (VALUES (1), (2)) AS a, EXISTS (VALUES (1)) AS b
WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + (VALUES (1)) FROM r WHERE n < 3) SELECT n FROM r ORDER BY n
SELECT name FROM t WHERE length(name) = (VALUES (19)) ORDER BY _key LIMIT 2
VALUES (1, 'a'), (2) -- error: VALUES lists must all be the same length
