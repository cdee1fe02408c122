import type { Knex } from 'knex';

/**
 * `core.citizen.vneid_level`: the population database's e-identification level (raw
 * `vn.lgsp.raw.population.Citizen` v2). Nullable and without a default, so adding it rewrites no
 * row: rows loaded before keep NULL until the citizen changes in the source (a replay of the same
 * messages changes nothing, by design of the merge).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE core.citizen ADD COLUMN vneid_level smallint CONSTRAINT citizen_vneid_level_check CHECK (vneid_level IN (1, 2));
    COMMENT ON COLUMN core.citizen.vneid_level IS 'Level of the citizen''s e-identification account (VNeID, Decree 59/2022/ND-CP): 1 registered in the app, 2 identity verified by the police (accepted by online public services in place of the ID card). NULL: no account, or not known yet: the row was loaded from a raw v1 message (written before the population database served the field, or by a connector not yet upgraded) and the citizen has not changed since.';
  `);
}
