import { useState } from 'react';
import { buildUrl, tokenStore, ApiError, type FieldIssue } from '../api/client.ts';
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
      const token = tokenStore.get();
      const res = await fetch(buildUrl(path), { method: 'POST', body: await file.text(), headers: { 'content-type': 'text/csv; charset=utf-8', ...(token ? { authorization: `Bearer ${token}` } : {}) } });
      const body = (await res.json().catch(() => null)) as { error?: { code: string; message: string; issues?: FieldIssue[] }; created?: number; updated?: number } | null;
      if (!res.ok) throw new ApiError(res.status, body?.error?.code ?? `http_${res.status}`, body?.error?.message ?? `${res.status}`, body?.error?.issues ?? []);
      setDone(t('import.done', { created: body?.created ?? 0, updated: body?.updated ?? 0 }));
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
