import { useState } from 'react';
import { listCreditAppeals, ruleCreditAppeal, type CreditAppeal } from '../api/points.ts';
import { useApi } from '../hooks/useApi.ts';
import { useSubmit } from '../hooks/useSubmit.ts';
import { useI18n, type MessageKey } from '../i18n/index.tsx';
import { Link } from '../router.ts';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Empty, Loading } from '../components/Status.tsx';
import { localTime } from '../evaluation/format.ts';
import { signedPoints } from './parts.tsx';

/** The appeals of credit subjects, waiting ones first by default; the office upholds (the entry is reversed) or rejects, always with a reason. */
export function CreditAppeals({ manage }: { manage: boolean }) {
  const { t } = useI18n();
  const [state, setState] = useState('filed');
  const appeals = useApi((signal) => listCreditAppeals(state, signal), [state]);
  return (
    <section aria-label={t('credit.tab.appeals')}>
      <div className="toolbar">
        <label className="inline-field"><span>{t('credit.appeals.state')}</span>
          <select value={state} onChange={(e) => setState(e.target.value)}>
            <option value="">{t('credit.appeals.all')}</option>
            {(['filed', 'upheld', 'rejected'] as const).map((s) => <option key={s} value={s}>{t(`credit.appeal.state.${s}`)}</option>)}
          </select>
        </label>
        {appeals.loading && <Loading inline />}
      </div>
      <ErrorPanel error={appeals.error} />
      {appeals.data && (appeals.data.items.length === 0 ? <Empty>{t('credit.appeals.none')}</Empty>
        : appeals.data.items.map((a) => <AppealCard key={a.id} a={a} manage={manage} onDone={appeals.reload} />))}
    </section>
  );
}

function AppealCard({ a, manage, onDone }: { a: CreditAppeal; manage: boolean; onDone: () => void }) {
  const { t } = useI18n();
  const [ruling, setRuling] = useState('');
  const { busy, error, run } = useSubmit();
  const rule = (outcome: 'upheld' | 'rejected') => run(async () => { await ruleCreditAppeal(a.id, { outcome, ruling }); onDone(); });
  return (
    <article className="card" aria-label={a.code} data-state={a.state}>
      <h3>{a.code} <span className={a.state === 'upheld' ? 'badge ok' : a.state === 'rejected' ? 'badge plain' : 'badge warn'}>{t(`credit.appeal.state.${a.state}` as MessageKey)}</span></h3>
      <table className="grid-table compact wrap">
        <tbody>
          <tr><th style={{ width: 120 }}>{t('credit.appeal.subject')}</th><td><Link to="/credit" params={{ subject: a.subject.id }}>{a.subject.name}</Link> <span className="mono small">{a.subject.creditCode}</span></td></tr>
          <tr><th>{t('credit.appeal.entry')}</th><td>No.{a.entry.id} · {t(`credit.event.${a.entry.event}` as MessageKey)} · <strong>{signedPoints(a.entry.points)}</strong> · {a.entry.source ?? ''} {a.entry.reason ?? ''}</td></tr>
          <tr><th>{t('credit.appeal.reason')}</th><td>{a.reason}</td></tr>
          <tr><th>{t('credit.appeal.filedAt')}</th><td>{localTime(a.filedAt)}</td></tr>
          {a.ruling && <tr><th>{t('credit.appeal.ruling')}</th><td>{a.ruling} <span className="muted small">{localTime(a.ruledAt)}</span></td></tr>}
        </tbody>
      </table>
      {manage && a.state === 'filed' && (
        <div className="toolbar">
          <label className="inline-field grow"><span>{t('credit.appeal.rulingReason')}</span><input name="ruling" style={{ flex: 1 }} value={ruling} onChange={(e) => setRuling(e.target.value)} /></label>
          <button type="button" className="btn primary" disabled={busy} onClick={() => rule('upheld')}>{t('credit.appeal.uphold')}</button>
          <button type="button" className="btn danger" disabled={busy} onClick={() => rule('rejected')}>{t('credit.appeal.reject')}</button>
        </div>
      )}
      <ErrorPanel error={error} />
    </article>
  );
}
