// `cityops integrity check` and `cityops integrity seal`: the check for operators and for a cron job
// (exit code 3 when anything differs), and the explicit seal an operator runs after an upgrade.
import type { Kysely } from 'kysely';
import { ValidationError } from '@cityops/domain/errors';
import type { AttachmentStore } from '../attachments/attachment-store.ts';
import { cliActor } from '../audit/audit.ts';
import type { Database } from '../db/schema.ts';
import { checkIntegrity, describeReport } from './check.service.ts';
import type { LedgerPosition } from './ledger.ts';
import { checkpointAuditLog, sealUnsealedRuns } from './seal.service.ts';

/** The exit code of a check that found a difference (1 is any other failure, such as an unreachable database). */
export const DIFFERENCES_EXIT_CODE = 3;

/** Hashes kept outside the database, as printed on a published ranking: '12:3f2a…(64 hex)', comma-separated. */
export function parseAnchors(text: string | undefined, field = 'anchor'): LedgerPosition[] {
  if (text === undefined || text.trim() === '') return [];
  return text.split(',').map((part, i) => {
    const m = /^\s*#?(\d+):([0-9a-f]{64})\s*$/i.exec(part);
    if (!m) throw new ValidationError([{ field: `${field}[${i}]`, message: `"${part.trim()}" must be an entry number and its SHA-256: 12:<64 hex digits>` }]);
    return { seq: Number(m[1]), hash: m[2]!.toLowerCase() };
  });
}

export async function runIntegrityCheck(db: Kysely<Database>, store: AttachmentStore, options: Record<string, string | boolean | undefined>): Promise<{ code: number; text: string }> {
  const format = (options.format as string | undefined) ?? 'text';
  if (format !== 'text' && format !== 'json') throw new ValidationError([{ field: 'format', message: 'must be text or json' }]);
  const report = await checkIntegrity(db, { store, anchors: parseAnchors(options.anchor as string | undefined) });
  return { code: report.ok ? 0 : DIFFERENCES_EXIT_CODE, text: format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : describeReport(report) };
}

export async function runIntegritySeal(db: Kysely<Database>, now: number): Promise<string> {
  const runs = await sealUnsealedRuns(db, cliActor(), now);
  const audit = await checkpointAuditLog(db, now);
  const lines = runs.map((r) => `sealed run ${r.runId} late (entry #${r.entry})`);
  lines.push(audit.skipped ? `audit log: ${audit.skipped}` : `audit log: ${audit.rows} rows sealed in ${audit.entries} entr${audit.entries === 1 ? 'y' : 'ies'}, through audit id ${audit.through}`);
  return `${lines.join('\n')}\n`;
}
