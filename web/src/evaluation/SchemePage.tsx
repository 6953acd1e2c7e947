import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { getScheme, listChecklists, listSchemes, saveScheme, territoryIndicators } from '../api/evaluation.ts';
import { listNodes } from '../api/territory.ts';
import { useApi, useDebounced } from '../hooks/useApi.ts';
import { useI18n } from '../i18n/index.tsx';
import { useSession } from '../shell/session.tsx';
import { navigate, useRoute } from '../router.ts';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Loading, PageHeader } from '../components/Status.tsx';
import { FormField } from './fields.tsx';
import { localTime } from './format.ts';
import { fromSchemeDraft, toSchemeDraft, type SchemeDraft } from './schemeDraft.ts';
import { AdjustmentsEditor, ComponentsEditor, HandicapsEditor } from './SchemeParts.tsx';
import { LadderEditor, TiesEditor } from './SchemeLadder.tsx';

/** 考评方案: the office edits a scheme (versioned per year) and saves it as a new version with its reason; earlier versions stay readable. */
export function SchemePage() {
  const { t } = useI18n();
  const { can } = useSession();
  const route = useRoute();
  const summaries = useApi((signal) => listSchemes(signal), []);
  const codes = [...new Set(summaries.data?.items.map((s) => s.code) ?? [])];
  const code = route.params.get('code') ?? codes[0] ?? '';
  const versionParam = route.params.get('version');
  const version = versionParam === null ? undefined : Number(versionParam);
  const current = useApi((signal) => (code ? getScheme(code, version, signal) : Promise.resolve(undefined)), [code, version]);
  const checklists = useApi((signal) => listChecklists(signal), []);
  const indicators = useApi((signal) => territoryIndicators(signal), []);
  const [draft, setDraft] = useState<SchemeDraft | null>(null);
  const parentCode = useDebounced(draft?.parentCode.trim() ?? '', 400);
  const units = useApi((signal) => (parentCode ? listNodes({ parent: parentCode, limit: 500 }, signal) : Promise.resolve(undefined)), [parentCode]);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [saved, setSaved] = useState<{ version: number; year: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const manage = can('evaluation.manage');

  useEffect(() => { if (current.data) { setDraft(toSchemeDraft(current.data.definition)); setError(undefined); } }, [current.data]);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!draft || !code) return;
    setBusy(true);
    setError(undefined);
    setSaved(null);
    try {
      const stored = await saveScheme(code, fromSchemeDraft(draft), reason.trim() || undefined);
      setSaved({ version: stored.version, year: stored.definition.year });
      setReason('');
      summaries.reload();
      if (version !== undefined) navigate('/evaluation/schemes', { code });
      else current.reload();
    } catch (cause) { setError(cause); } finally { setBusy(false); }
  };

  const nextYear = () => {
    if (!draft) return;
    const year = Number(draft.year);
    if (!Number.isInteger(year)) return;
    setDraft({ ...draft, year: String(year + 1), name: draft.name.replaceAll(String(year), String(year + 1)) });
  };

  const shown = current.data;
  const history = summaries.data?.items.filter((s) => s.code === code) ?? [];
  const unitList = (units.data?.items ?? []).map((u) => ({ code: u.code, name: u.name }));
  const set = (patch: Partial<SchemeDraft>) => draft && setDraft({ ...draft, ...patch });
  const text = (label: string, field: string, key: keyof SchemeDraft, width = 120, numeric = false): ReactNode => (
    <FormField label={label} field={field} error={error}>
      <input value={draft![key] as string} style={{ width, ...(numeric ? { textAlign: 'right' } : {}) }} inputMode={numeric ? 'decimal' : undefined} onChange={(e) => set({ [key]: e.target.value })} />
    </FormField>
  );
  return (
    <div className="page">
      <PageHeader title={t('scheme.title')}>{(current.loading || busy) && <Loading inline />}</PageHeader>
      <div className="toolbar">
        <label className="inline-field"><span>{t('evaluation.scheme')}</span>
          <select value={code} onChange={(e) => navigate('/evaluation/schemes', { code: e.target.value })}>
            {codes.map((c) => <option key={c} value={c}>{summaries.data?.items.find((s) => s.code === c)?.name} ({c})</option>)}
          </select>
        </label>
        {shown && <span>{t('scheme.showing', { version: shown.version, year: shown.definition.year })}{shown.savedAt ? ` · ${localTime(shown.savedAt)}` : ''}</span>}
        <span className="grow" />
        {manage && draft && <button type="button" className="btn" onClick={nextYear}>{t('scheme.nextYear', { year: Number(draft.year) + 1 })}</button>}
      </div>
      {version !== undefined && shown && (
        <div className="notice info" role="status">{t('scheme.oldVersion', { version: shown.version })} <a href="#" onClick={(e) => { e.preventDefault(); navigate('/evaluation/schemes', { code }); }}>{t('checklist.backToNewest')}</a></div>
      )}
      {saved && <div className="notice ok" role="status">{t('scheme.saved', { version: saved.version, year: saved.year })}</div>}
      <ErrorPanel error={error ?? current.error ?? summaries.error} />
      {draft ? (
        <form onSubmit={save} aria-label={t('scheme.form')}>
          <div className="toolbar" style={{ alignItems: 'flex-start', flexWrap: 'wrap' }}>
            {text(t('scheme.name'), 'scheme.name', 'name', 380)}
            {text(t('scheme.year'), 'scheme.year', 'year', 80, true)}
            {text(t('scheme.parentCode'), 'scheme.parentCode', 'parentCode', 140)}
            <FormField label={t('scheme.checklist')} field="scheme.inspection.checklistCode" error={error}>
              <select value={draft.checklistCode} onChange={(e) => set({ checklistCode: e.target.value })}>
                {!checklists.data?.items.some((c) => c.code === draft.checklistCode) && <option value={draft.checklistCode}>{draft.checklistCode}</option>}
                {checklists.data?.items.map((c) => <option key={c.code} value={c.code}>{c.name} ({c.code})</option>)}
              </select>
            </FormField>
            {text(t('scheme.pointsPerUnit'), 'scheme.inspection.pointsPerUnit', 'pointsPerUnit', 80, true)}
            {text(t('scheme.referencePoints'), 'scheme.inspection.referencePoints', 'referencePoints', 80, true)}
          </div>
          <div className="muted" data-testid="scheme-units">{t('scheme.units', { n: unitList.length })}{unitList.map((u) => u.name).join('、') || '—'}</div>
          <ComponentsEditor components={draft.components} onChange={(components) => set({ components })} error={error} indicators={indicators.data ?? []} />
          <AdjustmentsEditor adjustments={draft.adjustments} onChange={(adjustments) => set({ adjustments })} error={error} />
          <HandicapsEditor handicaps={draft.handicaps} onChange={(handicaps) => set({ handicaps })} error={error} units={unitList} />
          <h2 className="section-title">{t('scheme.rules')}</h2>
          <div className="toolbar" style={{ alignItems: 'flex-start', flexWrap: 'wrap' }}>
            {text(t('scheme.warningPercent'), 'scheme.warningShare', 'warningPercent', 80, true)}
            {text(t('scheme.minScoredWeight'), 'scheme.minScoredWeight', 'minScoredWeight', 80, true)}
            {text(t('scheme.appealDays'), 'scheme.appealDays', 'appealDays', 80, true)}
          </div>
          <TiesEditor breakBy={draft.breakBy} money={draft.tieMoney} components={draft.components} error={error} onChange={(ties) => set({ breakBy: ties.breakBy, tieMoney: ties.money })} />
          <LadderEditor rewards={draft.rewards} penalties={draft.penalties} error={error} onChange={(ladder) => set(ladder)} />
          <div className="toolbar" style={{ marginTop: 8 }}>{text(t('scheme.note'), 'scheme.note', 'note', 640)}</div>
          {manage && (
            <div className="toolbar" style={{ marginTop: 12 }}>
              <label className="inline-field grow"><span>{t('checklist.reason')}</span><input value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} /></label>
              <button type="button" className="btn" disabled={busy || !shown} onClick={() => { if (shown) { setDraft(toSchemeDraft(shown.definition)); setError(undefined); } }}>{t('common.reset')}</button>
              <button type="submit" className="btn primary" disabled={busy}>{t('checklist.save')}</button>
            </div>
          )}
        </form>
      ) : !current.error && (code || summaries.loading) && <Loading />}
      <h2 className="section-title">{t('checklist.history')}</h2>
      <table className="grid-table compact" aria-label={t('checklist.history')}>
        <thead><tr><th style={{ width: 60 }}>{t('evaluation.version')}</th><th style={{ width: 70 }}>{t('scheme.year')}</th><th>{t('scheme.name')}</th><th>{t('checklist.reason')}</th><th>{t('checklist.savedAt')}</th><th>{t('checklist.savedBy')}</th><th /></tr></thead>
        <tbody>{history.map((v) => (
          <tr key={v.version}>
            <td>v{v.version}</td><td>{v.year}</td><td>{v.name}</td><td>{v.reason ?? '—'}</td><td className="mono">{localTime(v.savedAt)}</td><td>{v.savedByName ?? '—'}</td>
            <td>{shown?.version === v.version ? <span className="badge plain">{t('checklist.current')}</span> : <a href="#" onClick={(e) => { e.preventDefault(); navigate('/evaluation/schemes', { code, version: v.version }); }}>{t('checklist.view')}</a>}</td>
          </tr>
        ))}</tbody>
      </table>
    </div>
  );
}
