// Post steps per person, Beijing day and action, kept as the steps are written (decision 0009). The
// count of a period reads the kept days it covers, plus the step events of a day not over yet (as of
// now). The step events stay the reference: `postStepsFromEvents` counts them directly, and the tests
// require both to agree.
import { sql } from 'kysely';
import type { MeasureCode } from '@cityops/domain/indicators/measures';
import type { Executor } from '../db/database.ts';
import { insertAll, rowInsert, type RowInsert } from '../db/row-insert.ts';
import type { Window } from './measure-queries.ts';

/** The steps the post evaluations count (受理, 发核实, 不予受理, 核实, 核查, 立案, 结案, 派遣): the count each feeds and its on-time count. */
export const POST_ACTIONS: Record<string, [MeasureCode, MeasureCode][]> = {
  accept: [['acceptances', 'acceptances_on_time']],
  reject: [['acceptances', 'acceptances_on_time']],
  send_verify: [['acceptances', 'acceptances_on_time'], ['verify_requests', 'verify_requests_on_time']],
  verify_confirm: [['verifications', 'verifications_on_time']],
  verify_refute: [['verifications', 'verifications_on_time']],
  check_pass: [['checks', 'checks_on_time']],
  check_fail: [['checks', 'checks_on_time']],
  register: [['registrations', 'registrations_on_time']],
  close: [['closings', 'closings_on_time']],
  dispatch: [['dispatches', 'dispatches_on_time']],
};
export const POST_STEP_ACTIONS = Object.keys(POST_ACTIONS);
const IS_POST_STEP = new Set<string>(POST_STEP_ACTIONS);

const OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;
export const beijingDayOf = (ms: number) => Math.floor((ms + OFFSET_MS) / DAY_MS);
const dayStart = (day: number) => day * DAY_MS - OFFSET_MS;

export interface PostStepCount {
  actor_id: number;
  action: string;
  n: number;
  on_time: number;
}

type KeptStep = { at: number; actorKind: string; actorId: number | null; action: string; onTime: number | null };

/** Adds steps to the kept counts (one upsert per day, person and action). */
export async function keepPostSteps(db: Executor, steps: KeptStep[]): Promise<void> {
  await insertAll(db, [postStepInsert(steps)]);
}

/** The steps' additions to the kept counts, as an insert for insertAll. */
export function postStepInsert(steps: KeptStep[]): RowInsert {
  const byKey = new Map<string, { day: number; actor_id: number; action: string; n: number; on_time: number }>();
  for (const s of steps) {
    if (s.actorKind !== 'user' || s.actorId === null || !IS_POST_STEP.has(s.action)) continue;
    const day = beijingDayOf(s.at);
    const key = `${day}:${s.actorId}:${s.action}`;
    const row = byKey.get(key) ?? { day, actor_id: s.actorId, action: s.action, n: 0, on_time: 0 };
    row.n += 1;
    row.on_time += s.onTime === 1 ? 1 : 0;
    byKey.set(key, row);
  }
  return rowInsert('kept_post_steps', [...byKey.values()], { addOnConflict: { key: ['day', 'actor_id', 'action'], add: ['n', 'on_time'] } });
}

/** Counts the step events directly: the reference, and the part of a day not over yet. */
export async function postStepsFromEvents(db: Executor, from: number, to: number): Promise<PostStepCount[]> {
  const rows = await db.selectFrom('case_events as e')
    .where('e.action', 'in', POST_STEP_ACTIONS).where('e.at', '>=', from).where('e.at', '<', to).where('e.actor_kind', '=', 'user')
    .select(['e.actor_id', 'e.action', sql<number>`count(*)`.as('n'), sql<number>`sum(case when e.on_time = 1 then 1 else 0 end)`.as('on_time')])
    .groupBy(['e.actor_id', 'e.action']).execute();
  return rows.filter((r) => r.actor_id !== null).map((r) => ({ actor_id: r.actor_id!, action: r.action, n: Number(r.n), on_time: Number(r.on_time ?? 0) }));
}

/** Each person's steps by action in the window: the kept whole days, and the events of a day not over. */
export async function postStepsInWindow(db: Executor, w: Window): Promise<PostStepCount[]> {
  const fromDay = beijingDayOf(w.from);
  const lastWholeDay = beijingDayOf(w.asOf); // days before it are over
  const kept = await db.selectFrom('kept_post_steps')
    .where('day', '>=', fromDay).where('day', '<', lastWholeDay)
    .select(['actor_id', 'action', sql<number>`sum(n)`.as('n'), sql<number>`sum(on_time)`.as('on_time')])
    .groupBy(['actor_id', 'action']).execute();
  const partialFrom = Math.max(w.from, dayStart(lastWholeDay));
  const live = partialFrom < w.asOf ? await postStepsFromEvents(db, partialFrom, w.asOf) : [];
  const out = new Map<string, PostStepCount>();
  for (const r of [...kept.map((k) => ({ actor_id: k.actor_id, action: k.action, n: Number(k.n), on_time: Number(k.on_time) })), ...live]) {
    const key = `${r.actor_id}:${r.action}`;
    const into = out.get(key);
    if (into) { into.n += r.n; into.on_time += r.on_time; } else out.set(key, { ...r });
  }
  return [...out.values()];
}

/** Recomputes the kept counts from the step events (after a bulk load, or to repair). */
export async function rebuildKeptPostSteps(db: Executor): Promise<void> {
  await db.deleteFrom('kept_post_steps').execute();
  await sql`insert into kept_post_steps (day, actor_id, action, n, on_time)
    select (at + 28800000) / 86400000, actor_id, action, count(*), sum(case when on_time = 1 then 1 else 0 end)
    from case_events where actor_kind = 'user' and actor_id is not null and action in (${sql.join(POST_STEP_ACTIONS)})
    group by (at + 28800000) / 86400000, actor_id, action`.execute(db);
}
