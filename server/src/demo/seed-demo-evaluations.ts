// Twelve months of comprehensive evaluations for the demo city, so that rankings, trends and traces have
// something to show: a scheme per year (code `city`, the districts, the default components and checklist,
// a demo ladder and the central district's handicap), and for each month a round drawn from a seed, the
// month's third-party cases of the history recorded as the round's findings, the office's entered scores,
// an appeal now and then, and the result issued, finalized and published, all through the services an
// operator uses, at times inside the month. The history has no photos, so demo findings have none. One
// district also ranks its streets under its own scheme (`district-<code>`), the same engine a level down.
import type { Actor } from '@cityops/domain/access/scope';
import { defaultComprehensiveScheme } from '@cityops/domain/evaluation/scheme';
import { DEFAULT_CHECKLIST } from '@cityops/domain/evaluation/checklist';
import { periodContaining, previousPeriod, type Period } from '@cityops/domain/indicators/periods';
import { createRandom, pick } from '@cityops/domain/random';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { loadGrants } from '../access/access.service.ts';
import { saveScheme } from '../evaluation/definitions.service.ts';
import { closeRound, openRound } from '../evaluation/inspection.service.ts';
import { actOnRun, loadRun, openRun } from '../evaluation/runs.service.ts';
import { fileAppeal, ruleAppeal } from '../evaluation/appeals.service.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
export const DEMO_SCHEME_CODE = 'city';

async function actorOf(db: Kysely<Database>, username: string): Promise<Actor> {
  const user = await db.selectFrom('users').select(['id', 'username']).where('username', '=', username).executeTakeFirstOrThrow();
  return { kind: 'user', id: user.id, name: user.username, grants: await loadGrants(db, user.id) };
}

/** The twelve whole months before the one `until` falls in. */
export function demoEvaluationMonths(until: number, count = 12): Period[] {
  const months: Period[] = [];
  let p = previousPeriod(periodContaining('month', until));
  for (let i = 0; i < count; i++) { months.unshift(p); p = previousPeriod(p); }
  return months;
}

export async function seedDemoEvaluations(db: Kysely<Database>, options: { seed: number; cityCode: string; districtCodes: string[]; until: number }): Promise<{ months: number; findings: number; appeals: number }> {
  const random = createRandom(options.seed * 7919 + 17);
  const office = await actorOf(db, 'kpb');
  const months = demoEvaluationMonths(options.until);
  const itemByClass = new Map(DEFAULT_CHECKLIST.items.map((i) => [i.classCode, i]));
  const district = new Map((await db.selectFrom('territory_nodes').select(['id', 'code', 'path']).where('code', 'in', options.districtCodes).execute()).map((d) => [d.id, d]));
  let findings = 0;
  let appeals = 0;
  for (const year of [...new Set(months.map((m) => Number(m.code.slice(0, 4))))]) {
    await saveScheme(db, office, DEMO_SCHEME_CODE, {
      ...defaultComprehensiveScheme(options.cityCode, year),
      handicaps: [{ unitCode: options.districtCodes[0]!, points: -1, reason: '中心城区下调一个百分点' }],
      ladder: { rewards: [1_000_000, 500_000, 300_000], penalties: [1_000_000, 500_000, 300_000] },
      note: '示例方案:奖惩金额的第二、三名为演示设定。',
    }, `${year}年度方案(示例)`, months[0]!.fromMs - DAY);
  }
  for (const [k, month] of months.entries()) {
    const start = month.fromMs;
    const end = month.toMs;
    const round = await openRound(db, office, { schemeCode: DEMO_SCHEME_CODE, period: month.code, seed: options.seed * 100 + k }, start + 2 * DAY);
    const points = new Map<string, typeof round.points>();
    for (const p of round.points) points.set(p.unit.code, [...(points.get(p.unit.code) ?? []), p]);
    // The month's third-party cases are what the evaluators found on their rounds.
    const cases = await db.selectFrom('cases').select(['id', 'lon', 'lat', 'reported_at', 'class_code', 'district_id'])
      .where('source', '=', 'third_party').where('reported_at', '>=', start).where('reported_at', '<', end).orderBy('id').execute();
    const rows = cases.flatMap((c, i) => {
      const item = itemByClass.get(c.class_code);
      const unit = district.get(c.district_id);
      const at = unit ? points.get(unit.code) : undefined;
      if (!item || !unit || !at?.length) return [];
      const point = at[i % at.length]!;
      return [{
        round_id: round.id, point_id: point.id, unit_node_id: unit.id, item_code: item.code, occurrences: 1 + (random() < 0.3 ? 1 : 0), lon: c.lon, lat: c.lat,
        found_at: c.reported_at, evaluator_id: point.evaluator.id, note: null, attachment_id: null, case_id: c.id, client_ref: null, voided_by_appeal_id: null, created_at: c.reported_at,
      }];
    });
    for (let i = 0; i < rows.length; i += 500) await db.insertInto('inspection_findings').values(rows.slice(i, i + 500)).execute();
    findings += rows.length;
    await closeRound(db, office, round.id, end + HOUR);

    const runId = await openRun(db, office, { schemeCode: DEMO_SCHEME_CODE, period: month.code }, end + DAY);
    const entries = [...district.values()].flatMap((d) => [
      { run_id: runId, unit_node_id: d.id, code: 'special_tasks', value: 70 + Math.round(random() * 28), reason: '专项工作完成情况(示例数据)', entered_at: end + DAY, entered_by: office.id },
      ...(random() < 0.2 ? [{ run_id: runId, unit_node_id: d.id, code: 'media_exposure', value: 1 + Math.floor(random() * 3), reason: '媒体曝光问题(示例数据)', entered_at: end + DAY, entered_by: office.id }] : []),
    ]);
    await db.insertInto('evaluation_entries').values(entries).execute();
    // Issuing computes the results with the entries.
    await actOnRun(db, office, runId, 'issue', {}, end + 2 * DAY);
    // Now and then a district contests one of its findings; the office upholds about a third.
    if (rows.length && random() < 0.6) {
      const contested = pick(random, rows);
      const unit = district.get(contested.unit_node_id)!;
      const finding = await db.selectFrom('inspection_findings').select('id').where('case_id', '=', contested.case_id).where('round_id', '=', round.id).executeTakeFirstOrThrow();
      const appealId = await fileAppeal(db, await actorOf(db, `qu${unit.code}`), runId, { unitCode: unit.code, findingId: finding.id, text: '该问题点位不属本区管辖范围,申请核减(示例数据)' }, end + 3 * DAY);
      const upheld = random() < 0.35;
      await ruleAppeal(db, office, appealId, { outcome: upheld ? 'upheld' : 'rejected', ruling: upheld ? '经核实属相邻区域,申诉成立' : '点位在本区范围内,申诉不成立' }, end + 4 * DAY);
      appeals += 1;
    }
    const deadline = Number((await loadRun(db, runId)).appeal_deadline);
    await actOnRun(db, office, runId, 'finalize', {}, deadline + HOUR);
    await actOnRun(db, office, runId, 'publish', {}, deadline + 2 * HOUR);
  }
  // One level down, with its own scheme: the first district ranks its streets on the case indicators and
  // its own special-task scores (no inspection rounds of its own).
  const first = options.districtCodes[0]!;
  const districtOffice = office;
  for (const year of [...new Set(months.map((m) => Number(m.code.slice(0, 4))))]) {
    await saveScheme(db, districtOffice, `district-${first}`, {
      ...defaultComprehensiveScheme(first, year),
      name: `${year}年度街道城市管理月度考评方案`,
      components: [
        { code: 'case_performance', zh: '数字城管案件指标', en: 'Digital case indicators', kind: 'case_performance', weight: 60 },
        { code: 'satisfaction', zh: '群众满意率', en: 'Public satisfaction', kind: 'indicator', indicator: 'satisfaction_rate', weight: 20 },
        { code: 'special_tasks', zh: '专项工作', en: 'Special tasks', kind: 'entered', weight: 20 },
      ],
      ties: { breakBy: ['case_performance'], money: 'split' },
      ladder: { rewards: [30_000, 20_000, 10_000], penalties: [10_000, 5_000] },
      note: '示例方案:街道考评奖惩为演示设定。',
    }, `${year}年度街道考评方案(示例)`, months[0]!.fromMs - DAY);
  }
  const streets = await db.selectFrom('territory_nodes as s').innerJoin('territory_nodes as d', 'd.id', 's.parent_id').select(['s.id']).where('d.code', '=', first).execute();
  for (const month of months) {
    const end = month.toMs;
    const runId = await openRun(db, districtOffice, { schemeCode: `district-${first}`, period: month.code }, end + DAY);
    await db.insertInto('evaluation_entries').values(streets.map((st) => ({
      run_id: runId, unit_node_id: st.id, code: 'special_tasks', value: 65 + Math.round(random() * 33), reason: '街道专项工作完成情况(示例数据)', entered_at: end + DAY, entered_by: districtOffice.id,
    }))).execute();
    await actOnRun(db, districtOffice, runId, 'issue', {}, end + 2 * DAY);
    const deadline = Number((await loadRun(db, runId)).appeal_deadline);
    await actOnRun(db, districtOffice, runId, 'finalize', {}, deadline + HOUR);
    await actOnRun(db, districtOffice, runId, 'publish', {}, deadline + 2 * HOUR);
  }
  return { months: months.length, findings, appeals };
}
