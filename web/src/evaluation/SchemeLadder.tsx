import { useI18n } from '../i18n/index.tsx';
import { CellInput, FieldError, replaceAt, yuanTextToFen } from './fields.tsx';
import type { DraftComponent } from './schemeDraft.ts';

/** 同分处理: the components that break equal totals, in order, and how a shared rank is paid. */
export function TiesEditor({ breakBy, money, components, onChange, error }: {
  breakBy: string[]; money: 'split' | 'each_full'; components: DraftComponent[]; error: unknown;
  onChange: (ties: { breakBy: string[]; money: 'split' | 'each_full' }) => void;
}) {
  const { t } = useI18n();
  const nameOf = (code: string) => components.find((c) => c.code === code)?.zh || code;
  const move = (i: number, by: number) => {
    const next = [...breakBy];
    const [x] = next.splice(i, 1);
    next.splice(i + by, 0, x!);
    onChange({ breakBy: next, money });
  };
  const left = components.filter((c) => c.code && !breakBy.includes(c.code));
  return (
    <section aria-label={t('scheme.ties')}>
      <h2 className="section-title">{t('scheme.ties')}</h2>
      <div className="toolbar" style={{ alignItems: 'flex-start' }}>
        <div>
          <div>{t('scheme.breakBy')}</div>
          <ol style={{ margin: '4px 0', paddingLeft: 20 }}>
            {breakBy.map((code, i) => (
              <li key={`${code}-${i}`}>
                {nameOf(code)} <span className="muted mono">{code}</span>{' '}
                <button type="button" className="btn" aria-label={`${nameOf(code)} ${t('scheme.up')}`} disabled={i === 0} onClick={() => move(i, -1)}>↑</button>
                <button type="button" className="btn" aria-label={`${nameOf(code)} ${t('scheme.down')}`} disabled={i === breakBy.length - 1} onClick={() => move(i, 1)}>↓</button>
                <button type="button" className="btn" aria-label={`${t('common.remove')} ${nameOf(code)}`} onClick={() => onChange({ breakBy: breakBy.filter((_, k) => k !== i), money })}>{t('common.remove')}</button>
                <FieldError error={error} field={`scheme.ties.breakBy[${i}]`} />
              </li>
            ))}
          </ol>
          {left.length > 0 && (
            <select aria-label={t('scheme.addBreakBy')} value="" onChange={(e) => e.target.value && onChange({ breakBy: [...breakBy, e.target.value], money })}>
              <option value="">{t('scheme.addBreakBy')}</option>
              {left.map((c) => <option key={c.code} value={c.code}>{c.zh || c.code}</option>)}
            </select>
          )}
          <FieldError error={error} field="scheme.ties.breakBy" />
        </div>
        <label className="inline-field" style={{ flexDirection: 'column', alignItems: 'flex-start' }}>
          <span>{t('scheme.tieMoney')}</span>
          <select value={money} onChange={(e) => onChange({ breakBy, money: e.target.value as 'split' | 'each_full' })}>
            <option value="split">{t('scheme.tieMoney.split')}</option>
            <option value="each_full">{t('scheme.tieMoney.each_full')}</option>
          </select>
          <FieldError error={error} field="scheme.ties.money" />
        </label>
      </div>
    </section>
  );
}

/** A typed amount in 万元 as a hint (read exactly through fen); blank when it cannot be read. */
function tenThousands(text: string, unit: string): string {
  const fen = yuanTextToFen(text);
  if (fen === null || fen === 0) return '';
  const wan = fen / 1_000_000;
  return `${Number(wan.toFixed(6))} ${unit}`;
}

/** 奖惩金额: the yuan each place receives (from the first) or pays (from the last). */
export function LadderEditor({ rewards, penalties, onChange, error }: {
  rewards: string[]; penalties: string[]; error: unknown;
  onChange: (ladder: { rewards: string[]; penalties: string[] }) => void;
}) {
  const { t } = useI18n();
  const side = (which: 'rewards' | 'penalties') => {
    const list = which === 'rewards' ? rewards : penalties;
    const update = (next: string[]) => onChange(which === 'rewards' ? { rewards: next, penalties } : { rewards, penalties: next });
    const placeName = (i: number) => (which === 'rewards' ? t('scheme.place', { n: i + 1 }) : i === 0 ? t('scheme.last') : t('scheme.fromLast', { n: i + 1 }));
    return (
      <div style={{ flex: 1, minWidth: 320 }}>
        <table className="grid-table compact" aria-label={t(which === 'rewards' ? 'scheme.rewards' : 'scheme.penalties')}>
          <thead><tr><th style={{ width: 110 }}>{t(which === 'rewards' ? 'scheme.rewards' : 'scheme.penalties')}</th><th className="num">{t('scheme.amountYuan')}</th><th style={{ width: 90 }} /><th style={{ width: 60 }} /></tr></thead>
          <tbody>{list.map((amount, i) => (
            <tr key={i}>
              <td>{placeName(i)}</td>
              <td className="num"><CellInput numeric label={`${t(which === 'rewards' ? 'scheme.rewards' : 'scheme.penalties')} ${placeName(i)}`} value={amount} onChange={(v) => update(replaceAt(list, i, v))} field={`scheme.ladder.${which}[${i}]`} error={error} /></td>
              <td className="muted">{tenThousands(amount, t('scheme.wan'))}</td>
              <td><button type="button" className="btn" aria-label={`${t('common.remove')} ${placeName(i)}`} onClick={() => update(list.filter((_, k) => k !== i))}>{t('common.remove')}</button></td>
            </tr>
          ))}</tbody>
        </table>
        <FieldError error={error} field={`scheme.ladder.${which}`} />
        <button type="button" className="btn" style={{ marginTop: 4 }} onClick={() => update([...list, ''])}>{t(which === 'rewards' ? 'scheme.addReward' : 'scheme.addPenalty')}</button>
      </div>
    );
  };
  return (
    <section aria-label={t('scheme.ladder')}>
      <h2 className="section-title">{t('scheme.ladder')}</h2>
      <p className="muted" style={{ margin: '0 0 6px' }}>{t('scheme.ladderHint')}</p>
      <FieldError error={error} field="scheme.ladder" />
      <div className="toolbar" style={{ alignItems: 'flex-start' }}>{side('rewards')}{side('penalties')}</div>
    </section>
  );
}
