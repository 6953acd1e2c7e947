import { lazy, Suspense, useState, type FormEvent } from 'react';
import { actOnCase, caseEvents, departments, getCase, uploadPhoto, workflowTable, type AllowedAction, type CaseDetail } from '../api/cases.ts';
import { publicTerritory } from '../api/portal.ts';
import { useApi } from '../hooks/useApi.ts';
import { useI18n } from '../i18n/index.tsx';
import { Link } from '../router.ts';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Loading, PageHeader } from '../components/Status.tsx';
import { localTime } from '../evaluation/format.ts';
import { LightDot } from './CasesPage.tsx';
import { useSubmit } from '../hooks/useSubmit.ts';
import { PhotoThumb } from '../components/PhotoThumb.tsx';

const PortalMap = lazy(() => import('../portal/PortalMap.tsx'));

/** One case: its clocks, the actions the workflow table allows me now, its place, its timeline with photos. */
export function CaseDetailView({ id }: { id: number }) {
  const { t, lang } = useI18n();
  const detail = useApi((signal) => getCase(id, signal), [id]);
  const events = useApi((signal) => caseEvents(id, signal), [id]);
  const territory = useApi((signal) => publicTerritory(signal), []);
  const workflow = useApi((signal) => workflowTable(signal), []);
  const name = (list: { name?: string; action?: string; zh: string; en: string }[] | undefined, key: string) => {
    const row = list?.find((x) => (x.name ?? x.action) === key);
    return row ? (lang === 'zh' ? row.zh : row.en) : key;
  };
  const actionName = (a: string) => (a === 'report' ? t('cases.reported') : name(workflow.data?.transitions, a));
  const [open, setOpen] = useState<AllowedAction | null>(null);
  const reload = () => { detail.reload(); events.reload(); setOpen(null); };
  const c = detail.data;
  return (
    <div className="page">
      <PageHeader title={c ? `${c.code} ${c.class.name}` : t('cases.title')}>
        <Link to="/cases">{t('cases.backToQueue')}</Link>
        {detail.loading && <Loading inline />}
      </PageHeader>
      <ErrorPanel error={detail.error} />
      {c && (
        <div className="case-layout">
          <section>
            <div className="toolbar">
              <LightDot light={c.light} />
              <strong>{c.stateLabel}</strong>
              {c.application && <span className="badge warn">{c.application}</span>}
              <span className="grow" />
              {c.allowedActions.map((a) => (
                <button key={a.action} type="button" className={`btn ${a.negative ? '' : 'primary'}`} onClick={() => setOpen(a)}>{lang === 'zh' ? a.zh : a.en}</button>
              ))}
            </div>
            {open && <ActionForm c={c} action={open} onDone={reload} onCancel={() => setOpen(null)} />}
            <dl className="facts">
              <dt>{t('cases.description')}</dt><dd>{c.description}</dd>
              <dt>{t('cases.where')}</dt><dd>{c.territory.district.name} {c.territory.street.name} {c.territory.grid.name} {c.address ?? ''}</dd>
              <dt>{t('cases.reportedAt')}</dt><dd>{localTime(c.reportedAt)} · {name(workflow.data?.sources, c.source)}</dd>
              {c.stage.dueAt && <><dt>{t('cases.stageDue')}</dt><dd>{localTime(c.stage.dueAt)}</dd></>}
              {c.handling.dueAt && <><dt>{t('cases.handlingDue')}</dt><dd>{localTime(c.handling.dueAt)}{c.handling.overdue ? <span className="badge warn">{t('cases.overdue')}</span> : ''}{c.handling.paused ? <span className="badge plain">{t('cases.paused')}</span> : ''}</dd></>}
              <dt>{t('cases.department')}</dt><dd>{c.department?.name ?? (c.suggestedDepartment ? `${t('cases.suggested')}: ${c.suggestedDepartment.name}` : '—')}</dd>
              {c.reporter && <><dt>{t('cases.reporter')}</dt><dd>{[c.reporter.name, c.reporter.phone].filter(Boolean).join(' ')}</dd></>}
            </dl>
            <h2 className="section-title">{t('cases.timeline')}</h2>
            <ol className="timeline">
              {events.data?.items.map((e) => (
                <li key={e.seq}>
                  <span className="mono">{localTime(e.at)}</span> <strong>{e.actor.name}</strong> {actionName(e.action)} → {name(workflow.data?.states, e.toState)}
                  {e.department ? ` · ${e.department.name}` : ''}{e.reason ? ` · ${e.reason}` : ''}
                  {e.attachments.length > 0 && <div className="photos">{e.attachments.map((a) => <PhotoThumb key={a.id} id={a.id} label={a.originalName ?? ''} />)}</div>}
                </li>
              ))}
            </ol>
          </section>
          <aside>
            {territory.data ? <Suspense fallback={<Loading />}><PortalMap territory={territory.data} point={c.location} onPick={() => {}} /></Suspense> : <Loading />}
          </aside>
        </div>
      )}
    </div>
  );
}

/** The inputs an action requires (the workflow table says which), then the action, under the case's version. */
function ActionForm({ c, action, onDone, onCancel }: { c: CaseDetail; action: AllowedAction; onDone: () => void; onCancel: () => void }) {
  const { t, lang } = useI18n();
  const needs = new Set(action.requires);
  const depts = useApi((signal) => (needs.has('departmentId') ? departments(signal) : Promise.resolve(undefined)), [action.action]);
  const [reason, setReason] = useState('');
  const [departmentId, setDepartmentId] = useState(c.suggestedDepartment?.id ?? 0);
  const [photos, setPhotos] = useState<File[]>([]);
  const [satisfaction, setSatisfaction] = useState('satisfied');
  const [mergeTargetId, setMergeTargetId] = useState(c.duplicates[0]?.id ?? 0);
  const { busy, error, setError, run } = useSubmit();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await run(async () => {
      const body: Record<string, unknown> = { expectedVersion: c.version };
      if (reason.trim()) body.reason = reason.trim();
      if (needs.has('departmentId')) body.departmentId = departmentId;
      if (photos.length) body.attachmentIds = await Promise.all(photos.map(uploadPhoto));
      if (needs.has('satisfaction')) body.satisfaction = satisfaction;
      if (needs.has('mergeTargetId')) body.mergeTargetId = mergeTargetId;
      await actOnCase(c.id, action.action, body);
      onDone();
    });
  };
  return (
    <form className="action-form" onSubmit={submit} aria-label={lang === 'zh' ? action.zh : action.en}>
      <strong>{lang === 'zh' ? action.zh : action.en}</strong>
      {needs.has('departmentId') && (
        <label className="field"><span>{t('cases.toDepartment')}</span>
          <select value={departmentId} onChange={(e) => setDepartmentId(Number(e.target.value))}>
            <option value={0}>{t('portal.choose')}</option>
            {depts.data?.items.filter((d) => d.active).map((d) => <option key={d.id} value={d.id}>{d.name}</option>)}
          </select>
        </label>
      )}
      {needs.has('mergeTargetId') && (
        <label className="field"><span>{t('cases.mergeInto')}</span>
          <select value={mergeTargetId} onChange={(e) => setMergeTargetId(Number(e.target.value))}>
            {c.duplicates.map((d) => <option key={d.id} value={d.id}>{d.code} ({d.distanceM} m)</option>)}
          </select>
        </label>
      )}
      {needs.has('satisfaction') && (
        <label className="field"><span>{t('portal.yourRating')}</span>
          <select value={satisfaction} onChange={(e) => setSatisfaction(e.target.value)}>
            {['satisfied', 'basically_satisfied', 'dissatisfied'].map((s) => <option key={s} value={s}>{t(`portal.rating.${s}` as 'portal.rating.satisfied')}</option>)}
          </select>
        </label>
      )}
      <label className="field"><span>{needs.has('reason') ? t('cases.reasonRequired') : t('cases.note')}</span><textarea rows={2} value={reason} onChange={(e) => setReason(e.target.value)} /></label>
      <label className="field"><span>{needs.has('attachmentIds') ? t('cases.photosRequired') : t('cases.photos')}</span>
        <input type="file" accept="image/*" capture="environment" multiple onChange={(e) => setPhotos([...(e.target.files ?? [])])} />
      </label>
      <ErrorPanel error={error} />
      <div className="toolbar">
        <button type="submit" className="btn primary" disabled={busy}>{t('cases.confirm')}</button>
        <button type="button" className="btn" onClick={onCancel}>{t('cases.cancel')}</button>
      </div>
    </form>
  );
}
