import { useState } from 'react';
import { request } from '../api/client.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorPanel } from './ErrorPanel.tsx';

/** Uploads a CSV file to an import route (all or nothing): the server names the row and field of each problem. */
export function CsvImport({ path, onDone }: { path: string; onDone: () => void }) {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [done, setDone] = useState<string | null>(null);
  const run = async () => {
    if (!file) return;
    setBusy(true);
    setError(undefined);
    setDone(null);
    try {
      const result = await request<{ created?: number; updated?: number }>('POST', path, { body: await file.text(), contentType: 'text/csv; charset=utf-8' });
      setDone(t('import.done', { created: result.created ?? 0, updated: result.updated ?? 0 }));
      onDone();
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="toolbar csv-import">
      <input type="file" accept=".csv,text/csv" aria-label={t('import.csvFile')} onChange={(e) => { setFile(e.target.files?.[0] ?? null); setDone(null); }} />
      <button type="button" className="btn" disabled={!file || busy} onClick={() => void run()}>{busy ? t('import.running') : t('import.run')}</button>
      {done && <span className="badge ok" role="status">{done}</span>}
      <ErrorPanel error={error} title={t('import.failed')} />
    </div>
  );
}
