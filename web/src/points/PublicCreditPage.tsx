import { useState, type FormEvent } from 'react';
import { beijingYearNow, fileCreditAppeal, followCreditAppeal, publicCreditList, publicCreditRecord, type PublicCreditRecord } from '../api/points.ts';
import { useApi } from '../hooks/useApi.ts';
import { useSubmit } from '../hooks/useSubmit.ts';
import { useI18n, type MessageKey } from '../i18n/index.tsx';
import { Link, navigate, useRoute } from '../router.ts';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Empty, Loading } from '../components/Status.tsx';
import { localTime } from '../evaluation/format.ts';
import { CREDIT_KINDS, CreditLevelBadge, signedPoints, YearSelect } from './parts.tsx';

/**
 * 信用公示, without signing in: the year's list of shops and companies with kind, level and score; a subject's
 * record (each entry by number, kind, date and points); an appeal against a deduction, filed with the
 * subject's own credit code as the API asks; and following an appeal by its number.
 * #/public/credit?year=&code=<credit code>&appeal=<appeal number>
 */
export function PublicCreditPage() {
  const route = useRoute();
  const year = Number(route.params.get('year') ?? beijingYearNow());
  const code = route.params.get('code');
  const appeal = route.params.get('appeal');
  return (
    <div>
      {code ? <Record code={code} year={year} /> : <List year={year} />}
      <Follow key={appeal ?? ''} initial={appeal ?? ''} />
    </div>
  );
}

function List({ year }: { year: number }) {
  const { t } = useI18n();
  const [kind, setKind] = useState('');
  const [search, setSearch] = useState('');
  const list = useApi((signal) => publicCreditList(year, kind, signal), [year, kind]);
  const q = search.trim().toUpperCase();
  const items = list.data?.items.filter((s) => !q || s.name.toUpperCase().includes(q) || s.creditCode.includes(q));
  return (
    <section aria-label={t('pubcredit.title')}>
      <h1 className="public-title">{t('pubcredit.title')}</h1>
      <p className="muted">{t('pubcredit.intro')}</p>
      <div className="toolbar">
        <YearSelect year={year} onChange={(y) => navigate('/public/credit', { year: y })} />
        <label className="inline-field"><span>{t('credit.kind')}</span>
          <select value={kind} onChange={(e) => setKind(e.target.value)}>
            <option value="">{t('credit.kind.all')}</option>
            {CREDIT_KINDS.map((k) => <option key={k} value={k}>{t(`credit.kind.${k}`)}</option>)}
          </select>
        </label>
        <input type="search" aria-label={t('pubcredit.search')} placeholder={t('pubcredit.search')} value={search} onChange={(e) => setSearch(e.target.value)} />
        {list.loading && <Loading inline />}
      </div>
      <ErrorPanel error={list.error} />
      {items && (items.length === 0 ? <Empty>{t('pubcredit.none')}</Empty> : (
        <table className="grid-table" aria-label={t('pubcredit.title')}>
          <thead><tr><th>{t('credit.name')}</th><th>{t('credit.code')}</th><th>{t('credit.kind')}</th><th>{t('credit.territory')}</th><th className="num">{t('credit.score')}</th><th>{t('credit.level')}</th></tr></thead>
          <tbody>{items.map((s) => (
            <tr key={s.creditCode} data-code={s.creditCode}>
              <td><Link to="/public/credit" params={{ year, code: s.creditCode }}>{s.name}</Link></td>
              <td className="mono">{s.creditCode}</td><td>{t(`credit.kind.${s.kind}` as MessageKey)}</td><td>{s.territory ?? '—'}</td>
              <td className="num strong">{s.score ?? '—'}</td><td><CreditLevelBadge level={s.level} /></td>
            </tr>
          ))}</tbody>
        </table>
      ))}
    </section>
  );
}

function Record({ code, year }: { code: string; year: number }) {
  const { t } = useI18n();
  const record = useApi((signal) => publicCreditRecord(code, year, signal), [code, year]);
  const [appealing, setAppealing] = useState<number | null>(null);
  const r = record.data;
  return (
    <section aria-label={r?.name ?? code}>
      <p><Link to="/public/credit" params={{ year }}>{t('pubcredit.back')}</Link></p>
      {record.loading && <Loading />}
      <ErrorPanel error={record.error} />
      {r && (
        <>
          <h1 className="public-title">{r.name}</h1>
          <table className="grid-table compact">
            <tbody>
              <tr><th>{t('credit.code')}</th><td className="mono">{r.creditCode}</td><th>{t('credit.kind')}</th><td>{t(`credit.kind.${r.kind}` as MessageKey)}</td></tr>
              <tr><th>{t('credit.score')}</th><td className="strong" data-testid="public-score">{r.score ?? '—'}</td><th>{t('credit.level')}</th><td><CreditLevelBadge level={r.level} /></td></tr>
            </tbody>
          </table>
          <h2>{t('pubcredit.record', { year: r.year })}</h2>
          {r.entries.length === 0 ? <Empty>{t('pubcredit.noEntries')}</Empty> : (
            <table className="grid-table compact" aria-label={t('pubcredit.record', { year: r.year })}>
              <thead><tr><th>{t('pubcredit.entryNo')}</th><th>{t('pts.ledger.date')}</th><th>{t('pts.ledger.event')}</th><th className="num">{t('pts.ledger.points')}</th><th /></tr></thead>
              <tbody>{r.entries.map((e) => (
                <tr key={e.id} data-entry={e.id}>
                  <td className="mono">{e.id}</td><td className="mono">{e.occurredOn}</td>
                  <td>{t(`credit.event.${e.event}` as MessageKey)}{e.reverses !== null && <div className="small muted">{t('pts.ledger.reverses', { id: e.reverses })}</div>}{e.reversed && <span className="badge plain">{t('pts.ledger.reversed')}</span>}</td>
                  <td className="num strong" style={e.reversed ? { textDecoration: 'line-through' } : undefined}>{signedPoints(e.points)}</td>
                  <td><AppealAction record={r} entry={e} open={appealing === e.id} onOpen={() => setAppealing(e.id)} /></td>
                </tr>
              ))}</tbody>
            </table>
          )}
          {appealing !== null && <AppealForm entryId={appealing} onDone={() => { setAppealing(null); record.reload(); }} />}
        </>
      )}
    </section>
  );
}

function AppealAction({ record, entry, open, onOpen }: { record: PublicCreditRecord; entry: PublicCreditRecord['entries'][number]; open: boolean; onOpen: () => void }) {
  const { t } = useI18n();
  const pending = record.appeals.find((a) => a.entryId === entry.id && a.state === 'filed');
  if (pending) return <span className="badge warn">{t('pubcredit.appeal.pending')}</span>;
  if (entry.points >= 0 || entry.reversed || entry.reverses !== null || open) return null;
  return <button type="button" className="btn small" onClick={onOpen}>{t('pubcredit.appeal')}</button>;
}

function AppealForm({ entryId, onDone }: { entryId: number; onDone: () => void }) {
  const { t } = useI18n();
  const [creditCode, setCreditCode] = useState('');
  const [reason, setReason] = useState('');
  const [filed, setFiled] = useState<string | null>(null);
  const { busy, error, run } = useSubmit();
  const send = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const r = await fileCreditAppeal({ creditCode: creditCode.trim().toUpperCase(), entryId, reason });
      setFiled(r.code);
    });
  };
  if (filed) {
    return (
      <div className="card" role="status">
        <p>{t('pubcredit.appeal.done', { code: filed })}</p>
        <button type="button" className="btn" onClick={() => { onDone(); navigate('/public/credit', { appeal: filed }); }}>{t('pubcredit.follow.send')}</button>
      </div>
    );
  }
  return (
    <form className="card" onSubmit={send} aria-label={t('pubcredit.appeal.title', { id: entryId })}>
      <h2>{t('pubcredit.appeal.title', { id: entryId })}</h2>
      <label className="field"><span>{t('pubcredit.appeal.code')}</span><input name="creditCode" className="mono" maxLength={18} placeholder={t('pubcredit.appeal.codeHint')} value={creditCode} onChange={(e) => setCreditCode(e.target.value)} /></label>
      <label className="field"><span>{t('pubcredit.appeal.reason')}</span><textarea name="reason" rows={3} value={reason} onChange={(e) => setReason(e.target.value)} /></label>
      <ErrorPanel error={error} />
      <button type="submit" className="btn primary" disabled={busy}>{t('pubcredit.appeal.send')}</button>
    </form>
  );
}

function Follow({ initial }: { initial: string }) {
  const { t } = useI18n();
  const [code, setCode] = useState(initial);
  const [asked, setAsked] = useState(initial);
  const appeal = useApi((signal) => (asked ? followCreditAppeal(asked, signal) : Promise.resolve(null)), [asked]);
  const send = (event: FormEvent) => { event.preventDefault(); setAsked(code.trim().toUpperCase()); };
  const a = appeal.data;
  return (
    <section className="card" aria-label={t('pubcredit.follow.title')} style={{ marginTop: 16 }}>
      <h2>{t('pubcredit.follow.title')}</h2>
      <form className="toolbar" onSubmit={send}>
        <label className="inline-field"><span>{t('pubcredit.follow.code')}</span><input name="appeal" className="mono" value={code} onChange={(e) => setCode(e.target.value)} /></label>
        <button type="submit" className="btn primary">{t('pubcredit.follow.send')}</button>
        {appeal.loading && asked && <Loading inline />}
      </form>
      <ErrorPanel error={appeal.error} />
      {a && (
        <table className="grid-table compact" data-state={a.state}>
          <tbody>
            <tr><th>{t('pubcredit.follow.result', { subject: a.subject, entry: a.entryId, points: a.points })}</th><td><strong>{t(`credit.appeal.state.${a.state}` as MessageKey)}</strong></td></tr>
            <tr><th>{t('credit.appeal.filedAt')}</th><td>{localTime(a.filedAt)}</td></tr>
            {a.ruling && <tr><th>{t('credit.appeal.ruling')}</th><td>{a.ruling}</td></tr>}
            {a.ruledAt && <tr><th>{t('pubcredit.follow.ruledAt')}</th><td>{localTime(a.ruledAt)}</td></tr>}
          </tbody>
        </table>
      )}
    </section>
  );
}
