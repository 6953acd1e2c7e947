import { useState, type FormEvent } from 'react';
import { getScores, transferScores, type KtScores, type KtTransfer } from '../api/key-tasks.ts';
import { listRuns, type RunSummary } from '../api/evaluation.ts';
import { useI18n, type MessageKey } from '../i18n/index.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { useSubmit } from '../hooks/useSubmit.ts';

const fmt = (x: number) => (x > 0 ? `+${x}` : `${x}`);

/** 专项工作得分: a month's score of each unit with its trace; the office transfers them into a draft evaluation. */
export function ScoresPanel({ planId, canManage, month, setMonth }: { planId: number; canManage: boolean; month: string; setMonth: (m: string) => void }) {
  const { t } = useI18n();
  const [scores, setScores] = useState<KtScores | null>(null);
  const [runs, setRuns] = useState<RunSummary[]>([]);
  const [runId, setRunId] = useState('');
  const [done, setDone] = useState<KtTransfer | null>(null);
  const show = useSubmit();
  const transfer = useSubmit();
  const compute = (event: FormEvent) => {
    event.preventDefault();
    void show.run(async () => {
      setDone(null);
      const s = await getScores(planId, month.trim());
      setScores(s);
      if (canManage) {
        const drafts = (await listRuns()).items.filter((r) => r.state === 'draft' && r.period === s.month);
        setRuns(drafts);
        setRunId(drafts[0] ? String(drafts[0].id) : '');
      }
    });
  };
  const send = () => transfer.run(async () => setDone(await transferScores(planId, { runId: Number(runId), month: scores!.month })));
  return (
    <section className="card" aria-label={t('kt.scores.title')}>
      <h2>{t('kt.scores.title')}</h2>
      <form className="toolbar" onSubmit={compute}>
        <label className="inline-field"><span>{t('kt.scores.month')}</span><input value={month} placeholder="2026-03" onChange={(e) => setMonth(e.target.value)} /></label>
        <button type="submit" className="btn primary" disabled={show.busy}>{t('kt.scores.show')}</button>
      </form>
      <ErrorPanel error={show.error} />
      {scores && (
        <>
          <p className="muted small">{t('kt.scores.rule', { name: scores.rule.name, version: scores.rule.version })} · {t('kt.asOf', { date: scores.asOf.slice(0, 10) })}</p>
          <table className="grid-table compact wrap" aria-label={t('kt.scores.title')}>
            <thead><tr><th>{t('kt.scores.unit')}</th><th className="num">{t('kt.scores.score')}</th><th>{t('kt.scores.trace')}</th></tr></thead>
            <tbody>{scores.units.map((u) => (
              <tr key={u.unit.key}>
                <td>{u.unit.name}</td>
                <td className="num strong">{u.score}</td>
                <td>{u.lines.map((l, i) => (
                  <div key={i} className="small">{l.event === 'base' ? `${t('kt.event.base')} ${l.points}` : `${fmt(l.points)} ${t(`kt.event.${l.event}` as MessageKey)}${l.label ? ` ${l.label}` : ''}${l.role ? `（${t(`kt.role.${l.role}` as MessageKey)}）` : ''}${l.date ? ` ${l.date}` : ''}`}</div>
                ))}</td>
              </tr>
            ))}</tbody>
          </table>
          {canManage && (
            <div className="toolbar">
              <label className="inline-field"><span>{t('kt.transfer.run')}</span>
                <select value={runId} onChange={(e) => setRunId(e.target.value)}>
                  <option value="">—</option>
                  {runs.map((r) => <option key={r.id} value={r.id}>{`#${r.id} ${r.scheme.name} ${r.period} v${r.version}`}</option>)}
                </select>
              </label>
              <button type="button" className="btn" disabled={transfer.busy || !runId} onClick={send}>{t('kt.transfer.go')}</button>
              {runs.length === 0 && <span className="muted small">{t('kt.transfer.noDraft')}</span>}
            </div>
          )}
          <ErrorPanel error={transfer.error} />
          {done && <p className="badge ok">{t('kt.transfer.done', { n: done.written.length, m: done.skipped.length })}</p>}
        </>
      )}
    </section>
  );
}
