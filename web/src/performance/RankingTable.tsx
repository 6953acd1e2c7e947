import { Fragment, useState } from 'react';
import { getDefinitions, type PerformanceItem, type PerformanceSubject } from '../api/performance.ts';
import { useApi } from '../hooks/useApi.ts';
import { useI18n, type MessageKey } from '../i18n/index.tsx';
import { percent, rankChange, score, signed } from '../evaluation/format.ts';
import { useSession } from '../shell/session.tsx';

/** Grades best first: A green, B blue, C amber, the rest red (the grades are the scheme's; only the usual letters are styled). */
const GRADE_STYLE: Record<string, { color: string; background: string }> = {
  A: { color: '#1e7b3a', background: '#dcf2e3' },
  B: { color: '#1f4fa3', background: '#dde8fb' },
  C: { color: '#9a4a00', background: '#fde5cc' },
};

/** Places gained green, lost red. */
const changeColor = (v: number | null) => (v === null || v === 0 ? undefined : v > 0 ? 'var(--green)' : 'var(--red)');

export function GradeBadge({ grade }: { grade: string | null }) {
  if (grade === null) return <span className="muted">—</span>;
  return <span className="badge perf-grade" data-grade={grade} style={GRADE_STYLE[grade] ?? { color: '#b42318', background: '#fde2e1' }}>{grade}</span>;
}

/**
 * The ranking: rank (ties shared, 并列), unit, score, grade and the change from the previous period; a row opens
 * onto its components (weight, value, component score, points) and the indicators counted for it. Units without a
 * score follow the ranked ones under their own heading. Regions drill down: a region's name opens its children's ranking.
 */
export function RankingTable({ subject, items, onDrill }: {
  subject: PerformanceSubject; items: PerformanceItem[]; onDrill?: ((code: string) => void) | undefined;
}) {
  const { t } = useI18n();
  const { me } = useSession();
  const [open, setOpen] = useState<string | null>(null);
  // The reader's own unit stands out: their department, their own node, themselves.
  const own = (u: PerformanceItem['unit']) => (u.kind === 'department' ? (me?.grants ?? []).some((g) => g.role === 'department' && g.departmentId === u.id)
    : u.kind === 'person' ? me?.id === u.id : (me?.grants ?? []).some((g) => g.role === 'territory_government' && g.territoryPath?.endsWith(`/${u.code}/`)));
  const firstUnscored = items.findIndex((i) => i.score === null);
  const unitHeader = t(`perf.col.unit.${subject === 'region' ? 'region' : subject === 'department' ? 'department' : 'person'}` as MessageKey);
  return (
    <div className="table-scroll">
      <table className="grid-table" aria-label={t('perf.rankingTable')}>
        <thead>
          <tr>
            <th>{t('perf.col.rank')}</th><th>{unitHeader}</th><th>{t('perf.col.score')}</th><th>{t('perf.col.grade')}</th>
            <th>{t('perf.col.change')}</th><th>{t('perf.col.previous')}</th><th />
          </tr>
        </thead>
        <tbody>
          {items.map((item, index) => {
            const key = `${item.unit.kind}:${item.unit.id}`;
            const expanded = open === key;
            const drill = onDrill && item.drillable ? () => onDrill(item.unit.code) : null;
            return (
              <Fragment key={key}>
                {index === firstUnscored && (
                  <tr className="perf-unscored-head"><td colSpan={7} className="muted small"><strong>{t('perf.unscored')}</strong> · {t('perf.unscoredHint')}</td></tr>
                )}
                <tr data-unit={item.unit.code} data-rank={item.rank ?? ''} className={item.score === null ? 'muted' : undefined} aria-current={own(item.unit) ? 'true' : undefined}
                  style={own(item.unit) ? { background: '#eef6ff', fontWeight: 600 } : undefined}>
                  <td className="num">{item.rank === null ? '—' : `${item.rank}${item.tied ? t('reports.tied') : ''}`}</td>
                  <td>
                    {drill ? <button type="button" className="link-btn" title={t('perf.drill')} onClick={drill}>{item.unit.name}</button> : item.unit.name}
                    {own(item.unit) && <span className="badge ok" style={{ marginLeft: 6 }}>{t('perf.mine')}</span>}
                    {item.score === null
                      ? <span className="badge plain" style={{ marginLeft: 6 }}>{t('perf.notScored')}</span>
                      : item.partial && <span className="badge warn" style={{ marginLeft: 6 }} title={t('perf.partialHint')}>{t('perf.partial')}</span>}
                  </td>
                  <td className="num strong">{score(item.score)}</td>
                  <td><GradeBadge grade={item.grade} /></td>
                  <td className="num" title={t('perf.rankChangeHint')}>
                    <span data-change={item.change.rankChange ?? ''} style={{ color: changeColor(item.change.rankChange) }}>{rankChange(item.change.rankChange)}</span>
                    {item.change.scoreChange !== null && <span className="muted small"> ({signed(item.change.scoreChange)})</span>}
                  </td>
                  <td className="num muted">{item.change.previousRank ?? '—'} · {score(item.change.previousScore)}</td>
                  <td>
                    <button type="button" className="link-btn" aria-expanded={expanded} aria-label={t('perf.detailsOf', { name: item.unit.name })} onClick={() => setOpen(expanded ? null : key)}>
                      {expanded ? t('perf.hide') : t('perf.details')}
                    </button>
                  </td>
                </tr>
                {expanded && <tr className="perf-detail"><td colSpan={7}><UnitDetail item={item} /></td></tr>}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function UnitDetail({ item }: { item: PerformanceItem }) {
  const { t, lang, num } = useI18n();
  const defs = useApi(() => getDefinitions(), []);
  const isRate = (code: string) => defs.data?.indicators.some((i) => i.code === code) ?? false;
  return (
    <div className="perf-detail-body" style={{ display: 'flex', gap: 24, flexWrap: 'wrap', alignItems: 'flex-start' }}>
      <table className="grid-table" aria-label={t('perf.componentsOf', { name: item.unit.name })}>
        <thead><tr><th>{t('perf.comp.name')}</th><th>{t('perf.comp.weight')}</th><th>{t('perf.comp.value')}</th><th>{t('perf.comp.score')}</th><th>{t('perf.comp.points')}</th></tr></thead>
        <tbody>
          {item.components.map((c) => (
            <tr key={c.code}>
              <td>{c.zh}</td><td className="num">{c.weight}</td>
              <td className="num">{c.value === null ? '—' : isRate(c.code) ? percent(c.value) : num(c.value)}</td>
              <td className="num">{score(c.score)}</td><td className="num">{c.points === null ? '—' : c.points.toFixed(2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="grid-table" aria-label={t('perf.indicatorsOf', { name: item.unit.name })}>
        <thead><tr><th>{t('perf.ind.name')}</th><th>{t('perf.ind.numerator')}</th><th>{t('perf.ind.denominator')}</th><th>{t('perf.ind.rate')}</th></tr></thead>
        <tbody>
          {item.indicators.length === 0 && <tr><td colSpan={4} className="muted">{t('perf.ind.none')}</td></tr>}
          {item.indicators.map((i) => (
            <tr key={i.code}><td>{lang === 'zh' ? i.zh : i.en}</td><td className="num">{num(i.numerator)}</td><td className="num">{num(i.denominator)}</td><td className="num">{i.text}</td></tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
