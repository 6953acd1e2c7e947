import { useMemo } from 'react';
import { ApiError } from '../api/client.ts';
import { getPerformance, getReadableRankings, type PerformanceSubject } from '../api/performance.ts';
import { getNode } from '../api/territory.ts';
import { useApi } from '../hooks/useApi.ts';
import { useI18n, type MessageKey } from '../i18n/index.tsx';
import { navigate, useRoute } from '../router.ts';
import { useSession } from '../shell/session.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Empty, Loading, PageHeader } from '../components/Status.tsx';
import { localTime } from '../evaluation/format.ts';
import { Tabs } from '../points/parts.tsx';
import { reportPeriods, type ReportPeriod } from '../reports/periods.ts';
import { RankingTable } from './RankingTable.tsx';
import { SchemeEditor } from './SchemeEditor.tsx';

type View = 'ranking' | 'scheme';

/**
 * 绩效评价 (GB/T 30428.4): the month's or half-month's ranking of the regions, the departments and the four posts,
 * each unit's score, grade and change from the previous period with the components and indicators behind it; and the
 * scheme each is scored under, which the office edits. The state lives in the address
 * (#/performance?subject=region&period=2026-10&parent=990102&view=ranking) so a view can be shared.
 */
export function PerformancePage() {
  const { t } = useI18n();
  const { can } = useSession();
  const route = useRoute();
  // What the reader may open is the server's rule (performance-access.ts), asked, not copied here.
  const readable = useApi((signal) => getReadableRankings(signal), []);
  if (!readable.data) return <div className="page"><PageHeader title={t('perf.title')} />{readable.loading ? <Loading /> : <ErrorPanel error={readable.error} />}</div>;
  const { subjects, home } = readable.data;
  const requested = route.params.get('subject') as PerformanceSubject | null;
  const subject = requested && subjects.includes(requested) ? requested : subjects[0];
  const view: View = route.params.get('view') === 'scheme' ? 'scheme' : 'ranking';
  const period = route.params.get('period') ?? '';
  const parent = route.params.get('parent') ?? '';
  const go = (next: { subject?: PerformanceSubject; view?: View; period?: string; parent?: string }) => {
    const s = next.subject ?? subject;
    navigate('/performance', { subject: s, view: next.view ?? view, period: next.period ?? period, parent: s === 'region' ? (next.parent ?? (next.subject ? '' : parent)) : '' });
  };
  if (!subject) return <div className="page"><PageHeader title={t('perf.title')} /><Empty>{t('perf.noSubjects')}</Empty></div>;
  const tabs = subjects.map((s) => [s, t(`perf.subject.${s}` as MessageKey)] as [PerformanceSubject, string]);
  return (
    <div className="page">
      <PageHeader title={t('perf.title')} />
      <Tabs label={t('perf.subjects')} tabs={tabs} current={subject} onChange={(s) => go({ subject: s })} />
      <Tabs label={t('perf.views')} tabs={[['ranking', t('perf.view.ranking')], ['scheme', t('perf.view.scheme')]]} current={view} onChange={(v) => go({ view: v })} />
      {view === 'ranking'
        ? <Ranking subject={subject} period={period} parent={subject === 'region' ? parent || home || '' : ''} home={home}
          onPeriod={(p) => go({ period: p })} onParent={(code) => go({ parent: code })} />
        : <SchemeEditor subject={subject} manage={can('performance_scheme.write')} />}
    </div>
  );
}

function Ranking({ subject, period, parent, home, onPeriod, onParent }: {
  subject: PerformanceSubject; period: string; parent: string; home: string | null; onPeriod: (p: string) => void; onParent: (code: string) => void;
}) {
  const { t, lang } = useI18n();
  const { can } = useSession();
  const periods = useMemo(() => reportPeriods(Date.now()), []);
  const evaluation = useApi((signal) => getPerformance(subject, { period, parent: parent || undefined }, signal), [subject, period, parent]);
  const e = evaluation.data?.subject === subject ? evaluation.data : undefined;
  const label = (p: ReportPeriod) => t(p.half === null ? 'reports.periodMonth' : p.half === 1 ? 'reports.periodH1' : 'reports.periodH2', { year: p.year, month: p.month, mm: String(p.month).padStart(2, '0') });
  const forbidden = evaluation.error instanceof ApiError && evaluation.error.status === 403;
  return (
    <section aria-label={t('perf.view.ranking')}>
      <div className="toolbar">
        <label className="inline-field"><span>{t('reports.period')}</span>
          <select name="period" value={period} onChange={(ev) => onPeriod(ev.target.value)}>
            <option value="">{t('reports.lastMonth')}</option>
            {periods.map((p) => <option key={p.code} value={p.code}>{label(p)}</option>)}
          </select>
        </label>
        {evaluation.loading && <Loading inline />}
        {e && (
          <span className="muted small" data-testid="perf-scheme">
            {lang === 'zh' ? e.period.zh : e.period.en} · {t('perf.asOf', { time: localTime(e.asOf) })} · {t('perf.schemeUsed', { name: e.scheme.name, version: e.scheme.version === 0 ? t('perf.shipped') : t('perf.version', { version: e.scheme.version }) })}
          </span>
        )}
      </div>
      {subject === 'region' && parent && <Breadcrumb parent={parent} name={e?.parent?.code === parent ? e.parent.name : null} home={home} canTerritory={can('territory.read')} onParent={onParent} />}
      {forbidden
        ? <div className="error-panel" role="alert"><div className="error-title">{t('perf.forbidden')}</div><div className="error-message">{(evaluation.error as ApiError).message}</div></div>
        : <ErrorPanel error={evaluation.error} />}
      {e && !forbidden && (
        e.items.length === 0 ? <Empty>{t('perf.empty')}</Empty>
          : <RankingTable subject={subject} items={e.items} onDrill={subject === 'region' ? onParent : undefined} />
      )}
      {e?.scheme.note && <p className="muted small">{e.scheme.note}</p>}
    </section>
  );
}

/** The way back up: the parent's ancestors from the reader's own ranking down (each a ranking they may read). */
function Breadcrumb({ parent, name, home, canTerritory, onParent }: { parent: string; name: string | null; home: string | null; canTerritory: boolean; onParent: (code: string) => void }) {
  const { t } = useI18n();
  const node = useApi((signal) => (canTerritory ? getNode(parent, false, signal) : Promise.resolve(null)), [parent, canTerritory]);
  const chain = node.data?.code === parent ? [...node.data.ancestors.map((a) => ({ code: a.code, name: a.name })), { code: parent, name: node.data.name }] : [{ code: parent, name: name ?? parent }];
  const from = Math.max(0, chain.findIndex((c) => c.code === home));
  const crumbs = chain.slice(from);
  return (
    <nav aria-label={t('perf.breadcrumb')} className="small" style={{ margin: '4px 0 8px' }}>
      {crumbs.map((c, i) => (
        <span key={c.code}>
          {i > 0 && <span className="muted"> › </span>}
          {i === crumbs.length - 1 ? <strong aria-current="page">{c.name}</strong>
            : <button type="button" className="link-btn" onClick={() => onParent(c.code)}>{c.name}</button>}
        </span>
      ))}
      {crumbs.length > 0 && <span className="muted"> · {t('perf.rankingOfChildren')}</span>}
    </nav>
  );
}
