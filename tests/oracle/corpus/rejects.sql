-- Queries PostgreSQL 15 rejects that must error here too: the `-- error:` annotation makes
-- the corpus test check that BOTH refuse each of them, on every run (and that ddsql_lite's
-- message holds the text after `error:`). DuckDB answers most of them (docs/dialect.md,
-- "Strictness"). `FROM t` stands for aws.sagemaker_inference_experiment AS t.

-- ===== Statements and clauses
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
