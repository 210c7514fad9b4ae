-- Three database roles instead of one (issue 10): the migration owner runs these migrations and
-- owns every object; the runtime role the coordinator's pool logs in as reads and writes rows and
-- nothing else (no DDL: it owns nothing, so it cannot DROP or ALTER a table); the analyst role reads
-- the history views only (never a table such as job). The roles themselves are made once per
-- PostgreSQL cluster by db/bootstrap/roles.sql (or by ./farm up and the tests for their embedded
-- PostgreSQL); their names come from the Flyway placeholders runtime_role and analyst_role.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${runtime_role}') THEN
        RAISE EXCEPTION 'database role "${runtime_role}" (quarkus.datasource.username) does not exist: create the roles with db/bootstrap/roles.sql first (db/README.md)';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${analyst_role}') THEN
        RAISE EXCEPTION 'database role "${analyst_role}" (quarkus.flyway.placeholders.analyst_role) does not exist: create the roles with db/bootstrap/roles.sql first (db/README.md)';
    END IF;
END $$;

-- Only the owner creates objects in the schema (PostgreSQL 14 and older let every role create).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO "${runtime_role}", "${analyst_role}";

-- The runtime role: rows of every table, now and in every later migration (default privileges of
-- the owner, who runs them), but not the migration history.
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "${runtime_role}";
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO "${runtime_role}";
ALTER DEFAULT PRIVILEGES IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "${runtime_role}";
ALTER DEFAULT PRIVILEGES IN SCHEMA public
    GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO "${runtime_role}";
REVOKE INSERT, UPDATE, DELETE ON "${flyway:table}" FROM "${runtime_role}";

-- Functions are PUBLIC-executable by default; a summary an analyst reads is refreshed by the
-- runtime role only through a SECURITY DEFINER function the owner defines (db/README.md), never by
-- owning the summary. The analyst role gets SELECT on each history view in that view's own R__ file.
