#!/bin/bash
# The postgres image runs this once, at the database's first start (docker-compose.yml): the
# TurboFarm roles with the passwords from the environment, then the database handed to its owner.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner_password="$TURBOFARM_DB_OWNER_PASSWORD" \
  -v app_password="$TURBOFARM_DB_APP_PASSWORD" \
  -v analyst_password="$TURBOFARM_DB_ANALYST_PASSWORD" \
  -f /bootstrap/roles.sql
