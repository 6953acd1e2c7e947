// Performance schemes as versioned rows: the current scheme of a subject is its newest version, or
// the shipped default until a city saves its own. Saving validates first and changes nothing on error.
import type { Actor } from '@cityops/domain/access/scope';
import { ValidationError } from '@cityops/domain/errors';
import { DEFAULT_PERFORMANCE_SCHEMES, validatePerformanceScheme, type PerformanceScheme, type PerformanceSubject } from '@cityops/domain/performance/scheme';
import { recordAudit } from '../audit/audit.ts';
import type { Kysely } from 'kysely';
import type { Executor } from '../db/database.ts';
import type { Database } from '../db/schema.ts';

export interface StoredScheme {
  /** 0 for the shipped default. */
  version: number;
  scheme: PerformanceScheme;
  savedAt: string | null;
  savedBy: number | null;
  /** The saver's display name, for the versions list (null for the shipped default). */
  savedByName: string | null;
  reason: string | null;
}

export async function currentScheme(db: Executor, subject: PerformanceSubject): Promise<StoredScheme> {
  const row = await db.selectFrom('performance_schemes as s').leftJoin('users as u', 'u.id', 's.created_by')
    .select(['s.version', 's.definition', 's.created_at', 's.created_by', 's.reason', 'u.display_name']).where('s.subject', '=', subject).orderBy('s.version', 'desc').limit(1).executeTakeFirst();
  if (!row) return { version: 0, scheme: DEFAULT_PERFORMANCE_SCHEMES[subject], savedAt: null, savedBy: null, savedByName: null, reason: null };
  return { version: row.version, scheme: JSON.parse(row.definition) as PerformanceScheme, savedAt: new Date(Number(row.created_at)).toISOString(), savedBy: row.created_by, savedByName: row.display_name, reason: row.reason };
}

export async function schemeHistory(db: Executor, subject: PerformanceSubject): Promise<Omit<StoredScheme, 'scheme'>[]> {
  const rows = await db.selectFrom('performance_schemes as s').leftJoin('users as u', 'u.id', 's.created_by')
    .select(['s.version', 's.created_at', 's.created_by', 's.reason', 'u.display_name']).where('s.subject', '=', subject).orderBy('s.version', 'desc').execute();
  return rows.map((r) => ({ version: r.version, savedAt: new Date(Number(r.created_at)).toISOString(), savedBy: r.created_by, savedByName: r.display_name, reason: r.reason }));
}

/** Saves a new version of the subject's scheme after validating it; the URL's subject must match the body's. */
export async function saveScheme(db: Kysely<Database>, actor: Actor, subject: PerformanceSubject, input: unknown, reason: string | null, now: number): Promise<StoredScheme> {
  const issues = validatePerformanceScheme(input).map((i) => ({ ...i, field: `scheme.${i.field}` }));
  if ((input as { subject?: unknown } | null)?.subject !== subject && !issues.some((i) => i.field === 'scheme.subject')) {
    issues.push({ field: 'scheme.subject', message: `must be ${subject}, the subject this scheme is saved for` });
  }
  if (issues.length) throw new ValidationError(issues);
  const scheme = input as PerformanceScheme;
  return db.transaction().execute(async (trx) => {
    const last = await trx.selectFrom('performance_schemes').select((eb) => eb.fn.max('version').as('v')).where('subject', '=', subject).executeTakeFirst();
    const version = Number(last?.v ?? 0) + 1;
    await trx.insertInto('performance_schemes').values({
      subject, version, name: scheme.name, definition: JSON.stringify(scheme), reason, created_at: now, created_by: actor.kind === 'user' ? actor.id : null,
    }).execute();
    await recordAudit(trx, actor, 'performance_scheme.save', { type: 'performance_scheme', ref: `${subject}@${version}` }, { reason }, now);
    return { version, scheme, savedAt: new Date(now).toISOString(), savedBy: actor.kind === 'user' ? actor.id : null, savedByName: actor.kind === 'user' ? actor.name : null, reason };
  });
}
