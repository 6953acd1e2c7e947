// What the ledger seals, as data: for each kind of entry, how the current rows of the sealed entity are
// read into items (a ref, the content whose digest is sealed, a label for the report). Sealing and checking
// both read through here, so the check recomputes exactly what was sealed. Each content holds only what
// cannot change once the run is published: the run's state (published → superseded), a round's closing,
// a case's progress and an attachment's links are left out, so that a legitimate later step is no alarm.
import type { Executor } from '../db/database.ts';
import { parsedJson } from './canonical.ts';

export interface SealedItem {
  content: unknown;
  /** How a report names the item: '990102 第2区, final result'. */
  label: string;
  /** A stored file whose bytes must still hash to its name (photos), checked beside the item. */
  file?: { attachmentId: number; storageKey: string; sha256: string };
}

export interface SealedKind {
  zh: string;
  /** The items of the entity as the database holds them now, by ref. */
  collect(db: Executor, entityRef: string): Promise<Map<string, SealedItem>>;
}

/** A JSON column as data; text that no longer parses is kept as text, so its digest differs and names it. */
const json = (text: string | null): unknown => {
  try {
    return parsedJson(text);
  } catch {
    return { unparsable: text };
  }
};

/** IN lists in pieces: a month's findings or a range's rows can outnumber a statement's parameters. */
async function inChunks<T>(ids: number[], read: (chunk: number[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += 1000) out.push(...await read(ids.slice(i, i + 1000)));
  return out;
}

const runOf = (db: Executor, entityRef: string) =>
  db.selectFrom('evaluation_runs').selectAll().where('id', '=', Number(entityRef)).executeTakeFirst();

async function resultItems(db: Executor, entityRef: string): Promise<Map<string, SealedItem>> {
  const items = new Map<string, SealedItem>();
  const run = await runOf(db, entityRef);
  if (!run) return items;
  items.set('run', {
    label: `run ${run.id} (${run.scheme_code} ${run.period_code} version ${run.version})`,
    content: {
      id: run.id, schemeId: run.scheme_id, schemeCode: run.scheme_code, periodCode: run.period_code, version: run.version, supersedesId: run.supersedes_id,
      reason: run.reason, appealDeadline: run.appeal_deadline, createdAt: run.created_at, createdBy: run.created_by, publishedAt: run.published_at,
      // Published stays true when a correction supersedes it; a run taken back to a draft behind the app's back does not.
      published: run.state === 'published' || run.state === 'superseded',
    },
  });
  const rows = await db.selectFrom('evaluation_results').selectAll().where('run_id', '=', run.id).orderBy('stage').orderBy('unit_node_id').execute();
  for (const r of rows) {
    const breakdown = json(r.breakdown) as { unit?: { code?: string; name?: string } } | null;
    items.set(`${r.stage}/unit:${r.unit_node_id}`, {
      label: `${[breakdown?.unit?.code ?? `unit node ${r.unit_node_id}`, breakdown?.unit?.name].filter(Boolean).join(' ')}, ${r.stage} result`,
      content: { stage: r.stage, unitNodeId: r.unit_node_id, total: r.total, place: r.place, rank: r.rank, tied: r.tied, amountFen: r.amount_fen, breakdown },
    });
  }
  return items;
}

async function evidenceItems(db: Executor, entityRef: string): Promise<Map<string, SealedItem>> {
  const items = new Map<string, SealedItem>();
  const run = await runOf(db, entityRef);
  if (!run) return items;
  const scheme = await db.selectFrom('evaluation_schemes').selectAll().where('id', '=', run.scheme_id).executeTakeFirst();
  if (scheme) {
    items.set(`scheme:${scheme.id}`, {
      label: `scheme ${scheme.code} version ${scheme.version}`,
      content: { id: scheme.id, code: scheme.code, version: scheme.version, name: scheme.name, year: scheme.year, parentNodeId: scheme.parent_node_id, definition: json(scheme.definition), reason: scheme.reason, createdAt: scheme.created_at, createdBy: scheme.created_by },
    });
  }
  // The month's rounds: their draw (seed, points, evaluators) is what the inspection score is normalised by.
  const rounds = await db.selectFrom('inspection_rounds as r').innerJoin('evaluation_schemes as s', 's.id', 'r.scheme_id').selectAll('r')
    .where('s.code', '=', run.scheme_code).where('r.period_code', '=', run.period_code).orderBy('r.id').execute();
  const roundIds = rounds.map((r) => r.id);
  const points = await inChunks(roundIds, (ids) => db.selectFrom('inspection_points').selectAll().where('round_id', 'in', ids).orderBy('id').execute());
  for (const r of rounds) {
    items.set(`round:${r.id}`, {
      label: `inspection round ${r.id} (${r.period_code}, seed ${r.seed})`,
      content: {
        id: r.id, schemeId: r.scheme_id, checklistId: r.checklist_id, periodCode: r.period_code, seed: r.seed, createdAt: r.created_at, createdBy: r.created_by,
        points: points.filter((p) => p.round_id === r.id).map((p) => [p.id, p.unit_node_id, p.seq, p.grid_id, p.evaluator_id]),
      },
    });
  }
  const checklistIds = [...new Set(rounds.map((r) => r.checklist_id))];
  for (const c of await inChunks(checklistIds, (ids) => db.selectFrom('checklist_standards').selectAll().where('id', 'in', ids).execute())) {
    items.set(`checklist:${c.id}`, {
      label: `checklist ${c.code} version ${c.version}`,
      content: { id: c.id, code: c.code, version: c.version, name: c.name, definition: json(c.definition), reason: c.reason, createdAt: c.created_at, createdBy: c.created_by },
    });
  }
  // A finding voided by an appeal of a later version (a correction) was not void when this version was published.
  const versions = await db.selectFrom('evaluation_runs').select('id').where('scheme_code', '=', run.scheme_code).where('period_code', '=', run.period_code).where('version', '<=', run.version).execute();
  const appealIdsUpToHere = new Set((await inChunks(versions.map((v) => v.id), (ids) => db.selectFrom('evaluation_appeals').select('id').where('run_id', 'in', ids).execute())).map((a) => a.id));
  // Findings recorded after publication are not behind this version (a round may stay open).
  const findings = (await inChunks(roundIds, (ids) => db.selectFrom('inspection_findings').selectAll().where('round_id', 'in', ids).orderBy('id').execute()))
    .filter((f) => run.published_at === null || f.created_at <= run.published_at);
  for (const f of findings) {
    items.set(`finding:${f.id}`, {
      label: `finding ${f.id} (item ${f.item_code}, unit node ${f.unit_node_id})`,
      content: {
        id: f.id, roundId: f.round_id, pointId: f.point_id, unitNodeId: f.unit_node_id, itemCode: f.item_code, occurrences: f.occurrences, lon: f.lon, lat: f.lat,
        foundAt: f.found_at, evaluatorId: f.evaluator_id, note: f.note, attachmentId: f.attachment_id, caseId: f.case_id, clientRef: f.client_ref, createdAt: f.created_at,
        voidedByAppealId: f.voided_by_appeal_id !== null && appealIdsUpToHere.has(f.voided_by_appeal_id) ? f.voided_by_appeal_id : null,
      },
    });
  }
  const appeals = await db.selectFrom('evaluation_appeals').selectAll().where('run_id', '=', run.id).orderBy('id').execute();
  for (const a of appeals) {
    items.set(`appeal:${a.id}`, {
      label: `appeal ${a.id} (unit node ${a.unit_node_id}${a.finding_id !== null ? `, finding ${a.finding_id}` : `, ${a.entry_code}`})`,
      content: {
        id: a.id, runId: a.run_id, unitNodeId: a.unit_node_id, findingId: a.finding_id, entryCode: a.entry_code, text: a.text, attachmentIds: json(a.attachment_ids),
        filedAt: a.filed_at, filedBy: a.filed_by, outcome: a.outcome, ruling: a.ruling, newValue: a.new_value, ruledAt: a.ruled_at, ruledBy: a.ruled_by,
      },
    });
  }
  const entries = await db.selectFrom('evaluation_entries').selectAll().where('run_id', '=', run.id).orderBy('unit_node_id').orderBy('code').execute();
  for (const e of entries) {
    items.set(`entry:unit:${e.unit_node_id}/${e.code}`, {
      label: `entered ${e.code} of unit node ${e.unit_node_id}`,
      content: { unitNodeId: e.unit_node_id, code: e.code, value: e.value, reason: e.reason, enteredAt: e.entered_at, enteredBy: e.entered_by },
    });
  }
  // The photos: their rows here, their bytes against their hash by the check.
  const photoIds = [...new Set([
    ...findings.flatMap((f) => (f.attachment_id === null ? [] : [f.attachment_id])),
    ...appeals.flatMap((a) => { const ids = json(a.attachment_ids); return Array.isArray(ids) ? ids.filter((x): x is number => Number.isInteger(x)) : []; }),
  ])].sort((a, b) => a - b);
  for (const p of await inChunks(photoIds, (ids) => db.selectFrom('attachments').selectAll().where('id', 'in', ids).orderBy('id').execute())) {
    items.set(`photo:${p.id}`, {
      label: `photo ${p.id}`,
      content: { id: p.id, sha256: p.sha256, mimeType: p.mime_type, sizeBytes: p.size_bytes, storageKey: p.storage_key, uploadedAt: p.uploaded_at, uploadedByKind: p.uploaded_by_kind, uploadedById: p.uploaded_by_id },
      file: { attachmentId: p.id, storageKey: p.storage_key, sha256: p.sha256 },
    });
  }
  return items;
}

export interface AuditRow {
  id: number; at: number; actor_kind: string; actor_id: number | null; actor_name: string; action: string; entity_type: string; entity_ref: string | null; detail: string | null;
}

export function auditItem(r: AuditRow): SealedItem {
  return {
    label: `audit row ${r.id} (${r.action} by ${r.actor_name})`,
    content: { id: r.id, at: r.at, actorKind: r.actor_kind, actorId: r.actor_id, actorName: r.actor_name, action: r.action, entityType: r.entity_type, entityRef: r.entity_ref, detail: json(r.detail) },
  };
}

/** An audit range entry's entity: 'from-to', both ends included. */
export function auditRange(entityRef: string): { from: number; to: number } | null {
  const m = /^(\d+)-(\d+)$/.exec(entityRef);
  return m ? { from: Number(m[1]), to: Number(m[2]) } : null;
}

async function auditItems(db: Executor, entityRef: string): Promise<Map<string, SealedItem>> {
  const range = auditRange(entityRef);
  if (!range) return new Map();
  const rows = await db.selectFrom('audit_log').selectAll().where('id', '>=', range.from).where('id', '<=', range.to).orderBy('id').execute();
  return new Map(rows.map((r) => [`audit:${r.id}`, auditItem(r)]));
}

export const SEALED_KINDS = {
  /** A published run's results: the run itself and each unit's result of both stages (score, place, rank, money, breakdown). */
  evaluation_result: { zh: '考评结果', collect: resultItems },
  /** What a published run's results rest on: scheme, rounds and their draw, checklists, findings, appeals and rulings, entered scores, photos. */
  evaluation_evidence: { zh: '考评依据', collect: evidenceItems },
  /** A range of the audit log, sealed by the hourly checkpoint. */
  audit_log: { zh: '审计日志', collect: auditItems },
} as const satisfies Record<string, SealedKind>;

export type SealedKindName = keyof typeof SEALED_KINDS;
export const isSealedKind = (kind: string): kind is SealedKindName => Object.hasOwn(SEALED_KINDS, kind);
