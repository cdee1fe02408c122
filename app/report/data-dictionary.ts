import type pg from 'pg';

/** A mart relation and its columns, with the COMMENTs the migrations put on them. */
export interface DictionaryEntry {
  readonly name: string;
  readonly kind: 'table' | 'view' | 'materialized view';
  readonly comment: string | null;
  readonly columns: readonly { readonly name: string; readonly type: string; readonly comment: string | null }[];
}

/** Reads every table, view and materialised view of schema `mart` with its comments, in name order. */
export async function readMartDictionary(db: pg.ClientBase): Promise<DictionaryEntry[]> {
  const result = await db.query<{ relname: string; relkind: string; rel_comment: string | null; attname: string; type: string; col_comment: string | null }>(
    `SELECT c.relname, c.relkind, obj_description(c.oid, 'pg_class') AS rel_comment,
            a.attname, format_type(a.atttypid, a.atttypmod) AS type, col_description(c.oid, a.attnum) AS col_comment
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
     WHERE n.nspname = 'mart' AND c.relkind IN ('r', 'v', 'm')
     ORDER BY c.relname, a.attnum`,
  );
  const entries = new Map<string, { name: string; kind: DictionaryEntry['kind']; comment: string | null; columns: DictionaryEntry['columns'][number][] }>();
  for (const r of result.rows) {
    let entry = entries.get(r.relname);
    if (entry === undefined) {
      entry = { name: `mart.${r.relname}`, kind: r.relkind === 'r' ? 'table' : r.relkind === 'v' ? 'view' : 'materialized view', comment: r.rel_comment, columns: [] };
      entries.set(r.relname, entry);
    }
    entry.columns.push({ name: r.attname, type: r.type, comment: r.col_comment });
  }
  return [...entries.values()];
}

const cell = (s: string | null): string => (s ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The data dictionary as Markdown (docs/data-dictionary.md). */
export function dictionaryMarkdown(entries: readonly DictionaryEntry[]): string {
  const lines = [
    '# Data dictionary: schema `mart`',
    '',
    'Generated from the comments in the database by `npm run docs:dictionary`; do not edit by hand.',
    'Analysts connect with a login made by `lgsp analyst add <name>`, a member of `lgsp_analyst` (CONNECT on the warehouse and no other database of the project, USAGE on mart, SELECT on its objects, nothing on core or meta).',
    'How the indicators are computed: [indicators.md](indicators.md).',
    '',
    ...entries.map((e) => `- [${e.name}](#${e.name.replace('.', '')}) (${e.kind})`),
  ];
  for (const e of entries) {
    lines.push('', `## ${e.name}`, '', `*${e.kind}.* ${cell(e.comment)}`, '', '| column | type | meaning |', '|---|---|---|');
    for (const c of e.columns) lines.push(`| \`${c.name}\` | ${c.type} | ${cell(c.comment)} |`);
  }
  return `${lines.join('\n')}\n`;
}
