-- PostgreSQL rejects: every query in this file is one PostgreSQL 15 refuses, and ddsql_lite
-- must refuse it too (docs/dialect.md, "Strictness"). Each line ends with `-- error: <text>`:
-- the corpus test checks, on every run, that PostgreSQL raises an error for it and that
-- ddsql_lite raises a DDSQLError whose message contains <text> (PostgreSQL's own words).
-- `FROM t` stands for aws.sagemaker_inference_experiment AS t.
--
-- ===== Types and operators
-- An untyped literal takes the other operand's type, and must read as it
SELECT 1 + '1.5' -- error: invalid input syntax for type integer: "1.5"
SELECT 1 = '1.0' -- error: invalid input syntax for type integer: "1.0"
SELECT 2 * 'abc' -- error: invalid input syntax for type integer: "abc"
SELECT count(*) FROM t HAVING count(*) > 'five' -- error: invalid input syntax for type bigint: "five"
SELECT CAST(1 AS double precision) + 'abc' -- error: invalid input syntax for type double precision: "abc"
SELECT 1.5 + '1,5' -- error: invalid input syntax for type numeric: "1,5"
SELECT true = 'o' -- error: invalid input syntax for type boolean: "o"
SELECT 1 + '1_000' -- error: invalid input syntax for type integer: "1_000"
SELECT CAST(1 AS double precision) + '1e400' -- error: "1e400" is out of range for type double precision
SELECT '1' + '1' -- error: operator is not unique: unknown + unknown
SELECT NULL * NULL -- error: operator is not unique: unknown * unknown
SELECT -'1' -- error: operator is not unique: - unknown
-- Text and numbers: no operator without a cast
SELECT count(*) FROM t WHERE account_id = 111122223333 -- error: operator does not exist: text = bigint
SELECT count(*) FROM t WHERE account_id > 5 -- error: operator does not exist: text > integer
SELECT count(*) FROM t WHERE account_id + 5 > 1 -- error: operator does not exist: text + integer
SELECT count(*) FROM t WHERE tags->'team' = 5 -- error: operator does not exist: text = integer
SELECT count(*) FROM t WHERE tags -> 'aws_account' <> 111122223333 -- error: operator does not exist: text <> bigint
SELECT count(*) FROM t WHERE schedule->>'start_time' = 5 -- error: operator does not exist: text = integer
SELECT count(*) FROM t WHERE length(name) = '3' OR lower(name) = 3 -- error: operator does not exist: text = integer
SELECT count(*) FROM t WHERE name BETWEEN 1 AND 2 -- error: operator does not exist: text >= integer
SELECT count(*) FROM t WHERE name IN (1, 2) -- error: operator does not exist: text = integer
SELECT CASE account_id WHEN 1 THEN 'one' END FROM t -- error: operator does not exist: text = integer
SELECT 1.5 * name FROM t -- error: operator does not exist: numeric * text
SELECT -name FROM t -- error: operator does not exist: - text
-- An untyped operand is taken as the other's type to find the operator
SELECT CAST('1' AS text) + '3' -- error: operator does not exist: text + unknown
SELECT true + '1' -- error: operator does not exist: boolean + unknown
SELECT CAST(1 AS double precision) % '1' -- error: operator does not exist: double precision % unknown
SELECT creation_time * '2' FROM t -- error: operator does not exist: timestamp without time zone * unknown
SELECT NULL / creation_time FROM t -- error: operator does not exist: unknown / timestamp without time zone
SELECT INTERVAL '1 day' % '3' -- error: operator does not exist: interval % unknown
SELECT INTERVAL '1 day' * 'a' -- error: invalid input syntax for type double precision: "a"
SELECT '3' - name FROM t -- error: operator is not unique: unknown - text
SELECT ARRAY[1] + '3' -- error: operator does not exist: integer[] + unknown
SELECT ARRAY[1] = CAST(1 AS bigint) -- error: operator does not exist: integer[] = bigint
SELECT ARRAY[1] = ARRAY[CAST('a' AS text)] -- error: operator does not exist: integer[] = text[]
SELECT count(*) + tags FROM t -- error: operator does not exist: bigint + hstore
SELECT count(*) FROM t WHERE schedule IN ('3', schedule) -- error: operator does not exist: json = unknown
SELECT min(NULL) UNION SELECT 1 -- error: UNION types text and integer cannot be matched
SELECT array_agg('a') -- error: function array_agg(unknown) is not unique
SELECT cardinality(NULL) -- error: could not determine polymorphic type because input has type unknown
SELECT array_position(NULL, ARRAY[1]) -- error: could not find array type for data type integer[]
SELECT array_position('a', 1) -- error: malformed array literal: "a"
SELECT coalesce('a', ARRAY[1]) -- error: malformed array literal: "a"
-- Other operators PostgreSQL does not have
SELECT count(*) FROM t WHERE schedule = schedule -- error: operator does not exist: json = json
SELECT count(*) FROM t WHERE schedule <> endpoint_metadata -- error: operator does not exist: json <> json
SELECT count(*) FROM t WHERE schedule -> 'start_time' < schedule -> 'end_time' -- error: operator does not exist: json < json
SELECT count(*) FROM t WHERE schedule = '{}' -- error: operator does not exist: json = unknown
SELECT 1 = true -- error: operator does not exist: integer = boolean
SELECT creation_time + 1 FROM t -- error: operator does not exist: timestamp without time zone + integer
SELECT creation_time + creation_time FROM t -- error: operator does not exist: timestamp without time zone + timestamp without time zone
SELECT 5 % CAST(1.5 AS double precision) -- error: operator does not exist: integer % double precision
-- || between two operands of which neither is text nor an array
SELECT 3 || 4.0 -- error: operator does not exist: integer || numeric
SELECT 3 || 4 -- error: operator does not exist: integer || integer
SELECT true || 1 -- error: operator does not exist: boolean || integer
SELECT schedule || schedule FROM t -- error: operator does not exist: json || json
SELECT count(*) || 1 FROM t -- error: operator does not exist: bigint || integer
-- Aggregates over types they do not take
SELECT sum(true) -- error: function sum(boolean) does not exist
SELECT avg(status = 'Running') FROM t -- error: function avg(boolean) does not exist
SELECT sum(completion_time IS NULL) FROM t -- error: function sum(boolean) does not exist
SELECT sum(name) FROM t -- error: function sum(text) does not exist
SELECT avg(creation_time) FROM t -- error: function avg(timestamp without time zone) does not exist
SELECT max(status = 'Running') FROM t -- error: function max(boolean) does not exist
SELECT max(schedule) FROM t -- error: function max(json) does not exist
SELECT min(tags) FROM t -- error: function min(hstore) does not exist
SELECT bool_and(1) -- error: function bool_and(integer) does not exist
SELECT sum(count(*)) OVER () FROM t GROUP BY status HAVING sum(true) > 0 -- error: function sum(boolean) does not exist
SELECT sum('1') -- error: function sum(unknown) is not unique
-- Conditions are booleans
SELECT count(*) FROM t WHERE 1 -- error: argument of WHERE must be type boolean, not type integer
SELECT count(*) FROM t WHERE name -- error: argument of WHERE must be type boolean, not type text
SELECT count(*) FROM t WHERE NOT name -- error: argument of NOT must be type boolean, not type text
SELECT count(*) FROM t WHERE status = 'Running' AND 1 -- error: argument of AND must be type boolean, not type integer
SELECT count(*) FROM t WHERE true OR length(name) -- error: argument of OR must be type boolean, not type integer
SELECT status FROM t GROUP BY status HAVING count(*) -- error: argument of HAVING must be type boolean, not type bigint
SELECT count(*) FROM t AS a JOIN t AS b ON 1 -- error: argument of JOIN/ON must be type boolean, not type integer
SELECT CASE WHEN 1 THEN 'a' END -- error: argument of CASE/WHEN must be type boolean, not type integer
SELECT CASE WHEN 'x' THEN 'a' END -- error: invalid input syntax for type boolean: "x"
-- LIKE is for text
SELECT count(*) LIKE '1%' FROM t -- error: operator does not exist: bigint ~~ unknown
SELECT count(*) NOT LIKE '1%' FROM t -- error: operator does not exist: bigint !~~ unknown
SELECT count(*) FROM t WHERE schedule LIKE '%a%' -- error: operator does not exist: json ~~ unknown
SELECT count(*) FROM t WHERE creation_time LIKE '2025%' -- error: operator does not exist: timestamp without time zone ~~ unknown
SELECT count(*) FROM t WHERE name LIKE 1 -- error: operator does not exist: text ~~ integer
-- Functions by their PostgreSQL signatures
SELECT lower(1) -- error: function lower(integer) does not exist
SELECT upper(schedule) FROM t -- error: function upper(json) does not exist
SELECT length(true) -- error: function length(boolean) does not exist
SELECT reverse(12) -- error: function reverse(integer) does not exist
SELECT replace(1, '1', '2') -- error: function replace(integer, unknown, unknown) does not exist
SELECT strpos(1, '1') -- error: function strpos(integer, unknown) does not exist
SELECT substring(123, 1, 2) -- error: function substring(integer, integer, integer) does not exist
SELECT split_part('a-b', '-', 1.5) -- error: function split_part(unknown, unknown, numeric) does not exist
SELECT abs(name) FROM t -- error: function abs(text) does not exist
SELECT abs('x') -- error: invalid input syntax for type double precision: "x"
SELECT round(name) FROM t -- error: function round(text) does not exist
SELECT ceil(true) -- error: function ceil(boolean) does not exist
SELECT power(name, 2) FROM t -- error: function power(text, integer) does not exist
SELECT cardinality(1) -- error: function cardinality(integer) does not exist
SELECT array_to_string(1, ',') -- error: function array_to_string(integer, unknown) does not exist
SELECT string_to_array(1, ',') -- error: function string_to_array(integer, unknown) does not exist
SELECT array_position(ARRAY[1], 'a') -- error: invalid input syntax for type integer: "a"
SELECT array_position(ARRAY[1], CAST('a' AS text)) -- error: function array_position(integer[], text) does not exist
SELECT trim(12) -- error: function trim(integer) does not exist
SELECT trim(LEADING 'x' FROM 12) -- error: function trim(integer, unknown) does not exist
SELECT CAST('a' AS char) + 1 -- error: operator does not exist: character + integer
SELECT round(2) + '1e400' -- error: "1e400" is out of range for type double precision
SELECT lag(name) OVER (ORDER BY _key) = 5 FROM t -- error: operator does not exist: text = integer
SELECT first_value('a') OVER () FROM t -- error: could not determine polymorphic type because input has type unknown
SELECT rank() OVER (ORDER BY name) || 1 FROM t -- error: operator does not exist: bigint || integer
-- One type for a column of UNION, VALUES, CASE, COALESCE, ARRAY and IN
SELECT 1.5 UNION SELECT 'foo' -- error: invalid input syntax for type numeric: "foo"
SELECT 'a' UNION SELECT 1 -- error: invalid input syntax for type integer: "a"
SELECT 1 UNION SELECT 2.5 UNION ALL SELECT 'x' -- error: invalid input syntax for type numeric: "x"
SELECT 1 UNION SELECT CAST('a' AS text) -- error: UNION types integer and text cannot be matched
SELECT name FROM t UNION SELECT 1 -- error: UNION types text and integer cannot be matched
SELECT 'a' UNION SELECT 'b' UNION SELECT 1 -- error: UNION types text and integer cannot be matched
VALUES (1), ('a') -- error: invalid input syntax for type integer: "a"
SELECT * FROM (VALUES (1, 'a'), ('b', 2)) AS v(x, y) -- error: invalid input syntax for type integer: "b"
SELECT * FROM (VALUES (1), (CAST('a' AS text))) AS v(x) -- error: VALUES types integer and text cannot be matched
SELECT CASE WHEN status = 'Running' THEN 1 ELSE 'a' END FROM t -- error: invalid input syntax for type integer: "a"
SELECT CASE WHEN status = 'Running' THEN 1 ELSE name END FROM t -- error: CASE types text and integer cannot be matched
SELECT CASE WHEN status = 'Running' THEN name WHEN false THEN 2 END FROM t -- error: CASE types text and integer cannot be matched
SELECT coalesce(tags->'team', 0) FROM t -- error: COALESCE types text and integer cannot be matched
SELECT coalesce(1, 'a') -- error: invalid input syntax for type integer: "a"
SELECT ARRAY[1, 'a'] -- error: invalid input syntax for type integer: "a"
SELECT ARRAY[1, name] FROM t -- error: ARRAY types integer and text cannot be matched
SELECT 1 IN (1, 'a') -- error: invalid input syntax for type integer: "a"
SELECT count(*) FROM t WHERE (SELECT 1) = 'x' -- error: invalid input syntax for type integer: "x"
-- Untyped literals of a subquery or CTE are text outside it
WITH c AS (SELECT 'a' AS s) SELECT s + 1 FROM c -- error: operator does not exist: text + integer
SELECT x + 1 FROM (SELECT '1' AS x) AS s -- error: operator does not exist: text + integer
SELECT coalesce(NULL, '7') + 1 -- error: operator does not exist: text + integer
-- || with an array takes an array or an element of the same kind
SELECT ARRAY[1] || CAST('x' AS text) -- error: operator does not exist: integer[] || text
SELECT ARRAY['a'] || 1 -- error: operator does not exist: text[] || integer
SELECT ARRAY[1] || ARRAY[CAST('a' AS text)] -- error: operator does not exist: integer[] || text[]
SELECT ARRAY['a', 'b'] || 'c' -- error: malformed array literal: "c"
-- An empty ARRAY[] has no type
SELECT ARRAY[] -- error: cannot determine type of empty array
SELECT cardinality(ARRAY[]) -- error: cannot determine type of empty array

-- ===== Statements and clauses
-- nth_value counts from 1
SELECT NTH_VALUE(name, 0) OVER (ORDER BY _key) FROM t -- error: argument of nth_value must be greater than zero
SELECT NTH_VALUE(name, length(name) - 100) OVER (ORDER BY _key) FROM t -- error: argument of nth_value must be greater than zero
-- AS names a select-list item only (sqlglot reads `(x AS t)` as a name in parentheses)
SELECT (account_id AS bigint) AS acct FROM t -- error: syntax error at or near "AS"
-- An output column's name is read in ORDER BY and GROUP BY only, never in WHERE or HAVING
SELECT status, count(*) AS n FROM t GROUP BY status HAVING n > 1 -- error: column "n" does not exist
SELECT status, count(*) AS n FROM t GROUP BY status HAVING n > 1 OR status = 'Running' -- error: column "n" does not exist
SELECT lower(name) AS n FROM t WHERE n LIKE 'a%' -- error: does not exist
SELECT name AS x FROM t WHERE EXISTS (SELECT 1 WHERE x = 'a') -- error: does not exist
SELECT a.status FROM t AS a JOIN t AS b ON a._key = b._key GROUP BY a.status HAVING max(creation_time) IS NOT NULL -- error: column reference "creation_time" is ambiguous
-- A subscript follows a name or parentheses, never a call or ARRAY[...] directly
SELECT array_agg(name)[1] FROM t -- error: syntax error at or near "["
SELECT string_to_array(name, '-')[2] FROM t -- error: syntax error at or near "["
SELECT ARRAY[1, 2][1] -- error: syntax error at or near "["
SELECT array_agg(name) OVER ()[1] FROM t -- error: syntax error at or near "["
-- DISTINCT window aggregates
SELECT count(DISTINCT status) OVER (PARTITION BY account_id) FROM t -- error: DISTINCT is not implemented for window functions
SELECT array_agg(DISTINCT status) OVER () FROM t -- error: DISTINCT is not implemented for window functions
-- count() without an argument (DuckDB counts rows)
SELECT count() FROM t -- error: count(*) must be used to call a parameterless aggregate function
SELECT count() OVER () FROM t -- error: count(*) must be used to call a parameterless aggregate function
-- SELECT DISTINCT sorts by what it selects
SELECT DISTINCT status FROM t ORDER BY name -- error: for SELECT DISTINCT, ORDER BY expressions must appear in select list
SELECT DISTINCT status FROM t ORDER BY lower(status) -- error: for SELECT DISTINCT, ORDER BY expressions must appear in select list
SELECT DISTINCT status, name FROM t ORDER BY status || name -- error: for SELECT DISTINCT, ORDER BY expressions must appear in select list
-- A subquery or VALUES in FROM has an alias, and no more column names than columns
SELECT * FROM (SELECT 1) -- error: subquery in FROM must have an alias
SELECT count(*) FROM t JOIN (SELECT 1 AS one) ON true -- error: subquery in FROM must have an alias
SELECT * FROM (VALUES (1)) -- error: VALUES in FROM must have an alias
SELECT * FROM (SELECT 1) AS s(a, b) -- error: table "s" has 1 columns available but 2 columns specified
SELECT * FROM (VALUES (1, 2)) AS v(a, b, c) -- error: table "v" has 2 columns available but 3 columns specified
WITH x(n, b) AS (SELECT 1) SELECT * FROM x -- error: WITH query "x" has 1 columns available but 2 columns specified
WITH x(a, b, c) AS (SELECT 1, 2 UNION SELECT 3, 4) SELECT * FROM x -- error: WITH query "x" has 2 columns available but 3 columns specified
WITH x(a, b) AS (VALUES (1)) SELECT * FROM x -- error: WITH query "x" has 1 columns available but 2 columns specified
-- A recursive CTE reads itself once, not in a subquery, not on the NULL side of an outer join
WITH RECURSIVE x(n) AS (SELECT 1 UNION ALL SELECT a.n + 1 FROM x a, x b WHERE a.n < 3) SELECT * FROM x -- error: recursive reference to query "x" must not appear more than once
WITH RECURSIVE x(n) AS (SELECT 1 UNION ALL (SELECT n + 1 FROM x WHERE n < 3 UNION ALL SELECT n + 2 FROM x WHERE n < 3)) SELECT * FROM x -- error: recursive reference to query "x" must not appear more than once
WITH RECURSIVE x(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM x WHERE n < 3 AND n IN (SELECT n FROM x)) SELECT * FROM x -- error: recursive reference to query "x" must not appear within a subquery
WITH RECURSIVE x(n) AS (SELECT 1 UNION ALL SELECT a.n + 1 FROM x a LEFT JOIN x b ON true WHERE a.n < 3) SELECT * FROM x -- error: recursive reference to query "x" must not appear within an outer join
WITH RECURSIVE x(n) AS (SELECT n + 1 FROM x UNION ALL SELECT 1) SELECT * FROM x -- error: recursive reference to query "x" must not appear within its non-recursive term
WITH RECURSIVE x(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM x WHERE n < 3 UNION ALL SELECT 5) SELECT * FROM x -- error: recursive reference to query "x" must not appear within its non-recursive term
WITH RECURSIVE x(n) AS (SELECT n FROM x) SELECT * FROM x -- error: recursive query "x" does not have the form non-recursive-term UNION [ALL] recursive-term
WITH RECURSIVE x(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM x WHERE n < 3 ORDER BY 1) SELECT * FROM x -- error: ORDER BY in a recursive query is not implemented
WITH RECURSIVE x(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM x WHERE n < 3 LIMIT 1) SELECT * FROM x -- error: LIMIT in a recursive query is not implemented
WITH RECURSIVE x(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM x WHERE n < 3 OFFSET 1) SELECT * FROM x -- error: OFFSET in a recursive query is not implemented
WITH RECURSIVE x(n) AS (SELECT 1 UNION ALL SELECT count(*) FROM x WHERE n < 3) SELECT * FROM x -- error: aggregate functions are not allowed in a recursive query's recursive term
WITH RECURSIVE x(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM x WHERE n < 3 GROUP BY n HAVING count(*) > 0) SELECT * FROM x -- error: aggregate functions are not allowed in a recursive query's recursive term
-- A WITH item is read after its definition (anywhere only in WITH RECURSIVE)
WITH RECURSIVE a(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM b WHERE n < 3), b(n) AS (SELECT n FROM a) SELECT * FROM a -- error: mutual recursion between WITH items is not implemented
WITH x AS (SELECT * FROM x) SELECT 1 -- error: relation "x" does not exist
WITH a AS (SELECT * FROM b), b AS (SELECT 1) SELECT * FROM a -- error: relation "b" does not exist
-- SELECT DISTINCT ON sorts by its expressions first
SELECT DISTINCT ON (status) name FROM t ORDER BY name -- error: SELECT DISTINCT ON expressions must match initial ORDER BY expressions
SELECT DISTINCT ON (status, account_id) name FROM t ORDER BY account_id, name, status -- error: SELECT DISTINCT ON expressions must match initial ORDER BY expressions
-- Aggregates and window functions where PostgreSQL takes none
SELECT name FROM t WHERE count(*) > 1 -- error: aggregate functions are not allowed in WHERE
SELECT name FROM t GROUP BY count(*) -- error: aggregate functions are not allowed in GROUP BY
SELECT count(*) FROM t GROUP BY 1 -- error: aggregate functions are not allowed in GROUP BY
SELECT a.name FROM t AS a JOIN t AS b ON count(*) > 0 -- error: aggregate functions are not allowed in JOIN conditions
SELECT name FROM t WHERE row_number() OVER () > 1 -- error: window functions are not allowed in WHERE
SELECT status FROM t GROUP BY status, rank() OVER () -- error: window functions are not allowed in GROUP BY
SELECT count(*) FROM t HAVING row_number() OVER () > 1 -- error: window functions are not allowed in HAVING
SELECT row_number() OVER (ORDER BY count(*) OVER ()) FROM t -- error: window functions are not allowed in window definitions
-- Positions, UNION widths, names given twice, negative LIMIT and OFFSET
SELECT name FROM t ORDER BY 5 -- error: ORDER BY position 5 is not in select list
SELECT status FROM t GROUP BY 2 -- error: GROUP BY position 2 is not in select list
SELECT 1 AS a UNION SELECT 2 ORDER BY 2 -- error: ORDER BY position 2 is not in select list
SELECT 1 UNION SELECT 1, 2 -- error: each UNION query must have the same number of columns
SELECT name FROM t UNION ALL (SELECT name, status FROM t) -- error: each UNION query must have the same number of columns
SELECT x.name FROM t AS x JOIN t AS x ON true -- error: table name "x" specified more than once
WITH x AS (SELECT 1), x AS (SELECT 2) SELECT * FROM x -- error: WITH query name "x" specified more than once
SELECT name FROM t LIMIT -1 -- error: LIMIT must not be negative
SELECT name FROM t OFFSET -1 -- error: OFFSET must not be negative
-- Subqueries as values have the width they are read with; row comparisons match in width
SELECT (SELECT 1, 2) -- error: subquery must return only one column
SELECT ARRAY(SELECT 1, 2) -- error: subquery must return only one column
SELECT 1 FROM t WHERE name IN (SELECT name, status FROM t) -- error: subquery has too many columns
SELECT (1, 2) IN (SELECT 1) -- error: subquery has too few columns
SELECT (1, 2) = (1, 2, 3) -- error: unequal number of entries in row expressions
-- Names a source does not have, in PostgreSQL's words
SELECT x.name FROM t -- error: missing FROM-clause entry for table "x"
SELECT x.* FROM t -- error: missing FROM-clause entry for table "x"
SELECT t.nope FROM t -- error: column t.nope does not exist
SELECT name FROM t JOIN t AS u USING (nope) -- error: column "nope" specified in USING clause does not exist
SELECT name FROM t JOIN t AS u USING (name, name) -- error: column name "name" appears more than once in USING clause
SELECT a FROM (SELECT 1 AS a, 2 AS a) AS s -- error: column reference "a" is ambiguous
WITH c AS (SELECT 1 AS a, 2 AS a) SELECT c.a FROM c -- error: column reference "a" is ambiguous
-- Literals: two strings side by side join only across a newline; U&'...' escapes
SELECT 'a' ' b' -- error: syntax error at or near "' b'"
SELECT U&'d!0061t' UESCAPE '+' -- error: invalid Unicode escape character
SELECT U&'wrong: \061' -- error: invalid Unicode escape
SELECT U&'\D83D' -- error: invalid Unicode escape
-- Tags and set-returning functions given what they do not take, named as the query wrote them
SELECT tags['team']['x'] FROM t -- error: hstore allows only one subscript
SELECT tags->'team' || '/' || tags->'env' FROM t -- error: -> needs a json value or the tags column; tags->'team' || '/' || tags is varchar
SELECT unnest(name) FROM t -- error: function unnest(text) does not exist
SELECT * FROM unnest(1) AS u -- error: function unnest(integer) does not exist
SELECT json_array_elements(1) -- error: function json_array_elements(integer) does not exist
SELECT json_array_elements_text(name) FROM t -- error: function json_array_elements_text(text) does not exist
SELECT unnest() -- error: function unnest() is missing arguments
-- Values that do not convert, and types no operator or function takes, while the query runs,
-- in PostgreSQL's words
SELECT CAST(name AS BIGINT) FROM t -- error: invalid input syntax for type bigint: "
SELECT CAST('abc' AS BIGINT) -- error: invalid input syntax for type bigint: "abc"
SELECT CAST('99999999999999999999' AS BIGINT) -- error: value "99999999999999999999" is out of range for type bigint
SELECT CAST('maybe' AS BOOLEAN) -- error: invalid input syntax for type boolean: "maybe"
SELECT CAST(name AS JSON) FROM t -- error: invalid input syntax for type json
SELECT CAST(1e300 AS BIGINT) -- error: bigint out of range
SELECT name - 25 FROM t -- error: operator does not exist: text - integer
SELECT true + 1 -- error: operator does not exist: boolean + integer
SELECT abs(name) FROM t -- error: function abs(text) does not exist
SELECT avg(tags) FROM t -- error: function avg(hstore) does not exist
