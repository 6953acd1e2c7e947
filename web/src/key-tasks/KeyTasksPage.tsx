import { useState } from 'react';
import { downloadPlanReport, getBoard, listPlans, type KtBoard, type KtBoardTask, type MilestoneStatus } from '../api/key-tasks.ts';
import { useApi } from '../hooks/useApi.ts';
import { useI18n, type MessageKey } from '../i18n/index.tsx';
import { Link, navigate, useRoute } from '../router.ts';
import { useSession } from '../shell/session.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Empty, Loading, PageHeader } from '../components/Status.tsx';
import { useSubmit } from '../hooks/useSubmit.ts';
import { StatusChip, UnitNames, COLOURS } from './parts.tsx';
import { TaskPage } from './TaskPage.tsx';
import { ScoresPanel } from './ScoresPanel.tsx';
import { PlanForm, TaskForm } from './forms.tsx';
import { ScoreRuleEditor } from './ScoreRuleEditor.tsx';

const STATUS_COLOUR: Record<MilestoneStatus, keyof typeof COLOURS> = { done: 'green', done_late: 'orange', in_review: 'blue', overdue: 'red', due_soon: 'yellow', pending: 'grey' };

/** 挂图作战: the plans, a plan's board (tasks by lead unit, milestones in status colours), a task. */
export function KeyTasksPage() {
  const route = useRoute();
  const task = Number(route.params.get('task') ?? 0);
  const plan = Number(route.params.get('plan') ?? 0);
  if (task) return <TaskPage id={task} />;
  if (plan) return <Board id={plan} />;
  return <PlanList />;
}

function PlanList() {
  const { t } = useI18n();
  const plans = useApi((signal) => listPlans(signal), []);
  const { can } = useSession();
  const manage = can('key_task.manage');
  const [creating, setCreating] = useState(false);
  return (
    <div className="page">
      <PageHeader title={t('kt.title')}>
        {plans.loading && <Loading inline />}
        {manage && <button type="button" className="btn" onClick={() => setCreating((v) => !v)}>{creating ? t('kt.form.cancel') : t('kt.form.newPlan')}</button>}
      </PageHeader>
      {creating && <PlanForm onDone={(id) => navigate('/key-tasks', { plan: id })} />}
      <ErrorPanel error={plans.error} />
      {plans.data && (plans.data.items.length === 0 ? <Empty>{t('kt.noPlans')}</Empty> : (
        <table className="grid-table" aria-label={t('kt.plans')}>
          <thead><tr><th>{t('kt.plans')}</th><th>{t('kt.year')}</th><th>{t('kt.owner')}</th></tr></thead>
          <tbody>{plans.data.items.map((p) => (
            <tr key={p.id}><td><Link to="/key-tasks" params={{ plan: p.id }}>{p.name}</Link></td><td>{p.year}</td><td>{p.owner.name}</td></tr>
          ))}</tbody>
        </table>
      ))}
      {manage && <ScoreRuleEditor initialCode={plans.data?.items[0]?.ruleCode ?? `special-${new Date().getFullYear()}`} key={plans.data?.items[0]?.ruleCode ?? ''} />}
    </div>
  );
}

/** The tasks grouped under their lead unit, as the wall chart hangs them. */
function byLeadUnit(tasks: KtBoardTask[]): [string, KtBoardTask[]][] {
  const groups = new Map<string, KtBoardTask[]>();
  for (const task of tasks) {
    const lead = task.units.find((u) => u.role === 'lead')?.name ?? '—';
    groups.set(lead, [...(groups.get(lead) ?? []), task]);
  }
  return [...groups.entries()];
}

function Board({ id }: { id: number }) {
  const { t } = useI18n();
  const board = useApi((signal) => getBoard(id, signal), [id]);
  const download = useSubmit();
  const [month, setMonth] = useState('');
  const [editing, setEditing] = useState<'plan' | 'task' | null>(null);
  const data: KtBoard | undefined = board.data;
  const toggle = (what: 'plan' | 'task') => setEditing((v) => (v === what ? null : what));
  return (
    <div className="page">
      <PageHeader title={data ? data.plan.name : t('kt.title')}>
        {board.loading && <Loading inline />}
        <Link to="/key-tasks">{t('kt.plans')}</Link>
        {data && <button type="button" className="btn" disabled={download.busy} onClick={() => download.run(() => downloadPlanReport(id, 'xlsx', month || undefined, `key-tasks-${data.plan.code}`))}>{t('kt.download.xlsx')}</button>}
        {data && <button type="button" className="btn" disabled={download.busy} onClick={() => download.run(() => downloadPlanReport(id, 'pdf', month || undefined, `key-tasks-${data.plan.code}`))}>{t('kt.download.pdf')}</button>}
        {data?.canManage && <button type="button" className="btn" onClick={() => toggle('plan')}>{t('kt.form.editPlan')}</button>}
        {data?.canManage && <button type="button" className="btn" onClick={() => toggle('task')}>{t('kt.form.newTask')}</button>}
      </PageHeader>
      {data && editing === 'plan' && <PlanForm plan={data.plan} onDone={() => { setEditing(null); board.reload(); }} />}
      {data && editing === 'task' && <TaskForm planId={id} defaults={{ startDate: `${data.plan.year}-01-01`, endDate: `${data.plan.year}-12-31` }} onDone={(taskId) => navigate('/key-tasks', { task: taskId })} />}
      <ErrorPanel error={board.error ?? download.error} />
      {data && (
        <>
          <p className="muted small">{t('kt.asOf', { date: data.asOf.slice(0, 10) })} · {data.plan.owner.name} · {data.plan.year}</p>
          <div className="toolbar" aria-label={t('kt.legend')}>
            {(Object.keys(data.counts) as MilestoneStatus[]).map((s) => (
              <span key={s} className="badge" style={{ color: COLOURS[STATUS_COLOUR[s]].fg, background: COLOURS[STATUS_COLOUR[s]].bg }}>
                {t(`kt.status.${s}` as MessageKey)} {data.counts[s]}
              </span>
            ))}
          </div>
          {data.tasks.length === 0 ? <Empty /> : byLeadUnit(data.tasks).map(([unit, tasks]) => (
            <section key={unit} className="card kt-unit" aria-label={unit}>
              <h2>{unit}</h2>
              <table className="grid-table compact wrap">
                <thead><tr><th style={{ width: 50 }}>{t('kt.seq')}</th><th>{t('kt.task')}</th><th>{t('kt.cooperating')}</th><th>{t('kt.milestones')}</th></tr></thead>
                <tbody>{tasks.map((task) => (
                  <tr key={task.id}>
                    <td className="mono">{task.seq}</td>
                    <td><Link to="/key-tasks" params={{ task: task.id }}>{task.name}</Link><div className="muted small">{task.startDate} — {task.endDate}</div></td>
                    <td><UnitNames units={task.units} role="cooperating" /></td>
                    <td>{task.milestones.map((m) => <StatusChip key={m.id} m={m} withName />)}</td>
                  </tr>
                ))}</tbody>
              </table>
            </section>
          ))}
          <ScoresPanel planId={id} canManage={data.canManage} month={month} setMonth={setMonth} />
        </>
      )}
    </div>
  );
}
