"""What the PostgreSQL engine adds to the schema, defined once for the migration and create_all.

A `search_vector` tsvector per searchable row, kept by triggers in the writing transaction
itself, so every write path (ORM, bulk inserts, SQL updates) stays in step:

- a prompt: a column of prompts, its title (weight A), then its intro and key points (C);
- a visible contribution: a row of `contribution_search` (hiding or deleting the contribution
  removes it), its body (C) and as context the title of the prompt it answers and of its key
  point (B), as the Whoosh documents carry them. A narrow table of its own, not a column of
  contributions, because ranking a common word reads every matching vector: through the wide
  contributions rows (body, HTML, counters) that cost four times as much at 100,000;
- a prompt title or key point change rewrites the vectors of the contributions that carry it.

`search_words` holds the unstemmed words of titles and bodies, for "did you mean" by trigram
similarity (pg_trgm). Status, usefulness, topic, tags and authors are read live from the tables.
Nothing here applies to SQLite, whose schema stays as it is.
"""

from __future__ import annotations

from sqlalchemy import DDL, event

# The words of stored, sanitized HTML: tags dropped, entities decoded except < and > which
# become spaces (the text search parser would take "<script>" written by an author for a tag
# and skip the word).
_PLAIN = """
CREATE OR REPLACE FUNCTION search_plain(html text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT replace(replace(replace(replace(replace(replace(
           regexp_replace(coalesce(html, ''), '<[^>]*>', ' ', 'g'),
         '&lt;', ' '), '&gt;', ' '), '&quot;', '"'), '&#39;', ''''), '&#x27;', ''''),
         '&amp;', '&')
$$
"""

_PROMPT_VECTOR = """
CREATE OR REPLACE FUNCTION search_prompt_vector(prompt_id integer, title text, intro_html text)
RETURNS tsvector LANGUAGE sql STABLE AS $$
  SELECT setweight(to_tsvector('english', coalesce(title, '')), 'A')
      || setweight(to_tsvector('english', search_plain(intro_html) || ' ' || coalesce(
           (SELECT string_agg(kp.title || '. ' || kp.body, ' ' ORDER BY kp.position)
              FROM key_points kp WHERE kp.prompt_id = $1), '')), 'C')
$$
"""

_CONTRIBUTION_VECTOR = """
CREATE OR REPLACE FUNCTION search_contribution_vector(
    prompt_id integer, key_point_id integer, body_html text)
RETURNS tsvector LANGUAGE sql STABLE AS $$
  SELECT setweight(to_tsvector('english', coalesce(
           (SELECT kp.title FROM key_points kp WHERE kp.id = $2), '') || ' ' || coalesce(
           (SELECT p.title FROM prompts p WHERE p.id = $1), '')), 'B')
      || setweight(to_tsvector('english', search_plain(body_html)), 'C')
$$
"""

_WORDS_OF = r"""
CREATE OR REPLACE FUNCTION search_remember_words(content text) RETURNS void
LANGUAGE sql VOLATILE AS $$
  INSERT INTO search_words (word)
  SELECT w FROM unnest(tsvector_to_array(to_tsvector('simple', content))) AS w
   WHERE length(w) BETWEEN 3 AND 40 AND w ~ '^\w+$' AND w !~ '[0-9_]'
  ON CONFLICT DO NOTHING
$$
"""

_PROMPT_TRIGGERS = """
CREATE OR REPLACE FUNCTION search_prompt_before() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_vector := search_prompt_vector(NEW.id, NEW.title, NEW.intro_html);
  RETURN NEW;
END $$;
CREATE OR REPLACE FUNCTION search_prompt_after() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.title IS DISTINCT FROM OLD.title THEN
    UPDATE contribution_search s
       SET search_vector = search_contribution_vector(c.prompt_id, c.key_point_id, c.body_html)
      FROM contributions c
     WHERE c.id = s.contribution_id AND c.prompt_id = NEW.id;
  END IF;
  PERFORM search_remember_words(NEW.title || ' ' || search_plain(NEW.intro_html));
  RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS search_prompt_before ON prompts;
CREATE TRIGGER search_prompt_before BEFORE INSERT OR UPDATE OF title, intro_html ON prompts
  FOR EACH ROW EXECUTE FUNCTION search_prompt_before();
DROP TRIGGER IF EXISTS search_prompt_after ON prompts;
CREATE TRIGGER search_prompt_after AFTER INSERT OR UPDATE OF title, intro_html ON prompts
  FOR EACH ROW EXECUTE FUNCTION search_prompt_after();
"""

# A visible contribution has a row in contribution_search; hiding or deleting it removes the row.
_CONTRIBUTION_TRIGGERS = """
CREATE OR REPLACE FUNCTION search_contribution_after() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status = 'visible' THEN
    INSERT INTO contribution_search (contribution_id, prompt_id, search_vector)
    VALUES (NEW.id, NEW.prompt_id,
            search_contribution_vector(NEW.prompt_id, NEW.key_point_id, NEW.body_html))
    ON CONFLICT (contribution_id) DO UPDATE
      SET prompt_id = EXCLUDED.prompt_id, search_vector = EXCLUDED.search_vector;
  ELSE
    DELETE FROM contribution_search WHERE contribution_id = NEW.id;
  END IF;
  IF TG_OP = 'INSERT' OR NEW.body_html IS DISTINCT FROM OLD.body_html THEN
    PERFORM search_remember_words(search_plain(NEW.body_html));
  END IF;
  RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS search_contribution_after ON contributions;
CREATE TRIGGER search_contribution_after
  AFTER INSERT OR UPDATE OF body_html, prompt_id, key_point_id, status ON contributions
  FOR EACH ROW EXECUTE FUNCTION search_contribution_after();
"""

# A key point is part of its prompt's text and of its contributions' context.
_KEY_POINT_TRIGGERS = """
CREATE OR REPLACE FUNCTION search_key_point_after() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  row key_points;
BEGIN
  IF TG_OP = 'DELETE' THEN row := OLD; ELSE row := NEW; END IF;
  UPDATE prompts p SET search_vector = search_prompt_vector(p.id, p.title, p.intro_html)
   WHERE p.id = row.prompt_id;
  IF TG_OP = 'UPDATE' AND NEW.title IS DISTINCT FROM OLD.title THEN
    UPDATE contribution_search s
       SET search_vector = search_contribution_vector(c.prompt_id, c.key_point_id, c.body_html)
      FROM contributions c
     WHERE c.id = s.contribution_id AND c.key_point_id = NEW.id;
  END IF;
  RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS search_key_point_after ON key_points;
CREATE TRIGGER search_key_point_after AFTER INSERT OR UPDATE OR DELETE ON key_points
  FOR EACH ROW EXECUTE FUNCTION search_key_point_after();
"""

# pg_trgm lives in one schema per database; its operator class is named through that schema.
# (No percent signs or colons in these statements: they pass through DDL and text().)
_WORDS_INDEX = """
DO $$
DECLARE
  home text;
BEGIN
  SELECT n.nspname INTO home FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
   WHERE e.extname = 'pg_trgm';
  EXECUTE 'CREATE INDEX IF NOT EXISTS ix_search_words_trgm ON search_words '
       || 'USING gin (word ' || quote_ident(home) || '.gin_trgm_ops)';
END $$
"""

UPGRADE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public",
    "ALTER TABLE prompts ADD COLUMN IF NOT EXISTS search_vector tsvector",
    "CREATE TABLE IF NOT EXISTS contribution_search ("
    " contribution_id integer PRIMARY KEY REFERENCES contributions (id) ON DELETE CASCADE,"
    " prompt_id integer NOT NULL, search_vector tsvector NOT NULL)",
    # Vectors kept in the row (compressed) rather than out of line: ranking a common word reads
    # thousands of them, and each out-of-line one costs a lookup of its own (2-3x slower).
    "ALTER TABLE contribution_search ALTER COLUMN search_vector SET STORAGE MAIN",
    "CREATE TABLE IF NOT EXISTS search_words (word text PRIMARY KEY)",
    _PLAIN,
    _PROMPT_VECTOR,
    _CONTRIBUTION_VECTOR,
    _WORDS_OF,
    _PROMPT_TRIGGERS,
    _CONTRIBUTION_TRIGGERS,
    _KEY_POINT_TRIGGERS,
    "CREATE INDEX IF NOT EXISTS ix_prompts_search ON prompts USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS ix_contribution_search_vector"
    " ON contribution_search USING gin (search_vector)",
    _WORDS_INDEX,
]

# Fill the vectors and the word list of rows written before the triggers existed.
BACKFILL = [
    "UPDATE prompts SET search_vector = search_prompt_vector(id, title, intro_html)",
    "DELETE FROM contribution_search",
    "INSERT INTO contribution_search (contribution_id, prompt_id, search_vector)"
    " SELECT id, prompt_id, search_contribution_vector(prompt_id, key_point_id, body_html)"
    " FROM contributions WHERE status = 'visible'",
    "SELECT search_remember_words(title || ' ' || search_plain(intro_html)) FROM prompts",
    "SELECT search_remember_words(search_plain(body_html)) FROM contributions",
]

DOWNGRADE = [
    "DROP TRIGGER IF EXISTS search_key_point_after ON key_points",
    "DROP TRIGGER IF EXISTS search_contribution_after ON contributions",
    "DROP TRIGGER IF EXISTS search_prompt_after ON prompts",
    "DROP TRIGGER IF EXISTS search_prompt_before ON prompts",
    "DROP FUNCTION IF EXISTS search_key_point_after()",
    "DROP FUNCTION IF EXISTS search_contribution_after()",
    "DROP FUNCTION IF EXISTS search_prompt_after()",
    "DROP FUNCTION IF EXISTS search_prompt_before()",
    "DROP FUNCTION IF EXISTS search_remember_words(text)",
    "DROP FUNCTION IF EXISTS search_contribution_vector(integer, integer, text)",
    "DROP FUNCTION IF EXISTS search_prompt_vector(integer, text, text)",
    "DROP FUNCTION IF EXISTS search_plain(text)",
    "DROP TABLE IF EXISTS search_words",
    "DROP TABLE IF EXISTS contribution_search",
    "DROP INDEX IF EXISTS ix_prompts_search",
    "ALTER TABLE prompts DROP COLUMN IF EXISTS search_vector",
    # pg_trgm stays: other schemas of the same database may use it.
]


def install(metadata) -> None:
    """Run UPGRADE after create_all on PostgreSQL (the migration runs it for `db upgrade`)."""
    if getattr(metadata, "_search_ddl_installed", False):
        return
    metadata._search_ddl_installed = True
    for statement in UPGRADE:
        event.listen(metadata, "after_create", DDL(statement).execute_if(dialect="postgresql"))


OBJECTS = {
    "table": {"search_words", "contribution_search"},
    "column": {"search_vector"},
    "index": {"ix_prompts_search", "ix_search_words_trgm"},
}


def include_object(_object, name, type_, reflected, _compare_to) -> bool:
    """For Alembic autogenerate: what this module creates is not the models' business."""
    return not (reflected and name in OBJECTS.get(type_, ()))
