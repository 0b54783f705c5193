#!/bin/sh
# Once per cluster (deploy/production/compose.yaml's `bootstrap`): the owner of the tables, the
# service's role and the database, each only if missing (docs/operations.md "Two database
# roles"). Run as the superuser on the primary, through HAProxy; the passwords come from the
# environment (read by psql itself: not on a command line that `ps` shows) into psql
# variables, quoted as literals by format(%L), never pasted into SQL text.
set -eu
until pg_isready -q; do sleep 1; done
psql -v ON_ERROR_STOP=1 -v owner="$SIJILL_OWNER_ROLE" -v app="$SIJILL_APP_ROLE" \
     -v database="$SIJILL_DATABASE" -d postgres <<'SQL'
\getenv owner_password SIJILL_OWNER_PASSWORD
\getenv app_password SIJILL_APP_PASSWORD
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'owner', :'owner_password')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'owner') \gexec
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'app', :'app_password')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'app') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'database', :'owner')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'database') \gexec
SQL
echo "roles $SIJILL_OWNER_ROLE, $SIJILL_APP_ROLE and database $SIJILL_DATABASE ready"
