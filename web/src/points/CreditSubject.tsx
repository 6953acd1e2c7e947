import { useState, type FormEvent } from 'react';
import { enterCreditEntry, getCreditSubject, updateCreditSubject, type CreditEntry, type CreditSubjectDetail } from '../api/points.ts';
import { useApi } from '../hooks/useApi.ts';
import { useSubmit } from '../hooks/useSubmit.ts';
import { useI18n, type MessageKey } from '../i18n/index.tsx';
import { Link } from '../router.ts';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Empty, Loading, PageHeader } from '../components/Status.tsx';
import { localTime } from '../evaluation/format.ts';
import { CreditLevelBadge, signedPoints } from './parts.tsx';
import { CorrectionForm } from './PointsLedger.tsx';

/**
 * One credit subject: its register data, the year's score and level, its entries (corrections as reversals) and
 * appeals; the office edits the register data (never the credit code: it is the subject's identity), enters
 * records and reverses an entry with its reason.
 */
export function CreditSubjectView({ id, year, manage }: { id: number; year: number; manage: boolean }) {
  const { t } = useI18n();
  const subject = useApi((signal) => getCreditSubject(id, year, signal), [id, year]);
  const toggle = useSubmit();
  const [editing, setEditing] = useState(false);
  const [correcting, setCorrecting] = useState<number | null>(null);
  const s = subject.data;
  return (
    <div className="page">
      <PageHeader title={s ? s.name : t('credit.title')}>
        {subject.loading && <Loading inline />}
        <Link to="/credit" params={{ year }}>{t('credit.back')}</Link>
        {s && manage && !editing && <button type="button" className="btn" onClick={() => setEditing(true)}>{t('credit.edit')}</button>}
        {s && manage && (
          <button type="button" className="btn" disabled={toggle.busy} onClick={() => toggle.run(async () => { await updateCreditSubject(id, { active: !s.active }); subject.reload(); })}>
            {s.active ? t('credit.deactivate') : t('credit.activate')}
          </button>
        )}
      </PageHeader>
      <ErrorPanel error={subject.error ?? toggle.error} />
      {s && editing && <EditForm s={s} onDone={() => { setEditing(false); subject.reload(); }} onCancel={() => setEditing(false)} />}
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
              <thead><tr><th>No.</th><th>{t('pts.ledger.date')}</th><th>{t('pts.ledger.event')}</th><th className="num">{t('pts.ledger.points')}</th><th>{t('pts.ledger.source')}</th><th>{t('pts.ledger.reason')}</th><th>{t('pts.ledger.recordedBy')}</th>{manage && <th />}</tr></thead>
              <tbody>{s.entries.map((e) => (
                <EntryRow key={e.id} e={e} manage={manage} correcting={correcting === e.id} onCorrect={() => setCorrecting(e.id)}
                  onDone={() => { setCorrecting(null); subject.reload(); }} onCancel={() => setCorrecting(null)} />
              ))}</tbody>
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

function EntryRow({ e, manage, correcting, onCorrect, onDone, onCancel }: { e: CreditEntry; manage: boolean; correcting: boolean; onCorrect: () => void; onDone: () => void; onCancel: () => void }) {
  const { t, lang } = useI18n();
  return (
    <>
    <tr data-entry={e.id} data-event={e.event}>
      <td className="mono small">{e.id}</td>
      <td className="mono small">{localTime(e.occurredAt).slice(0, 10)}</td>
      <td>{e.eventName ? e.eventName[lang] : t(`credit.event.${e.event}` as MessageKey)}{e.reverses !== null && <div className="small muted">{t('pts.ledger.reverses', { id: e.reverses })}</div>}{e.reversed && <span className="badge plain">{t('pts.ledger.reversed')}</span>}</td>
      <td className="num strong" style={e.reversed ? { textDecoration: 'line-through' } : undefined}>{signedPoints(e.points)}</td>
      <td className="mono small">{e.source ?? '—'}</td>
      <td>{e.reason ?? '—'}</td>
      <td className="small">{e.recordedBy}<div className="muted">{localTime(e.recordedAt)}</div></td>
      {manage && <td>{!e.reversed && e.reverses === null && !correcting && <button type="button" className="btn small danger" onClick={onCorrect}>{t('pts.correct')}</button>}</td>}
    </tr>
    {correcting && <tr><td colSpan={8}><CorrectionForm id={e.id} onDone={onDone} onCancel={onCancel} /></td></tr>}
    </>
  );
}

/** The register data the office may change; the credit code is shown, not edited. */
function EditForm({ s, onDone, onCancel }: { s: CreditSubjectDetail; onDone: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const [form, setForm] = useState({ name: s.name, address: s.address ?? '', areaCode: s.area?.code ?? '', contactName: s.contact.name ?? '', contactPhone: s.contact.phone ?? '' });
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value });
  const { busy, error, run } = useSubmit();
  const send = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await updateCreditSubject(s.id, {
        name: form.name, address: form.address.trim() || null, contactName: form.contactName.trim() || null, contactPhone: form.contactPhone.trim() || null,
        ...(s.kind === 'muck_transport' ? {} : { areaCode: form.areaCode.trim() || null }),
      });
      onDone();
    });
  };
  return (
    <form className="card" onSubmit={send} aria-label={t('credit.edit.title')}>
      <h2>{t('credit.edit.title')}</h2>
      <p className="small muted">{t('credit.code')}: <span className="mono">{s.creditCode}</span> · {t('credit.edit.codeFixed')}</p>
      <div className="field-row">
        <label className="field"><span>{t('credit.name')}</span><input name="name" value={form.name} onChange={set('name')} /></label>
        <label className="field"><span>{t('credit.address')}</span><input name="address" value={form.address} onChange={set('address')} /></label>
        <label className="field"><span>{t('credit.area')}</span><input name="areaCode" className="mono" value={form.areaCode} disabled={s.kind === 'muck_transport'} onChange={set('areaCode')} /></label>
      </div>
      <p className="small muted">{t('credit.area.hint')}</p>
      <div className="field-row">
        <label className="field"><span>{t('credit.contact')}</span><input name="contactName" value={form.contactName} onChange={set('contactName')} /></label>
        <label className="field"><span>{t('credit.phone')}</span><input name="contactPhone" value={form.contactPhone} onChange={set('contactPhone')} /></label>
      </div>
      <ErrorPanel error={error} />
      <div className="toolbar">
        <button type="submit" className="btn primary" disabled={busy}>{t('credit.edit.send')}</button>
        <button type="button" className="btn" onClick={onCancel}>{t('pts.correct.cancel')}</button>
      </div>
    </form>
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
