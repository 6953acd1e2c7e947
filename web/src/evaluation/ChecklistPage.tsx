import { useEffect, useState, type FormEvent } from 'react';
import { checklistVersions, getChecklist, listChecklists, saveChecklist, type ChecklistStandard } from '../api/evaluation.ts';
import { listClasses } from '../api/catalog.ts';
import { useApi } from '../hooks/useApi.ts';
import { useI18n } from '../i18n/index.tsx';
import { useSession } from '../shell/session.tsx';
import { navigate, useRoute } from '../router.ts';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Loading, PageHeader } from '../components/Status.tsx';
import { ChecklistItems, type DraftItem } from './ChecklistItems.tsx';
import { FieldError, FormField, numberOrNull } from './fields.tsx';
import { localTime } from './format.ts';

const toDraft = (s: ChecklistStandard): { name: string; note: string; items: DraftItem[] } => ({
  name: s.name, note: s.note ?? '',
  items: s.items.map((i) => ({ code: i.code, area: i.area, zh: i.zh, en: i.en, deduction: String(i.deduction), cap: String(i.cap), evidence: [...i.evidence], classCode: i.classCode ?? '' })),
});

/** What is sent: the numbers as typed (unreadable ones as null, for the server to name), no class as null. */
const fromDraft = (d: { name: string; note: string; items: DraftItem[] }) => ({
  name: d.name.trim(), ...(d.note.trim() ? { note: d.note.trim() } : {}),
  items: d.items.map((i) => ({
    code: i.code.trim(), area: i.area, zh: i.zh.trim(), en: i.en.trim(), deduction: numberOrNull(i.deduction), cap: numberOrNull(i.cap),
    evidence: i.evidence, classCode: i.classCode.trim() || null,
  })),
});

/** 考评标准: the office edits a checklist standard's items by area and saves them as a new version; earlier versions stay readable. */
export function ChecklistPage() {
  const { t } = useI18n();
  const { can } = useSession();
  const route = useRoute();
  const code = route.params.get('code') ?? 'default';
  const versionParam = route.params.get('version');
  const version = versionParam === null ? undefined : Number(versionParam);
  const standards = useApi((signal) => listChecklists(signal), []);
  const current = useApi((signal) => getChecklist(code, version, signal), [code, version]);
  const versions = useApi((signal) => checklistVersions(code, signal), [code]);
  const classes = useApi((signal) => listClasses({ limit: 1000, offset: 0 }, signal), []);
  const classNames = new Map((classes.data?.items ?? []).map((c) => [c.code, c.name]));
  const [draft, setDraft] = useState<ReturnType<typeof toDraft> | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [saved, setSaved] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const manage = can('evaluation.manage');

  useEffect(() => { if (current.data) { setDraft(toDraft(current.data.definition)); setError(undefined); } }, [current.data]);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!draft) return;
    setBusy(true);
    setError(undefined);
    setSaved(null);
    try {
      const stored = await saveChecklist(code, fromDraft(draft), reason.trim() || undefined);
      setSaved(stored.version);
      setReason('');
      versions.reload();
      standards.reload();
      if (version !== undefined) navigate('/evaluation/checklists', { code });
      else current.reload();
    } catch (cause) { setError(cause); } finally { setBusy(false); }
  };

  const shown = current.data;
  const codes = standards.data?.items ?? [];
  return (
    <div className="page">
      <PageHeader title={t('checklist.title')}>{(current.loading || busy) && <Loading inline />}</PageHeader>
      <div className="toolbar">
        <label className="inline-field"><span>{t('checklist.standard')}</span>
          <select value={code} onChange={(e) => navigate('/evaluation/checklists', { code: e.target.value })}>
            {!codes.some((c) => c.code === code) && <option value={code}>{code}</option>}
            {codes.map((c) => <option key={c.code} value={c.code}>{c.name} ({c.code})</option>)}
          </select>
        </label>
        {shown && <span>{t('checklist.showing', { version: shown.version })}{shown.savedAt ? ` · ${localTime(shown.savedAt)}` : ` · ${t('checklist.shipped')}`}</span>}
      </div>
      {version !== undefined && shown && (
        <div className="notice info" role="status">{t('checklist.oldVersion', { version: shown.version })} <a href="#" onClick={(e) => { e.preventDefault(); navigate('/evaluation/checklists', { code }); }}>{t('checklist.backToNewest')}</a></div>
      )}
      {saved !== null && <div className="notice ok" role="status">{t('checklist.saved', { version: saved })}</div>}
      <ErrorPanel error={error ?? current.error} />
      {draft ? (
        <form onSubmit={save} aria-label={t('checklist.form')}>
          <div className="toolbar" style={{ alignItems: 'flex-start' }}>
            <FormField label={t('checklist.name')} field="standard.name" error={error}>
              <input value={draft.name} style={{ width: 420 }} onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
            </FormField>
            <FormField label={t('checklist.note')} field="standard.note" error={error}>
              <input value={draft.note} style={{ width: 420 }} onChange={(e) => setDraft({ ...draft, note: e.target.value })} />
            </FormField>
          </div>
          <FieldError error={error} field="code" />
          <ChecklistItems items={draft.items} onChange={(items) => setDraft({ ...draft, items })} error={error} classNames={classNames} />
          {manage && (
            <div className="toolbar" style={{ marginTop: 12 }}>
              <label className="inline-field grow"><span>{t('checklist.reason')}</span><input value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} /></label>
              <button type="button" className="btn" disabled={busy || !shown} onClick={() => { if (shown) { setDraft(toDraft(shown.definition)); setError(undefined); } }}>{t('common.reset')}</button>
              <button type="submit" className="btn primary" disabled={busy}>{t('checklist.save')}</button>
            </div>
          )}
        </form>
      ) : !current.error && <Loading />}
      <h2 className="section-title">{t('checklist.history')}</h2>
      <ErrorPanel error={versions.error} />
      {versions.data && (
        <table className="grid-table compact" aria-label={t('checklist.history')}>
          <thead><tr><th style={{ width: 60 }}>{t('evaluation.version')}</th><th>{t('checklist.name')}</th><th className="num">{t('checklist.itemCount')}</th><th>{t('checklist.reason')}</th><th>{t('checklist.savedAt')}</th><th>{t('checklist.savedBy')}</th><th /></tr></thead>
          <tbody>{versions.data.items.map((v) => (
            <tr key={v.version} className={shown?.version === v.version ? 'selected' : ''}>
              <td>v{v.version}</td><td>{v.name}</td><td className="num">{v.items}</td><td>{v.reason ?? (v.version === 0 ? t('checklist.shipped') : '—')}</td>
              <td className="mono">{localTime(v.savedAt)}</td><td>{v.savedByName ?? '—'}</td>
              <td>{shown?.version === v.version ? <span className="badge plain">{t('checklist.current')}</span> : <a href="#" onClick={(e) => { e.preventDefault(); navigate('/evaluation/checklists', { code, version: v.version }); }}>{t('checklist.view')}</a>}</td>
            </tr>
          ))}</tbody>
        </table>
      )}
    </div>
  );
}
