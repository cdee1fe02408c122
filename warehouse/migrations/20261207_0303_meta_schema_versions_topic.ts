import type { Knex } from 'knex';

/**
 * `meta.schema_versions_seen` records which writer schema versions each pipeline has read *from
 * each topic* (key: pipeline, topic, fingerprint): during a change a topic carries two versions,
 * and when the older one's last_seen stops moving, every writer of that topic has moved on.
 *
 * Existing rows get the topic they were read from: the loads store a batch's offsets in the same
 * transaction as its schema versions, so the pipeline's raw topic of the schema's entity is in
 * meta.consumer_offsets (`<prefix>lgsp.raw.<source>.<entity>.v<N>`, the entity being the record
 * name in snake case: vn.lgsp.raw.onestop.DossierComponent → dossier_component; a pipeline reading
 * two versions of that topic gets the row for each). A row matching no such topic was not written
 * by a load; it is dropped, as it says nothing about a topic.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE meta.schema_versions_seen ADD COLUMN topic text;
    ALTER TABLE meta.schema_versions_seen DROP CONSTRAINT schema_versions_seen_pkey;
    INSERT INTO meta.schema_versions_seen (pipeline, topic, schema_name, version, fingerprint, first_seen, last_seen)
      SELECT s.pipeline, o.topic, s.schema_name, s.version, s.fingerprint, s.first_seen, s.last_seen
      FROM meta.schema_versions_seen s
      JOIN (SELECT DISTINCT pipeline, topic FROM meta.consumer_offsets) o ON o.pipeline = s.pipeline
       AND o.topic ~ ('lgsp\\.raw\\.' || split_part(s.schema_name, '.', 4) || '\\.'
                      || lower(regexp_replace(split_part(s.schema_name, '.', 5), '([a-z0-9])([A-Z])', '\\1_\\2', 'g')) || '\\.v[0-9]+$')
      WHERE s.topic IS NULL AND s.schema_name LIKE 'vn.lgsp.raw.%';
    DELETE FROM meta.schema_versions_seen WHERE topic IS NULL;
    ALTER TABLE meta.schema_versions_seen ALTER COLUMN topic SET NOT NULL;
    ALTER TABLE meta.schema_versions_seen ADD CONSTRAINT schema_versions_seen_pkey PRIMARY KEY (pipeline, topic, fingerprint);
    COMMENT ON TABLE meta.schema_versions_seen IS 'Writer schemas each pipeline has decoded, per topic it read them from (first and last time seen).';
    COMMENT ON COLUMN meta.schema_versions_seen.topic IS 'The raw topic the messages came from.';
  `);
}
