-- A company's and an application's region is stored as a code ("Greater China" -> "china"); the words are
-- chosen when it is shown. Tables are made when their kind is first used, so either may not exist yet.
DO $$
DECLARE
  name text;
BEGIN
  FOREACH name IN ARRAY ARRAY['companies', 'applications'] LOOP
    IF to_regclass(name) IS NOT NULL THEN
      EXECUTE format($f$
        UPDATE %I SET doc = jsonb_set(doc::jsonb, '{region}', to_jsonb(
          CASE lower(btrim(doc->>'region'))
            WHEN 'asia pacific' THEN 'apac' WHEN 'apac' THEN 'apac'
            WHEN 'greater china' THEN 'china' WHEN 'china' THEN 'china'
            WHEN 'europe, middle east and africa' THEN 'emea' WHEN 'emea' THEN 'emea'
            WHEN 'americas' THEN 'amer' WHEN 'amer' THEN 'amer'
            WHEN 'north america' THEN 'na' WHEN 'latin america' THEN 'latam'
          END))::json
        WHERE lower(btrim(doc->>'region')) IN ('asia pacific', 'apac', 'greater china', 'china',
          'europe, middle east and africa', 'emea', 'americas', 'amer', 'north america', 'latin america')
          AND doc->>'region' IS DISTINCT FROM lower(btrim(doc->>'region'))
      $f$, name);
      EXECUTE format('UPDATE hub_versions SET version = nextval(''hub_revision'') WHERE table_name = %L', name);
    END IF;
  END LOOP;
END $$;
