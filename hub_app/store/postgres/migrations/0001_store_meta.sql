-- The store's own tables; each declared kind's table is made from its declaration (postgres/schema.py).
CREATE TABLE hub_meta (key text PRIMARY KEY, value text NOT NULL);
INSERT INTO hub_meta (key, value) VALUES ('database_id', gen_random_uuid()::text);

-- Every row of every kind takes its position from hub_seq while the writer holds the store's advisory
-- lock, so positions follow commit order and a log cursor (the last position read) never skips an entry.
CREATE SEQUENCE hub_seq;

-- A kind's revision: a fresh value of hub_revision (never handed out twice) with every write to it.
CREATE SEQUENCE hub_revision;
CREATE TABLE hub_versions (table_name text PRIMARY KEY, version bigint NOT NULL);

-- The declaration (key and indexes) each kind's table was made for.
CREATE TABLE hub_kinds (table_name text PRIMARY KEY, layout jsonb NOT NULL);
