-- TurboFarm's database roles and database, made once per PostgreSQL cluster by a superuser (or a
-- role with CREATEROLE and CREATEDB), before the coordinator first starts:
--
--   psql -h HOST -U postgres -v owner_password=... -v app_password=... -v analyst_password=... \
--        -f db/src/main/resources/db/bootstrap/roles.sql
--
-- turbofarm_owner    owns the database and every object; Flyway runs the migrations as it
--                    (quarkus.flyway.username / QUARKUS_FLYWAY_PASSWORD)
-- turbofarm_app      the coordinator's pool (quarkus.datasource.username /
--                    QUARKUS_DATASOURCE_PASSWORD): rows only, granted by migration V25
-- turbofarm_analyst  SELECT on the history views only (image_history), for SQL clients
--
-- Re-running it is harmless: existing roles get the given passwords, nothing else changes.
-- ./farm up and the tests make the same roles in their embedded PostgreSQL
-- (embedded/.../DatabaseRoles.java); docker-compose.yml runs this file at the database's first start.
\set ON_ERROR_STOP on

SELECT format('CREATE ROLE turbofarm_owner LOGIN PASSWORD %L', :'owner_password')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'turbofarm_owner') \gexec
SELECT format('CREATE ROLE turbofarm_app LOGIN PASSWORD %L', :'app_password')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'turbofarm_app') \gexec
SELECT format('CREATE ROLE turbofarm_analyst LOGIN PASSWORD %L', :'analyst_password')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'turbofarm_analyst') \gexec
SELECT format('ALTER ROLE turbofarm_owner PASSWORD %L', :'owner_password') \gexec
SELECT format('ALTER ROLE turbofarm_app PASSWORD %L', :'app_password') \gexec
SELECT format('ALTER ROLE turbofarm_analyst PASSWORD %L', :'analyst_password') \gexec

SELECT 'CREATE DATABASE turbofarm OWNER turbofarm_owner'
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'turbofarm') \gexec
ALTER DATABASE turbofarm OWNER TO turbofarm_owner;
REVOKE ALL ON DATABASE turbofarm FROM PUBLIC;
GRANT CONNECT ON DATABASE turbofarm TO turbofarm_app, turbofarm_analyst;

\connect turbofarm
-- The owner owns the schema, so its migrations create there and take CREATE away from the rest.
ALTER SCHEMA public OWNER TO turbofarm_owner;

-- A database that one role ran until now (before issue 10): its objects go to the owner, so the
-- next migrations (run as the owner) may change them.
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN
        SELECT c.oid::regclass AS name,
               CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                              WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END AS kind
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
           AND pg_get_userbyid(c.relowner) <> 'turbofarm_owner'
           -- sequences that belong to a column move with their table
           AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))
    LOOP
        EXECUTE format('ALTER %s %s OWNER TO turbofarm_owner', r.kind, r.name);
    END LOOP;
    FOR r IN
        SELECT p.oid::regprocedure AS name
          FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> 'turbofarm_owner'
    LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO turbofarm_owner', r.name);
    END LOOP;
END $$;
