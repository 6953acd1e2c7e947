import { useState, type FormEvent } from 'react';
import { enterCreditEntry, getCreditSubject, updateCreditSubject, type CreditEntry } from '../api/points.ts';
import { useApi } from '../hooks/useApi.ts';
import { useSubmit } from '../hooks/useSubmit.ts';
import { useI18n, type MessageKey } from '../i18n/index.tsx';
import { Link } from '../router.ts';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Empty, Loading, PageHeader } from '../components/Status.tsx';
import { localTime } from '../evaluation/format.ts';
import { CreditLevelBadge, signedPoints } from './parts.tsx';

/** One credit subject: its register data, the year's score and level, its entries (corrections as reversals) and appeals; the office enters records. */
export function CreditSubjectView({ id, year, manage }: { id: number; year: number; manage: boolean }) {
  const { t } = useI18n();
  const subject = useApi((signal) => getCreditSubject(id, year, signal), [id, year]);
  const toggle = useSubmit();
  const s = subject.data;
  return (
    <div className="page">
      <PageHeader title={s ? s.name : t('credit.title')}>
        {subject.loading && <Loading inline />}
        <Link to="/credit" params={{ year }}>{t('credit.back')}</Link>
        {s && manage && (
          <button type="button" className="btn" disabled={toggle.busy} onClick={() => toggle.run(async () => { await updateCreditSubject(id, { active: !s.active }); subject.reload(); })}>
            {s.active ? t('credit.deactivate') : t('credit.activate')}
          </button>
        )}
      </PageHeader>
      <ErrorPanel error={subject.error ?? toggle.error} />
      {s && (
        <>
          <table className="grid-table compact" aria-label={s.name}>
            <tbody>
              <tr><th>{t('credit.kind')}</th><td>{t(`credit.kind.${s.kind}` as MessageKey)}{!s.active && <span className="badge plain">{t('credit.inactive')}</span>}</td><th>{t('credit.code')}</th><td className="mono">{s.creditCode}</td></tr>
              <tr><th>{t('credit.address')}</th><td>{s.address ?? '—'}</td><th>{t('credit.area')}</th><td>{s.area ? `${s.area.name}（${s.area.code}）` : '—'}</td></tr>
              <tr><th>{t('credit.contact')}</th><td>{s.contact.name ?? '—'} {s.contact.phone ?? ''}</td><th>{t('credit.territory')}</th><td>{s.territory ?? '—'}</td></tr>
              <tr><th>{`${year} ${t('credit.score')}`}</th><td className="strong" data-testid="credit-score">{s.score ?? '—'}</td><th>{t('credit.level')}</th><td><CreditLevelBadge level={s.level} /></td></tr>
            </tbody>
          </table>
          <h2>{t('pts.tab.ledger')}</h2>
          {s.entries.length === 0 ? <Empty>{t('pts.ledger.none')}</Empty> : (
            <table className="grid-table compact wrap" aria-label={t('pts.tab.ledger')}>
              <thead><tr><th>No.</th><th>{t('pts.ledger.date')}</th><th>{t('pts.ledger.event')}</th><th className="num">{t('pts.ledger.points')}</th><th>{t('pts.ledger.source')}</th><th>{t('pts.ledger.reason')}</th><th>{t('pts.ledger.recordedBy')}</th></tr></thead>
              <tbody>{s.entries.map((e) => <EntryRow key={e.id} e={e} />)}</tbody>
            </table>
          )}
          {s.appeals.length > 0 && (
            <>
              <h2>{t('credit.tab.appeals')}</h2>
              <ul className="small">{s.appeals.map((a) => (
                <li key={a.id}>{a.code} · No.{a.entryId} · {t(`credit.appeal.state.${a.state}`)} · {localTime(a.filedAt)} · {a.reason}{a.ruling ? ` → ${a.ruling}` : ''}</li>
              ))}</ul>
            </>
          )}
          {manage && <EntryForm id={id} onDone={subject.reload} />}
        </>
      )}
    </div>
  );
}

function EntryRow({ e }: { e: CreditEntry }) {
  const { t, lang } = useI18n();
  return (
    <tr data-entry={e.id}>
      <td className="mono small">{e.id}</td>
      <td className="mono small">{localTime(e.occurredAt).slice(0, 10)}</td>
      <td>{e.eventName ? e.eventName[lang] : t(`credit.event.${e.event}` as MessageKey)}{e.reverses !== null && <div className="small muted">{t('pts.ledger.reverses', { id: e.reverses })}</div>}{e.reversed && <span className="badge plain">{t('pts.ledger.reversed')}</span>}</td>
      <td className="num strong" style={e.reversed ? { textDecoration: 'line-through' } : undefined}>{signedPoints(e.points)}</td>
      <td className="mono small">{e.source ?? '—'}</td>
      <td>{e.reason ?? '—'}</td>
      <td className="small">{e.recordedBy}<div className="muted">{localTime(e.recordedAt)}</div></td>
    </tr>
  );
}

function EntryForm({ id, onDone }: { id: number; onDone: () => void }) {
  const { t } = useI18n();
  const [kind, setKind] = useState<'violation' | 'good_conduct'>('violation');
  const [caseCode, setCaseCode] = useState('');
  const [points, setPoints] = useState('');
  const [reason, setReason] = useState('');
  const { busy, error, run } = useSubmit();
  const send = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const value = Number(points);
      await enterCreditEntry(id, kind === 'violation'
        ? { kind, caseCode: caseCode.trim(), ...(reason.trim() ? { reason } : {}) }
        : { kind, points: Number.isFinite(value) ? value : 0, reason });
      setCaseCode(''); setPoints(''); setReason('');
      onDone();
    });
  };
  return (
    <form className="card" onSubmit={send} aria-label={t('credit.entry.title')}>
      <h2>{t('credit.entry.title')}</h2>
      <div className="field-row">
        <label className="field"><span>{t('credit.entry.kind')}</span>
          <select value={kind} onChange={(e) => setKind(e.target.value as 'violation' | 'good_conduct')}>
            <option value="violation">{t('credit.entry.violation')}</option>
            <option value="good_conduct">{t('credit.entry.good_conduct')}</option>
          </select>
        </label>
        {kind === 'violation'
          ? <label className="field"><span>{t('credit.entry.case')}</span><input name="caseCode" className="mono" value={caseCode} onChange={(e) => setCaseCode(e.target.value)} /></label>
          : <label className="field"><span>{t('credit.entry.points')}</span><input name="points" inputMode="decimal" value={points} onChange={(e) => setPoints(e.target.value)} /></label>}
      </div>
      <label className="field"><span>{t('credit.entry.reason')}</span><input name="reason" value={reason} onChange={(e) => setReason(e.target.value)} /></label>
      <ErrorPanel error={error} />
      <button type="submit" className="btn primary" disabled={busy}>{t('credit.entry.send')}</button>
    </form>
  );
}
