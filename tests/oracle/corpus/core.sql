-- Oracle corpus: one query a line; each runs in ddsql_lite and in PostgreSQL 15 over
-- the same rows and must give the same answer (tests/test_oracle.py). `FROM t` stands
-- for `FROM aws.sagemaker_inference_experiment AS t`.
SELECT name, tags->'team' FROM t ORDER BY _key
SELECT name, tags->'no-such-key' FROM t ORDER BY _key
SELECT name, tags->'cost-center' FROM t WHERE tags->'cost-center' IS NOT NULL ORDER BY _key
SELECT name, tags->'Cost Center' FROM t ORDER BY _key
SELECT tags->'team' AS team, count(*) FROM t GROUP BY 1 ORDER BY 1
SELECT count(*) FROM t WHERE tags->'team' = 'fraud,ml-platform'
SELECT count(*) FROM t WHERE tags->'team' LIKE '%ml-platform%'
SELECT name FROM t WHERE tags->'env' = 'prod' AND tags->'region' = 'us-east-1' ORDER BY _key
SELECT lower(tags->'owner'), upper(tags->'env') FROM t ORDER BY _key
SELECT coalesce(tags->'ttl', 'none') AS ttl FROM t ORDER BY _key
SELECT length(tags->'team') FROM t ORDER BY _key
SELECT tags->'aws_account', account_id FROM t ORDER BY _key
SELECT t.tags->'aws:cloudformation:stack-name' FROM t ORDER BY t._key
SELECT x.tags->'team' FROM t AS x ORDER BY x._key
SELECT tags->'' FROM t ORDER BY _key
-- JSON paths: nested, array index, negative index, out of range, missing key.
SELECT name, json_extract_path_text(endpoint_metadata, 'endpoint_name') FROM t ORDER BY _key
SELECT json_extract_path_text(model_variants, '0', 'infrastructure_config', 'real_time_inference_config', 'instance_type') FROM t ORDER BY _key
SELECT json_extract_path_text(model_variants, '-1', 'model_name') FROM t ORDER BY _key
SELECT json_extract_path_text(model_variants, '5', 'model_name') FROM t ORDER BY _key
SELECT json_extract_path_text(model_variants, '-5', 'model_name') FROM t ORDER BY _key
SELECT json_extract_path_text(model_variants, 'model_name') FROM t ORDER BY _key
SELECT json_extract_path_text(endpoint_metadata, 'missing') FROM t ORDER BY _key
SELECT json_extract_path_text(endpoint_metadata, 'endpoint_name', 'deeper') FROM t ORDER BY _key
SELECT json_extract_path(model_variants, '0') FROM t ORDER BY _key
SELECT json_extract_path(shadow_mode_config, 'shadow_model_variants') FROM t ORDER BY _key
SELECT json_extract_path_text(shadow_mode_config, 'shadow_model_variants', '0', 'sampling_percentage') FROM t ORDER BY _key
SELECT json_extract_path_text(data_storage_config, 'content_type', 'csv_content_types', '0') FROM t ORDER BY _key
SELECT json_extract_path_text(schedule, 'start_time'), json_extract_path_text(schedule, 'end_time') FROM t ORDER BY _key
SELECT json_extract_path_text(data_storage_config, 'destination'), data_storage_config->'content_type'->'json_content_types'->>0 FROM t ORDER BY _key
SELECT CAST('{"0": "zero", "-1": "m"}' AS json)->'0', CAST('{"0": "zero", "-1": "m"}' AS json)->>'-1', CAST('[5, 6]' AS json)->>'-1', CAST('[5, 6]' AS json)->>'', CAST('{"": 1}' AS json)->>''
SELECT model_variants->0->>'model_name', model_variants->-1->>'variant_name' FROM t ORDER BY _key
SELECT model_variants->7, model_variants->'0', endpoint_metadata->0 FROM t ORDER BY _key
SELECT model_variants->1->'infrastructure_config'->'real_time_inference_config'->>'instance_count' FROM t ORDER BY _key
SELECT shadow_mode_config #>> '{shadow_model_variants,0,shadow_model_variant_name}' FROM t ORDER BY _key
SELECT shadow_mode_config #> '{shadow_model_variants,-1}' FROM t ORDER BY _key
SELECT endpoint_metadata->>'endpoint_status', count(*) FROM t GROUP BY 1 ORDER BY 1
SELECT lower(endpoint_metadata->>'endpoint_status') FROM t ORDER BY _key
SELECT coalesce(data_storage_config->>'kms_key', 'none') FROM t ORDER BY _key
SELECT name FROM t WHERE json_extract_path_text(endpoint_metadata, 'endpoint_status') = 'InService' ORDER BY _key
-- JSON null vs SQL NULL, keys with any characters, '0' as an object key.
SELECT json_extract_path_text(CAST('{"a": null}' AS json), 'a') IS NULL, json_extract_path(CAST('{"a": null}' AS json), 'a') IS NULL
SELECT json_extract_path(CAST('{"a": null}' AS json), 'a')
SELECT json_extract_path_text(CAST('{"0": "zero", "": "empty", "a.b": 1, "x/y~z": 2, "$": 3, "*": 4, " s ": 5}' AS json), '0')
SELECT json_extract_path_text(CAST('{"0": "zero", "": "empty"}' AS json), '')
SELECT json_extract_path_text(CAST('{"a.b": 1, "x/y~z": 2, "$": 3, "*": 4, " s ": 5, "q\"q": 6}' AS json), 'a.b', 'x'), json_extract_path_text(CAST('{"x/y~z": 2}' AS json), 'x/y~z')
SELECT json_extract_path_text(CAST('{"$": 3, "*": 4, " s ": 5, "q\"q": 6}' AS json), '$'), json_extract_path_text(CAST('{"*": 4}' AS json), '*'), json_extract_path_text(CAST('{" s ": 5}' AS json), ' s '), json_extract_path_text(CAST('{"q\"q": 6}' AS json), 'q"q')
SELECT json_extract_path_text(CAST('[10, 20, 30]' AS json), '0'), json_extract_path_text(CAST('[10, 20, 30]' AS json), '-1'), json_extract_path_text(CAST('[10, 20, 30]' AS json), '3'), json_extract_path_text(CAST('[10, 20, 30]' AS json), '-4')
SELECT json_extract_path_text(CAST('{"-1": "key"}' AS json), '-1'), json_extract_path_text(CAST('{"01": "key"}' AS json), '01'), json_extract_path_text(CAST('[1, 2]' AS json), '01')
SELECT json_extract_path_text(CAST('"scalar"' AS json), 'a'), json_extract_path_text(CAST('5' AS json), '0'), json_extract_path_text(CAST('{"a": "x"}' AS json), 'a', 'b')
SELECT json_extract_path_text(CAST('{"a":{"b":[1,{"c":true}]}}' AS json), 'a', 'b', '1', 'c'), json_extract_path_text(CAST('{"a":{"b":[1,{"c":true}]}}' AS json), 'a', 'b')
SELECT CAST('[1,2]' AS json)->0, CAST('{"0": 1}' AS json)->0, CAST('[1,2]' AS json)->'0', CAST('[1,2]' AS json)->>-2
SELECT CAST('{"a": [1, "two", null]}' AS json) #>> '{a,1}', CAST('{"a": [1, "two", null]}' AS json) #>> '{a,2}', CAST('{"a": [1, "two", null]}' AS json) #> '{a,2}'
-- The basics every query above leans on.
SELECT count(*) FROM t
SELECT count(*) FROM aws_sagemaker_inference_experiment
SELECT status, count(*) FROM t GROUP BY status ORDER BY status
SELECT account_id, count(DISTINCT status) FROM t GROUP BY 1 ORDER BY 1
SELECT name, creation_time, completion_time, last_modified_time FROM t ORDER BY _key
SELECT name FROM t WHERE completion_time IS NULL ORDER BY _key
SELECT name FROM t WHERE creation_time > '2025-06-01' ORDER BY creation_time, _key
SELECT min(creation_time), max(last_modified_time) FROM t
SELECT name, description, status_reason, role_arn, type FROM t ORDER BY _key
-- `/` never truncates (docs/dialect.md, "Operators that differ from PostgreSQL").
SELECT 5 / 2, 7 / 7, 1 / 3.0, -7 / 2 -- ddsql: [(2.5, 1.0, 0.3333333333333333, -3.5)]
SELECT 1 / 3.0, 7.5 / 2.5, 10 % 3, -10 % 3
SELECT name FROM t WHERE name LIKE 'fraud%' ORDER BY name, _key
SELECT status FROM t WHERE status NOT IN ('Running', 'Completed') ORDER BY _key
SELECT upper(name) || '/' || status FROM t ORDER BY _key LIMIT 5 OFFSET 3
SELECT * FROM t ORDER BY _key
SELECT json_extract_path_text(schedule) FROM t -- error: at least one path step
