// `cityops evaluate` and `cityops report departments`: the same results as the API, for scripts and
// for people at a terminal (a table whose Chinese columns line up).
import { writeFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import { ValidationError } from '@cityops/domain/errors';
import { PERFORMANCE_SUBJECTS, type PerformanceSubject } from '@cityops/domain/performance/scheme';
import type { Database } from '../db/schema.ts';
import { CalendarCache } from '../calendar/calendar.service.ts';
import { evaluateAll, evaluatePerformance, type Evaluation } from '../performance/evaluate.ts';
import { periodFrom } from '../indicators/period-param.ts';
import { buildDepartmentReport } from '../reports/department-report.ts';
import { departmentReportPdf } from '../reports/department-report.pdf.ts';
import { departmentReportXlsx } from '../reports/department-report.xlsx.ts';
import { findNodeByCode } from '../territory/territory.queries.ts';

/** Display width: CJK and full-width characters take two columns. */
function width(text: string): number {
  let w = 0;
  for (const ch of text) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}
const pad = (text: string, n: number, right = false) => (right ? ' '.repeat(Math.max(0, n - width(text))) + text : text + ' '.repeat(Math.max(0, n - width(text))));

export function evaluationTable(e: Evaluation): string {
  const head = ['排名', '单位', '得分', '等级', ...e.units[0]?.result.components.map((c) => c.zh) ?? [], '得分变化', '名次变化'];
  const rows = e.units.map((u) => [
    u.rank === null ? '—' : `${u.rank}${u.tied ? '=' : ''}`, u.unit.name, u.result.score === null ? '—' : u.result.score.toFixed(2), u.result.grade ?? '—',
    ...u.result.components.map((c) => (c.score === null ? '—' : c.score.toFixed(2))),
    u.change.scoreChange === null ? '—' : (u.change.scoreChange > 0 ? '+' : '') + u.change.scoreChange.toFixed(2),
    u.change.rankChange === null ? '—' : u.change.rankChange > 0 ? `↑${u.change.rankChange}` : u.change.rankChange < 0 ? `↓${-u.change.rankChange}` : '0',
  ]);
  const widths = head.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i]!))));
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i]!, i !== 1)).join('  ');
  const title = `${PERFORMANCE_SUBJECTS[e.subject].zh} ${e.period.zh}${e.parent ? ` · ${e.parent.name}` : ''}（方案 ${e.scheme.name} v${e.scheme.version}，统计截至 ${e.asOf}）`;
  return [title, line(head), ...rows.map(line)].join('\n');
}

function evaluationJson(e: Evaluation) {
  return {
    subject: e.subject, period: e.period, asOf: e.asOf, scheme: e.scheme, parent: e.parent,
    items: e.units.map((u) => ({ rank: u.rank, tied: u.tied, unit: u.unit, score: u.result.score, grade: u.result.grade, partial: u.result.partial, components: u.result.components, change: u.change, measures: u.measures })),
  };
}

export async function runEvaluate(db: Kysely<Database>, options: Record<string, string | boolean | undefined>, now: number): Promise<string> {
  const period = periodFrom(options.period as string | undefined, now);
  const subject = (options.subject as string | undefined) ?? 'all';
  const format = (options.format as string | undefined) ?? 'table';
  if (format !== 'json' && format !== 'table') throw new ValidationError([{ field: 'format', message: 'must be json or table' }]);
  let evaluations: Evaluation[];
  if (subject === 'all') evaluations = await evaluateAll(db, period, now);
  else {
    if (!Object.hasOwn(PERFORMANCE_SUBJECTS, subject)) throw new ValidationError([{ field: 'subject', message: `must be all or one of ${Object.keys(PERFORMANCE_SUBJECTS).join(', ')}` }]);
    let parentId: number | undefined;
    if (options.parent) {
      const node = await findNodeByCode(db, String(options.parent));
      if (!node) throw new ValidationError([{ field: 'parent', message: `no territory node ${options.parent}` }]);
      parentId = node.id;
    }
    evaluations = [await evaluatePerformance(db, subject as PerformanceSubject, period, now, { parentId })];
  }
  return format === 'json' ? `${JSON.stringify(evaluations.map(evaluationJson), null, 2)}\n` : `${evaluations.map(evaluationTable).join('\n\n')}\n`;
}

export async function runDepartmentReport(db: Kysely<Database>, options: Record<string, string | boolean | undefined>, now: number): Promise<string | null> {
  const format = (options.format as string | undefined) ?? 'json';
  if (!['json', 'xlsx', 'pdf'].includes(format)) throw new ValidationError([{ field: 'format', message: 'must be json, xlsx or pdf' }]);
  if (format !== 'json' && !options.out) throw new ValidationError([{ field: 'out', message: `an ${format} report is written to a file: give --out FILE` }]);
  const report = await buildDepartmentReport(db, await new CalendarCache(db).get(), periodFrom(options.period as string | undefined, now), now);
  const data = format === 'xlsx' ? await departmentReportXlsx(report) : format === 'pdf' ? await departmentReportPdf(report) : `${JSON.stringify(report, null, 2)}\n`;
  if (options.out) { writeFileSync(String(options.out), data); return null; }
  return data as string;
}
