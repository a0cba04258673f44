-- DDSQL (Preview), tags.md and expressions_and_operators.md: tags as columns and the group
-- type (docs/dialect.md, "The Preview variant"). Read with syntax="preview"; PostgreSQL runs
-- the meaning tests/support/preview_oracle.py spells (a tag is the key's sorted text[]).
--
-- Implicit tag references: a name that is no column is a tag; projected under the key's name
SELECT name, team FROM t ORDER BY _key
SELECT name, env FROM t ORDER BY _key
SELECT name, region, aws_account FROM t ORDER BY _key
SELECT name, owner FROM t ORDER BY _key
SELECT name, ttl FROM t ORDER BY _key
SELECT name, regulated FROM t ORDER BY _key
SELECT t.team FROM t ORDER BY t._key
SELECT x.team, x.env FROM t AS x ORDER BY x._key
SELECT name, "data-classification" FROM t ORDER BY _key
SELECT name, "Cost Center" FROM t ORDER BY _key
SELECT name, "cost-center" FROM t ORDER BY _key
SELECT name, "aws:cloudformation:stack-name" FROM t ORDER BY _key
-- a missing key is NULL
SELECT name, nosuchkey FROM t ORDER BY _key
SELECT count(*) FROM t WHERE nosuchkey IS NULL
SELECT count(*) FROM t WHERE ttl IS NOT NULL
SELECT count(*) FROM t WHERE team IS NULL
-- Explicit tag references: #key, even where a column has that name; projected as #key
SELECT name, #team FROM t ORDER BY _key
SELECT #region, #aws_account FROM t ORDER BY _key
SELECT name, #name FROM t ORDER BY _key
SELECT status, #status FROM t ORDER BY _key
SELECT #"data-classification" FROM t ORDER BY _key
SELECT #"Cost Center" FROM t ORDER BY _key
SELECT t.#env FROM t ORDER BY t._key
SELECT count(*) FROM t WHERE #name IS NULL
SELECT #team AS owners FROM t ORDER BY _key
-- = against a string is "contains": true when the key has that value among others
SELECT name FROM t WHERE team = 'fraud' ORDER BY _key
SELECT name FROM t WHERE team = 'ml-platform' ORDER BY _key
SELECT name FROM t WHERE 'ml-platform' = team ORDER BY _key
SELECT name FROM t WHERE #team = 'genai' ORDER BY _key
SELECT name FROM t WHERE env = 'prod' ORDER BY _key
SELECT name FROM t WHERE region = 'us-east-1' ORDER BY _key
SELECT name FROM t WHERE aws_account = '482910374615' ORDER BY _key
SELECT name FROM t WHERE team = 'nobody' ORDER BY _key
SELECT name FROM t WHERE nosuchkey = 'x' ORDER BY _key
SELECT name FROM t WHERE "cost-center" = '' ORDER BY _key
SELECT name FROM t WHERE owner = 'Zoë Müller' ORDER BY _key
SELECT name, team = 'fraud' AS fraud FROM t ORDER BY _key
SELECT name FROM t WHERE team <> 'fraud' ORDER BY _key
SELECT name FROM t WHERE NOT team = 'fraud' ORDER BY _key
SELECT name FROM t WHERE team = 'fraud' OR team = 'risk' ORDER BY _key
SELECT name FROM t WHERE team = 'genai' AND team = 'support-ml' ORDER BY _key
SELECT name FROM t WHERE env = 'prod' AND status = 'Running' ORDER BY _key
SELECT count(*) FROM t WHERE team = 'ml-platform'
-- IN is "overlaps"
SELECT name FROM t WHERE team IN ('fraud', 'recsys') ORDER BY _key
SELECT name FROM t WHERE team IN ('ml-platform') ORDER BY _key
SELECT name FROM t WHERE env IN ('staging', 'sandbox') ORDER BY _key
SELECT name FROM t WHERE team NOT IN ('fraud', 'ml-platform') ORDER BY _key
SELECT name FROM t WHERE NOT team IN ('fraud') ORDER BY _key
SELECT name FROM t WHERE nosuchkey IN ('a', 'b') ORDER BY _key
SELECT name, team IN ('genai', 'search') AS hit FROM t ORDER BY _key
-- = a group literal is strict set equality (values sorted, repeated values once)
SELECT name FROM t WHERE team = {'fraud'} ORDER BY _key
SELECT name FROM t WHERE team = {'ml-platform', 'fraud'} ORDER BY _key
SELECT name FROM t WHERE team = {'fraud', 'ml-platform', 'fraud'} ORDER BY _key
SELECT name FROM t WHERE team <> {'fraud'} ORDER BY _key
SELECT name FROM t WHERE {'prod'} = env ORDER BY _key
SELECT {'b', 'a', 'c'} AS g
SELECT {'a'} = {'a', 'a'} AS same, {'a'} = {'a', 'b'} AS other
SELECT {'x'} AS g, {'z', 'y'} AS h
-- a cast to text is the comma-joined form (so text comparison is strict)
SELECT name, team::text FROM t ORDER BY _key
SELECT name, CAST(team AS varchar) AS teams FROM t ORDER BY _key
SELECT name FROM t WHERE team::text = 'fraud' ORDER BY _key
SELECT name FROM t WHERE team::text = 'fraud,ml-platform' ORDER BY _key
SELECT name, #region::text FROM t ORDER BY _key
SELECT name FROM t WHERE team::text LIKE '%ml%' ORDER BY _key
SELECT upper(team::text) AS u FROM t ORDER BY _key
SELECT length(env::text) AS n FROM t ORDER BY _key
-- GROUP BY groups by the whole set
SELECT team, count(*) FROM t GROUP BY team ORDER BY team
SELECT env, count(*) FROM t GROUP BY env ORDER BY env
SELECT #region, count(*) FROM t GROUP BY #region ORDER BY #region
SELECT region, env, count(*) FROM t GROUP BY region, env ORDER BY region, env
SELECT team FROM t WHERE team = 'fraud' GROUP BY team ORDER BY team
SELECT team FROM t WHERE team = {'fraud'} GROUP BY team
SELECT team, count(*) FROM t GROUP BY 1 ORDER BY 1
SELECT DISTINCT env FROM t ORDER BY env
SELECT count(DISTINCT team) FROM t
SELECT team::text AS teams, count(*) FROM t GROUP BY team::text ORDER BY teams
SELECT env, count(*) FROM t GROUP BY env HAVING count(*) > 6 ORDER BY env
-- a tag reference in ORDER BY, in aggregates, in CASE
SELECT name FROM t ORDER BY team, _key
SELECT name FROM t ORDER BY env DESC, _key
SELECT name, CASE WHEN env = 'prod' THEN 'production' ELSE 'other' END AS kind FROM t ORDER BY _key
SELECT sum(CASE WHEN team = 'genai' THEN 1 ELSE 0 END) AS genai FROM t
SELECT min(env::text), max(env::text) FROM t
SELECT array_agg(name ORDER BY name) FROM t WHERE team = 'logistics'
SELECT coalesce(ttl::text, 'none') AS expiry FROM t ORDER BY _key
-- tags of joined and nested queries
SELECT a.name, b.name FROM t AS a JOIN t AS b ON a.team = b.team AND a._key < b._key ORDER BY a._key, b._key
SELECT a.name FROM t AS a WHERE a.team = 'fraud' AND a.env = 'prod' ORDER BY a._key
SELECT s.name, s.team FROM (SELECT name, team, _key FROM t WHERE env = 'prod') AS s ORDER BY s._key -- pg: SELECT s.name, s.team FROM (SELECT name, tag_values(tags, 'team') AS team, _key FROM t WHERE 'prod' = ANY(tag_values(tags, 'env'))) AS s ORDER BY s._key
WITH p AS (SELECT name, env, _key FROM t) SELECT name, env FROM p WHERE env = 'sandbox' ORDER BY _key -- pg: WITH p AS (SELECT name, tag_values(tags, 'env') AS env, _key FROM t) SELECT name, env FROM p WHERE 'sandbox' = ANY(env) ORDER BY _key
WITH p AS (SELECT name, env, _key FROM t) SELECT name FROM p WHERE env = {'sandbox'} ORDER BY _key -- pg: WITH p AS (SELECT name, tag_values(tags, 'env') AS env, _key FROM t) SELECT name FROM p WHERE env = ARRAY['sandbox']::text[] ORDER BY _key
SELECT name FROM t AS o WHERE EXISTS (SELECT 1 FROM t AS i WHERE i.team = 'fraud' AND i._key = o._key) ORDER BY o._key
SELECT name, (SELECT count(*) FROM t AS i WHERE i.env = 'prod') AS prod FROM t ORDER BY _key
SELECT team FROM t UNION SELECT env FROM t ORDER BY 1
SELECT * FROM t WHERE team = 'fraud' ORDER BY _key
-- comparisons a group does not have are refused (PostgreSQL: text[] against text)
SELECT name FROM t WHERE team > 'a' -- error: cast it to text
SELECT name FROM t WHERE team LIKE 'f%' -- error: cast it to text
SELECT name FROM t WHERE team = 1 -- error: compares with text
-- a cast to text[] is the array; casts to group keep a group
SELECT name, region::text[] AS r FROM t ORDER BY _key
SELECT name, #team::group AS g FROM t ORDER BY _key -- pg: SELECT name, tag_values(tags, 'team') AS g FROM t ORDER BY _key
SELECT count(*) FROM t WHERE team::text[] = ARRAY['fraud']
-- tag operands of ||, + and - are refused (PostgreSQL would append to the array)
SELECT team || 'x' FROM t -- error: cast it to text -- pg: SELECT ARRAY[1] + 1
SELECT name FROM t WHERE team IN (1, 2) -- error: list of texts -- pg: SELECT ARRAY['a'] && ARRAY[1]
-- tags in HAVING, in a window's PARTITION BY, beside a table function
SELECT env, count(*) FROM t GROUP BY env HAVING env = 'prod'
SELECT env, count(*) FROM t GROUP BY env HAVING env IN ('staging', 'sandbox') ORDER BY env
SELECT name, rank() OVER (PARTITION BY env ORDER BY name) AS r FROM t ORDER BY _key
SELECT name, count(*) OVER (PARTITION BY team) AS n FROM t ORDER BY _key
SELECT u, team FROM t, unnest(ARRAY[1, 2]) AS u WHERE team = 'fraud' ORDER BY _key, u
SELECT a.name FROM t AS a JOIN t AS b ON a._key = b._key WHERE a.team = 'fraud' AND b.env = 'prod' ORDER BY a._key
-- a simple CASE on a tag compares each WHEN as = does
SELECT name, CASE team WHEN 'fraud' THEN 'f' WHEN 'ml-platform' THEN 'm' ELSE 'other' END AS k FROM t ORDER BY _key -- pg: SELECT name, CASE WHEN 'fraud' = ANY(tag_values(tags, 'team')) THEN 'f' WHEN 'ml-platform' = ANY(tag_values(tags, 'team')) THEN 'm' ELSE 'other' END AS k FROM t ORDER BY _key
SELECT name, CASE env WHEN {'prod'} THEN 1 ELSE 0 END AS p FROM t ORDER BY _key -- pg: SELECT name, CASE tag_values(tags, 'env') WHEN ARRAY['prod'] THEN 1 ELSE 0 END AS p FROM t ORDER BY _key
