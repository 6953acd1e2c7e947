import { getDefinitions, getScheme, saveScheme, type PerformanceSubject } from '../api/performance.ts';
import { useApi } from '../hooks/useApi.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Loading } from '../components/Status.tsx';
import { localTime } from '../evaluation/format.ts';
import { DraftEditor } from '../components/DraftEditor.tsx';
import type { RuleObject } from '../points/rule-fields.tsx';
import { SchemeForm } from './SchemeForm.tsx';

/**
 * A subject's performance scheme (评价方案): read by everyone who reads its ranking; the office edits it by form (or,
 * as an advanced view, as JSON: both edit the same object) and saves a new version with a reason. The server
 * checks every field (domain/src/performance/scheme.ts) and names each problem by its path
 * (scheme.components[2].weight): shown beside the input it names and listed in the error panel.
 */
export function SchemeEditor({ subject, manage }: { subject: PerformanceSubject; manage: boolean }) {
  const { t } = useI18n();
  const stored = useApi((signal) => getScheme(subject, signal), [subject]);
  const defs = useApi(() => getDefinitions(), []);
  const current = stored.data?.scheme.subject === subject ? stored.data : undefined;
  const save = async (draft: unknown, reason: string) => {
    const result = await saveScheme(subject, draft, reason);
    stored.reload();
    return result.version;
  };
  return (
    <section className="card" aria-label={t('perf.scheme.title')}>
      <h2>{t('perf.scheme.title')} {(stored.loading || defs.loading) && <Loading inline />}</h2>
      <ErrorPanel error={stored.error ?? defs.error} />
      {current && defs.data && (
        <>
          <p className="small" data-testid="scheme-version">
            <strong>{current.scheme.name} · {current.version === 0 ? t('perf.shipped') : t('perf.version', { version: current.version })}</strong>
            {current.savedAt && <span className="muted"> · {t('perf.scheme.savedBy', { who: current.savedByName ?? '—', date: localTime(current.savedAt), reason: current.reason ?? '—' })}</span>}
          </p>
          {current.scheme.note && <p className="muted small">{current.scheme.note}</p>}
          <DraftEditor key={subject} prefix="perf.scheme" name="scheme" current={current.scheme as unknown as RuleObject} versionKey={`${current.version}:${JSON.stringify(current.scheme)}`}
            manage={manage} save={save}
            form={(draft, onChange, error) => <SchemeForm scheme={draft} subject={subject} defs={defs.data!} error={error} disabled={!manage} onChange={onChange} />} />
          <h3>{t('perf.scheme.versions')}</h3>
          {current.versions.length === 0 ? <p className="muted small">{t('perf.scheme.noVersions')}</p> : (
            <table className="grid-table" aria-label={t('perf.scheme.versions')} style={{ width: 'auto' }}>
              <thead><tr><th>{t('perf.scheme.col.version')}</th><th>{t('perf.scheme.col.savedAt')}</th><th>{t('perf.scheme.col.savedBy')}</th><th>{t('perf.scheme.col.reason')}</th></tr></thead>
              <tbody>
                {current.versions.map((v) => (
                  <tr key={v.version} aria-current={v.version === current.version ? 'true' : undefined}>
                    <td>{t('perf.version', { version: v.version })}{v.version === current.version && <span className="badge ok" style={{ marginLeft: 6 }}>{t('perf.scheme.inForce')}</span>}</td>
                    <td className="mono">{localTime(v.savedAt)}</td><td>{v.savedByName ?? '—'}</td><td>{v.reason ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
