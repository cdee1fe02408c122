/**
 * Writes a world as NDJSON files (one per entity, dossier components in their own file) plus
 * truth.json — e.g. to bulk-load the sim PostgreSQL store with COPY.
 *   npx tsx simulator/world/export.ts --scale 0.01 --out /tmp/world [--seed 1] [--as-of 2025-12-31]
 */
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { computeTruth, createWorld } from './index.js';

const { values } = parseArgs({
  options: { scale: { type: 'string', default: '0.01' }, seed: { type: 'string', default: '1' }, 'as-of': { type: 'string' }, out: { type: 'string' } },
});
if (values.out === undefined) throw new Error('--out <directory> is required');
const out = values.out;
mkdirSync(out, { recursive: true });
const world = createWorld({ seed: Number(values.seed), scale: Number(values.scale), ...(values['as-of'] === undefined ? {} : { asOf: values['as-of'] }) });

/** Buffered line writer: synchronous, so memory stays flat however large the file. */
class NdjsonFile {
  private readonly fd: number;
  private buffer: string[] = [];
  private size = 0;
  count = 0;

  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }

  write(record: unknown): void {
    const line = `${JSON.stringify(record)}\n`;
    this.buffer.push(line);
    this.size += line.length;
    this.count++;
    if (this.size > 1 << 20) this.flush();
  }

  flush(): void {
    if (this.buffer.length > 0) writeSync(this.fd, this.buffer.join(''));
    this.buffer = [];
    this.size = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

function dump(name: string, records: Iterable<unknown>): void {
  const file = new NdjsonFile(join(out, `${name}.ndjson`));
  for (const record of records) file.write(record);
  file.close();
  console.log(`${name}: ${file.count}`);
}

dump('admin-units', world.adminUnits());
dump('unit-mappings', world.unitMappings());
dump('procedures', world.procedures());
dump('agencies', world.agencies());
dump('citizens', world.citizens());
dump('businesses', world.businesses());
dump('insurance-participants', world.insuranceParticipants());
dump('land-parcels', world.landParcels());
const dossiers = new NdjsonFile(join(out, 'dossiers.ndjson'));
const components = new NdjsonFile(join(out, 'dossier-components.ndjson'));
for (const record of world.dossiers()) {
  dossiers.write(record.dossier);
  for (const c of record.components) components.write(c);
}
dossiers.close();
components.close();
console.log(`dossiers: ${dossiers.count}, components: ${components.count}`);
writeFileSync(join(out, 'truth.json'), `${JSON.stringify(computeTruth(world), null, 2)}\n`);
console.log(`truth.json written to ${out}`);
