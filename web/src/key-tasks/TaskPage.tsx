import { useState, type FormEvent } from 'react';
import { fileReport, getTask, removeMilestone, removeTask, reviewMilestone, type KtTask } from '../api/key-tasks.ts';
import { uploadPhoto } from '../api/cases.ts';
import { useApi } from '../hooks/useApi.ts';
import { useSubmit } from '../hooks/useSubmit.ts';
import { useI18n, type MessageKey } from '../i18n/index.tsx';
import { Link, navigate } from '../router.ts';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Loading, PageHeader } from '../components/Status.tsx';
import { PhotoThumb } from '../components/PhotoThumb.tsx';
import { localTime } from '../evaluation/format.ts';
import { StatusChip, UnitNames } from './parts.tsx';
import { MilestoneForm, TaskForm } from './forms.tsx';

/** A task: its units and milestones, each with its progress reports (text, percent, photos) and reviews; the unit reports, the office reviews. */
export function TaskPage({ id }: { id: number }) {
  const { t } = useI18n();
  const task = useApi((signal) => getTask(id, signal), [id]);
  const data = task.data;
  const [editing, setEditing] = useState<string | null>(null);
  const toggle = (what: string) => setEditing((v) => (v === what ? null : what));
  const remove = useSubmit();
  const manage = data?.can.review ?? false;
  return (
    <div className="page">
      <PageHeader title={data ? `${data.task.seq} ${data.task.name}` : t('kt.task')}>
        {task.loading && <Loading inline />}
        {data && <Link to="/key-tasks" params={{ plan: data.plan.id }}>{t('kt.back')}</Link>}
        {manage && <button type="button" className="btn" onClick={() => toggle('task')}>{t('kt.form.editTask')}</button>}
        {manage && !data!.task.parent && <button type="button" className="btn" onClick={() => toggle('sub')}>{t('kt.form.newSubTask')}</button>}
        {manage && <button type="button" className="btn danger" disabled={remove.busy} onClick={() => remove.run(async () => { await removeTask(id); navigate('/key-tasks', { plan: data!.plan.id }); })}>{t('kt.form.remove')}</button>}
      </PageHeader>
      <ErrorPanel error={task.error ?? remove.error} />
      {data && editing === 'task' && <TaskForm planId={data.plan.id} task={{ ...data.task, units: data.units }} onDone={() => { setEditing(null); task.reload(); }} />}
      {data && editing === 'sub' && <TaskForm planId={data.plan.id} parent={data.task} defaults={data.task} onDone={(taskId) => navigate('/key-tasks', { task: taskId })} />}
      {data && (
        <>
          <table className="grid-table compact wrap" aria-label={t('kt.task')}>
            <tbody>
              <tr><th>{t('kt.target')}</th><td>{data.task.target}</td></tr>
              <tr><th>{t('kt.period')}</th><td>{data.task.startDate} — {data.task.endDate}</td></tr>
              {data.task.parent && <tr><th>{t('kt.parent')}</th><td><Link to="/key-tasks" params={{ task: data.task.parent.id }}>{`${data.task.parent.seq} ${data.task.parent.name}`}</Link></td></tr>}
              <tr><th>{t('kt.lead')}</th><td><UnitNames units={data.units} role="lead" /></td></tr>
              <tr><th>{t('kt.cooperating')}</th><td><UnitNames units={data.units} role="cooperating" /></td></tr>
            </tbody>
          </table>
          {data.milestones.map((m) => (
            <section key={m.id} className="card kt-milestone" aria-label={m.name}>
              <h2>{m.name} <StatusChip m={m} />
                {manage && m.state !== 'accepted' && <button type="button" className="btn small" onClick={() => toggle(`m${m.id}`)}>{t('kt.form.edit')}</button>}
                {manage && m.state === 'open' && m.reports.length === 0 && !m.overdueFlaggedAt && (
                  <button type="button" className="btn small danger" disabled={remove.busy} onClick={() => remove.run(async () => { await removeMilestone(m.id); task.reload(); })}>{t('kt.form.remove')}</button>
                )}
              </h2>
              {editing === `m${m.id}` && <MilestoneForm taskId={id} milestone={m} onDone={() => { setEditing(null); task.reload(); }} />}
              <p className="small">{t('kt.deliverable')}: {m.deliverable} · {t('kt.progress', { n: m.percent })}</p>
              <h3>{t('kt.reports')}</h3>
              {m.reports.length === 0 ? <p className="muted small">{t('kt.noReports')}</p> : (
                <table className="grid-table compact wrap">
                  <tbody>{m.reports.map((r) => (
                    <tr key={r.id}>
                      <td className="mono small">{localTime(r.reportedAt)}</td>
                      <td>{r.unit?.name} · {r.reporter}{r.submits && <span className="badge plain">{t('kt.report.submitted')}</span>}</td>
                      <td className="num">{r.percent}%</td>
                      <td>{r.text}<div>{r.attachmentIds.map((a) => <PhotoThumb key={a} id={a} label={r.text} small />)}</div></td>
                    </tr>
                  ))}</tbody>
                </table>
              )}
              {m.reviews.length > 0 && (
                <>
                  <h3>{t('kt.reviews')}</h3>
                  <ul className="small">{m.reviews.map((v) => <li key={v.id}>{localTime(v.reviewedAt)} {v.reviewer}: <span className={v.outcome === 'accepted' ? 'badge ok' : 'badge warn'}>{t(`kt.outcome.${v.outcome}` as MessageKey)}</span> {v.reason}</li>)}</ul>
                </>
              )}
              {data.can.report && m.state === 'open' && <ReportForm task={data} milestoneId={m.id} onDone={task.reload} />}
              {data.can.review && m.state === 'submitted' && <ReviewForm milestoneId={m.id} onDone={task.reload} />}
            </section>
          ))}
          {manage && <section className="card" aria-label={t('kt.form.newMilestone')}><MilestoneForm taskId={id} onDone={task.reload} /></section>}
        </>
      )}
    </div>
  );
}

function ReportForm({ task, milestoneId, onDone }: { task: KtTask; milestoneId: number; onDone: () => void }) {
  const { t } = useI18n();
  const [percent, setPercent] = useState('');
  const [text, setText] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [submit, setSubmit] = useState(false);
  const [unitCode, setUnitCode] = useState(task.myUnits[0]?.code ?? '');
  const { busy, error, run } = useSubmit();
  const send = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const attachmentIds = [];
      for (const file of files) attachmentIds.push(await uploadPhoto(file));
      await fileReport(task.task.id, { milestoneId, unitCode, percent: submit ? 100 : Number(percent), text, attachmentIds, submit });
      setPercent(''); setText(''); setFiles([]); setSubmit(false);
      onDone();
    });
  };
  return (
    <form className="kt-form" onSubmit={send} aria-label={t('kt.report.title')}>
      <h3>{t('kt.report.title')}</h3>
      <div className="field-row">
        {task.myUnits.length > 1 && (
          <label className="field"><span>{t('kt.report.unit')}</span>
            <select value={unitCode} onChange={(e) => setUnitCode(e.target.value)}>{task.myUnits.map((u) => <option key={u.code} value={u.code}>{u.name}</option>)}</select>
          </label>
        )}
        <label className="field"><span>{t('kt.report.percent')}</span><input name="percent" inputMode="numeric" value={submit ? '100' : percent} disabled={submit} onChange={(e) => setPercent(e.target.value)} /></label>
        <label className="field"><span>{t('kt.report.photos')}</span><input name="photos" type="file" accept="image/*" multiple onChange={(e) => setFiles([...(e.target.files ?? [])])} /></label>
      </div>
      <label className="field"><span>{t('kt.report.text')}</span><textarea name="text" rows={3} value={text} onChange={(e) => setText(e.target.value)} /></label>
      {task.can.submit && <label className="form-row"><input type="checkbox" checked={submit} onChange={(e) => setSubmit(e.target.checked)} /> {t('kt.report.submit')}</label>}
      <ErrorPanel error={error} />
      <button type="submit" className="btn primary" disabled={busy}>{t('kt.report.send')}</button>
    </form>
  );
}

function ReviewForm({ milestoneId, onDone }: { milestoneId: number; onDone: () => void }) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const { busy, error, run } = useSubmit();
  const review = (outcome: 'accepted' | 'returned') => run(async () => { await reviewMilestone(milestoneId, { outcome, reason }); setReason(''); onDone(); });
  return (
    <div className="kt-form" aria-label={t('kt.review.title')}>
      <h3>{t('kt.review.title')}</h3>
      <label className="field"><span>{t('kt.review.reason')}</span><input name="reason" value={reason} onChange={(e) => setReason(e.target.value)} /></label>
      <ErrorPanel error={error} />
      <button type="button" className="btn primary" disabled={busy} onClick={() => review('accepted')}>{t('kt.review.accept')}</button>{' '}
      <button type="button" className="btn danger" disabled={busy} onClick={() => review('returned')}>{t('kt.review.return')}</button>
    </div>
  );
}
