import { useEffect, useState, type FormEvent } from 'react';
import { listCases, workflowTable, type CaseItem, type WorkflowTable } from '../api/cases.ts';
import { useApi } from '../hooks/useApi.ts';
import { useI18n } from '../i18n/index.tsx';
import { Link } from '../router.ts';
import { useSession } from '../shell/session.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Loading } from '../components/Status.tsx';
import { localTime } from '../evaluation/format.ts';
import { LightDot } from '../cases/CasesPage.tsx';
import { newOutboxAction, outbox, type OutboxItem } from './outbox.ts';
import { loadTasks, saveTasks, type CachedTasks } from './taskCache.ts';

type Transition = WorkflowTable['transitions'][number];

/**
 * 核实与核查任务: the cases waiting for the inspector's visit, with the actions the workflow table gives
 * an inspector in each state. Seen online, they are kept on the phone; offline, the cached list is worked
 * through and each action waits in the outbox with the case version it was taken on.
 */
export function InspectorTasks({ online, queued, onQueued }: { online: boolean; queued: OutboxItem[]; onQueued: () => Promise<void> }) {
  const { t, lang } = useI18n();
  const { me } = useSession();
  const userId = me?.id ?? null;
  const [cached, setCached] = useState<CachedTasks | null>(() => loadTasks(userId));
  const [acting, setActing] = useState<{ task: CaseItem; transition: Transition } | null>(null);
  // The two on-site tasks (核实 of public reports, 核查 of handled cases); 自处置 of one's own report is done at reporting.
  const live = useApi((signal) => (online
    ? Promise.all([listCases({ state: 'pending_verify,pending_check', sort: 'due_asc', limit: 100 }, signal), workflowTable(signal)])
    : Promise.resolve(undefined)), [online, queued.length]);
  useEffect(() => {
    if (!live.data) return;
    const value = { userId, fetchedAt: new Date().toISOString(), tasks: live.data[0].items, transitions: live.data[1].transitions.filter((x) => x.roles.includes('inspector')) };
    saveTasks(value);
    setCached(value);
  }, [live.data, userId]);
  const waitingFor = new Map(queued.flatMap((q) => (q.kind === 'action' ? [[q.caseId, q] as const] : [])));

  if (!cached) return online ? (live.error ? <ErrorPanel error={live.error} /> : <Loading />) : <p className="muted">{t('inspector.tasksOffline')}</p>;
  return (
    <>
      {!online && <p className="muted small" data-testid="tasks-cached">{t('inspector.tasksCached', { time: localTime(cached.fetchedAt) })}</p>}
      <ul className="plain-list task-list" aria-label={t('inspector.tasks')}>
        {cached.tasks.map((c) => {
          const waiting = waitingFor.get(c.id);
          return (
            <li key={c.id}>
              <div><LightDot light={c.light} /> <Link to="/cases" params={{ id: c.id }}>{c.code}</Link> {c.stateLabel} · {c.class.name} · {c.address ?? c.territory.grid.name}</div>
              {waiting ? <span className="badge plain">{t('inspector.queued', { action: waiting.kind === 'action' ? waiting.actionLabel : '' })}</span> : (
                <div className="toolbar">
                  {cached.transitions.filter((x) => x.from.includes(c.state)).map((x) => (
                    <button key={x.action} type="button" className="btn" onClick={() => setActing({ task: c, transition: x })}>{lang === 'zh' ? x.zh : x.en}</button>
                  ))}
                </div>
              )}
              {acting?.task.id === c.id && !waiting && (
                <TaskActionForm task={c} transition={acting.transition} onCancel={() => setActing(null)} onSaved={async () => { setActing(null); await onQueued(); }} />
              )}
            </li>
          );
        })}
        {cached.tasks.length === 0 && <li className="muted">{t('cases.none')}</li>}
      </ul>
    </>
  );
}

/** One action on a task, kept in the outbox first: a reason when the table demands one, else an optional note, and site photos. */
function TaskActionForm({ task, transition, onCancel, onSaved }: { task: CaseItem; transition: Transition; onCancel: () => void; onSaved: () => Promise<void> }) {
  const { t, lang } = useI18n();
  const needsReason = transition.requires.includes('reason');
  const needsPhoto = transition.requires.includes('attachmentIds');
  const [text, setText] = useState('');
  const [photos, setPhotos] = useState<File[]>([]);
  const [error, setError] = useState<unknown>(undefined);
  const label = lang === 'zh' ? transition.zh : transition.en;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (needsReason && !text.trim()) { setError(new Error(t('inspector.reasonRequired'))); return; }
    if (needsPhoto && photos.length === 0) { setError(new Error(t('inspector.photoRequired'))); return; }
    const body = { expectedVersion: task.version, ...(text.trim() ? (needsReason ? { reason: text.trim() } : { note: text.trim() }) : {}) };
    await outbox.put(newOutboxAction({ caseId: task.id, caseCode: task.code, action: transition.action, actionLabel: label, body }, photos));
    await onSaved();
  };
  return (
    <form className="action-form" onSubmit={submit} noValidate aria-label={label}>
      <label className="field"><span>{needsReason ? t('inspector.reason') : t('inspector.note')}</span><textarea rows={2} value={text} maxLength={2000} onChange={(e) => setText(e.target.value)} /></label>
      <label className="field"><span>{t('portal.photo')}</span><input type="file" accept="image/*" capture="environment" multiple onChange={(e) => setPhotos([...(e.target.files ?? [])])} /></label>
      <ErrorPanel error={error} />
      <div className="toolbar">
        <button type="submit" className="btn primary">{t('cases.confirm')}</button>
        <button type="button" className="btn" onClick={onCancel}>{t('cases.cancel')}</button>
      </div>
    </form>
  );
}
