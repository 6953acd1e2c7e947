// Routes of key-task supervision (挂图作战): scoring rules, plans and their board, tasks and milestones, progress
// reports, reviews, one's own work, alerts, the month's special-task scores, their transfer into an evaluation,
// and the printed progress. docs/key-tasks.md.
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@fastify/type-provider-typebox';
import type { AppContext } from '../http/context.ts';
import { notFound } from '../http/errors.ts';
import { addMilestone, addTask, createPlan, currentRule, putScoreRule, type TaskInput } from './plans.service.ts';
import { fileReport, reviewMilestone, type ReportInput } from './progress.service.ts';
import { planMonthScores, transferScores } from './scores.service.ts';
import { alerts, listPlans, myWork, planBoard, taskView } from './views.service.ts';
import { keyTaskReportPdf, keyTaskReportXlsx } from './key-tasks-report.ts';
import { removeMilestone, removeTask, updateMilestone, updatePlan, updateTask, type TaskPatch } from './edits.service.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const tags = ['key-tasks'];
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const CodeParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 40 }) });
const Text = (max: number) => Type.String({ maxLength: max });
const Unit = Type.Object({ kind: Type.String({ maxLength: 20, description: 'department or territory' }), code: Type.String({ minLength: 1, maxLength: 40 }) }, { additionalProperties: false });
const Milestone = Type.Object({
  name: Text(200), deliverable: Text(1000), dueDate: Text(10), granularity: Type.Optional(Type.String({ maxLength: 10, description: 'day (default) or week' })),
}, { additionalProperties: false });
const Month = Type.String({ maxLength: 7, description: 'YYYY-MM' });

export async function keyTaskRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/api/key-tasks/score-rules/:code', {
    config: { access: 'key_task.read' },
    schema: { tags, summary: 'A special-task scoring rule (专项工作评分细则): its newest version and the list of versions', params: CodeParams },
  }, async (request) => {
    const { code } = request.params as { code: string };
    const current = await currentRule(ctx.db, code);
    if (!current) throw notFound(`scoring rule ${code}`);
    const versions = await ctx.db.selectFrom('key_task_score_rules').select(['version', 'name', 'reason', 'created_at']).where('code', '=', code).orderBy('version', 'desc').execute();
    return { ...current, createdAt: new Date(current.createdAt).toISOString(), versions: versions.map((v) => ({ version: v.version, name: v.name, reason: v.reason, createdAt: new Date(Number(v.created_at)).toISOString() })) };
  });

  app.get('/api/key-tasks/score-rules', {
    config: { access: 'key_task.read' },
    schema: { tags, summary: 'The scoring rules\' codes with their newest version, for choosing a plan\'s rule' },
  }, async () => {
    const rows = await ctx.db.selectFrom('key_task_score_rules').select(['code', 'version', 'name']).orderBy('code').orderBy('version', 'desc').execute();
    const newest = new Map<string, { code: string; version: number; name: string }>();
    for (const r of rows) if (!newest.has(r.code)) newest.set(r.code, { code: r.code, version: r.version, name: r.name });
    return { items: [...newest.values()] };
  });

  const RuleBody = Type.Object({ rule: Type.Unknown(), reason: Type.Optional(Text(1000)) }, { additionalProperties: false });
  app.put('/api/key-tasks/score-rules/:code', {
    config: { access: 'key_task.manage' },
    schema: { tags, summary: 'Save a scoring rule as its next version (base, points per event and role, early days, bonus cap, range)', params: CodeParams, body: RuleBody },
  }, async (request) => putScoreRule(ctx.db, request.actor, (request.params as { code: string }).code, request.body as Static<typeof RuleBody>, Date.now()));

  app.get('/api/key-tasks/plans', {
    config: { access: 'key_task.read' },
    schema: { tags, summary: 'The plans you read: whole plans of your territory, or those where your unit answers for a task' },
  }, async (request) => ({ items: await listPlans(ctx.db, request.actor) }));

  const PlanBody = Type.Object({
    code: Type.String({ minLength: 1, maxLength: 40 }), name: Text(200), year: Type.Integer(), ownerCode: Type.String({ minLength: 1, maxLength: 40 }),
    ruleCode: Type.String({ minLength: 1, maxLength: 40 }), description: Type.Optional(Text(4000)),
  }, { additionalProperties: false });
  app.post('/api/key-tasks/plans', {
    config: { access: 'key_task.manage' },
    schema: { tags, summary: 'Create a plan (e.g. a year\'s 双十 action plan) owned by a territory node, scored under a rule', body: PlanBody },
  }, async (request, reply) => {
    const id = await createPlan(ctx.db, request.actor, request.body as Static<typeof PlanBody>, Date.now());
    reply.code(201);
    return planBoard(ctx.db, request.actor, id, Date.now());
  });

  app.get('/api/key-tasks/plans/:id', {
    config: { access: 'key_task.read' },
    schema: { tags, summary: 'The board (挂图作战): the tasks you see with their units and milestones in status colours', params: IdParams },
  }, async (request) => planBoard(ctx.db, request.actor, (request.params as { id: number }).id, Date.now()));

  const TaskBody = Type.Object({
    parentId: Type.Optional(Type.Integer({ minimum: 1 })), seq: Text(20), name: Text(200), target: Text(2000), startDate: Text(10), endDate: Text(10),
    lead: Type.Optional(Unit), cooperating: Type.Optional(Type.Array(Unit, { maxItems: 30 })), milestones: Type.Optional(Type.Array(Milestone, { maxItems: 100 })),
  }, { additionalProperties: false });
  app.post('/api/key-tasks/plans/:id/tasks', {
    config: { access: 'key_task.manage' },
    schema: { tags, summary: 'Add a task, or a sub-task (parentId), with its lead and cooperating units and its milestones', params: IdParams, body: TaskBody },
  }, async (request, reply) => {
    const taskId = await addTask(ctx.db, request.actor, (request.params as { id: number }).id, request.body as TaskInput, Date.now());
    reply.code(201);
    return taskView(ctx.db, request.actor, taskId, Date.now());
  });

  app.get('/api/key-tasks/plans/:id/scores', {
    config: { access: 'key_task.read' },
    schema: { tags, summary: 'The month\'s special-task score (专项工作) of each unit, with its trace: which milestones, which deductions', params: IdParams, querystring: Type.Object({ month: Month }) },
  }, async (request) => planMonthScores(ctx.db, request.actor, (request.params as { id: number }).id, (request.query as { month: string }).month, Date.now()));

  const TransferBody = Type.Object({ runId: Type.Integer({ minimum: 1 }), month: Month, componentCode: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })) }, { additionalProperties: false });
  app.post('/api/key-tasks/plans/:id/transfer', {
    config: { access: 'key_task.manage' },
    schema: { tags, summary: 'Transfer the month\'s scores into a draft evaluation run\'s entered component (default special_tasks), the trace as the reason', params: IdParams, body: TransferBody },
  }, async (request) => transferScores(ctx.db, request.actor, (request.params as { id: number }).id, request.body as Static<typeof TransferBody>, Date.now()));

  app.get('/api/key-tasks/plans/:id/report', {
    config: { access: 'key_task.read' },
    schema: {
      tags, summary: 'The printed progress (推进情况表) and, with a month, its special-task scores, as XLSX or PDF', params: IdParams,
      querystring: Type.Object({ format: Type.Union([Type.Literal('xlsx'), Type.Literal('pdf')]), month: Type.Optional(Month) }),
    },
  }, async (request, reply) => {
    const { id } = request.params as { id: number };
    const q = request.query as { format: 'xlsx' | 'pdf'; month?: string };
    const now = Date.now();
    const board = await planBoard(ctx.db, request.actor, id, now);
    const scores = q.month ? await planMonthScores(ctx.db, request.actor, id, q.month, now) : null;
    const file = `key-tasks-${board.plan.code}${q.month ? `-${q.month}` : ''}`;
    if (q.format === 'xlsx') return reply.type(XLSX).header('content-disposition', `attachment; filename="${file}.xlsx"`).send(await keyTaskReportXlsx(board, scores));
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="${file}.pdf"`).send(await keyTaskReportPdf(board, scores));
  });

  app.get('/api/key-tasks/tasks/:id', {
    config: { access: 'key_task.read' },
    schema: { tags, summary: 'A task: its units, milestones, progress reports with photos, reviews, and what you may do', params: IdParams },
  }, async (request) => taskView(ctx.db, request.actor, (request.params as { id: number }).id, Date.now()));

  app.post('/api/key-tasks/tasks/:id/milestones', {
    config: { access: 'key_task.manage' },
    schema: { tags, summary: 'Add a milestone (to the day or week) with what must be delivered', params: IdParams, body: Milestone },
  }, async (request, reply) => {
    const { id } = request.params as { id: number };
    await addMilestone(ctx.db, request.actor, id, request.body as Static<typeof Milestone>, Date.now());
    reply.code(201);
    return taskView(ctx.db, request.actor, id, Date.now());
  });

  const ReportBody = Type.Object({
    milestoneId: Type.Integer({ minimum: 1 }), unitCode: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })), percent: Type.Integer(), text: Text(4000),
    attachmentIds: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 20 })), submit: Type.Optional(Type.Boolean()),
  }, { additionalProperties: false });
  app.post('/api/key-tasks/tasks/:id/reports', {
    config: { access: 'key_task.report' },
    schema: { tags, summary: 'Report progress on a milestone of your task with text and photos; with submit, the lead unit asks for its review (提请验收)', params: IdParams, body: ReportBody },
  }, async (request, reply) => {
    const { id } = request.params as { id: number };
    const reportId = await fileReport(ctx.db, request.actor, id, request.body as ReportInput, Date.now());
    reply.code(201);
    return { id: reportId, task: await taskView(ctx.db, request.actor, id, Date.now()) };
  });

  const ReviewBody = Type.Object({ outcome: Type.String({ maxLength: 20, description: 'accepted or returned' }), reason: Type.Optional(Text(1000)) }, { additionalProperties: false });
  app.post('/api/key-tasks/milestones/:id/review', {
    config: { access: 'key_task.manage' },
    schema: { tags, summary: 'Review a submitted milestone: accepted, or returned with the reason', params: IdParams, body: ReviewBody },
  }, async (request) => {
    const { id } = request.params as { id: number };
    await reviewMilestone(ctx.db, request.actor, id, request.body as Static<typeof ReviewBody>, Date.now());
    const row = await ctx.db.selectFrom('key_task_milestones').select('task_id').where('id', '=', id).executeTakeFirstOrThrow();
    return taskView(ctx.db, request.actor, Number(row.task_id), Date.now());
  });

  app.get('/api/key-tasks/mine', {
    config: { access: 'key_task.read' },
    schema: { tags, summary: 'Your work: the milestones your unit must deliver, and (the office) those awaiting your review' },
  }, async (request) => myWork(ctx.db, request.actor, Date.now()));

  app.get('/api/key-tasks/alerts', {
    config: { access: 'key_task.read' },
    schema: { tags, summary: 'Overdue alerts (逾期预警) of the tasks you see, newest first' },
  }, async (request) => ({ items: await alerts(ctx.db, request.actor, Date.now()) }));
  const PlanPatch = Type.Object({ name: Type.Optional(Text(200)), description: Type.Optional(Type.Union([Text(4000), Type.Null()])), ruleCode: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })) }, { additionalProperties: false });
  app.patch('/api/key-tasks/plans/:id', {
    config: { access: 'key_task.manage' },
    schema: { tags, summary: 'Correct a plan: its name, description or scoring rule', params: IdParams, body: PlanPatch },
  }, async (request) => {
    const { id } = request.params as { id: number };
    await updatePlan(ctx.db, request.actor, id, request.body as Static<typeof PlanPatch>, Date.now());
    return planBoard(ctx.db, request.actor, id, Date.now());
  });

  const TaskPatchBody = Type.Object({
    name: Type.Optional(Text(200)), target: Type.Optional(Text(2000)), startDate: Type.Optional(Text(10)), endDate: Type.Optional(Text(10)),
    lead: Type.Optional(Unit), cooperating: Type.Optional(Type.Array(Unit, { maxItems: 30 })),
  }, { additionalProperties: false });
  app.patch('/api/key-tasks/tasks/:id', {
    config: { access: 'key_task.manage' },
    schema: { tags, summary: 'Correct a task: wording, period, units (a unit that reported stays)', params: IdParams, body: TaskPatchBody },
  }, async (request) => {
    const { id } = request.params as { id: number };
    await updateTask(ctx.db, request.actor, id, request.body as TaskPatch, Date.now());
    return taskView(ctx.db, request.actor, id, Date.now());
  });

  app.delete('/api/key-tasks/tasks/:id', {
    config: { access: 'key_task.manage' },
    schema: { tags, summary: 'Remove a task written by mistake (refused with sub-tasks, or once anything happened on it)', params: IdParams },
  }, async (request, reply) => {
    await removeTask(ctx.db, request.actor, (request.params as { id: number }).id, Date.now());
    return reply.code(204).send();
  });

  const MilestonePatch = Type.Partial(Milestone, { additionalProperties: false });
  app.patch('/api/key-tasks/milestones/:id', {
    config: { access: 'key_task.manage' },
    schema: { tags, summary: 'Correct a milestone not yet accepted: wording, due date (not once overdue), granularity', params: IdParams, body: MilestonePatch },
  }, async (request) => {
    const { id } = request.params as { id: number };
    await updateMilestone(ctx.db, request.actor, id, request.body as Static<typeof MilestonePatch>, Date.now());
    const row = await ctx.db.selectFrom('key_task_milestones').select('task_id').where('id', '=', id).executeTakeFirstOrThrow();
    return taskView(ctx.db, request.actor, Number(row.task_id), Date.now());
  });

  app.delete('/api/key-tasks/milestones/:id', {
    config: { access: 'key_task.manage' },
    schema: { tags, summary: 'Remove a milestone written by mistake (refused once reported on, submitted, reviewed or overdue)', params: IdParams },
  }, async (request) => {
    const taskId = await removeMilestone(ctx.db, request.actor, (request.params as { id: number }).id, Date.now());
    return taskView(ctx.db, request.actor, taskId, Date.now());
  });
}
