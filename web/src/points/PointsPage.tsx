import { useState } from 'react';
import { beijingYearNow, downloadPointsReport, getAlerts, getAreaTotals, getUnitTotals, type AreaTotal, type UnitKind, type UnitTotal } from '../api/points.ts';
import { useApi } from '../hooks/useApi.ts';
import { useSubmit } from '../hooks/useSubmit.ts';
import { useI18n, type MessageKey } from '../i18n/index.tsx';
import { navigate, useRoute } from '../router.ts';
import { useSession } from '../shell/session.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Empty, Loading, PageHeader } from '../components/Status.tsx';
import { localTime } from '../evaluation/format.ts';
import { LevelBadge, Tabs, YearSelect } from './parts.tsx';
import { PointsLedger } from './PointsLedger.tsx';
import { PointsOffice } from './PointsOffice.tsx';
import { RulesEditor } from './RulesEditor.tsx';

type Tab = 'areas' | 'units' | 'alerts' | 'ledger' | 'rules' | 'office';
const TABS: Tab[] = ['areas', 'units', 'alerts', 'ledger', 'rules', 'office'];

/**
 * 责任区累计加减分: the year's totals of the overlays and units in the reader's scope with the alert level they
 * reached, the alerts, a subject's ledger; the office enters bonuses, corrects entries, sweeps, closes years
 * and edits the rules. The state lives in the address (#/points?year=&tab=&area=) so a view can be shared.
 */
export function PointsPage() {
  const { t } = useI18n();
  const { can } = useSession();
  const route = useRoute();
  const manage = can('points.manage');
  const year = Number(route.params.get('year') ?? beijingYearNow());
  const requested = route.params.get('tab') as Tab | null;
  const tab: Tab = requested && TABS.includes(requested) && (requested !== 'office' || manage) ? requested : 'areas';
  const area = route.params.get('area') ?? '';
  const unitCode = route.params.get('unit') ?? '';
  const unitKind = route.params.get('unitKind') === 'territory' ? 'territory' : 'department';
  // The ledger shows one overlay's, one unit's or all entries in scope: opening one clears the other.
  const go = (next: { year?: number; tab?: Tab; area?: string; unit?: { code: string; kind: UnitKind } }) => {
    const keep = !next.tab || next.tab === 'ledger';
    const opened = next.area !== undefined || next.unit !== undefined;
    const a = next.area ?? (keep && !opened ? area : '');
    const u = next.unit ?? (keep && !opened && unitCode ? { code: unitCode, kind: unitKind } : null);
    navigate('/points', { year: next.year ?? year, tab: next.tab ?? tab, area: a, ...(u ? { unit: u.code, unitKind: u.kind } : {}) });
  };
  const download = useSubmit();
  const tabs = TABS.filter((x) => x !== 'office' || manage).map((x) => [x, t(`pts.tab.${x}` as MessageKey)] as [Tab, string]);
  return (
    <div className="page">
      <PageHeader title={t('pts.title')}>
        <YearSelect year={year} onChange={(y) => go({ year: y })} />
        <button type="button" className="btn" disabled={download.busy} onClick={() => download.run(() => downloadPointsReport(year, 'xlsx'))}>{t('pts.download.xlsx')}</button>
        <button type="button" className="btn" disabled={download.busy} onClick={() => download.run(() => downloadPointsReport(year, 'pdf'))}>{t('pts.download.pdf')}</button>
      </PageHeader>
      <ErrorPanel error={download.error} />
      <Tabs label={t('pts.title')} tabs={tabs} current={tab} onChange={(x) => go({ tab: x })} />
      {tab === 'areas' && <AreaTotals year={year} onLedger={(code) => go({ tab: 'ledger', area: code })} />}
      {tab === 'units' && <UnitTotals year={year} onLedger={(u) => go({ tab: 'ledger', unit: { code: u.code, kind: u.kind } })} />}
      {tab === 'alerts' && <Alerts year={year} />}
      {tab === 'ledger' && <PointsLedger year={year} area={area} unit={unitCode ? { code: unitCode, kind: unitKind } : null} manage={manage} onClear={() => navigate('/points', { year, tab: 'ledger' })} />}
      {tab === 'rules' && <RulesEditor ledger="responsibility" manage={manage} />}
      {tab === 'office' && manage && <PointsOffice year={year} />}
    </div>
  );
}

function YearNote({ year, closedAt }: { year: number; closedAt: string | null }) {
  const { t } = useI18n();
  return <p className="muted small">{closedAt ? t('pts.closed', { year, date: localTime(closedAt).slice(0, 10) }) : t('pts.open', { year })}</p>;
}

function Summary({ items }: { items: { level: { code: string } | null }[] }) {
  const { t } = useI18n();
  const count = (code: string) => items.filter((i) => i.level?.code === code).length;
  return <p className="small">{t('pts.summary', { n: items.length, w: count('warning'), y: count('yellow_card') + count('red_card') })}</p>;
}

/** A row with an alert is tinted, so the cards stand out in a long list. */
const rowStyle = (item: { level: { code: string } | null }) => (item.level ? { background: item.level.code === 'warning' ? '#fff7ed' : '#fefce8' } : undefined);

function AreaTotals({ year, onLedger }: { year: number; onLedger: (code: string) => void }) {
  const { t } = useI18n();
  const [kind, setKind] = useState('');
  const areas = useApi((signal) => getAreaTotals(year, kind, signal), [year, kind]);
  const data = areas.data;
  return (
    <section aria-label={t('pts.tab.areas')}>
      <div className="toolbar">
        <label className="inline-field"><span>{t('pts.kind')}</span>
          <select value={kind} onChange={(e) => setKind(e.target.value)}>
            <option value="">{t('pts.kind.all')}</option>
            {(['road_segment', 'frontage', 'duty_area'] as const).map((k) => <option key={k} value={k}>{t(`pts.kind.${k}`)}</option>)}
          </select>
        </label>
        {areas.loading && <Loading inline />}
      </div>
      <ErrorPanel error={areas.error} />
      {data && <YearNote year={year} closedAt={data.closedAt} />}
      {data && (data.items.length === 0 ? <Empty>{t('pts.noAreas')}</Empty> : (
        <>
          <Summary items={data.items} />
          <table className="grid-table compact" aria-label={t('pts.tab.areas')}>
            <thead><tr><th>{t('pts.code')}</th><th>{t('pts.name')}</th><th>{t('pts.kind')}</th><th>{t('pts.territory')}</th><th>{t('pts.unit')}</th><th>{t('pts.person')}</th><th className="num">{t('pts.total')}</th><th className="num">{t('pts.entries')}</th><th>{t('pts.level')}</th><th /></tr></thead>
            <tbody>{data.items.map((a: AreaTotal) => (
              <tr key={a.code} style={rowStyle(a)} data-level={a.level?.code ?? ''}>
                <td className="mono">{a.code}</td><td>{a.name}</td><td>{t(`pts.kind.${a.kind}` as MessageKey)}</td><td>{a.territory.name}</td><td>{a.unit.name}</td><td>{a.responsiblePerson ?? '—'}</td>
                <td className="num strong">{a.total}</td><td className="num">{a.entries}</td><td><LevelBadge level={a.level} /></td>
                <td><button type="button" className="btn small" onClick={() => onLedger(a.code)}>{t('pts.showLedger')}</button></td>
              </tr>
            ))}</tbody>
          </table>
        </>
      ))}
    </section>
  );
}

function UnitTotals({ year, onLedger }: { year: number; onLedger: (unit: UnitTotal) => void }) {
  const { t } = useI18n();
  const units = useApi((signal) => getUnitTotals(year, signal), [year]);
  const data = units.data;
  return (
    <section aria-label={t('pts.tab.units')}>
      {units.loading && <Loading inline />}
      <ErrorPanel error={units.error} />
      {data && <YearNote year={year} closedAt={data.closedAt} />}
      {data && (data.items.length === 0 ? <Empty /> : (
        <>
          <Summary items={data.items} />
          <table className="grid-table compact" aria-label={t('pts.tab.units')}>
            <thead><tr><th>{t('pts.code')}</th><th>{t('pts.unit')}</th><th>{t('pts.kind')}</th><th className="num">{t('pts.total')}</th><th className="num">{t('pts.entries')}</th><th>{t('pts.level')}</th><th /></tr></thead>
            <tbody>{data.items.map((u: UnitTotal) => (
              <tr key={`${u.kind}:${u.code}`} style={rowStyle(u)} data-level={u.level?.code ?? ''}>
                <td className="mono">{u.code}</td><td>{u.name}</td><td>{t(`pts.kind.${u.kind}`)}</td><td className="num strong">{u.total}</td><td className="num">{u.entries}</td><td><LevelBadge level={u.level} /></td>
                <td><button type="button" className="btn small" onClick={() => onLedger(u)}>{t('pts.showLedger')}</button></td>
              </tr>
            ))}</tbody>
          </table>
        </>
      ))}
    </section>
  );
}

function Alerts({ year }: { year: number }) {
  const { t } = useI18n();
  const alerts = useApi((signal) => getAlerts(year, signal), [year]);
  const items = alerts.data?.items;
  return (
    <section aria-label={t('pts.tab.alerts')}>
      {alerts.loading && <Loading inline />}
      <ErrorPanel error={alerts.error} />
      {items && (items.length === 0 ? <Empty>{t('pts.alerts.none')}</Empty> : (
        <table className="grid-table compact" aria-label={t('pts.tab.alerts')}>
          <thead><tr><th>{t('pts.alerts.crossedAt')}</th><th>{t('pts.level')}</th><th>{t('pts.alerts.subject')}</th><th>{t('pts.kind')}</th><th className="num">{t('pts.alerts.total')}</th><th className="num">{t('pts.alerts.threshold')}</th></tr></thead>
          <tbody>{[...items].reverse().map((a) => (
            <tr key={a.id} data-level={a.level?.code ?? ''}>
              <td className="mono">{localTime(a.crossedAt).slice(0, 10)}</td><td><LevelBadge level={a.level} /></td>
              <td>{a.subject ? `${a.subject.name}（${a.subject.code}）` : '—'}</td><td>{t(`pts.kind.${a.subjectKind}` as MessageKey)}</td>
              <td className="num">{a.total}</td><td className="num">{a.threshold}</td>
            </tr>
          ))}</tbody>
        </table>
      ))}
    </section>
  );
}
