// Builds the department report (专业部门案件处置情况通报) of a period from the same counts as the
// indicators: one row per department that had work in the period, ranked by the department scheme's report
// indicator (按期处置率 unless the office chose another), the totals, the change of rank against the previous
// period, and the list of overdue cases.
import type { WorkCalendar } from '@cityops/domain/calendar/work-calendar';
import { formatRate, INDICATORS, indicatorValue, type IndicatorCode } from '@cityops/domain/indicators/indicators';
import { DEFAULT_REPORT_RANKING, reportRankingScore } from '@cityops/domain/performance/scheme';
import { addMeasures, emptyMeasures, type Measures } from '@cityops/domain/indicators/measures';
import { previousPeriod, type Period } from '@cityops/domain/indicators/periods';
import { rank } from '@cityops/domain/performance/ranking';
import { CASE_STATES, type CaseState } from '@cityops/domain/workflow/case-states';
import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import { loadDepartmentMeasures, type DepartmentMeasures } from '../indicators/period-measures.ts';
import { currentScheme } from '../performance/schemes.service.ts';
import type { DepartmentReport, DepartmentReportRow, OverdueCaseRow, ReportRate } from './department-report.types.ts';

const rate = (code: IndicatorCode, m: Measures): ReportRate => {
  const value = indicatorValue(code, m);
  return { value, text: formatRate(value) };
};

const active = (m: Measures) => m.dispatched + m.due_to_handle + m.handled + m.returned + m.due_to_close > 0;

function counts(m: Measures) {
  return {
    dispatched: m.dispatched, dueToHandle: m.due_to_handle, handled: m.handled, handledOnTime: m.handled_on_time, overdue: m.overdue,
    reworked: m.reworked, extended: m.extended, returned: m.returned, dueToClose: m.due_to_close, closed: m.closed,
    handlingRate: rate('handling_rate', m), onTimeHandlingRate: rate('on_time_handling_rate', m), reworkRate: rate('rework_rate', m), closingRate: rate('closing_rate', m),
  };
}

/**
 * Rank on the department scheme's report indicator as printed (two decimals, better first); departments with
 * nothing to measure it by are unranked.
 */
function ranking(pm: DepartmentMeasures, indicator: IndicatorCode) {
  const rows = [...pm.departments.values()].filter((d) => active(d.measures));
  return rank(rows.map((d) => ({ key: d.ref.code, score: reportRankingScore(indicator, indicatorValue(indicator, d.measures)), d })));
}

const ISO = (ms: number) => new Date(ms).toISOString();

/** A page of the overdue list (the JSON report); the printed reports take the whole list. */
export interface OverduePage {
  offset: number;
  limit: number;
  /** Only these departments' rounds (a department reading its own). */
  departmentIds?: number[] | undefined;
}

async function overdueCases(db: Executor, calendar: WorkCalendar, from: number, asOf: number, page?: OverduePage): Promise<{ rows: OverdueCaseRow[]; total: number }> {
  // Rounds gone overdue in the period, and rounds still running whose deadline fell in it, as two reads:
  // written as one OR, SQLite answered the second branch from the rounds never overdue (nine million at
  // 10,000,000 cases: 7.6 s). `coalesce(overdue_at, 0) = 0` (overdue_at is an instant, never 0) keeps that
  // index out and leaves the running rounds' partial index: 0.3 s.
  let rounds = db.selectFrom('handling_rounds as r')
    .where('r.id', 'in', (eb) => eb.selectFrom('handling_rounds as late').select('late.id').where('late.overdue_at', '>=', from).where('late.overdue_at', '<', asOf)
      .unionAll(eb.selectFrom('handling_rounds as running').select('running.id').where('running.ended_at', 'is', null)
        .where('running.due_at', '>=', from).where('running.due_at', '<', asOf).where(sql`coalesce(running.overdue_at, 0)`, '=', 0)));
  if (page?.departmentIds) rounds = page.departmentIds.length ? rounds.where('r.department_id', 'in', page.departmentIds) : rounds.where(sql<boolean>`1 = 0`);
  let list = rounds
    .innerJoin('cases as c', 'c.id', 'r.case_id')
    .innerJoin('departments as d', 'd.id', 'r.department_id')
    .innerJoin('catalog_classes as k', 'k.id', 'c.class_id')
    .innerJoin('territory_nodes as st', 'st.id', 'c.street_id')
    .select(['c.code', 'c.state', 'c.address', 'd.name as department', 'k.name as class_name', 'st.name as street', 'r.started_at', 'r.handled_at',
      sql<number>`coalesce(r.overdue_at, r.due_at)`.as('due')])
    .orderBy('d.name').orderBy('due').orderBy('c.code');
  if (page) list = list.limit(page.limit).offset(page.offset);
  const [found, counted] = await Promise.all([
    list.execute(),
    page ? rounds.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow() : null,
  ]);
  const rows = found.map((r) => {
    const due = Number(r.due);
    // Handling as it stood at the report's end (a later feedback belongs to the next period); the state is the current one.
    const handledAt = r.handled_at !== null && Number(r.handled_at) < asOf ? Number(r.handled_at) : null;
    const until = handledAt ?? asOf;
    return {
      code: r.code, department: r.department, className: r.class_name, address: r.address, street: r.street,
      dispatchedAt: ISO(Number(r.started_at)), dueAt: ISO(due), handledAt: handledAt === null ? null : ISO(handledAt),
      state: CASE_STATES[r.state as CaseState]?.zh ?? r.state,
      hoursLate: Math.round(calendar.workingMsBetween(due, until) / 360_000) / 10,
    };
  });
  return { rows, total: counted ? Number(counted.n) : rows.length };
}

async function overdueList(db: Executor, calendar: WorkCalendar, from: number, asOf: number, page: OverduePage | undefined) {
  const { rows, total } = await overdueCases(db, calendar, from, asOf, page);
  return { overdueCases: rows, overdueTotal: total, overdueOffset: page?.offset ?? 0 };
}

/** `overduePage`: a page of the overdue list (the JSON report at a city's scale has tens of thousands); all of it when absent. */
export async function buildDepartmentReport(db: Executor, calendar: WorkCalendar, period: Period, now: number, overduePage?: OverduePage): Promise<DepartmentReport> {
  // The departments' counts only (the territory's roll-up and the people are not in this report), one period
  // after the other: at 10,000,000 cases the two whole periods side by side took 80–120 MB (bench server_memory).
  const scheme = await currentScheme(db, 'department');
  const { indicator } = scheme.scheme.reportRanking ?? DEFAULT_REPORT_RANKING;
  const pm = await loadDepartmentMeasures(db, period, now);
  const prev = await loadDepartmentMeasures(db, previousPeriod(period), now);
  const before = new Map(ranking(prev, indicator).map((r) => [r.item.key, r.rank]));
  const totals = emptyMeasures();
  const rows: DepartmentReportRow[] = ranking(pm, indicator).map((r) => {
    addMeasures(totals, r.item.d.measures);
    const previous = before.get(r.item.key) ?? null;
    return {
      rank: r.rank, tied: r.tied, department: { id: r.item.d.ref.id, code: r.item.d.ref.code, name: r.item.d.ref.name, kind: r.item.d.ref.kind },
      ...counts(r.item.d.measures),
      rankChange: previous !== null && r.rank !== null ? previous - r.rank : null,
    };
  });
  const kindName = period.kind === 'half_month' ? '半月' : period.kind === 'month' ? '月度' : '';
  return {
    title: `${period.zh}专业部门案件处置情况${kindName}通报`,
    period: { code: period.code, kind: period.kind, zh: period.zh, from: ISO(period.fromMs), to: ISO(period.toMs) },
    asOf: ISO(pm.asOf), generatedAt: ISO(now), rows, totals: counts(totals),
    ranking: { indicator, zh: INDICATORS[indicator].zh, en: INDICATORS[indicator].en, better: INDICATORS[indicator].better, schemeVersion: scheme.version },
    ...await overdueList(db, calendar, period.fromMs, pm.asOf, overduePage),
    notes: [
      '应处置数：本期处理反馈的处置轮次，加上本期超时且期末仍未反馈的处置轮次。',
      '按期处置率 = 按期处置数 / 应处置数；处置率 = 处置数 / 应处置数；返工率 = 返工数 / 处置数；结案率 = 结案数 / 应结案数。',
      '超时后才批准的延期不改变超时的事实；无应处置案件的部门不参与排名，比率显示为“—”。',
      `排名按${INDICATORS[indicator].zh}（保留两位小数）${INDICATORS[indicator].better === 'higher' ? '由高到低' : '由低到高'}，相同者并列；名次变化与上一同类周期比较（部门评价方案${scheme.version === 0 ? '默认' : `第${scheme.version}版`}）。`,
    ],
  };
}
