import { useState } from 'react';
import type { RoundDetail } from '../api/evaluation.ts';
import { useI18n } from '../i18n/index.tsx';
import { Link } from '../router.ts';
import { Empty } from '../components/Status.tsx';
import { PhotoThumb } from '../components/PhotoThumb.tsx';
import { localTime } from './format.ts';

/** 问题审核: every finding of a round with where, when, by whom, its photo and the rectification case it opened; filtered by unit and item. */
export function RoundFindings({ round }: { round: RoundDetail }) {
  const { t, lang } = useI18n();
  const [unit, setUnit] = useState('');
  const [item, setItem] = useState('');
  const units = [...new Map(round.points.map((p) => [p.unit.code, p.unit.name])).entries()];
  const itemName = (code: string) => {
    const i = round.items.find((x) => x.code === code);
    return i ? (lang === 'zh' ? i.zh : i.en) : code;
  };
  const rows = round.findings.filter((f) => (!unit || f.unit === unit) && (!item || f.itemCode === item));
  const total = rows.filter((f) => f.voidedByAppealId === null).reduce((sum, f) => sum + (f.deduction ?? 0), 0);
  return (
    <section aria-label={t('review.title')}>
      <h2 className="section-title">{t('review.title')} <span className="muted">({rows.length}/{round.findings.length})</span></h2>
      <div className="toolbar">
        <label className="inline-field"><span>{t('evaluation.unit')}</span>
          <select value={unit} onChange={(e) => setUnit(e.target.value)}>
            <option value="">{t('common.all')}</option>
            {units.map(([code, name]) => <option key={code} value={code}>{name}</option>)}
          </select>
        </label>
        <label className="inline-field"><span>{t('evaluation.item')}</span>
          <select value={item} onChange={(e) => setItem(e.target.value)}>
            <option value="">{t('common.all')}</option>
            {round.items.map((i) => <option key={i.code} value={i.code}>{i.code} {lang === 'zh' ? i.zh : i.en}</option>)}
          </select>
        </label>
        <span className="grow" />
        <span>{t('review.totalDeduction')} <strong data-testid="review-total">{Number(total.toFixed(2))}</strong></span>
      </div>
      {rows.length === 0 ? <Empty>{t('review.none')}</Empty> : (
        <table className="grid-table compact" aria-label={t('review.title')}>
          <thead><tr>
            <th>#</th><th>{t('evaluation.unit')}</th><th>{t('evaluation.point')}</th><th>{t('evaluation.item')}</th><th className="num">{t('evaluation.occurrences')}</th>
            <th className="num" title={t('review.deductionHint')}>{t('evaluation.deduction')}</th><th>{t('rounds.evaluator')}</th><th>{t('evaluation.foundAt')}</th><th>{t('review.gps')}</th>
            <th>{t('review.photo')}</th><th>{t('review.case')}</th><th />
          </tr></thead>
          <tbody>{rows.map((f) => (
            <tr key={f.id} className={f.voidedByAppealId ? 'inactive' : ''}>
              <td className="mono">{f.id}</td>
              <td>{f.unitName ?? f.unit ?? '—'}</td>
              <td className="mono">{f.grid ?? '—'}{f.seq !== null ? ` #${f.seq}` : ''}</td>
              <td>{f.itemCode} {f.itemName ? (lang === 'zh' ? f.itemName.zh : f.itemName.en) : itemName(f.itemCode)}{f.note ? <div className="muted">{f.note}</div> : null}</td>
              <td className="num">{f.occurrences}</td>
              <td className="num">{f.deduction === null ? '—' : `−${f.deduction}`}</td>
              <td>{f.evaluator.name}</td>
              <td className="mono">{localTime(f.foundAt)}</td>
              <td className="mono">{f.location ? `${f.location.lon.toFixed(6)}, ${f.location.lat.toFixed(6)}` : '—'}</td>
              <td>{f.photoId !== null ? <PhotoThumb id={f.photoId} label={t('review.photoOf', { id: f.id })} small /> : <span className="muted">{t('review.noPhoto')}</span>}</td>
              <td>{f.case ? (
                <>
                  <Link to="/cases" params={{ id: f.case.id }} title={t('review.openCase')}>{f.case.code ?? `#${f.case.id}`}</Link>{' '}
                  {f.case.state && <span className={`badge ${f.case.state === 'closed' ? 'ok' : 'plain'}`}>{f.case.stateName ? (lang === 'zh' ? f.case.stateName.zh : f.case.stateName.en) : f.case.state}</span>}
                </>
              ) : '—'}</td>
              <td>{f.voidedByAppealId ? <span className="badge plain">{t('evaluation.voided', { id: f.voidedByAppealId })}</span> : ''}</td>
            </tr>
          ))}</tbody>
        </table>
      )}
    </section>
  );
}
