/**
 * The documents of a dossier, with the ground truth (held by the state? handed in again?) and
 * the flags the one-stop system records (DOMAIN.md: DuocSoHoa, DuocTaiSuDung, DuocLayTuKhoDMQG,
 * MaKetQuaThayThe). The flags disagree with the truth the way real systems do:
 *  - under-flagging: a document taken from a store is not flagged re-used (integration gaps;
 *    ~33% in 2021 falling to ~11% in 2025, worse at weaker agencies);
 *  - over-flagging: a document the applicant brought again is flagged re-used anyway (KPI
 *    pressure from 2023, up to ~16% of such components in 2025);
 *  - `fromNationalStore` mostly follows `reused` for national-store documents, sometimes set alone;
 *  - `replacementResultCode` is left empty for ~15% of earlier results actually re-used.
 */
import type { WorldContext } from './context.js';
import type { DossierComponent, HolderKind, RequiredDocument } from './types.js';
import type { DossierHead } from './dossier-head.js';
import type { DossierTiming } from './dossier-timing.js';
import { Rng } from './prng.js';
import { pDigitiseComponent, pNoResupply, pOverFlag, pUnderFlag } from './dossier-trends.js';
import { STREAM } from './streams.js';

function holderFor(head: DossierHead, doc: RequiredDocument, linked: boolean): HolderKind | null {
  switch (doc.heldBy) {
    case 'national:population':
      return 'national:population'; // every applicant (or legal representative) is in the population DB
    case 'national:business':
      return head.applicant.kind === 'business' ? 'national:business' : null;
    case 'national:land':
      return head.procedure.applicantSource === 'landOwner' ? 'national:land' : null;
    case 'national:insurance':
      return head.procedure.applicantSource === 'insured' ? 'national:insurance' : null;
    case 'earlier-result':
      return linked ? 'earlier-result' : null;
    case null:
      return null;
  }
}

export function dossierComponents(ctx: WorldContext, head: DossierHead, timing: DossierTiming): DossierComponent[] {
  const rng = new Rng(ctx.seed, STREAM.component, head.day, head.k);
  const e = timing.effects;
  const online = timing.channel === 'online';
  const chosen: { doc: RequiredDocument; heldBy: HolderKind | null; earlier: string | null }[] = [];
  for (const doc of head.procedure.requiredDocuments) {
    const linked = head.followUpOf !== null && doc.resultOfProcedure === head.followUpOf.procedureCode;
    if (doc.optional && !linked && !rng.chance(0.4)) continue;
    chosen.push({ doc, heldBy: holderFor(head, doc, linked), earlier: linked ? (head.followUpOf?.dossierCode ?? null) : null });
  }
  // Re-supply is decided per dossier first (the applicant was or was not spared), then per document.
  const held = chosen.filter((c) => c.heldBy !== null).length;
  const spared = rng.chance(pNoResupply(e, online));
  const resupplied = chosen.map((c) => c.heldBy !== null && !spared && rng.chance(0.7));
  if (held > 0 && !spared && !resupplied.some(Boolean)) {
    const last = chosen.map((c) => c.heldBy !== null).lastIndexOf(true);
    resupplied[last] = true;
  }
  const underFlag = pUnderFlag(e);
  const overFlag = pOverFlag(e);
  // Scanning is a counter practice, so it is decided per dossier (a counter scans all or nothing).
  const scanned = online || rng.chance(pDigitiseComponent(e));
  return chosen.map((c, i) => {
    const again = resupplied[i] ?? false;
    const fromStore = c.heldBy !== null && !again;
    const national = c.heldBy !== null && c.heldBy.startsWith('national:');
    const reused = fromStore ? !rng.chance(underFlag) : c.heldBy !== null ? rng.chance(overFlag) : rng.chance(0.004);
    return {
      dossierCode: head.dossierCode,
      seq: i + 1,
      documentType: c.doc.documentType,
      heldByState: c.heldBy !== null,
      heldBy: c.heldBy,
      earlierResultCode: c.earlier,
      resupplied: again,
      flags: {
        digitised: fromStore || rng.chance(scanned ? 0.985 : 0.05),
        reused,
        fromNationalStore: national && (fromStore ? reused || rng.chance(0.3) : reused && rng.chance(0.5)),
        replacementResultCode: fromStore && c.earlier !== null && rng.chance(0.85) ? c.earlier : null,
      },
    };
  });
}
