/**
 * Exports the administrative units and the 2025 reorganisation mapping from the simulated world
 * into `admin-units.json`, the reference data the warehouse migration loads. Run it when the list
 * changes and commit the JSON — the warehouse itself never imports the simulator:
 *   npx tsx simulator/world/export-admin-units.ts
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createWorld } from './index.js';

const world = createWorld({ seed: 1, scale: 0.001 });
const reference = {
  source: 'simulator/world/admin-units.ts (GSO codes of Trà Vinh before 2025-07-01; new units invented, see that file)',
  adminUnits: [...world.adminUnits()],
  unitMappings: [...world.unitMappings()],
};
const out = fileURLToPath(new URL('../../warehouse/reference/admin-units.json', import.meta.url));
writeFileSync(out, `${JSON.stringify(reference, null, 1)}\n`);
process.stdout.write(`${reference.adminUnits.length} units, ${reference.unitMappings.length} mappings → ${out}\n`);
