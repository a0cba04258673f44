-- Regular expressions (docs/dialect.md, "Regular expressions"): ICU-flavour patterns, flags and
-- $1 replacements, translated to RE2. `-- pg:` gives PostgreSQL's spelling where DDSQL's
-- differs ($1 -> \1, \b -> \y, \z -> \Z, \p{L} -> [[:alpha:]], named groups, inline
-- option groups); `-- ddsql:` is ICU's documented answer where PostgreSQL's differs.
-- Newlines inside text come from JSON escapes (CAST('["a\nb"]' AS json) ->> 0).
--
-- The DDSQL reference's examples, with the results it documents.
SELECT regexp_match('foobarbequebaz', '(bar)(beque)') -- ddsql: [(['bar', 'beque'],)]
SELECT regexp_match('foobarbequebaz', 'barbeque') -- ddsql: [(['barbeque'],)]
SELECT regexp_match('abc123xyz', '([a-z]+)(\d+)(x(.)z)') -- ddsql: [(['abc', '123', 'xyz', 'y'],)]
SELECT regexp_replace('Auth success token=abc123XYZ789', 'token=\w+', 'token=***') -- ddsql: [('Auth success token=***',)]
SELECT regexp_replace('status=200 method=GET', 'status=(\d+) method=(\w+)', '$2: $1') -- ddsql: [('GET: 200',)] -- pg: SELECT regexp_replace('status=200 method=GET', 'status=(\d+) method=(\w+)', '\2: \1')
SELECT regexp_replace('INFO INFO INFO', 'INFO', 'DEBUG', 1, 2) -- ddsql: [('INFO DEBUG INFO',)]
SELECT regexp_match('INFO', 'info') -- ddsql: [(None,)]
SELECT regexp_match('INFO', 'info', 'i') -- ddsql: [(['INFO'],)]
WITH s AS (SELECT CAST('["a\nb"]' AS json) ->> 0 AS v) SELECT regexp_match(v, '^b') FROM s -- ddsql: [(None,)]
WITH s AS (SELECT CAST('["a\nb"]' AS json) ->> 0 AS v) SELECT regexp_match(v, '^b', 'n') FROM s -- ddsql: [(['b'],)]
SELECT regexp_replace('Request id=12345 completed, id=67890 pending', 'id=\d+', 'id=XXX') -- ddsql: [('Request id=XXX completed, id=67890 pending',)]
SELECT regexp_replace('Request id=12345 completed, id=67890 pending', 'id=\d+', 'id=XXX', 'g') -- ddsql: [('Request id=XXX completed, id=XXX pending',)]
SELECT tags->'owner' FROM t WHERE regexp_like(tags->'owner', '@acme\.example$') ORDER BY _key
SELECT regexp_match('abc123xyz', '[0-9]+')
SELECT regexp_replace('2025-07/29', '-', '/')
-- The reference's g-flag example calls icu_regexp_replace, which DDSQL does not list.
SELECT icu_regexp_replace('Request id=12345 completed', 'id=\d+', 'id=XXX') -- error: icu_regexp_replace
-- REGEXP_LIKE over the table.
SELECT name, regexp_like(name, 'v\d+-shadow$') FROM t ORDER BY _key
SELECT name FROM t WHERE regexp_like(name, '^(fraud|churn)-') ORDER BY _key
SELECT status, count(*) FROM t WHERE regexp_like(status, '^(running|completed)$', 'i') GROUP BY status ORDER BY status
SELECT count(*) FROM t WHERE regexp_like(description, 'SHADOW', 'i')
SELECT name, regexp_like(status_reason, 'user') FROM t ORDER BY _key
SELECT name FROM t WHERE regexp_like(tags->'owner', '^[a-z]+\.[a-z]+@') ORDER BY _key
SELECT name FROM t WHERE regexp_like(name, '\bv\d+\b') ORDER BY _key -- pg: SELECT name FROM t WHERE regexp_like(name, '\yv\d+\y') ORDER BY _key
SELECT regexp_like('ab', 'a\z'), regexp_like('ab', '\Aa'), regexp_like('ba', '\Aa') -- pg: SELECT regexp_like('ab', 'a\Z'), regexp_like('ab', '\Aa'), regexp_like('ba', '\Aa')
SELECT regexp_like('a{b}', 'a\{b\}'), regexp_like('a.b', 'a\.b'), regexp_like('axb', 'a\.b'), regexp_like('a+b', 'a\+b')
-- REGEXP_MATCH: groups, no-match NULLs, groups that take no part.
SELECT name, regexp_match(name, '-v(\d+)-') FROM t ORDER BY _key
SELECT regexp_match(arn, 'arn:aws:sagemaker:([a-z0-9-]+):(\d{12}):inference-experiment/(.+)') FROM t ORDER BY _key
SELECT name, regexp_match(name, 'zzz') FROM t ORDER BY _key
SELECT regexp_match('abc', '(x)?(b)'), regexp_match('abc', '(x?)(b)'), regexp_match('abc', '(x)|(c)')
SELECT regexp_match('abc', '(\w)+'), regexp_match('<a><b>', '<(.+?)>'), regexp_match('<a><b>', '<(.+)>')
SELECT regexp_match('abc', ''), regexp_match('', 'x'), regexp_match('', 'x*')
SELECT regexp_match('ABCdef', '[a-c]+', 'i'), regexp_match('ABCdef', '[^a-c]+', 'i'), regexp_match('ABCdef', '[D-F]+')
SELECT regexp_match('aBC', 'a(?i:b)C'), regexp_match('ABC', 'a(?i:b)C') -- pg: SELECT regexp_match('aBC', 'a[bB]C'), regexp_match('ABC', 'a[bB]C')
SELECT regexp_match('key: value', '(?i)KEY:\s*(\w+)')
SELECT regexp_match(NULL, 'a'), regexp_match('a', NULL), regexp_match('a', 'a', NULL)
SELECT regexp_match('ABC', '\x41\u0042'), regexp_match('a-b_c', '[\w-]+'), regexp_match('x = 42;', '\s*=\s*(\d+)')
SELECT (regexp_match(name, '-v(\d+)-'))[1] AS version FROM t ORDER BY _key
-- Newlines: `.` and [^...] cross them unless n/m; ^ and $ match per line only with n/m.
SELECT name, regexp_match(description, 'model\.(.)Goal') FROM t WHERE name LIKE 'recsys%' ORDER BY _key
SELECT name, regexp_match(description, 'model\.(.)Goal', 'n') FROM t WHERE name LIKE 'recsys%' ORDER BY _key
SELECT name, regexp_match(description, 'model\.[^x]Goal'), regexp_match(description, 'model\.[^x]Goal', 'm') FROM t WHERE name LIKE 'recsys%' ORDER BY _key
SELECT name, regexp_match(description, '^Goal.*$'), regexp_match(description, '^Goal.*$', 'n') FROM t WHERE name LIKE 'recsys%' ORDER BY _key
WITH s AS (SELECT CAST('["a\nb\n"]' AS json) ->> 0 AS v) SELECT regexp_like(v, 'b$'), regexp_like(v, 'b$', 'n'), regexp_like(v, 'a$', 'm'), regexp_like(v, 'a$') FROM s
WITH s AS (SELECT CAST('["a\nb"]' AS json) ->> 0 AS v) SELECT regexp_replace(v, '.', 'x', 'g'), regexp_replace(v, '.', 'x', 'gn'), regexp_replace(v, '^', '> ', 'gn'), regexp_replace(v, '$', ';', 'gm') FROM s
WITH s AS (SELECT CAST('["one\ttwo\r\nthree"]' AS json) ->> 0 AS v) SELECT regexp_replace(v, '\s+', ' ', 'g'), regexp_match(v, '(\S+)\s*$'), regexp_replace(v, '\R', '|', 'g') FROM s -- pg: WITH s AS (SELECT CAST('["one\ttwo\r\nthree"]' AS json) ->> 0 AS v) SELECT regexp_replace(v, '\s+', ' ', 'g'), regexp_match(v, '(\S+)\s*$'), regexp_replace(v, '\r\n|[\n\v\f\r]', '|', 'g') FROM s
SELECT regexp_replace(description, '\s+', ' ', 'g') FROM t ORDER BY _key
-- REGEXP_REPLACE: first match, g, $n groups, literal backslash and dollar.
SELECT regexp_replace(name, '-shadow$', '') FROM t ORDER BY _key
SELECT regexp_replace(arn, ':(\d+):', ':<$1>:') FROM t ORDER BY _key -- pg: SELECT regexp_replace(arn, ':(\d+):', ':<\1>:') FROM t ORDER BY _key
SELECT regexp_replace(name, '-', ' ', 'g') FROM t ORDER BY _key
SELECT regexp_replace(regexp_replace(name, '-shadow$', ''), '-', '_', 'g') FROM t ORDER BY _key
SELECT regexp_replace(name, '-v\d+-shadow$', '') AS family, count(*) FROM t GROUP BY 1 ORDER BY 1
SELECT regexp_replace('2025-07/29', '(\d+)', '<$1>', 'g') -- pg: SELECT regexp_replace('2025-07/29', '(\d+)', '<\1>', 'g')
SELECT regexp_replace('abc', 'b', '[$0]'), regexp_replace('abc', '(b)', '$1$1') -- pg: SELECT regexp_replace('abc', 'b', '[\&]'), regexp_replace('abc', '(b)', '\1\1')
SELECT regexp_replace('a/b/c', '/', '\\', 'g'), regexp_replace('a-b', '-', ' & ')
SELECT regexp_replace('cost 5', '(\d)', '\$$1') -- pg: SELECT regexp_replace('cost 5', '(\d)', '$\1')
SELECT regexp_replace('2025-07-29', '(?<y>\d+)-(?<m>\d+)-(?<d>\d+)', '${d}/${m}/${y}') -- pg: SELECT regexp_replace('2025-07-29', '(\d+)-(\d+)-(\d+)', '\3/\2/\1')
SELECT regexp_replace('ABCabc', 'b', '<$0>', 'gi') -- pg: SELECT regexp_replace('ABCabc', 'b', '<\&>', 'gi')
SELECT regexp_replace(name, '\p{L}+', 'w', 'g') FROM t ORDER BY _key -- pg: SELECT regexp_replace(name, '[[:alpha:]]+', 'w', 'g') FROM t ORDER BY _key
SELECT regexp_replace('abc', 'b', NULL), regexp_replace(NULL, 'b', 'x'), regexp_replace('abc', 'b', 'x', NULL)
-- The n-th match from a start position; N = 0 replaces every match from there.
SELECT regexp_replace(arn, ':', '|', 1, 3) FROM t ORDER BY _key
SELECT regexp_replace(arn, ':', '|', 20, 0) FROM t ORDER BY _key
SELECT regexp_replace(name, '-', '_', 5, 2) FROM t ORDER BY _key
SELECT regexp_replace(name, '(\w)-(\w)', '$2~$1', 3, 1) FROM t ORDER BY _key -- pg: SELECT regexp_replace(name, '(\w)-(\w)', '\2~\1', 3, 1) FROM t ORDER BY _key
SELECT regexp_replace('INFO INFO INFO', 'INFO', 'DEBUG', 3, 0), regexp_replace('INFO INFO INFO', 'INFO', 'DEBUG', 1, 0), regexp_replace('INFO INFO INFO', 'INFO', 'DEBUG', 1, 4)
SELECT regexp_replace('aaa', 'a', 'b', 4, 1), regexp_replace('aaa', 'a', 'b', 9, 0), regexp_replace('abc', 'c', 'x', 3, 0), regexp_replace('', 'a', 'b', 2, 0)
SELECT regexp_replace('abcABC', 'b', 'X', 3, 1, 'i'), regexp_replace('abcABC', 'b', 'X', 1, 2, 'i'), regexp_replace('abcABC', 'b', 'X', 1, 1, 'g')
SELECT regexp_replace('one two three four', '(\w+) (\w+)', '$2 $1', 1, 0), regexp_replace('one two three four', '(\w+) (\w+)', '$2 $1', 5, 2) -- pg: SELECT regexp_replace('one two three four', '(\w+) (\w+)', '\2 \1', 1, 0), regexp_replace('one two three four', '(\w+) (\w+)', '\2 \1', 5, 2)
WITH s AS (SELECT CAST('["x1\ny2\nz3"]' AS json) ->> 0 AS v) SELECT regexp_replace(v, '^(\w)', '[$1]', 2, 0, 'n'), regexp_replace(v, '\d$', '#', 1, 2, 'n') FROM s -- pg: WITH s AS (SELECT CAST('["x1\ny2\nz3"]' AS json) ->> 0 AS v) SELECT regexp_replace(v, '^(\w)', '[\1]', 2, 0, 'n'), regexp_replace(v, '\d$', '#', 1, 2, 'n') FROM s
-- ICU matches leftmost-first; PostgreSQL prefers the longest alternative.
SELECT regexp_match('ab', 'a|ab'), regexp_replace('ab', 'a|ab', 'x') -- ddsql: [(['a'], 'xb')]
-- Refused by both.
SELECT regexp_match('abc', 'b', 'g') -- error: global
SELECT regexp_like('abc', 'b', 'g') -- error: global
SELECT regexp_match('abc', 'b', 'z') -- error: option
SELECT regexp_replace('abc', 'b', 'x', 0, 1) -- error: invalid value for parameter "start"
SELECT regexp_replace('abc', 'b', 'x', 1, -1) -- error: invalid value for parameter "n"
SELECT regexp_replace('abc', 'b') -- error: replacement
SELECT regexp_match('aaa', 'a*+') -- error: possessive
SELECT regexp_match('aaa', '(?>a)') -- error: atomic
