import { useMemo } from 'react';
import { indicators, type IndicatorAnswer } from '../api/indicators.ts';
import { publishedRankingsForDashboard } from './dashboard-data.ts';
import { useApi } from '../hooks/useApi.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Loading, PageHeader } from '../components/Status.tsx';
import { Chart } from './Chart.tsx';

const KPIS = ['closing_rate', 'on_time_closing_rate', 'on_time_handling_rate', 'satisfaction_rate', 'proactive_rate', 'rework_rate'] as const;

/** The last twelve months' codes, oldest first, ending with the month before `now` (Beijing time). */
export function lastMonths(now: number, count = 12): string[] {
  const bj = new Date(now + 8 * 3_600_000);
  const out: string[] = [];
  for (let k = count; k >= 1; k--) {
    const d = new Date(Date.UTC(bj.getUTCFullYear(), bj.getUTCMonth() - k, 1));
    out.push(`${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`);
  }
  return out;
}

const rate = (a: Pick<IndicatorAnswer, 'indicators'>, code: string) => a.indicators.find((i) => i.code === code)?.value ?? null;
const pct = (v: number | null) => (v === null ? null : Math.round(v * 10000) / 100);

/** 领导驾驶舱: the month's indicators of one's territory, the twelve-month trend, the units compared, the published ranking. */
export function DashboardPage({ dark = false }: { dark?: boolean }) {
  const { t, lang } = useI18n();
  const months = useMemo(() => lastMonths(Date.now()), []);
  const last = months.at(-1)!;
  const current = useApi((signal) => indicators({ period: last, breakdown: 'children' }, signal), [last]);
  const trend = useApi((signal) => Promise.all(months.map((m) => indicators({ period: m }, signal))), [months]);
  const rankings = useApi((signal) => publishedRankingsForDashboard(signal), []);
  const name = (i: { zh: string; en: string }) => (lang === 'zh' ? i.zh : i.en);
  const ink = dark ? '#d7e3f4' : '#1f2933';
  const axis = { axisLabel: { color: ink }, axisLine: { lineStyle: { color: ink } } };

  const trendOption = useMemo(() => trend.data && {
    backgroundColor: 'transparent', textStyle: { color: ink }, tooltip: { trigger: 'axis' },
    legend: { top: 0, data: [t('dash.registered'), t('dash.onTimeHandling'), t('dash.closing')], textStyle: { color: ink } },
    grid: { left: 48, right: 48, top: 48, bottom: 28 },
    xAxis: { type: 'category', data: months, ...axis },
    yAxis: [{ type: 'value', name: t('dash.cases'), ...axis, splitLine: { show: false } }, { type: 'value', name: '%', min: 0, max: 100, ...axis }],
    series: [
      { name: t('dash.registered'), type: 'bar', data: trend.data.map((a) => a.measures.registered ?? 0), itemStyle: { color: '#7fa7d6' } },
      { name: t('dash.onTimeHandling'), type: 'line', yAxisIndex: 1, data: trend.data.map((a) => pct(rate(a, 'on_time_handling_rate'))), itemStyle: { color: '#2e9d4f' } },
      { name: t('dash.closing'), type: 'line', yAxisIndex: 1, data: trend.data.map((a) => pct(rate(a, 'closing_rate'))), itemStyle: { color: '#e8743b' } },
    ],
  }, [trend.data, months, t, ink]);

  const children = current.data?.children ?? [];
  const unitsOption = useMemo(() => children.length > 0 && {
    backgroundColor: 'transparent', textStyle: { color: ink }, tooltip: { trigger: 'axis' },
    grid: { left: 90, right: 24, top: 12, bottom: 24 },
    xAxis: { type: 'value', min: 0, max: 100, ...axis },
    yAxis: { type: 'category', data: children.map((c) => c.unit.name), ...axis },
    series: [{ name: t('dash.onTimeClosing'), type: 'bar', data: children.map((c) => pct(rate(c, 'on_time_closing_rate'))), itemStyle: { color: '#1c4f8c' }, label: { show: true, position: 'right', color: ink } }],
  }, [children, t, ink]);

  const ranking = rankings.data;
  const rankingOption = useMemo(() => ranking && ranking.ranking.length > 0 && {
    backgroundColor: 'transparent', textStyle: { color: ink }, tooltip: { trigger: 'axis' },
    grid: { left: 90, right: 40, top: 12, bottom: 24 },
    xAxis: { type: 'value', min: (v: { min: number }) => Math.floor(v.min - 2), max: 100, ...axis },
    yAxis: { type: 'category', inverse: true, data: ranking.ranking.map((r) => r.unit.name), ...axis },
    series: [{ type: 'bar', data: ranking.ranking.map((r) => r.total), itemStyle: { color: '#f0b400' }, label: { show: true, position: 'right', color: ink } }],
  }, [ranking, ink]);

  return (
    <div className={`page dashboard ${dark ? 'dark' : ''}`}>
      <PageHeader title={`${t('dash.title')}${current.data ? ` · ${current.data.unit.name} · ${name(current.data.period)}` : ''}`}>{(current.loading || trend.loading) && <Loading inline />}</PageHeader>
      <ErrorPanel error={current.error ?? trend.error} />
      {current.data && (
        <div className="kpis">
          <div className="kpi"><span>{t('dash.registered')}</span><strong>{current.data.measures.registered ?? 0}</strong></div>
          <div className="kpi"><span>{t('dash.overdue')}</span><strong>{current.data.measures.overdue ?? 0}</strong></div>
          {KPIS.map((code) => {
            const row = current.data!.indicators.find((i) => i.code === code);
            return row ? <div key={code} className="kpi"><span>{name(row)}</span><strong>{row.text}</strong></div> : null;
          })}
        </div>
      )}
      <div className="dash-grid">
        <section className="panel"><h2 className="section-title">{t('dash.trend')}</h2>{trendOption ? <Chart option={trendOption} label={t('dash.trend')} /> : <Loading />}</section>
        <section className="panel"><h2 className="section-title">{t('dash.units')}</h2>{unitsOption ? <Chart option={unitsOption} label={t('dash.units')} /> : current.data ? <p className="muted">{t('dash.noUnits')}</p> : <Loading />}</section>
        <section className="panel"><h2 className="section-title">{t('dash.ranking')}{ranking ? ` · ${ranking.period} ${ranking.territory.name}` : ''}</h2>{rankingOption ? <Chart option={rankingOption} label={t('dash.ranking')} /> : <p className="muted">{rankings.loading ? '' : t('public.nothing')}</p>}</section>
      </div>
    </div>
  );
}
