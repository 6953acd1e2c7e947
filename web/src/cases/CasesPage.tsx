import { useMemo, useState } from 'react';
import { caseSummary, listCases, workflowTable, type Light } from '../api/cases.ts';
import { useApi, useDebounced } from '../hooks/useApi.ts';
import { useI18n } from '../i18n/index.tsx';
import { Link, useRoute } from '../router.ts';
import { useSession } from '../shell/session.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Pager } from '../components/Pager.tsx';
import { Empty, Loading, PageHeader } from '../components/Status.tsx';
import { localTime } from '../evaluation/format.ts';
import { CaseDetailView } from './CaseDetail.tsx';
import { WorkbenchTiles } from './WorkbenchTiles.tsx';
import { IntakeForm } from './IntakeForm.tsx';

const LIMIT = 50;

export function LightDot({ light }: { light: Light | null }) {
  const { t } = useI18n();
  if (!light) return <span className="light none" title={t('cases.light.none')} />;
  return <span className={`light ${light}`} title={t(`cases.light.${light}` as 'cases.light.green')} aria-label={t(`cases.light.${light}` as 'cases.light.green')} />;
}

/** 案件办理: the queue of the states where one's roles have work (from the workflow table), and a case's page. */
export function CasesPage() {
  const route = useRoute();
  const id = Number(route.params.get('id') ?? 0);
  if (route.params.get('new')) return <IntakeForm />;
  return id ? <CaseDetailView id={id} /> : <Queue />;
}

function Queue() {
  const { t, lang } = useI18n();
  const { me, can } = useSession();
  const workflow = useApi((signal) => workflowTable(signal), []);
  const [scope, setScope] = useState<'mine' | 'all'>('mine');
  const [state, setState] = useState('');
  const [light, setLight] = useState('');
  const [q, setQ] = useState('');
  const [offset, setOffset] = useState(0);
  const search = useDebounced(q.trim());
  // My queue: the states from which a transition names one of my roles.
  const myStates = useMemo(() => {
    const roles = new Set(me?.grants.map((g) => g.role) ?? []);
    const from = new Set((workflow.data?.transitions ?? []).filter((x) => x.roles.some((r) => roles.has(r))).flatMap((x) => x.from));
    return (workflow.data?.states ?? []).filter((s) => from.has(s.name)).map((s) => s.name);
  }, [workflow.data, me]);
  // The tiles: my queue's states, or every state still open.
  const tileStates = (workflow.data?.states ?? [])
    .filter((s) => (scope === 'mine' ? myStates.includes(s.name) : !s.terminal))
    .map((s) => ({ name: s.name, label: lang === 'zh' ? s.zh : s.en }));
  const states = state ? state : scope === 'mine' ? myStates.join(',') : '';
  const ready = workflow.data !== undefined;
  const tileFilter = scope === 'mine' ? myStates.join(',') : tileStates.map((s) => s.name).join(',');
  const counts = useApi((signal) => (ready && tileFilter ? caseSummary({ state: tileFilter, q: search || undefined }, signal) : Promise.resolve(undefined)), [ready, tileFilter, search]);
  const cases = useApi((signal) => (ready ? listCases({ state: states || undefined, light: light || undefined, q: search || undefined, sort: 'due_asc', limit: LIMIT, offset }, signal) : Promise.resolve(undefined)), [ready, states, light, search, offset]);

  return (
    <div className="page">
      <PageHeader title={t('cases.title')}>
        {cases.loading && <Loading inline />}
        {can('case.report') && me?.grants.some((g) => g.role === 'acceptor' || g.role === 'admin') && <Link to="/cases" params={{ new: 1 }} className="btn primary">{t('intake.title')}</Link>}
      </PageHeader>
      <WorkbenchTiles states={tileStates} counts={counts.data?.items} selected={state} onSelect={(v) => { setState(v); setOffset(0); }} />
      <div className="toolbar">
        <div className="segmented" role="group" aria-label={t('cases.scope')}>
          <button type="button" className={scope === 'mine' ? 'active' : ''} onClick={() => { setScope('mine'); setOffset(0); }}>{t('cases.mine')}</button>
          <button type="button" className={scope === 'all' ? 'active' : ''} onClick={() => { setScope('all'); setOffset(0); }}>{t('cases.all')}</button>
        </div>
        <label className="inline-field"><span>{t('cases.state')}</span>
          <select value={state} onChange={(e) => { setState(e.target.value); setOffset(0); }}>
            <option value="">{t('common.all')}</option>
            {workflow.data?.states.map((s) => <option key={s.name} value={s.name}>{s.zh}</option>)}
          </select>
        </label>
        <label className="inline-field"><span>{t('cases.lightLabel')}</span>
          <select value={light} onChange={(e) => { setLight(e.target.value); setOffset(0); }}>
            <option value="">{t('common.all')}</option>
            {(['red', 'yellow', 'green'] as const).map((l) => <option key={l} value={l}>{t(`cases.light.${l}`)}</option>)}
          </select>
        </label>
        <label className="inline-field grow"><span>{t('common.search')}</span>
          <input type="search" value={q} placeholder={t('cases.searchPlaceholder')} onChange={(e) => { setQ(e.target.value); setOffset(0); }} />
        </label>
      </div>
      <ErrorPanel error={cases.error ?? workflow.error} />
      {cases.data ? (
        <>
          <table className="grid-table">
            <thead><tr><th style={{ width: 28 }} /><th style={{ width: 130 }}>{t('cases.code')}</th><th>{t('cases.class')}</th><th>{t('cases.where')}</th><th style={{ width: 110 }}>{t('cases.state')}</th><th style={{ width: 140 }}>{t('cases.due')}</th><th>{t('cases.department')}</th></tr></thead>
            <tbody>
              {cases.data.items.map((c) => (
                <tr key={c.id}>
                  <td><LightDot light={c.light} /></td>
                  <td className="mono"><Link to="/cases" params={{ id: c.id }}>{c.code}</Link></td>
                  <td>{c.class.name}{c.possibleDuplicate ? <span className="badge warn">{t('cases.duplicate')}</span> : null}</td>
                  <td>{c.territory.street.name} · {c.address ?? c.territory.grid.name}</td>
                  <td>{c.stateLabel}</td>
                  <td className="mono">{localTime(c.handling.dueAt ?? c.stage.dueAt)}</td>
                  <td>{c.department?.name ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {cases.data.items.length === 0 && <Empty>{t('cases.none')}</Empty>}
          <Pager total={cases.data.total} totalExact={cases.data.totalExact} limit={LIMIT} offset={offset} onChange={setOffset} />
        </>
      ) : !cases.error && <Loading />}
    </div>
  );
}
