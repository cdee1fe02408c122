-- Analysts read the mart and nothing else. Roles are cluster-wide while the mart is per database,
-- and several databases (tests run in parallel) may migrate at once: creating the role tolerates
-- both "already exists" and the race in which two sessions insert it together.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'lgsp_analyst') THEN
    CREATE ROLE lgsp_analyst NOLOGIN;
  END IF;
EXCEPTION
  WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;

GRANT USAGE ON SCHEMA mart TO lgsp_analyst;
GRANT SELECT ON ALL TABLES IN SCHEMA mart TO lgsp_analyst;
-- Mart objects created by later migrations are readable too.
ALTER DEFAULT PRIVILEGES IN SCHEMA mart GRANT SELECT ON TABLES TO lgsp_analyst;
-- Nothing on the rest of the warehouse, whatever was granted before.
REVOKE ALL ON ALL TABLES IN SCHEMA core FROM lgsp_analyst;
REVOKE ALL ON ALL TABLES IN SCHEMA meta FROM lgsp_analyst;
REVOKE ALL ON SCHEMA core FROM lgsp_analyst;
REVOKE ALL ON SCHEMA meta FROM lgsp_analyst;
