-- Every example of the public DDSQL reference (DataDog/documentation), rewritten against
-- aws.sagemaker_inference_experiment where it used other tables. `FROM t` stands for the
-- table (tests/test_oracle.py). Sources read: content/en/ddsql_reference/_index.md (current
-- dialect, commit eebd38ee), ddsql_preview/{statements,functions,expressions_and_operators,
-- data_types,tags,window_functions,ddsql_use_cases,reference_tables}.md.
--
-- Stand-in tables: where an example reads a table we do not have (logs, orders, customers,
-- products, sales, employees, users, emails, ...), a CTE of the same name maps our columns
-- to the example's column names and the example's own query text follows it unchanged, so
-- the construct is tested as written:
--   logs: request_id=_key, service_name=account_id, response_time=length(name),
--         status_code=200 when status is Completed else 500, bytes_transferred=length(description)
--   products: product_id=_key, name, price=length(name)/4.0, tax=length(name)*0.01, description,
--         created_at=creation_time
--   customers: VALUES of (customer_id=account_id, customer_name); orders: order_id=length(name),
--         customer_id=account_id, delivery_date=completion_time, order_status=status,
--         quantity=length(name)-10
--   employees: first_name=name, last_name=status, department=status, name
--   sales: product_id=status, quantity=length(name), sale_date=purchase_date=creation_time
--   cpu_usage_data: timestamp=creation_time, service_name=account_id, cpu_usage_percent=length(name)
--   users: name='  '||name||' ', phone_number=status_reason, email=tags->'owner', username=name
--   accounts: balance=length(name)-25; books: title=description; events: event_time=creation_time
--   emails: sender=account_id, subject=status, email_address=name,
--         recipients=STRING_TO_ARRAY(tags->'team', ',')
-- Documented results are noted as "documented:"; a `-- ddsql:` annotation is used only where
-- the documented answer differs from PostgreSQL's.
--
-- ======================================================================= _index.md
-- _index.md / Syntax / SELECT (DISTINCT)
WITH orders AS (SELECT length(name) AS order_id, account_id AS customer_id, completion_time AS delivery_date, status AS order_status, length(name) - 10 AS quantity FROM t) SELECT DISTINCT customer_id FROM orders
-- _index.md / Syntax / JOIN
WITH orders AS (SELECT length(name) AS order_id, account_id AS customer_id, completion_time AS delivery_date, status AS order_status, length(name) - 10 AS quantity FROM t), customers (customer_id, customer_name) AS (VALUES ('482910374615', 'Acme Prod'), ('739102846501', 'Acme Staging'), ('205847193630', 'Acme Sandbox')) SELECT orders.order_id, customers.customer_name FROM orders JOIN customers ON orders.customer_id = customers.customer_id
-- _index.md / Syntax / GROUP BY
WITH sales AS (SELECT status AS product_id, length(name) AS quantity, creation_time AS sale_date, creation_time AS purchase_date FROM t) SELECT product_id, SUM(quantity) FROM sales GROUP BY product_id
-- _index.md / Syntax / || (concat)
WITH employees AS (SELECT name AS first_name, status AS last_name, status AS department, name FROM t) SELECT first_name || ' ' || last_name AS full_name FROM employees
-- _index.md / Syntax / WHERE (LIKE, IN, ON, OR)
WITH employees AS (SELECT name AS first_name, status AS last_name, status AS department, name FROM t) SELECT * FROM employees WHERE department = 'Completed' AND name LIKE 's%'
-- _index.md / Syntax / CASE
WITH orders AS (SELECT length(name) AS order_id, account_id AS customer_id, completion_time AS delivery_date, status AS order_status, length(name) - 10 AS quantity FROM t) SELECT order_id, CASE WHEN quantity > 10 THEN 'Bulk Order' ELSE 'Standard Order' END AS order_type FROM orders
-- _index.md / Syntax / WINDOW (timestamp is a column name here, as in the example)
WITH cpu_usage_data AS (SELECT creation_time AS timestamp, account_id AS service_name, length(name) AS cpu_usage_percent FROM t) SELECT timestamp, service_name, cpu_usage_percent, AVG(cpu_usage_percent) OVER (PARTITION BY service_name ORDER BY timestamp ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS moving_avg_cpu FROM cpu_usage_data
-- _index.md / Syntax / IS NULL / IS NOT NULL
WITH orders AS (SELECT length(name) AS order_id, account_id AS customer_id, completion_time AS delivery_date, status AS order_status, length(name) - 10 AS quantity FROM t) SELECT * FROM orders WHERE delivery_date IS NULL
-- _index.md / Syntax / LIMIT (customers has 3 rows, so LIMIT 10 is deterministic)
WITH customers (customer_id, customer_name) AS (VALUES ('482910374615', 'Acme Prod'), ('739102846501', 'Acme Staging'), ('205847193630', 'Acme Sandbox')) SELECT * FROM customers LIMIT 10
-- _index.md / Syntax / OFFSET (an ORDER BY is added: without one the skipped rows are arbitrary)
WITH employees AS (SELECT name AS first_name, status AS last_name, status AS department, name FROM t) SELECT * FROM employees ORDER BY name, department OFFSET 20
-- _index.md / Syntax / ORDER BY (sale_date = creation_time is unique)
WITH sales AS (SELECT status AS product_id, length(name) AS quantity, creation_time AS sale_date, creation_time AS purchase_date FROM t) SELECT * FROM sales ORDER BY sale_date DESC
-- _index.md / Syntax / HAVING
WITH sales AS (SELECT status AS product_id, length(name) AS quantity, creation_time AS sale_date, creation_time AS purchase_date FROM t) SELECT product_id, SUM(quantity) FROM sales GROUP BY product_id HAVING SUM(quantity) > 10
WITH sales AS (SELECT status AS product_id, length(name) AS quantity, creation_time AS sale_date, creation_time AS purchase_date FROM t) SELECT product_id, SUM(quantity) FROM sales GROUP BY product_id HAVING SUM(quantity) > 50
-- _index.md / Syntax / IN, ON, OR
WITH orders AS (SELECT length(name) AS order_id, account_id AS customer_id, completion_time AS delivery_date, status AS order_status, length(name) - 10 AS quantity FROM t) SELECT * FROM orders WHERE order_status IN ('Running', 'Completed')
-- _index.md / Syntax / USING
WITH orders AS (SELECT length(name) AS order_id, account_id AS customer_id, completion_time AS delivery_date, status AS order_status, length(name) - 10 AS quantity FROM t), customers (customer_id, customer_name) AS (VALUES ('482910374615', 'Acme Prod'), ('739102846501', 'Acme Staging'), ('205847193630', 'Acme Sandbox')) SELECT orders.order_id, customers.customer_name FROM orders JOIN customers USING (customer_id)
-- _index.md / Syntax / AS
WITH employees AS (SELECT name AS first_name, status AS last_name, status AS department, name FROM t) SELECT first_name AS name FROM employees
-- _index.md / Syntax / Arithmetic Operations
WITH products AS (SELECT _key AS product_id, name, length(name) / 4.0 AS price, length(name) * 0.01 AS tax, description, creation_time AS created_at FROM t) SELECT price, tax, (price * tax) AS total_cost FROM products
-- _index.md / Syntax / INTERVAL value unit: milliseconds/millisecond, seconds/second, minutes/minute, hours/hour, days/day
SELECT INTERVAL '2 milliseconds' AS a, INTERVAL '1 millisecond' AS b, INTERVAL '2 seconds' AS c, INTERVAL '1 second' AS d, INTERVAL '2 minutes' AS e, INTERVAL '1 minute' AS f, INTERVAL '2 hours' AS g, INTERVAL '1 hour' AS h, INTERVAL '2 days' AS i, INTERVAL '1 day' AS j
SELECT TIMESTAMP '2025-01-01 00:00:00' + INTERVAL '1500 milliseconds' + INTERVAL '2 seconds' + INTERVAL '3 minutes' + INTERVAL '4 hours' + INTERVAL '5 days' AS ts
-- _index.md / Type literals (BIGINT '1234567', BOOLEAN 'true', DECIMAL '3.14159', INTERVAL '30 minutes', JSON, TIMESTAMP, VARCHAR)
SELECT BIGINT '1234567' AS b, BOOLEAN 'true' AS t, DECIMAL '3.14159' AS d, VARCHAR 'hello world' AS v
SELECT INTERVAL '30 minutes' AS i, TIMESTAMP '2023-12-25 10:30:00' AS ts
SELECT JSON '{"key": "value", "count": 42}' AS j
-- _index.md / Type literals: "the type prefix can be omitted ... inferred"
SELECT 'hello world' AS v, 123 AS b, true AS t
-- _index.md / Type literals / Array literals (verbatim, with their trailing comments)
SELECT ARRAY['apple', 'banana', 'cherry'] AS fruits; -- Inferred as VARCHAR array
SELECT ARRAY[1, 2, 3] AS numbers;                    -- Inferred as BIGINT array
SELECT ARRAY[true, false, true] AS flags;            -- Inferred as BOOLEAN array
SELECT ARRAY[1.1, 2.2, 3.3] AS decimals;             -- Inferred as DECIMAL array
-- _index.md / Type literals / Example
WITH products AS (SELECT _key AS product_id, name, length(name) / 4.0 AS price, length(name) * 0.01 AS tax, description, creation_time AS created_at FROM t) SELECT VARCHAR 'Product Name: ' || name AS labeled_name, price * DECIMAL '1.08' AS price_with_tax, created_at + INTERVAL '7 days' AS expiry_date FROM products WHERE created_at > TIMESTAMP '2025-01-01';
-- _index.md / Functions / Examples / MIN
WITH logs AS (SELECT _key AS request_id, account_id AS service_name, length(name) AS response_time, CASE WHEN status = 'Completed' THEN 200 ELSE 500 END AS status_code, length(description) AS bytes_transferred FROM t) SELECT MIN(response_time) AS min_response_time FROM logs WHERE status_code = 200
-- _index.md / Functions / Examples / MAX
WITH logs AS (SELECT _key AS request_id, account_id AS service_name, length(name) AS response_time, CASE WHEN status = 'Completed' THEN 200 ELSE 500 END AS status_code, length(description) AS bytes_transferred FROM t) SELECT MAX(response_time) AS max_response_time FROM logs WHERE status_code = 200
-- _index.md / Functions / Examples / COUNT
WITH logs AS (SELECT _key AS request_id, account_id AS service_name, length(name) AS response_time, CASE WHEN status = 'Completed' THEN 200 ELSE 500 END AS status_code, length(description) AS bytes_transferred FROM t) SELECT COUNT(request_id) AS total_requests FROM logs WHERE status_code = 200
-- _index.md / Functions / Examples / SUM (bytes_transferred has NULLs)
WITH logs AS (SELECT _key AS request_id, account_id AS service_name, length(name) AS response_time, CASE WHEN status = 'Completed' THEN 200 ELSE 500 END AS status_code, length(description) AS bytes_transferred FROM t) SELECT SUM(bytes_transferred) AS total_bytes FROM logs GROUP BY service_name
-- _index.md / Functions / Examples / AVG
WITH logs AS (SELECT _key AS request_id, account_id AS service_name, length(name) AS response_time, CASE WHEN status = 'Completed' THEN 200 ELSE 500 END AS status_code, length(description) AS bytes_transferred FROM t) SELECT AVG(response_time) AS avg_response_time FROM logs WHERE status_code = 200 GROUP BY service_name
-- _index.md / Functions / Examples / BOOL_AND
WITH logs AS (SELECT _key AS request_id, account_id AS service_name, length(name) AS response_time, CASE WHEN status = 'Completed' THEN 200 ELSE 500 END AS status_code, length(description) AS bytes_transferred FROM t) SELECT BOOL_AND(status_code = 200) AS all_success FROM logs
-- _index.md / Functions / Examples / BOOL_OR
WITH logs AS (SELECT _key AS request_id, account_id AS service_name, length(name) AS response_time, CASE WHEN status = 'Completed' THEN 200 ELSE 500 END AS status_code, length(description) AS bytes_transferred FROM t) SELECT BOOL_OR(status_code = 200) AS some_success FROM logs
-- _index.md / Functions / Examples / CEIL (price = length(name) / 4.0: .0 .25 .5 .75)
WITH products AS (SELECT _key AS product_id, name, length(name) / 4.0 AS price, length(name) * 0.01 AS tax, description, creation_time AS created_at FROM t) SELECT CEIL(price) AS rounded_price FROM products
-- _index.md / Functions / Examples / FLOOR
WITH products AS (SELECT _key AS product_id, name, length(name) / 4.0 AS price, length(name) * 0.01 AS tax, description, creation_time AS created_at FROM t) SELECT FLOOR(price) AS floored_price FROM products
-- _index.md / Functions / Examples / ROUND (half away from zero; prices include .5)
WITH products AS (SELECT _key AS product_id, name, length(name) / 4.0 AS price, length(name) * 0.01 AS tax, description, creation_time AS created_at FROM t) SELECT ROUND(price) AS rounded_price FROM products
-- _index.md / Functions / Examples / POWER
WITH logs AS (SELECT _key AS request_id, account_id AS service_name, length(name) AS response_time, CASE WHEN status = 'Completed' THEN 200 ELSE 500 END AS status_code, length(description) AS bytes_transferred FROM t) SELECT POWER(response_time, 2) AS squared_response_time FROM logs
-- _index.md / Functions / Examples / LOWER
WITH customers (customer_id, customer_name) AS (VALUES ('482910374615', 'Acme Prod'), ('739102846501', 'Acme Staging'), ('205847193630', 'Acme Sandbox')) SELECT LOWER(customer_name) AS lowercase_name FROM customers
-- _index.md / Functions / Examples / UPPER
WITH customers (customer_id, customer_name) AS (VALUES ('482910374615', 'Acme Prod'), ('739102846501', 'Acme Staging'), ('205847193630', 'Acme Sandbox')) SELECT UPPER(customer_name) AS uppercase_name FROM customers
-- _index.md / Functions / Examples / ABS
WITH accounts AS (SELECT length(name) - 25 AS balance FROM t) SELECT ABS(balance) AS absolute_balance FROM accounts
-- _index.md / Functions / Examples / COALESCE (both NULL on some rows)
WITH users AS (SELECT '  ' || name || ' ' AS name, status_reason AS phone_number, tags->'owner' AS email, name AS username, _key FROM t) SELECT COALESCE(phone_number, email) AS contact_info FROM users
-- _index.md / Functions / Examples / CAST
WITH orders AS (SELECT length(name) AS order_id, account_id AS customer_id, completion_time AS delivery_date, status AS order_status, length(name) - 10 AS quantity FROM t) SELECT CAST(order_id AS VARCHAR) AS order_id_string, 'Order-' || CAST(order_id AS VARCHAR) AS order_label FROM orders
-- _index.md / Functions / Examples / LENGTH
WITH customers (customer_id, customer_name) AS (VALUES ('482910374615', 'Acme Prod'), ('739102846501', 'Acme Staging'), ('205847193630', 'Acme Sandbox')) SELECT customer_name, LENGTH(customer_name) AS name_length FROM customers
-- _index.md / Functions / Examples / INTERVAL
SELECT TIMESTAMP '2023-10-01 10:00:00' + INTERVAL '30 days' AS future_date, INTERVAL '1 MILLISECOND 2 SECONDS 3 MINUTES 4 HOURS 5 DAYS'
-- _index.md / Functions / Examples / TRIM
WITH users AS (SELECT '  ' || name || ' ' AS name, status_reason AS phone_number, tags->'owner' AS email, name AS username, _key FROM t) SELECT TRIM(name) AS trimmed_name FROM users
-- _index.md / Functions / Examples / REPLACE
WITH products AS (SELECT _key AS product_id, name, length(name) / 4.0 AS price, length(name) * 0.01 AS tax, description, creation_time AS created_at FROM t) SELECT REPLACE(description, 'model', 'MODEL') AS updated_description FROM products
-- _index.md / Functions / Examples / SUBSTRING
WITH books AS (SELECT description AS title FROM t) SELECT SUBSTRING(title, 1, 10) AS short_title FROM books
-- _index.md / Functions / Examples / REVERSE (an ORDER BY is added: LIMIT 5 alone picks arbitrary rows)
WITH users AS (SELECT '  ' || name || ' ' AS name, status_reason AS phone_number, tags->'owner' AS email, name AS username, _key FROM t) SELECT REVERSE(username) AS reversed_username FROM users ORDER BY _key LIMIT 5
-- _index.md / Functions / Examples / STRPOS (documented: 4)
SELECT STRPOS('foobar', 'bar')
-- _index.md / Functions / Examples / SPLIT_PART (documented: bbb)
SELECT SPLIT_PART('aaa-bbb-ccc', '-', 2)
-- _index.md / Functions / Examples / EXTRACT (time functions: also in time.sql)
WITH sales AS (SELECT status AS product_id, length(name) AS quantity, creation_time AS sale_date, creation_time AS purchase_date FROM t) SELECT EXTRACT(year FROM purchase_date) AS purchase_year FROM sales
-- _index.md / Functions / Examples / TO_TIMESTAMP form 1 (documented patterns; time.sql covers the patterns)
SELECT TO_TIMESTAMP('25/12/2025 04:23 pm', 'DD/MM/YYYY HH:MI am') AS ts
-- _index.md / Functions / Examples / TO_TIMESTAMP form 2
SELECT TO_TIMESTAMP(1735142580) AS ts_from_epoch
-- _index.md / Functions / Examples / TO_CHAR
WITH events AS (SELECT creation_time AS event_time FROM t) SELECT TO_CHAR(event_time, 'MM-DD-YYYY') AS formatted_date FROM events
-- _index.md / Functions / Examples / DATE_BIN (documented: 2025-09-15 12:30:00, then 2025-09-15 00:00:00)
SELECT DATE_BIN('15 minutes', TIMESTAMP '2025-09-15 12:34:56', TIMESTAMP '2025-01-01')
SELECT DATE_BIN('1 day', TIMESTAMP '2025-09-15 12:34:56', TIMESTAMP '2025-01-01')
-- _index.md / Functions / Examples / DATE_TRUNC
WITH events AS (SELECT creation_time AS event_time FROM t) SELECT DATE_TRUNC('month', event_time) AS month_start FROM events
-- _index.md / Functions / Examples / CURRENT_SETTING. The example's own values depend on the
-- clock, so the same CTEs are kept and only the deterministic facts are selected: the
-- default time frame is the last hour, and the previous window is adjacent and as long.
-- (Assumes no earlier corpus line ran SET dd.time_frame_*: each file shares one session.)
WITH bounds AS (SELECT CAST(CURRENT_SETTING('dd.time_frame_start') AS TIMESTAMP) AS time_frame_start, CAST(CURRENT_SETTING('dd.time_frame_end') AS TIMESTAMP) AS time_frame_end), previous_bounds AS (SELECT time_frame_start - (time_frame_end - time_frame_start) AS prev_time_frame_start, time_frame_start AS prev_time_frame_end FROM bounds) SELECT time_frame_end - time_frame_start = INTERVAL '1 hour' AS one_hour, prev_time_frame_end - prev_time_frame_start = INTERVAL '1 hour' AS prev_one_hour, prev_time_frame_end = time_frame_start AS adjacent, prev_time_frame_start < time_frame_start AS earlier FROM bounds, previous_bounds -- pg: SELECT true AS one_hour, true AS prev_one_hour, true AS adjacent, true AS earlier
-- _index.md / Functions / Examples / NOW (no row is from the last hour; all are older than now)
WITH sales AS (SELECT status AS product_id, length(name) AS quantity, creation_time AS sale_date, creation_time AS purchase_date FROM t) SELECT * FROM sales WHERE purchase_date > NOW() - INTERVAL '1 hour'
SELECT count(*) FROM t WHERE creation_time < NOW() - INTERVAL '1 hour'
-- _index.md / Functions / Examples / CARDINALITY
WITH emails AS (SELECT _key, account_id AS sender, status AS subject, name AS email_address, STRING_TO_ARRAY(tags->'team', ',') AS recipients FROM t) SELECT CARDINALITY(recipients) FROM emails
-- _index.md / Functions / Examples / ARRAY_POSITION
WITH emails AS (SELECT _key, account_id AS sender, status AS subject, name AS email_address, STRING_TO_ARRAY(tags->'team', ',') AS recipients FROM t) SELECT ARRAY_POSITION(recipients, 'ml-platform') FROM emails
-- _index.md / Functions / Examples / STRING_TO_ARRAY (documented: {a,b,c,d,e,f})
SELECT STRING_TO_ARRAY('a,b,c,d,e,f', ',')
-- _index.md / Functions / Examples / ARRAY_TO_STRING (documented: a,b,c)
SELECT ARRAY_TO_STRING(ARRAY['a', 'b', 'c'], ',') AS joined_string
-- _index.md / Functions / Examples / ARRAY_AGG. The example has no ORDER BY inside the
-- aggregates, so the element order is unspecified in both engines and an exact comparison
-- would be flaky; the same three forms are tested with ORDER BY (docs/dialect.md lists
-- ARRAY_AGG([ALL|DISTINCT] x [ORDER BY ...])), and the unordered form through CARDINALITY.
WITH emails AS (SELECT _key, account_id AS sender, status AS subject, name AS email_address, STRING_TO_ARRAY(tags->'team', ',') AS recipients FROM t) SELECT sender, ARRAY_AGG(subject ORDER BY subject) subjects, ARRAY_AGG(ALL subject ORDER BY subject) all_subjects, ARRAY_AGG(DISTINCT subject ORDER BY subject) distinct_subjects FROM emails GROUP BY sender
WITH emails AS (SELECT _key, account_id AS sender, status AS subject, name AS email_address, STRING_TO_ARRAY(tags->'team', ',') AS recipients FROM t) SELECT sender, CARDINALITY(ARRAY_AGG(subject)) subjects, CARDINALITY(ARRAY_AGG(ALL subject)) all_subjects, CARDINALITY(ARRAY_AGG(DISTINCT subject)) distinct_subjects FROM emails GROUP BY sender
-- _index.md / Functions / Examples / APPROX_PERCENTILE (as percentile_cont, docs/dialect.md)
WITH logs AS (SELECT _key AS request_id, account_id AS service_name, length(name) AS response_time, CASE WHEN status = 'Completed' THEN 200 ELSE 500 END AS status_code, length(description) AS bytes_transferred FROM t) SELECT APPROX_PERCENTILE(0.5) WITHIN GROUP (ORDER BY response_time) AS median_response_time FROM logs -- pg: WITH logs AS (SELECT _key AS request_id, account_id AS service_name, length(name) AS response_time, CASE WHEN status = 'Completed' THEN 200 ELSE 500 END AS status_code, length(description) AS bytes_transferred FROM t) SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY response_time) AS median_response_time FROM logs
WITH logs AS (SELECT _key AS request_id, account_id AS service_name, length(name) AS response_time, CASE WHEN status = 'Completed' THEN 200 ELSE 500 END AS status_code, length(description) AS bytes_transferred FROM t) SELECT service_name, APPROX_PERCENTILE(0.95) WITHIN GROUP (ORDER BY response_time) AS p95_response_time, APPROX_PERCENTILE(0.99) WITHIN GROUP (ORDER BY response_time) AS p99_response_time FROM logs GROUP BY service_name -- pg: WITH logs AS (SELECT _key AS request_id, account_id AS service_name, length(name) AS response_time, CASE WHEN status = 'Completed' THEN 200 ELSE 500 END AS status_code, length(description) AS bytes_transferred FROM t) SELECT service_name, percentile_cont(0.95) WITHIN GROUP (ORDER BY response_time) AS p95_response_time, percentile_cont(0.99) WITHIN GROUP (ORDER BY response_time) AS p99_response_time FROM logs GROUP BY service_name
-- _index.md / Functions / Examples / UNNEST
WITH emails AS (SELECT _key, account_id AS sender, status AS subject, name AS email_address, STRING_TO_ARRAY(tags->'team', ',') AS recipients FROM t) SELECT sender, recipient FROM emails, UNNEST(recipients) AS recipient
-- _index.md / Regular expressions / Examples (regex.sql covers regular expressions in depth)
-- REGEXP_LIKE
SELECT * FROM t WHERE REGEXP_LIKE(name, '-v1[0-9]-shadow$')
-- REGEXP_MATCH (documented: {bar,beque}, {barbeque}, {abc,123,xyz,y})
SELECT regexp_match('foobarbequebaz', '(bar)(beque)');
SELECT regexp_match('foobarbequebaz', 'barbeque');
SELECT regexp_match('abc123xyz', '([a-z]+)(\d+)(x(.)z)');
-- REGEXP_REPLACE (documented: Auth success token=***, GET: 200, INFO DEBUG INFO)
SELECT regexp_replace('Auth success token=abc123XYZ789', 'token=\w+', 'token=***');
SELECT regexp_replace('status=200 method=GET', 'status=(\d+) method=(\w+)', '$2: $1'); -- ddsql: [('GET: 200',)]
SELECT regexp_replace('INFO INFO INFO', 'INFO', 'DEBUG', 1, 2);
-- Function-level flags / i flag (documented: NULL, then ['INFO'])
SELECT regexp_match('INFO', 'info')
SELECT regexp_match('INFO', 'info', 'i')
-- Function-level flags / n flag (documented: NULL, then ['b']). The example's literal holds a
-- newline; a corpus line cannot, so the string 'a<newline>b' is made with a JSON escape.
SELECT regexp_match(json_extract_path_text(JSON '{"s": "a\nb"}', 's'), '^b');
SELECT regexp_match(json_extract_path_text(JSON '{"s": "a\nb"}', 's'), '^b', 'n');
-- Function-level flags / g flag (documented: Request id=XXX completed, id=67890 pending; then
-- Request id=XXX completed, id=XXX pending). The first example is spelled icu_regexp_replace in
-- the reference, a name listed nowhere else; it is tested as regexp_replace (see the note at the end).
SELECT regexp_replace('Request id=12345 completed, id=67890 pending', 'id=\d+', 'id=XXX');
SELECT regexp_replace('Request id=12345 completed, id=67890 pending', 'id=\d+', 'id=XXX', 'g');
-- _index.md / JSON functions and operators: json_extract_path_text(col, 'forest')
SELECT json_extract_path_text(JSON '{"forest": "trees"}', 'forest')
SELECT json_extract_path_text(endpoint_metadata, 'endpoint_name') FROM t
SELECT json_extract_path(endpoint_metadata, 'endpoint_name') FROM t
SELECT v FROM t, json_array_elements(t.model_variants) AS v
SELECT v FROM t, json_array_elements_text(t.data_storage_config -> 'content_type' -> 'csv_content_types') AS v
-- _index.md / Table functions: dd.logs, dd.metrics_scalar, dd.metrics_timeseries read Logs and
-- Metrics, which ddsql_lite does not have; docs/dialect.md lacks them, so they are refused.
SELECT timestamp, host, service, message FROM dd.logs(filter => 'source:java', columns => ARRAY['timestamp','host', 'service','message']) AS (timestamp TIMESTAMP, host VARCHAR, service VARCHAR, message VARCHAR) -- error: logs
SELECT * FROM dd.metrics_scalar('avg:system.cpu.user{*} by {service}', 'avg', TIMESTAMP '2025-07-10 00:00:00.000-04:00', TIMESTAMP '2025-07-17 00:00:00.000-04:00') ORDER BY value DESC; -- error: metrics_scalar
SELECT * FROM dd.metrics_timeseries('avg:system.cpu.user{*} by {service}', TIMESTAMP '2025-07-10 00:00:00.000-04:00', TIMESTAMP '2025-07-17 00:00:00.000-04:00') ORDER BY timestamp, service; -- error: metrics_timeseries
-- _index.md / Tags (the example's inline comment is kept, at the end of the line)
SELECT status, count(status) FROM t WHERE tags->'region' = 'us-east-1' GROUP BY status -- region is a tag, not a column
-- _index.md / Tags: multiple values are one sorted, comma-separated string (tie-break added to ORDER BY)
SELECT tags->'team', status, type, COUNT(*) as instance_count FROM t WHERE tags->'team' = 'ml-platform,support-ml' GROUP BY tags->'team', status, type ORDER BY instance_count DESC, status
SELECT tags->'team', status, type, COUNT(*) as instance_count FROM t WHERE tags->'team' LIKE '%,%' GROUP BY tags->'team', status, type ORDER BY instance_count DESC, 1, status
-- _index.md / Tags: compare entire tag sets, or one tag
SELECT * FROM t AS da INNER JOIN t AS de ON da.tags = de.tags
SELECT da.name, de.name FROM t AS da INNER JOIN t AS de ON da.tags->'team' = de.tags->'team'
-- _index.md / Tags: akeys and avals, both in key order (keys sorted, byte order: docs/dialect.md);
-- PostgreSQL's hstore orders keys by length, then bytes. The PostgreSQL spelling sorts the keys.
SELECT akeys(tags), avals(tags) FROM t -- pg: SELECT ARRAY(SELECT k FROM unnest(akeys(tags)) AS k ORDER BY k) AS akeys, ARRAY(SELECT tags -> k FROM unnest(akeys(tags)) AS k ORDER BY k) AS avals FROM t
-- _index.md / Tags / HSTORE functions: tags -> 'text' is NULL when the key is absent
SELECT tags -> 'ttl' FROM t
--
-- ================================================== ddsql_preview/statements.md
-- statements.md / SELECT / Syntax: SELECT ALL, GROUP BY ALL|DISTINCT (PostgreSQL's meaning:
-- a grouping-set quantifier, not DuckDB's GROUP BY ALL), NULLS FIRST|LAST, LIMIT ALL
SELECT ALL status FROM t ORDER BY _key
SELECT status, count(*) FROM t GROUP BY ALL status ORDER BY status
SELECT status, count(*) FROM t GROUP BY DISTINCT status ORDER BY status
SELECT name, completion_time FROM t ORDER BY completion_time DESC NULLS LAST, _key
SELECT name FROM t ORDER BY _key LIMIT ALL
SELECT name FROM t ORDER BY _key LIMIT ALL OFFSET 28
-- statements.md / SELECT / Syntax: USING (column, ...) joins
SELECT a.name, b.status FROM t AS a JOIN t AS b USING (_key, account_id) ORDER BY a._key
-- statements.md / SELECT / EVENT_SEARCH, USE EVENT_INDEX: logs only (not in docs/dialect.md)
SELECT * FROM t EVENT_SEARCH 'fraud' -- error: EVENT_SEARCH
-- statements.md / Aliases
SELECT * FROM aws.sagemaker_inference_experiment as hosts ORDER BY hosts._key
-- statements.md / Ordinals: ordered by the 3rd, then the 2nd, then the 1st output expression
SELECT _key, status, account_id FROM t ORDER BY 3, 2, 1
-- statements.md / UNION (the example's ORDER BY service has ties, so _key is added to it)
SELECT _key, CAST(status AS text) AS service, 'from resources' FROM t UNION ALL SELECT name, account_id AS text, 'from logs' FROM t WHERE tags->'env'='prod' ORDER BY service, _key LIMIT 200 OFFSET 10;
SELECT status FROM t UNION SELECT status FROM t
-- statements.md / WITH: auxiliary statements may reference earlier ones; output column names
WITH a (k, acct) AS (SELECT _key, account_id FROM t), b (acct, n) AS (SELECT acct, count(*) FROM a GROUP BY acct) SELECT acct, n FROM b ORDER BY acct
-- statements.md / CREATE, INSERT: the preview has temporary tables; docs/dialect.md refuses both
-- (the targets do not exist, so PostgreSQL refuses them too and nothing is created)
CREATE TABLE no_such_schema.name (column_name BIGINT PRIMARY KEY, other VARCHAR NOT NULL) -- error: CREATE
INSERT INTO no_such_table (specific, columns) VALUES (1, 'a'), (2, 'b') -- error: INSERT
-- statements.md / SHOW and SET: see the comment list at the end of dialect.sql (session state).
--
-- ==================================== ddsql_preview/expressions_and_operators.md
-- Arithmetic operators (documented: 5, -1, 6, 2.5; `/` is non-truncating, a documented deviation)
SELECT 2 + 3, 2 - 3, 2 * 3, 5 / 2 -- ddsql: [(5, -1, 6, 2.5)]
-- "add parentheses: (5 - 2) * 3"
SELECT (5 - 2) * 3, 5 - 2 * 3
-- Comparison operators (documented: false, true, true, false, true, false, false)
SELECT 2 > 3, 2 < 3, 3 >= 2, 3 <= 2, 3 = 3, 3 != 3, 3 <> 3
-- SQL comparison keywords: NOT, AND, OR (env is a tag here; cloud_provider -> account_id)
SELECT * FROM t WHERE NOT tags->'env' = 'prod';
SELECT * FROM t WHERE tags->'env' = 'prod' AND account_id = '482910374615';
-- (the reference's OR example is written with AND by mistake; its description is OR)
SELECT * FROM t WHERE tags->'env' = 'prod' OR account_id = '739102846501';
SELECT * FROM t WHERE status_reason IS NULL;
SELECT * FROM t WHERE status_reason IS NOT NULL;
-- LIKE / NOT LIKE on a JSON document as text (logging -> endpoint_metadata): JSON text is
-- compact, so the reference's "key":value pattern matches as written (docs/dialect.md, "JSON text")
SELECT * FROM t WHERE LOWER(CAST(endpoint_metadata AS VARCHAR)) LIKE '%"endpoint_status":"inservice"%';
SELECT * FROM t WHERE LOWER(CAST(endpoint_metadata AS VARCHAR)) NOT LIKE '%"endpoint_status":"inservice"%';
SELECT * FROM t WHERE status IN ('Running', 'Stopping');
SELECT * FROM t WHERE status NOT IN ('Running', 'Stopping');
-- BETWEEN: a BETWEEN x AND y is a >= x AND a <= y
SELECT name FROM t WHERE length(name) BETWEEN 20 AND 25 ORDER BY _key
SELECT name FROM t WHERE length(name) >= 20 AND length(name) <= 25 ORDER BY _key
-- Logical operators: XOR is listed by the preview but is not in docs/dialect.md or PostgreSQL
SELECT true XOR false -- error: XOR
-- CASE: simple and searched (syntax blocks)
SELECT name, CASE status WHEN 'Running' THEN 'up' WHEN 'Stopping' THEN 'going down' ELSE 'other' END FROM t ORDER BY _key
SELECT name, CASE status WHEN 'Running' THEN 'up' END FROM t ORDER BY _key
SELECT name, CASE WHEN completion_time IS NULL THEN 'open' WHEN status = 'Completed' THEN 'done' ELSE 'stopped' END FROM t ORDER BY _key
SELECT name, CASE WHEN status = 'Running' THEN 'up' END FROM t ORDER BY _key
-- CAST: CAST(expression AS type) and expression::type; "For example, SELECT 1::text;"
SELECT 1::text;
SELECT CAST(1 AS text), CAST(account_id AS BIGINT) FROM t ORDER BY _key
--
-- ================================================== ddsql_preview/functions.md
-- functions.md / substr: "substr('hello', 2) returns 'ello'", "substr('hello', -2, 4) returns 'h'".
-- substr is not on the list of docs/dialect.md; the same documented answers through SUBSTRING:
SELECT SUBSTRING('hello', 2), SUBSTRING('hello', -2, 4)
-- functions.md / reverse: "brown -> nworb"
SELECT REVERSE('brown')
-- functions.md / JSON array: json_extract_path_text(col, '0', 'forest') on [{"forest": "trees"}] (documented: trees)
SELECT json_extract_path_text(JSON '[{"forest": "trees"}]', '0', 'forest')
SELECT json_extract_path_text(model_variants, '0', 'model_name') FROM t
-- functions.md / unnest: "several arrays are zipped, NULL filling in for shorter arrays"
-- (the preview allows unnest in SELECT; the current reference and docs/dialect.md only in FROM)
SELECT * FROM UNNEST(ARRAY[1, 2, 3], ARRAY['a', 'b']) AS u (n, s)
-- functions.md / count(*), count(e), count(distinct e)
SELECT count(*), count(status_reason), count(DISTINCT account_id) FROM t
--
-- ================================================= ddsql_preview/data_types.md
-- Base types and aliases: integer/int, text/char/varchar/string, real/double/decimal, boolean, json, timestamp
SELECT CAST('7' AS integer) AS a, CAST('7' AS int) AS b, CAST(7 AS text) AS c, CAST(7 AS varchar) AS d, CAST('true' AS boolean) AS e
SELECT CAST(7 AS string) AS s -- pg: SELECT CAST(7 AS text) AS s
SELECT CAST(42 AS char) AS c -- pg: SELECT CAST(42 AS text) AS c
SELECT CAST('2.5' AS real) AS r, CAST('2.5' AS double) AS d, CAST('2.5' AS decimal) AS n -- pg: SELECT CAST('2.5' AS double precision) AS r, CAST('2.5' AS double precision) AS d, CAST('2.5' AS numeric) AS n
SELECT CAST('{"a": [1, 2]}' AS json) AS j, CAST('2025-01-02 03:04:05' AS timestamp) AS ts
-- Literals: integer 1, 4, 23901239412; text; real 1.0, 1e30, 314e-2, .25, 5.
SELECT 1, 4, 23901239412
SELECT 'Hello, world'
SELECT 1.0, 1e30, 314e-2, .25, 5.
-- Literals: 0x4B1D. PostgreSQL 15 rejects it ("trailing junk after numeric literal") and
-- docs/dialect.md does not list hex literals, so it is refused (it must never read as 0 AS x4B1D).
SELECT 0x4B1D -- error: 4B1D
-- Literals: timestamp '...', interval '1 day', '2 min'
SELECT timestamp '2025-01-01 12:00:00', interval '1 day', interval '2 min'
--
-- ======================================================= ddsql_preview/tags.md
-- The preview's tag semantics (= is "contains", IN is "overlaps", {'logs'} group literals,
-- implicit tag columns, #tag references) are not the current dialect (docs/dialect.md: tags->'k' is
-- plain text). The same questions in the current dialect:
-- "team='logs' matches every record with a team tag logs" (contains):
SELECT tags->'team' AS team FROM t WHERE ARRAY_POSITION(STRING_TO_ARRAY(tags->'team', ','), 'fraud') IS NOT NULL GROUP BY tags->'team'
-- "strict equality: only exactly logs":
SELECT tags->'team' AS team FROM t WHERE tags->'team' = 'fraud' GROUP BY tags->'team'
-- "service IN ('webstore', 'webstore-analytics')" as overlaps:
SELECT name FROM t, UNNEST(STRING_TO_ARRAY(tags->'team', ',')) AS team WHERE team IN ('fraud', 'recsys') ORDER BY _key
-- explicit tag reference #service: not DDSQL syntax (PostgreSQL reads # as an operator)
SELECT #status FROM t -- error: #status
--
-- =========================================== ddsql_preview/window_functions.md
-- Syntax: function(...) OVER ([PARTITION BY ...] [ORDER BY ... [ASC|DESC] [NULLS FIRST|LAST]] [frame])
SELECT name, row_number() OVER (PARTITION BY account_id ORDER BY completion_time DESC NULLS LAST, creation_time) AS rn FROM t ORDER BY account_id, rn
SELECT name, rank() OVER (ORDER BY status) AS r FROM t ORDER BY _key
SELECT name, first_value(name) OVER (PARTITION BY account_id ORDER BY creation_time) AS f FROM t ORDER BY _key
SELECT name, last_value(name) OVER (PARTITION BY account_id ORDER BY creation_time RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS l FROM t ORDER BY _key
SELECT name, count(*) OVER (ORDER BY creation_time ROWS 2 PRECEDING) AS c FROM t ORDER BY _key
SELECT name, sum(length(name)) OVER (ORDER BY creation_time ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS s FROM t ORDER BY _key
SELECT name, max(length(name)) OVER (ORDER BY creation_time ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS m FROM t ORDER BY _key
SELECT name, min(creation_time) OVER (ORDER BY creation_time ROWS BETWEEN 3 FOLLOWING AND 5 FOLLOWING) AS m FROM t ORDER BY _key
--
-- ============================================ ddsql_preview/ddsql_use_cases.md
-- List all libraries across services in production (service_definition c JOIN library lib)
SELECT c.name, c.tags->'team', lib.status, lib.completion_time, lib.creation_time FROM t AS c JOIN t AS lib ON lib.name = c.name WHERE lib.tags->'env' = 'prod' AND lib.type = 'ShadowMode' AND LOWER(c.account_id) = '482910374615' AND LOWER(c.type) = 'shadowmode' ORDER BY lib.creation_time DESC, c._key
-- List services running an old version of the tracer (text comparison)
SELECT * FROM t WHERE name < 'eta';
-- List of RDS instances that require rotation (note `aws_environment db_instance_identifier`: an alias without AS)
SELECT account_id, type, status db_status, name, tags FROM t WHERE name like 'fraud-xgb-v6-shadow'
-- List EBS snapshots in progress
SELECT description, account_id, status FROM t WHERE LOWER(status) != 'completed' and LOWER(status) != 'cancelled'
-- List lambda functions with a specific outdated runtime
SELECT * FROM t WHERE status = 'Running' LIMIT 100;
--
-- =========================================== ddsql_preview/reference_tables.md
SELECT * FROM reference_tables.test -- error: reference_tables.test
SELECT a.name, b.status FROM t AS a JOIN t AS b ON a._key = b._key ORDER BY b.creation_time DESC;
--
-- ====================================================== not expressible / not run
-- Reference examples that are not corpus queries, for the record:
-- * _index.md / icu_regexp_replace(...) in the g-flag example: a name listed nowhere else in the
--   reference or docs/dialect.md (probably a typo for regexp_replace); PostgreSQL has no such
--   function, ddsql_lite refuses it today. Tested above as regexp_replace.
-- * _index.md / Table functions dd.logs / dd.metrics_scalar / dd.metrics_timeseries: no such
--   data here; refused above.
-- * statements.md / SHOW ALL, SHOW <parameter>, SET variableName = expression: session
--   state; see the time-frame list at the end of dialect.sql.
-- * The preview pages' constructs (functions.md's extra functions, unnest in the SELECT
--   clause, data_types.md's date and relative literals, hexadecimal integers, array<type>[...],
--   tags.md's tag columns, #key and group literals) are the DDSQL (Preview) variant, run with
--   syntax="preview": corpus/preview/*.sql checks them against PostgreSQL, and
--   tests/dialect/test_preview.py checks that the reference variant refuses each one.
--   CREATE TABLE / INSERT INTO temporary tables stay refused in both (queries only).
