// Case numbers (案卷编号): the reporting day in Beijing time and a daily sequence, e.g. 2026112300042.
import type { Executor } from '../db/database.ts';

const BEIJING_OFFSET_MS = 8 * 3_600_000;

export function beijingDay(ms: number): string {
  return new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 10).replaceAll('-', '');
}

/** One upsert per case: the counter row is locked only for the rest of the intake transaction. */
export async function nextCaseCode(db: Executor, reportedAtMs: number): Promise<string> {
  const day = beijingDay(reportedAtMs);
  const row = await db.insertInto('case_code_counters').values({ day, last: 1 })
    .onConflict((oc) => oc.column('day').doUpdateSet((eb) => ({ last: eb('case_code_counters.last', '+', 1) })))
    .returning('last').executeTakeFirstOrThrow();
  return `${day}${String(row.last).padStart(5, '0')}`;
}
