// A small key-task plan (重点任务 · 挂图作战) for the demo city, so the board, the task pages, the alerts and the
// month's special-task scores show something on a fresh demo: the year's "双十" action plan with six tasks of the
// seeds' speech (户外广告治理, 背街小巷环卫保洁 with a sub-task, 园林精细化修剪, 老旧小区提升改造, 道路交通秩序整治,
// 集贸市场管理), the demo's departments and first districts as lead and cooperating units, and milestones placed
// in days before and after the end of the history, each played through the services the units and the office use
// (reports, submissions, acceptances, one return), then the overdue job at that instant. Deterministic for a
// history end: no randomness is needed, the offsets are the script.
import type { Actor } from '@cityops/domain/access/scope';
import { formatIsoDate, parseIsoDate } from '@cityops/domain/calendar/civil-date';
import { beijingDate, dueDateOf, dueEndMs, type DueGranularity } from '@cityops/domain/key-tasks/milestones';
import { defaultScoreRule } from '@cityops/domain/key-tasks/score';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { loadGrants } from '../access/access.service.ts';
import { addTask, createPlan, putScoreRule, type UnitInput } from '../key-tasks/plans.service.ts';
import { fileReport, markOverdueMilestones, reviewMilestone } from '../key-tasks/progress.service.ts';

const DAY = 86_400_000;

/**
 * What happens to a milestone, relative to the end of its due day (all before the history ends):
 * early: submitted 10 days before, accepted the next day; on_time: submitted 2 days before, accepted the day before;
 * late: 70 % reported 5 days before, submitted 3 days after, accepted 4 days after; returned: 50 % 20 days before,
 * submitted 3 days before, returned the day before (so overdue now); overdue: 60 % 10 days before, nothing more;
 * in_review: submitted 2 days before the history ends; started: 40 % the day before the history ends; open: nothing.
 */
type Script = 'early' | 'on_time' | 'late' | 'returned' | 'overdue' | 'in_review' | 'started' | 'open';
interface DemoMilestone { name: string; deliverable: string; offset: number; granularity?: DueGranularity; script: Script }
interface DemoTask { seq: string; name: string; target: string; lead?: UnitInput; cooperating?: UnitInput[]; milestones: DemoMilestone[] }

const dept = (code: string): UnitInput => ({ kind: 'department', code });
const gov = (code: string): UnitInput => ({ kind: 'territory', code });

function demoTasks(d: string[]): DemoTask[] {
  return [
    { seq: '1', name: '户外广告治理', target: '城区广告牌匾全面检查规范，应清尽清、应改尽改', lead: dept('ZFZD'), cooperating: [gov(d[0]!), gov(d[1]!)], milestones: [
      { name: '摸底排查', deliverable: '广告牌匾台账', offset: -150, script: 'early' },
      { name: '集中整治', deliverable: '整治前后对比照片及台账', offset: -40, script: 'returned' },
      { name: '长效管理', deliverable: '户外广告设置管理办法', offset: 60, script: 'open' },
    ] },
    { seq: '2', name: '背街小巷环卫保洁', target: '主次干道、背街小巷“无缝隙”保洁', lead: dept('HWC'), cooperating: [gov(d[0]!)], milestones: [
      { name: '保洁范围划定', deliverable: '环卫、街道、开发区保洁责任清单', offset: -120, script: 'on_time' },
      { name: '示范路打造', deliverable: '示范路验收材料', offset: -20, granularity: 'week', script: 'overdue' },
    ] },
    { seq: '2.1', name: '“三位一体”保洁模式', target: '环卫部门、街道、社区（村）保洁队伍全覆盖', milestones: [
      { name: '社区保洁队伍组建', deliverable: '队伍名册及作业排班表', offset: 5, script: 'in_review' },
    ] },
    { seq: '3', name: '园林精细化修剪', target: '推进精细化修剪，增绿、增彩、增果', lead: dept('YLJ'), milestones: [
      { name: '修剪作业规范', deliverable: '养护作业规范', offset: -90, script: 'early' },
      { name: '病虫害防治', deliverable: '防治记录', offset: -10, script: 'late' },
      { name: '植绿补绿', deliverable: '补植清单', offset: 25, granularity: 'week', script: 'open' },
    ] },
    { seq: '4', name: '老旧小区提升改造', target: '完成年度老旧小区提升改造项目', lead: dept('ZJJ'), cooperating: [gov(d[1]!), gov(d[2]!)], milestones: [
      { name: '改造方案', deliverable: '改造方案及预算', offset: -60, script: 'late' },
      { name: '开工建设', deliverable: '开工报告', offset: 3, script: 'started' },
    ] },
    { seq: '5', name: '道路交通秩序整治', target: '增划道路停车位，减少交通违法行为', lead: dept('JJZD'), cooperating: [dept('ZFZD')], milestones: [
      { name: '增划停车位', deliverable: '新增停车位清单', offset: -30, script: 'early' },
      { name: '文明交通宣传', deliverable: '宣传活动记录', offset: 40, script: 'open' },
    ] },
    { seq: '6', name: '集贸市场管理', target: '解决集贸市场脏、乱、差问题', lead: dept('SCJG'), cooperating: [gov(d[2]!)], milestones: [
      { name: '市场环境整治', deliverable: '整治台账', offset: -15, script: 'overdue' },
      { name: '食品安全检查', deliverable: '检查记录', offset: 14, script: 'open' },
    ] },
  ];
}

export async function seedDemoKeyTasks(db: Kysely<Database>, options: { cityCode: string; districtCodes: string[]; until: number }): Promise<{ tasks: number; milestones: number; reports: number; flagged: number }> {
  const actorOf = async (username: string): Promise<Actor> => {
    const user = await db.selectFrom('users').select(['id', 'username']).where('username', '=', username).executeTakeFirstOrThrow();
    return { kind: 'user', id: user.id, name: user.username, grants: await loadGrants(db, user.id) };
  };
  const office = await actorOf('kpb');
  const d = [0, 1, 2].map((i) => options.districtCodes[i % options.districtCodes.length]!);
  const until = options.until;
  const today = parseIsoDate(beijingDate(until))!;
  const year = today.year;
  const dateAt = (offset: number) => formatIsoDate(today.days + offset);
  // The plan's year, widened so that every milestone's date lies in its task's period whatever the day.
  const startDate = [`${year}-01-01`, dateAt(-200)].sort()[0]!;
  const endDate = [`${year}-12-31`, dateAt(120)].sort()[1]!;
  const ruleCode = `special-${year}`;
  await putScoreRule(db, office, ruleCode, { rule: defaultScoreRule(), reason: `${year}年重点任务专项工作评分细则` }, until - 200 * DAY);
  const planId = await createPlan(db, office, { code: `shuangshi-${year}`, name: `${year}年“双十”专项行动`, year, ownerCode: options.cityCode, ruleCode, description: '城市建设及精细化管理“双十”行动方案' }, until - 200 * DAY);

  const tasks = demoTasks(d);
  const ids = new Map<string, number>();
  const played: { taskId: number; milestoneId: number; dueEnd: number; script: Script; lead: string }[] = [];
  for (const t of tasks) {
    const parentSeq = t.seq.includes('.') ? t.seq.split('.')[0]! : null;
    const parent = parentSeq ? tasks.find((x) => x.seq === parentSeq)! : null;
    const taskId = await addTask(db, office, planId, {
      ...(parentSeq ? { parentId: ids.get(parentSeq)! } : {}), seq: t.seq, name: t.name, target: t.target, startDate, endDate,
      ...(t.lead ? { lead: t.lead, cooperating: t.cooperating ?? [] } : {}),
      milestones: t.milestones.map((m) => ({ name: m.name, deliverable: m.deliverable, dueDate: dateAt(m.offset), granularity: m.granularity ?? 'day' })),
    }, until - 200 * DAY);
    ids.set(t.seq, taskId);
    const rows = await db.selectFrom('key_task_milestones').select(['id', 'name']).where('task_id', '=', taskId).execute();
    const lead = (t.lead ?? parent!.lead)!;
    const username = lead.kind === 'territory' ? `qu${lead.code}` : `bm-${lead.code.toLowerCase()}`;
    for (const m of t.milestones) {
      const row = rows.find((r) => r.name === m.name)!;
      played.push({ taskId, milestoneId: Number(row.id), dueEnd: dueEndMs(dueDateOf(dateAt(m.offset), m.granularity ?? 'day')), script: m.script, lead: username });
    }
  }

  const actors = new Map<string, Actor>();
  const unit = async (username: string) => actors.get(username) ?? actors.set(username, await actorOf(username)).get(username)!;
  let reports = 0;
  for (const p of played) {
    const u = await unit(p.lead);
    const report = async (percent: number, text: string, when: number, submit = false) => {
      await fileReport(db, u, p.taskId, { milestoneId: p.milestoneId, percent, text, submit }, when);
      reports++;
    };
    const review = (outcome: 'accepted' | 'returned', when: number, reason?: string) => reviewMilestone(db, office, p.milestoneId, { outcome, ...(reason ? { reason } : {}) }, when);
    const e = p.dueEnd;
    switch (p.script) {
      case 'early': await report(100, '已全部完成，材料已上传', e - 10 * DAY, true); await review('accepted', e - 9 * DAY); break;
      case 'on_time': await report(100, '按期完成，清单已报送', e - 2 * DAY, true); await review('accepted', e - DAY); break;
      case 'late':
        await report(70, '正在推进，部分点位待完成', e - 5 * DAY);
        await report(100, '已完成，较计划延后', e + 3 * DAY, true);
        await review('accepted', e + 4 * DAY);
        break;
      case 'returned':
        await report(50, '已完成过半', e - 20 * DAY);
        await report(100, '整治完成，提请验收', e - 3 * DAY, true);
        await review('returned', e - DAY, '缺少整治后现场照片，台账不完整');
        break;
      case 'overdue': await report(60, '推进中，尚有部分未完成', e - 10 * DAY); break;
      case 'in_review': await report(100, '队伍已组建完毕，提请验收', until - 2 * DAY, true); break;
      case 'started': await report(40, '已完成前期手续', until - DAY); break;
      case 'open': break;
    }
  }
  const { flagged } = await markOverdueMilestones(db, until);
  return { tasks: tasks.length, milestones: played.length, reports, flagged };
}
