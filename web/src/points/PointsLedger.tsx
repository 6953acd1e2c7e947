import { useState, type FormEvent } from 'react';
import { correctEntry, getEntries, getUnitTotals, type PointsEntry, type UnitKind } from '../api/points.ts';
import { useApi } from '../hooks/useApi.ts';
import { useSubmit } from '../hooks/useSubmit.ts';
import { useI18n, type MessageKey } from '../i18n/index.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Pager } from '../components/Pager.tsx';
import { PhotoThumb } from '../components/PhotoThumb.tsx';
import { Empty, Loading } from '../components/Status.tsx';
import { localTime } from '../evaluation/format.ts';
import { signedPoints } from './parts.tsx';

const EVENTS = ['finding', 'case_overdue', 'case_repeated', 'bonus', 'correction'] as const;
const LIMIT = 50;

/** The ledger: each entry with its source, reason, date and who recorded it; a correction is a reversing entry shown next to what it reverses. */
export function PointsLedger({ year, area, unit, manage, onClear }: { year: number; area: string; unit: { code: string; kind: UnitKind } | null; manage: boolean; onClear: () => void }) {
  const { t } = useI18n();
  const [event, setEvent] = useState('');
  const [offset, setOffset] = useState(0);
  const [correcting, setCorrecting] = useState<number | null>(null);
  const entries = useApi((signal) => getEntries({ year, area: area || undefined, unit: unit?.code, unitKind: unit?.kind, event: event || undefined, limit: LIMIT, offset }, signal), [year, area, unit?.code, unit?.kind, event, offset]);
  // A unit's name is not on its entries: the units' totals (in the same scope) carry it.
  const units = useApi((signal) => (unit ? getUnitTotals(year, signal) : Promise.resolve(null)), [year, unit?.code]);
  const items = entries.data?.items;
  const name = unit
    ? units.data?.items.find((u) => u.code === unit.code && u.kind === unit.kind)?.name ?? unit.code
    : items?.find((e) => e.area)?.area?.name ?? area;
  const one = Boolean(area || unit);
  return (
    <section aria-label={t('pts.tab.ledger')}>
      <div className="toolbar">
        <strong>{one ? t('pts.ledger.of', { name }) : t('pts.ledger.all')}</strong>
        {one && <button type="button" className="btn small" onClick={onClear}>{t('pts.ledger.clear')}</button>}
        <label className="inline-field"><span>{t('pts.ledger.event')}</span>
          <select value={event} onChange={(e) => { setEvent(e.target.value); setOffset(0); }}>
            <option value="">{t('pts.ledger.event.all')}</option>
            {EVENTS.map((e) => <option key={e} value={e}>{t(`pts.event.${e}`)}</option>)}
          </select>
        </label>
        {entries.loading && <Loading inline />}
      </div>
      <ErrorPanel error={entries.error} />
      {items && (items.length === 0 ? <Empty>{t('pts.ledger.none')}</Empty> : (
        <>
          <table className="grid-table compact wrap" aria-label={t('pts.tab.ledger')}>
            <thead><tr><th>No.</th><th>{t('pts.ledger.date')}</th><th>{t('pts.area')}</th><th>{t('pts.ledger.event')}</th><th className="num">{t('pts.ledger.points')}</th><th>{t('pts.ledger.source')}</th><th>{t('pts.ledger.reason')}</th><th>{t('pts.ledger.recordedBy')}</th>{manage && <th />}</tr></thead>
            <tbody>{items.map((e) => (
              <EntryRow key={e.id} e={e} manage={manage} correcting={correcting === e.id} onCorrect={() => setCorrecting(e.id)} onDone={() => { setCorrecting(null); entries.reload(); }} onCancel={() => setCorrecting(null)} />
            ))}</tbody>
          </table>
          <Pager total={entries.data!.total} limit={LIMIT} offset={offset} onChange={setOffset} />
        </>
      ))}
    </section>
  );
}

function EntryRow({ e, manage, correcting, onCorrect, onDone, onCancel }: { e: PointsEntry; manage: boolean; correcting: boolean; onCorrect: () => void; onDone: () => void; onCancel: () => void }) {
  const { t, lang } = useI18n();
  const struck = e.reversed ? { textDecoration: 'line-through', color: 'var(--ink-3, #888)' } : undefined;
  const eventName = e.eventName ? e.eventName[lang] : t(`pts.event.${e.event}` as MessageKey);
  return (
    <>
      <tr data-entry={e.id} data-event={e.event}>
        <td className="mono small">{e.id}</td>
        <td className="mono small">{localTime(e.occurredAt).slice(0, 10)}</td>
        <td>{e.area ? e.area.name : t(`pts.kind.${e.subject.kind}` as MessageKey)}</td>
        <td>{eventName}{e.reverses !== null && <div className="small muted">{t('pts.ledger.reverses', { id: e.reverses })}</div>}{e.reversed && <span className="badge plain">{t('pts.ledger.reversed')}</span>}</td>
        <td className="num strong" style={struck}>{signedPoints(e.points)}</td>
        <td className="mono small">{e.source ?? '—'}</td>
        <td>{e.reason ?? '—'}{e.evidence.length > 0 && <div>{e.evidence.map((id) => <PhotoThumb key={id} id={id} label={t('pts.ledger.photos')} small />)}</div>}</td>
        <td className="small">{e.recordedBy}<div className="muted">{localTime(e.recordedAt)} · {t('pts.ledger.rule', { v: e.ruleVersion })}</div></td>
        {manage && <td>{!e.reversed && e.reverses === null && !correcting && <button type="button" className="btn small danger" onClick={onCorrect}>{t('pts.correct')}</button>}</td>}
      </tr>
      {correcting && <tr><td colSpan={9}><CorrectionForm id={e.id} onDone={onDone} onCancel={onCancel} /></td></tr>}
    </>
  );
}

export function CorrectionForm({ id, onDone, onCancel }: { id: number; onDone: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const { busy, error, run } = useSubmit();
  const send = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => { await correctEntry(id, reason); onDone(); });
  };
  return (
    <form onSubmit={send} aria-label={t('pts.correct.title', { id })}>
      <div className="toolbar">
        <strong>{t('pts.correct.title', { id })}</strong>
        <label className="inline-field grow"><span>{t('pts.correct.reason')}</span><input name="reason" value={reason} style={{ flex: 1 }} onChange={(e) => setReason(e.target.value)} /></label>
        <button type="submit" className="btn primary" disabled={busy}>{t('pts.correct.send')}</button>
        <button type="button" className="btn" onClick={onCancel}>{t('pts.correct.cancel')}</button>
      </div>
      <ErrorPanel error={error} />
    </form>
  );
}
