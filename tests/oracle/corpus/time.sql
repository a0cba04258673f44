-- Time: EXTRACT, DATE_TRUNC, DATE_BIN, TO_TIMESTAMP, TO_CHAR, NOW, INTERVAL and TIMESTAMP
-- literals, casts and arithmetic (ddsql_lite/dialect/timefuncs.py, intervals.py, pgformat.py).
-- `FROM t` stands for the table; completion_time has NULLs; creation_time and
-- last_modified_time have rows with fractional seconds (.48, .25, .912, .875, .125).
-- DDSQL deviations (docs/dialect.md, "Documented deviations") are compared with a `-- pg:`
-- spelling of the same question: dow is isodow, second is trunc(second), timezone_*
-- read the UTC timestamptz (AT TIME ZONE 'UTC'), 'quarters' is 'quarter', and a timestamp with an
-- explicit offset is timestamptz ... AT TIME ZONE 'UTC'.
--
-- ============================================================ EXTRACT from timestamps
SELECT _key, EXTRACT(dow FROM creation_time), EXTRACT(dow FROM completion_time) FROM t ORDER BY _key -- pg: SELECT _key, EXTRACT(isodow FROM creation_time) AS extract, EXTRACT(isodow FROM completion_time) AS extract FROM t ORDER BY _key
SELECT _key, EXTRACT(doy FROM creation_time), EXTRACT(doy FROM completion_time), EXTRACT(doy FROM last_modified_time) FROM t ORDER BY _key
SELECT _key, EXTRACT(week FROM creation_time), EXTRACT(week FROM completion_time) FROM t ORDER BY _key
SELECT _key, EXTRACT(month FROM creation_time), EXTRACT(quarter FROM creation_time), EXTRACT(year FROM creation_time) FROM t ORDER BY _key
SELECT _key, EXTRACT(month FROM completion_time), EXTRACT(quarter FROM completion_time), EXTRACT(year FROM completion_time) FROM t ORDER BY _key
SELECT _key, EXTRACT(day FROM creation_time), EXTRACT(hour FROM creation_time), EXTRACT(minute FROM creation_time) FROM t ORDER BY _key
SELECT _key, EXTRACT(day FROM completion_time), EXTRACT(hour FROM completion_time), EXTRACT(minute FROM completion_time) FROM t ORDER BY _key
SELECT _key, EXTRACT(second FROM creation_time), EXTRACT(second FROM last_modified_time), EXTRACT(second FROM completion_time) FROM t ORDER BY _key -- pg: SELECT _key, trunc(EXTRACT(second FROM creation_time)) AS extract, trunc(EXTRACT(second FROM last_modified_time)) AS extract, trunc(EXTRACT(second FROM completion_time)) AS extract FROM t ORDER BY _key
SELECT _key, EXTRACT(timezone_hour FROM creation_time), EXTRACT(timezone_minute FROM completion_time) FROM t ORDER BY _key -- pg: SELECT _key, EXTRACT(timezone_hour FROM creation_time AT TIME ZONE 'UTC') AS extract, EXTRACT(timezone_minute FROM completion_time AT TIME ZONE 'UTC') AS extract FROM t ORDER BY _key
SELECT EXTRACT('dow' FROM TIMESTAMP '2025-01-05'), EXTRACT(DOW FROM TIMESTAMP '2025-01-06'), EXTRACT(Dow FROM TIMESTAMP '2025-01-11') -- ddsql: [(7, 1, 6)]
SELECT EXTRACT(second FROM TIMESTAMP '2025-01-01 10:00:59.999999'), EXTRACT(second FROM TIMESTAMP '2025-01-01 10:00:00') -- ddsql: [(59, 0)]
SELECT EXTRACT(doy FROM TIMESTAMP '2024-12-31'), EXTRACT(week FROM TIMESTAMP '2024-12-30'), EXTRACT(week FROM TIMESTAMP '2021-01-03'), EXTRACT(quarter FROM TIMESTAMP '2025-10-01')
SELECT EXTRACT(month FROM creation_time) AS m, count(*) FROM t GROUP BY 1 ORDER BY 1
SELECT EXTRACT(dow FROM creation_time) AS d, count(*) FROM t GROUP BY EXTRACT(dow FROM creation_time) ORDER BY d -- pg: SELECT EXTRACT(isodow FROM creation_time) AS d, count(*) FROM t GROUP BY EXTRACT(isodow FROM creation_time) ORDER BY d
SELECT name FROM t WHERE EXTRACT(hour FROM creation_time) BETWEEN 9 AND 17 AND EXTRACT(dow FROM creation_time) < 6 ORDER BY _key -- pg: SELECT name FROM t WHERE EXTRACT(hour FROM creation_time) BETWEEN 9 AND 17 AND EXTRACT(isodow FROM creation_time) < 6 ORDER BY _key
SELECT EXTRACT(year FROM CAST(NULL AS TIMESTAMP)), EXTRACT(dow FROM CAST(NULL AS TIMESTAMP))
-- ============================================================ EXTRACT from intervals
SELECT _key, EXTRACT(day FROM completion_time - creation_time), EXTRACT(hour FROM completion_time - creation_time), EXTRACT(minute FROM completion_time - creation_time) FROM t ORDER BY _key
SELECT _key, EXTRACT(second FROM last_modified_time - creation_time) FROM t ORDER BY _key -- pg: SELECT _key, trunc(EXTRACT(second FROM last_modified_time - creation_time)) AS extract FROM t ORDER BY _key
SELECT EXTRACT(hour FROM INTERVAL '30 hours 5 minutes'), EXTRACT(minute FROM INTERVAL '-30 hours -5 minutes'), EXTRACT(day FROM INTERVAL '1 week 2 days'), EXTRACT(second FROM INTERVAL '61.75 seconds') -- pg: SELECT 30, -5, 9, trunc(EXTRACT(second FROM INTERVAL '61.75 seconds'))
SELECT EXTRACT(month FROM INTERVAL '1 year 14 months'), EXTRACT(year FROM INTERVAL '1 year 14 months'), EXTRACT(quarter FROM INTERVAL '7 mons'), EXTRACT(quarter FROM INTERVAL '-7 mons'), EXTRACT(month FROM INTERVAL '-14 months')
SELECT EXTRACT(second FROM INTERVAL '-1.5 seconds'), EXTRACT(hour FROM INTERVAL '1 day 02:03:04') -- pg: SELECT trunc(EXTRACT(second FROM INTERVAL '-1.5 seconds')) AS extract, EXTRACT(hour FROM INTERVAL '1 day 02:03:04')
-- ============================================================ DATE_TRUNC, every unit
SELECT _key, date_trunc('millisecond', creation_time), date_trunc('milliseconds', last_modified_time) FROM t ORDER BY _key
SELECT _key, date_trunc('second', creation_time), date_trunc('seconds', last_modified_time) FROM t ORDER BY _key
SELECT _key, date_trunc('minute', creation_time), date_trunc('minutes', completion_time) FROM t ORDER BY _key
SELECT _key, date_trunc('hour', creation_time), date_trunc('hours', completion_time) FROM t ORDER BY _key
SELECT _key, date_trunc('day', creation_time), date_trunc('days', completion_time) FROM t ORDER BY _key
SELECT _key, date_trunc('week', creation_time), date_trunc('weeks', completion_time) FROM t ORDER BY _key
SELECT _key, date_trunc('month', creation_time), date_trunc('months', completion_time) FROM t ORDER BY _key
SELECT _key, date_trunc('quarter', creation_time), date_trunc('quarters', completion_time) FROM t ORDER BY _key -- pg: SELECT _key, date_trunc('quarter', creation_time), date_trunc('quarter', completion_time) FROM t ORDER BY _key
SELECT _key, date_trunc('year', creation_time), date_trunc('years', completion_time) FROM t ORDER BY _key
SELECT date_trunc('WEEK', TIMESTAMP '2025-01-05 23:59:59'), date_trunc('Week', TIMESTAMP '2025-01-06'), date_trunc('MilliSeconds', TIMESTAMP '2025-01-01 10:00:00.123999')
SELECT date_trunc('month', creation_time) AS month_start, count(*) FROM t GROUP BY 1 ORDER BY 1
SELECT date_trunc('day', date_trunc('hour', creation_time) + INTERVAL '90 minutes') FROM t ORDER BY _key
SELECT date_trunc('fortnight', creation_time) FROM t -- error: date_trunc('fortnight', ...) is not supported
-- ============================================================ DATE_BIN (PostgreSQL 15)
-- _index.md / DATE_BIN (documented: 2025-09-15 12:30:00, then 2025-09-15 00:00:00)
SELECT DATE_BIN('15 minutes', TIMESTAMP '2025-09-15 12:34:56', TIMESTAMP '2025-01-01')
SELECT DATE_BIN('1 day', TIMESTAMP '2025-09-15 12:34:56', TIMESTAMP '2025-01-01')
SELECT _key, date_bin(INTERVAL '15 minutes', creation_time, TIMESTAMP '2001-01-01'), date_bin(INTERVAL '1 hour', completion_time, TIMESTAMP '2001-01-01 00:07:00') FROM t ORDER BY _key
SELECT _key, date_bin('7 days', creation_time, TIMESTAMP '2030-01-01'), date_bin('90 seconds', last_modified_time, '2025-06-15 13:07:11.5') FROM t ORDER BY _key
SELECT _key, date_bin('1.5 hours', creation_time, creation_time - INTERVAL '1 day'), date_bin('250 ms', last_modified_time, TIMESTAMP '2000-01-01') FROM t ORDER BY _key
SELECT date_bin('1 week 2 hours', TIMESTAMP '2025-01-01 10:00', TIMESTAMP '2025-01-01 12:00'), date_bin('1 hour', TIMESTAMP '2025-01-01 10:00', TIMESTAMP '2025-01-01 12:00'), date_bin('1 hour', CAST(NULL AS TIMESTAMP), TIMESTAMP '2001-01-01')
SELECT date_bin(INTERVAL '15 minutes', creation_time, TIMESTAMP '2001-01-01') AS bucket, count(*) FROM t GROUP BY 1 ORDER BY 1
SELECT date_bin('1 month', creation_time, TIMESTAMP '2001-01-01') FROM t -- error: cannot be binned into intervals containing months or years
SELECT date_bin('0 minutes', creation_time, TIMESTAMP '2001-01-01') FROM t -- error: stride must be greater than zero
SELECT date_bin('-5 minutes', creation_time, TIMESTAMP '2001-01-01') FROM t -- error: stride must be greater than zero
-- ============================================================ TO_TIMESTAMP(epoch seconds)
-- _index.md / TO_TIMESTAMP form 2
SELECT TO_TIMESTAMP(1735142580) AS ts_from_epoch
SELECT to_timestamp(0), to_timestamp(1700000000.5), to_timestamp(-86400.25), to_timestamp(1735142580.0000005), to_timestamp('1735142580')
SELECT _key, to_timestamp(length(name) * 10000000) FROM t ORDER BY _key
SELECT to_timestamp(CAST(NULL AS BIGINT)), to_timestamp(NULL)
-- ============================================================ TO_TIMESTAMP(text, format), every pattern
-- _index.md / TO_TIMESTAMP form 1
SELECT TO_TIMESTAMP('25/12/2025 04:23 pm', 'DD/MM/YYYY HH:MI am') AS ts
SELECT to_timestamp('2025-03-04 15:06:07.891', 'YYYY-MM-DD HH24:MI:SS.MS'), to_timestamp('2025-03-04 03:06:07 PM', 'YYYY-MM-DD HH12:MI:SS AM'), to_timestamp('2025-03-04 03:06:07 am', 'YYYY-MM-DD HH:MI:SS pm')
SELECT to_timestamp('25-3-4 9:5', 'YY-MM-DD HH24:MI'), to_timestamp('69', 'YY'), to_timestamp('70', 'YY'), to_timestamp('100', 'YY'), to_timestamp('2025', 'YY')
SELECT to_timestamp('20250304150607', 'YYYYMMDDHH24MISS'), to_timestamp('2025.3.4', 'YYYY.MM.DD'), to_timestamp('2025/03/04', 'YYYY-MM-DD')
SELECT to_timestamp('2025-03-04T15:06:07', 'YYYY-MM-DD"T"HH24:MI:SS'), to_timestamp('2025-03-04 at 15h06', 'YYYY-MM-DD "at" HH24"h"MI')
SELECT to_timestamp('  2025 - 03 -04   15:06 ', 'YYYY-MM-DD HH24:MI'), to_timestamp('2025-03-04 trailing text', 'YYYY-MM-DD'), to_timestamp('2025-03', 'YYYY-MM-DD HH24:MI')
SELECT to_timestamp('12:00:01.5 AM 2025-1-1', 'HH12:MI:SS.MS AM YYYY-MM-DD'), to_timestamp('12:00 pm 2025-1-1', 'HH:MI PM YYYY-MM-DD'), to_timestamp('2025-01-01 00:00:00.05', 'YYYY-MM-DD HH24:MI:SS.MS')
SELECT to_timestamp('yyyy 2025 mm 07', '"yyyy" yyyy "mm" mm'), to_timestamp('2025-00-00', 'YYYY-MM-DD'), to_timestamp('2025-01-01 1.12', 'YYYY-MM-DD SS.MS')
SELECT _key, to_timestamp(json_extract_path_text(schedule, 'start_time'), 'YYYY-MM-DD"T"HH24:MI:SS') FROM t ORDER BY _key
SELECT _key, to_timestamp(to_char(last_modified_time, 'DD/MM/YYYY HH12:MI:SS.MS am'), 'DD/MM/YYYY HH12:MI:SS.MS am') FROM t ORDER BY _key
SELECT _key FROM t WHERE creation_time >= to_timestamp('2025-11-01', 'YYYY-MM-DD') ORDER BY _key
SELECT to_timestamp(NULL, 'YYYY'), to_timestamp('2025', NULL)
SELECT to_timestamp('2025-13-01', 'YYYY-MM-DD') -- error: date/time field value out of range
SELECT to_timestamp('2025-02-30', 'YYYY-MM-DD') -- error: date/time field value out of range
SELECT to_timestamp('2025-01-01 0', 'YYYY-MM-DD HH') -- error: hour "0" is invalid for the 12-hour clock
SELECT to_timestamp('2025-01-01 16 pm', 'YYYY-MM-DD HH24 am') -- error: hour "16" is invalid for the 12-hour clock
SELECT to_timestamp('2025-01-01 1.1234', 'YYYY-MM-DD SS.MS') -- error: date/time field value out of range
SELECT to_timestamp('2025-01-01 24:00', 'YYYY-MM-DD HH24:MI') -- error: date/time field value out of range
SELECT to_timestamp('2025-ab-01', 'YYYY-MM-DD') -- error: does not match the format at "ab-01"
SELECT to_timestamp('2025 UTC', 'YYYY TZ') -- error: pattern 'TZ' is not supported
SELECT to_timestamp('2025 +02', 'YYYY OF') -- error: pattern 'OF' is not supported
-- ============================================================ TO_CHAR, every pattern
-- _index.md / TO_CHAR
WITH orders AS (SELECT completion_time AS order_date FROM t) SELECT TO_CHAR(order_date, 'MM-DD-YYYY') AS formatted_date FROM orders
SELECT _key, to_char(creation_time, 'YYYY-MM-DD HH24:MI:SS.MS'), to_char(completion_time, 'YY/MM/DD HH12:MI:SS AM') FROM t ORDER BY _key
SELECT _key, to_char(last_modified_time, 'HH:MI am'), to_char(last_modified_time, 'HH12 pm PM AM'), to_char(creation_time, 'hh24 mi ss ms yyyy yy mm dd') FROM t ORDER BY _key
SELECT _key, to_char(creation_time, 'YYYY-MM-DD"T"HH24:MI:SS.MSOF'), to_char(creation_time, '"Day" DD "of" MM, "Month" YYYY') FROM t ORDER BY _key
SELECT _key, to_char(creation_time, 'HH24:MI TZ'), to_char(completion_time, 'YYYY tz OF') FROM t ORDER BY _key
-- TZ and tz print nothing on a timestamp without time zone; OF and TZH print +00, TZM 00 (PostgreSQL 15's to_char)
SELECT to_char(TIMESTAMP '2025-01-02 03:04:05', 'TZ|tz|OF|of|TZH:TZM|tzh tzm|"TZ"') AS a, to_char(TIMESTAMP '2025-01-02 03:04:05.5', 'YYYY-MM-DD"T"HH24:MI:SS.MSTZH:TZM') AS b, to_char(TIMESTAMP '2025-01-02', 'TZTZHTZM OFOF') AS c
SELECT _key, to_char(creation_time, 'YYYY-MM-DD HH24:MI:SS TZ') AS a, to_char(last_modified_time, 'YYYY-MM-DD"T"HH24:MI:SSOF') AS b, to_char(completion_time, 'HH24:MI TZH:TZM') AS c FROM t ORDER BY _key
SELECT to_char(TIMESTAMP '2025-03-04 00:05:06.007', 'HH12:MI:SS.MS am'), to_char(TIMESTAMP '2025-03-04 12:00:00', 'HH PM'), to_char(TIMESTAMP '0905-03-04 23:00', 'YYYY YY HH12 pm')
SELECT to_char(TIMESTAMP '2025-03-04 15:06:07', '100% YYYY%MM %% \"x\" a\\z Mm'), to_char(TIMESTAMP '2025-03-04 15:06:07', 'YYYYMMDDHH24MISS')
SELECT to_char(TIMESTAMP '2025-03-04', ''), to_char(CAST(NULL AS TIMESTAMP), 'YYYY'), to_char(TIMESTAMP '2025-03-04', NULL)
SELECT to_char(creation_time, 'YYYY-MM') AS ym, count(*) FROM t GROUP BY 1 ORDER BY 1
SELECT to_char(creation_time, 'YYYY-MM-DD') FROM t WHERE to_char(creation_time, 'HH24') = '10' ORDER BY _key
-- ============================================================ NOW() and CURRENT_TIMESTAMP
-- _index.md / NOW (sales stand-in: purchase_date = creation_time)
WITH sales AS (SELECT status AS product_id, creation_time AS purchase_date FROM t) SELECT * FROM sales WHERE purchase_date > NOW() - INTERVAL '1 hour'
SELECT count(*) FROM t WHERE creation_time < now() AND last_modified_time <= NOW()
SELECT now() = current_timestamp AS same, now() - now() AS zero, EXTRACT(timezone_hour FROM now()) AS tz, EXTRACT(year FROM now()) >= 2025 AS recent
SELECT _key, now() > creation_time, date_trunc('day', now()) >= date_trunc('day', creation_time) FROM t ORDER BY _key
-- ============================================================ INTERVAL literals: every unit spelling
-- _index.md / INTERVAL example
SELECT TIMESTAMP '2023-10-01 10:00:00' + INTERVAL '30 days' AS future_date, INTERVAL '1 MILLISECOND 2 SECONDS 3 MINUTES 4 HOURS 5 DAYS'
SELECT INTERVAL '2 hrs' AS a, INTERVAL '5 mins' AS b, INTERVAL '1 week' AS c, INTERVAL '3 secs' AS d, INTERVAL '1 millisecond 2 seconds 3 minutes 4 hours 5 days' AS e
SELECT CAST(INTERVAL '1 mon' AS VARCHAR) AS a, CAST(INTERVAL '1 year 2 months' AS VARCHAR) AS b, CAST(INTERVAL '2 mons 3 yrs' AS VARCHAR) AS c, CAST(INTERVAL '1 y 2 d' AS VARCHAR) AS d
SELECT CAST(INTERVAL '1 microsecond' AS VARCHAR) AS a, CAST(INTERVAL '2 microseconds 3 ms' AS VARCHAR) AS b, CAST(INTERVAL '4 us 5 msec' AS VARCHAR) AS c, CAST(INTERVAL '6 usec 7 msecs' AS VARCHAR) AS d, CAST(INTERVAL '8 usecs 9 mseconds' AS VARCHAR) AS e, CAST(INTERVAL '1 useconds 2 msecond' AS VARCHAR) AS f
SELECT CAST(INTERVAL '1 second' AS VARCHAR) AS a, CAST(INTERVAL '2 s 3 m' AS VARCHAR) AS b, CAST(INTERVAL '4 sec 5 min' AS VARCHAR) AS c, CAST(INTERVAL '6 seconds 7 minute' AS VARCHAR) AS d, CAST(INTERVAL '1 h 2 d 3 w' AS VARCHAR) AS e, CAST(INTERVAL '1 hr 2 weeks' AS VARCHAR) AS f
SELECT CAST(INTERVAL '1 decade' AS VARCHAR) AS a, CAST(INTERVAL '2 decades 1 century' AS VARCHAR) AS b, CAST(INTERVAL '1 dec 2 centuries' AS VARCHAR) AS c, CAST(INTERVAL '1 decs 1 c 1 mil' AS VARCHAR) AS d, CAST(INTERVAL '1 cent 1 millennium' AS VARCHAR) AS e, CAST(INTERVAL '2 millennia' AS VARCHAR) AS f, CAST(INTERVAL '3 mils' AS VARCHAR) AS g
SELECT CAST(INTERVAL '2 HOURS' AS VARCHAR) AS a, CAST(INTERVAL '2Hours' AS VARCHAR) AS b, CAST(INTERVAL '30s' AS VARCHAR) AS c, CAST(INTERVAL '10 milliseconds' AS VARCHAR) AS d, CAST(INTERVAL '1 Mons' AS VARCHAR) AS e
SELECT CAST(INTERVAL '1.5 hours' AS VARCHAR) AS a, CAST(INTERVAL '1.5 years' AS VARCHAR) AS b, CAST(INTERVAL '1.5 months' AS VARCHAR) AS c, CAST(INTERVAL '1.5 weeks' AS VARCHAR) AS d, CAST(INTERVAL '0.5 days' AS VARCHAR) AS e, CAST(INTERVAL '3.25 secs' AS VARCHAR) AS f, CAST(INTERVAL '.5 min' AS VARCHAR) AS g
SELECT CAST(INTERVAL '1 day 02:03:04' AS VARCHAR) AS a, CAST(INTERVAL '-1 day +02:03:04.5' AS VARCHAR) AS b, CAST(INTERVAL '02:03' AS VARCHAR) AS c, CAST(INTERVAL '1:30.5' AS VARCHAR) AS d, CAST(INTERVAL '100:00:00' AS VARCHAR) AS e
SELECT CAST(INTERVAL '-2 hours' AS VARCHAR) AS a, CAST(INTERVAL '+3 days -4 hours' AS VARCHAR) AS b, CAST(INTERVAL '- 5 minutes' AS VARCHAR) AS c, CAST(INTERVAL '@ 1 day 2 hours ago' AS VARCHAR) AS d, CAST(INTERVAL '1 year -2 mons +3 days -04:05:06' AS VARCHAR) AS e
SELECT CAST(INTERVAL '1-2' AS VARCHAR) AS a, CAST(INTERVAL '-1-2' AS VARCHAR) AS b, CAST(INTERVAL '1 2 hours' AS VARCHAR) AS c, CAST(INTERVAL '5' AS VARCHAR) AS d, CAST(INTERVAL '1 day, 2 hours' AS VARCHAR) AS e, CAST(INTERVAL '0 days' AS VARCHAR) AS f
SELECT CAST('5 mins' AS INTERVAL) AS a, '2 hrs'::interval AS b, CAST(CAST('1 mon 2 days' AS INTERVAL) AS VARCHAR) AS c, '1 millisecond'::interval AS d
SELECT INTERVAL '1 day 2 days' -- error: a field is given twice
SELECT INTERVAL '1 fortnight' -- error: unknown unit 'fortnight'
SELECT INTERVAL '1 quarter' -- error: unit 'quarter' is not allowed
SELECT INTERVAL 'P1D2H' -- error: interval 'P1D2H'
-- ============================================================ timestamp / interval arithmetic
SELECT _key, completion_time - creation_time, last_modified_time - creation_time FROM t ORDER BY _key
SELECT _key, CAST(completion_time - creation_time AS VARCHAR), (last_modified_time - creation_time) || ' elapsed' FROM t ORDER BY _key
SELECT _key, creation_time + INTERVAL '1 mon', creation_time - INTERVAL '1 year 2 hours', completion_time + INTERVAL '1.5 days' FROM t ORDER BY _key
SELECT TIMESTAMP '2025-01-31' + INTERVAL '1 mon' AS a, TIMESTAMP '2024-02-29' + INTERVAL '1 year' AS b, TIMESTAMP '2025-03-31 10:00' - INTERVAL '1 month 1 day' AS c, TIMESTAMP '2025-01-01' - INTERVAL '-2 hrs' AS d
SELECT _key, creation_time + '1 day', creation_time - '2025-01-01', '2026-01-01' - creation_time FROM t ORDER BY _key
SELECT CAST(INTERVAL '1 day 2 hours' * 3 AS VARCHAR) AS a, CAST(2 * INTERVAL '1 mon 1 hour' AS VARCHAR) AS b, CAST(INTERVAL '1 day' / 4 AS VARCHAR) AS c, CAST(INTERVAL '1 mon' * 1.5 AS VARCHAR) AS d, CAST(-INTERVAL '1 mon -2 days' AS VARCHAR) AS e, CAST(INTERVAL '1 day' + INTERVAL '2 mons' - INTERVAL '3 hours' AS VARCHAR) AS f
SELECT name FROM t WHERE completion_time - creation_time > INTERVAL '7 days' ORDER BY _key
SELECT name FROM t WHERE last_modified_time - creation_time < '10 minutes' ORDER BY _key
SELECT INTERVAL '1 mon' = INTERVAL '30 days' AS a, INTERVAL '1 day' > '23 hours' AS b, INTERVAL '36 hours' < INTERVAL '1 day 13 hours' AS c, INTERVAL '1 day' + '2 hours' = '26 hours' AS d
SELECT _key, creation_time + (completion_time - creation_time) = completion_time FROM t ORDER BY _key
SELECT max(completion_time - creation_time), min(last_modified_time - creation_time) FROM t
SELECT account_id, max(creation_time) - min(creation_time) AS span FROM t GROUP BY account_id ORDER BY account_id
-- ============================================================ TIMESTAMP literals and casts
SELECT TIMESTAMP '2025-01-01' AS a, TIMESTAMP '2025-01-01 12:34:56.789' AS b, TIMESTAMP '2025-1-5 9:05' AS c, TIMESTAMP '2025-01-01T10:00:00Z' AS d, TIMESTAMP '2025-01-01 10:00:00+00:00' AS e
SELECT CAST('2025-01-02 03:04:05.000006' AS TIMESTAMP) AS a, '2025-06-01'::timestamp AS b, CAST('2025-06-01 10:00 UTC' AS TIMESTAMP) AS c
SELECT _key, CAST(json_extract_path_text(schedule, 'start_time') AS TIMESTAMP), CAST(schedule->>'end_time' AS TIMESTAMP) FROM t ORDER BY _key
SELECT _key, CAST(schedule->>'end_time' AS TIMESTAMP) - creation_time FROM t ORDER BY _key
SELECT _key, CAST(CAST(creation_time AS VARCHAR) AS TIMESTAMP) = creation_time, CAST(last_modified_time AS VARCHAR) FROM t ORDER BY _key
SELECT name FROM t WHERE creation_time > '2025-06-01' AND creation_time <= '2025-11-28 17:03:12.48' ORDER BY _key
SELECT name FROM t WHERE creation_time BETWEEN '2025-03-01' AND '2025-06-30T23:59:59' ORDER BY _key
SELECT name FROM t WHERE creation_time IN ('2025-01-06 10:00:00', '2025-08-04 11:11:11.25') ORDER BY _key
SELECT _key, coalesce(completion_time, '2099-12-31 23:59:59') FROM t ORDER BY _key
SELECT TIMESTAMP '2025-02-30' -- error: timestamp '2025-02-30': date/time field out of range
SELECT TIMESTAMP 'not a time' -- error: DDSQL reads YYYY-MM-DD
SELECT CAST(json_extract_path_text(schedule, 'missing') AS TIMESTAMP) IS NULL FROM t ORDER BY _key
SELECT CAST(name AS TIMESTAMP) FROM t -- error: as a timestamp: DDSQL reads
SELECT CAST(creation_time AS JSON) FROM t -- error: cannot cast timestamp to json
SELECT CAST(INTERVAL '1 day' AS BIGINT) -- error: cannot cast interval to bigint
SELECT to_timestamp(1e300) -- error: out of the range of years 1 to 9999
-- ============================================================ Timestamps with an explicit offset
-- An offset makes the text that instant in UTC (a documented deviation: PostgreSQL drops it). The
-- -- pg: spellings compute the same UTC instant with timestamptz ... AT TIME ZONE 'UTC'.
SELECT TIMESTAMP '2025-07-10 00:00:00.000-04:00' AS a -- pg: SELECT TIMESTAMPTZ '2025-07-10 00:00:00.000-04:00' AT TIME ZONE 'UTC' AS a
SELECT name FROM t WHERE creation_time >= '2025-02-11T05:00:00+02:00' ORDER BY _key -- pg: SELECT name FROM t WHERE creation_time >= TIMESTAMPTZ '2025-02-11T05:00:00+02:00' AT TIME ZONE 'UTC' ORDER BY _key
SELECT TIMESTAMP '2025-02-01T00:00:00+02' AS a, TIMESTAMP '2025-02-01T00:00:00+0200' AS b, TIMESTAMP '2025-02-01 00:00:00 +02:00' AS c, TIMESTAMP '2025-02-01 10:00Z' AS d, TIMESTAMP '2025-02-01t10:00:00.123456-09:30' AS e, TIMESTAMP '2025-02-01 10:00:00.5 -0930' AS f -- pg: SELECT TIMESTAMPTZ '2025-02-01T00:00:00+02' AT TIME ZONE 'UTC' AS a, TIMESTAMPTZ '2025-02-01T00:00:00+0200' AT TIME ZONE 'UTC' AS b, TIMESTAMPTZ '2025-02-01 00:00:00 +02:00' AT TIME ZONE 'UTC' AS c, TIMESTAMPTZ '2025-02-01 10:00Z' AT TIME ZONE 'UTC' AS d, TIMESTAMPTZ '2025-02-01t10:00:00.123456-09:30' AT TIME ZONE 'UTC' AS e, TIMESTAMPTZ '2025-02-01 10:00:00.5 -0930' AT TIME ZONE 'UTC' AS f
SELECT TIMESTAMP '2025-01-01 01:30+05:30' AS a, TIMESTAMP '2025-12-31 23:00-15:59' AS b, TIMESTAMP '2025-03-01 10:00-00' AS c, CAST('2025-03-01 10:00 UTC' AS TIMESTAMP) AS d -- pg: SELECT TIMESTAMPTZ '2025-01-01 01:30+05:30' AT TIME ZONE 'UTC' AS a, TIMESTAMPTZ '2025-12-31 23:00-15:59' AT TIME ZONE 'UTC' AS b, TIMESTAMPTZ '2025-03-01 10:00-00' AT TIME ZONE 'UTC' AS c, TIMESTAMPTZ '2025-03-01 10:00 UTC' AT TIME ZONE 'UTC' AS d
SELECT name FROM t WHERE creation_time BETWEEN '2025-03-01T00:00:00-05:00' AND '2025-06-30 23:59:59+02' ORDER BY _key -- pg: SELECT name FROM t WHERE creation_time BETWEEN (TIMESTAMPTZ '2025-03-01T00:00:00-05:00' AT TIME ZONE 'UTC') AND (TIMESTAMPTZ '2025-06-30 23:59:59+02' AT TIME ZONE 'UTC') ORDER BY _key
SELECT name FROM t WHERE creation_time IN ('2025-01-06 12:00:00+02:00', '2025-08-04T06:11:11.25-05') ORDER BY _key -- pg: SELECT name FROM t WHERE creation_time IN (TIMESTAMPTZ '2025-01-06 12:00:00+02:00' AT TIME ZONE 'UTC', TIMESTAMPTZ '2025-08-04T06:11:11.25-05' AT TIME ZONE 'UTC') ORDER BY _key
SELECT date_trunc('day', TIMESTAMP '2025-02-01 01:00+05:30') AS d, TIMESTAMP '2025-02-01 00:00+01' - TIMESTAMP '2025-02-01 00:00-01' AS gap -- pg: SELECT date_trunc('day', TIMESTAMPTZ '2025-02-01 01:00+05:30' AT TIME ZONE 'UTC') AS d, TIMESTAMPTZ '2025-02-01 00:00+01' - TIMESTAMPTZ '2025-02-01 00:00-01' AS gap
-- text read as a timestamp when the query runs: the same offsets
SELECT _key, CAST(to_char(creation_time + INTERVAL '2 hours', 'YYYY-MM-DD"T"HH24:MI:SS.MS') || '+02:00' AS TIMESTAMP) = creation_time AS same FROM t ORDER BY _key -- pg: SELECT _key, CAST(to_char(creation_time + INTERVAL '2 hours', 'YYYY-MM-DD"T"HH24:MI:SS.MS') || '+02:00' AS TIMESTAMPTZ) AT TIME ZONE 'UTC' = creation_time AS same FROM t ORDER BY _key
SELECT CAST(x AS TIMESTAMP) AS ts FROM (VALUES ('2025-02-01T00:00:00+02:00'), ('2025-02-01 00:00:00.5 -0930'), ('2025-02-01 10:00Z'), ('2025-02-01 10:00-00'), ('2025-02-01 10:00+0545'), ('2025-02-01')) AS v (x) ORDER BY 1 -- pg: SELECT CAST(x AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS ts FROM (VALUES ('2025-02-01T00:00:00+02:00'), ('2025-02-01 00:00:00.5 -0930'), ('2025-02-01 10:00Z'), ('2025-02-01 10:00-00'), ('2025-02-01 10:00+0545'), ('2025-02-01')) AS v (x) ORDER BY 1
-- offsets PostgreSQL refuses too
SELECT TIMESTAMP '2025-02-01 00:00+16' -- error: time zone displacement out of range
SELECT TIMESTAMP '2025-02-01 00:00+02:60' -- error: time zone displacement out of range
SELECT CAST(x AS TIMESTAMP) FROM (VALUES ('2025-02-01 00:00-16:00')) AS v (x) -- error: time zone displacement out of range
