#!/bin/sh
# First start of the database (an empty volume): the roles of docs/operations.md, "Database
# roles and row-level security". POSTGRES_USER owns the tables (the migrate job connects
# as it); the API and the worker log in as voiceagents_api, a member of voiceagents_app,
# under row-level security. Migration 8 grants voiceagents_app what it may do.
set -eu
psql -v ON_ERROR_STOP=1 -v app_password="$APP_DATABASE_PASSWORD" \
    --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<'SQL'
CREATE ROLE voiceagents_app NOLOGIN;
CREATE ROLE voiceagents_api LOGIN PASSWORD :'app_password' IN ROLE voiceagents_app;
SQL
