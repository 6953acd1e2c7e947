// The scheduled jobs, as data: what each does and how often. Each is safe to run again (a run that died
// half-way is simply done again in its next slot), and each run is claimed by one process only
// (job-runner.ts), however many app processes share the database.
import { periodContaining, previousPeriod } from '@cityops/domain/indicators/periods';
import type { Executor } from '../db/database.ts';
import { countedPeriod } from '../indicators/period-cells-cache.ts';
import { checkpointAuditLog } from '../integrity/seal.service.ts';
import { markOverdueMilestones } from '../key-tasks/progress.service.ts';
import { SYSTEM_ACTOR } from '../audit/audit.ts';
import { sweepCredit } from '../points/credit-sweep.ts';
import { sweepResponsibility } from '../points/responsibility-sweep.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** How long an idempotency key answers a retry: a phone may stay offline for days with its outbox. */
export const IDEMPOTENCY_RETENTION_MS = 30 * DAY;
/** Ended sessions (expired or signed out) kept this long, then removed: the audit log names the users. */
export const SESSION_RETENTION_MS = 30 * DAY;

export interface JobDefinition {
  name: string;
  zh: string;
  everyMs: number;
  /** Does the work as at `now`; answers what it did, kept with the run. */
  run(db: Executor, now: number): Promise<Record<string, number | string>>;
}

export const JOBS: JobDefinition[] = [
  {
    name: 'store_ended_periods',
    zh: '保存已结束统计期的计数',
    everyMs: HOUR,
    // The half-month and month that ended last are counted once and stored, so the first report of a new
    // period (半月通报, the month's ranking) reads stored counts instead of counting while someone waits.
    async run(db, now) {
      const done: Record<string, string> = {};
      for (const kind of ['half_month', 'month'] as const) {
        const period = previousPeriod(periodContaining(kind, now));
        await countedPeriod(db, period, now);
        done[kind] = period.code;
      }
      return done;
    },
  },
  {
    name: 'prune_sessions',
    zh: '清理已结束的登录会话',
    everyMs: HOUR,
    async run(db, now) {
      const before = now - SESSION_RETENTION_MS;
      const result = await db.deleteFrom('sessions')
        .where((eb) => eb.or([eb('expires_at', '<', before), eb.and([eb('revoked_at', 'is not', null), eb('revoked_at', '<', before)])]))
        .executeTakeFirst();
      return { deleted: Number(result.numDeletedRows) };
    },
  },
  {
    name: 'prune_idempotency_keys',
    zh: '清理过期的重复提交记录',
    everyMs: HOUR,
    async run(db, now) {
      const result = await db.deleteFrom('idempotency_keys').where('created_at', '<', now - IDEMPOTENCY_RETENTION_MS).executeTakeFirst();
      return { deleted: Number(result.numDeletedRows) };
    },
  },
  {
    name: 'seal_audit_log',
    zh: '审计日志封存(防篡改)',
    everyMs: HOUR,
    // The audit rows written since the last checkpoint are sealed in the integrity ledger (decision 0017):
    // from then on a change to any of them is found by `cityops integrity check`.
    async run(db, now): Promise<Record<string, number | string>> {
      const sealed = await checkpointAuditLog(db, now);
      return sealed.skipped ? { skipped: sealed.skipped } : { entries: sealed.entries, rows: sealed.rows, through: sealed.through ?? 0 };
    },
  },
  {
    name: 'key_task_overdue',
    zh: '重点任务节点逾期预警',
    everyMs: HOUR,
    // A milestone whose due day (Beijing) has ended unaccepted is flagged and alerted once (decision 0019): within
    // the hour after midnight, which is as soon as anyone reads the board.
    async run(db, now) {
      return markOverdueMilestones(db, now);
    },
  },
  {
    name: 'points_sweep',
    zh: '责任区累计加减分与信用积分记录',
    everyMs: HOUR,
    // What happened since the last run (findings recorded, deadlines passed, cases registered, appeals ruled) priced
    // into both points ledgers (decision 0018), each source once, so an alert is raised within the hour a case goes
    // overdue; each slice of the window commits with its mark, so a run that died half-way is resumed by the next.
    async run(db, now) {
      const r = await sweepResponsibility(db, SYSTEM_ACTOR, null, now);
      const c = await sweepCredit(db, SYSTEM_ACTOR, null, now);
      return { findings: r.finding, overdue: r.case_overdue, repeated: r.case_repeated, alerts: r.alerts, credit: c.violation + c.finding };
    },
  },
];
