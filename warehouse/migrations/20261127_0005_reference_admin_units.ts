import { readFile } from 'node:fs/promises';
import type { Knex } from 'knex';

interface ReferenceFile {
  readonly adminUnits: readonly {
    code: string;
    name: string;
    level: string;
    parentCode: string | null;
    validFrom: string;
    validTo: string | null;
    invented: boolean;
  }[];
  readonly unitMappings: readonly { oldCode: string; newCode: string; validFrom: string }[];
}

/**
 * Loads the administrative units and the 2025 mapping from `warehouse/reference/admin-units.json`
 * (exported once from the world and committed: the warehouse never depends on the simulator).
 * The file gives the last valid day; the warehouse stores exclusive `valid_to`, so one day is added.
 */
export async function up(knex: Knex): Promise<void> {
  const file = new URL('../reference/admin-units.json', import.meta.url);
  const reference = JSON.parse(await readFile(file, 'utf8')) as ReferenceFile;
  await knex.raw(
    `INSERT INTO core.admin_unit (unit_code, valid_from, valid_to, name, level, parent_code, invented)
     SELECT u.code, u.valid_from::date, u.valid_to::date + 1, u.name, u.level, u.parent_code, u.invented
     FROM json_to_recordset(?::json) AS u(code text, valid_from text, valid_to text, name text, level text, parent_code text, invented boolean)`,
    [
      JSON.stringify(
        reference.adminUnits.map((u) => ({ code: u.code, valid_from: u.validFrom, valid_to: u.validTo, name: u.name, level: u.level, parent_code: u.parentCode, invented: u.invented })),
      ),
    ],
  );
  await knex.raw(
    `INSERT INTO core.admin_unit_mapping (old_code, new_code, valid_from)
     SELECT m.old_code, m.new_code, m.valid_from::date FROM json_to_recordset(?::json) AS m(old_code text, new_code text, valid_from text)`,
    [JSON.stringify(reference.unitMappings.map((m) => ({ old_code: m.oldCode, new_code: m.newCode, valid_from: m.validFrom })))],
  );
}
