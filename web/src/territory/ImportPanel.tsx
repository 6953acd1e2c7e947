import { useRef, useState } from 'react';
import { ApiError } from '../api/client.ts';
import { importTerritory, type ImportResult } from '../api/territory.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { LEVEL_LABEL } from './style.ts';
import { LEVELS } from '../api/territory.ts';

/** Import a GeoJSON FeatureCollection of territory nodes (all or nothing); lists row/field errors. */
export function ImportPanel({ onImported }: { onImported: () => void }) {
  const { t, num } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<ImportResult | null>(null);

  const run = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const text = await file.text();
      try {
        const parsed: unknown = JSON.parse(text);
        if (typeof parsed !== 'object' || parsed === null || (parsed as { type?: unknown }).type !== 'FeatureCollection') {
          throw new ApiError(0, 'client', t('import.notCollection'));
        }
      } catch (cause) {
        if (cause instanceof ApiError) throw new ApiError(400, 'invalid_file', cause.message);
        throw new ApiError(400, 'invalid_json', t('import.badJson', { detail: cause instanceof Error ? cause.message : String(cause) }));
      }
      setResult(await importTerritory(text));
      onImported();
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="import-panel">
      <p className="muted small">{t('import.help')}</p>
      <div className="form-row">
        <input
          ref={input}
          type="file"
          accept=".geojson,.json,application/geo+json,application/json"
          onChange={(e) => { setFile(e.target.files?.[0] ?? null); setResult(null); setError(null); }}
        />
      </div>
      {file && <div className="small muted">{file.name} · {num(file.size / 1024, 1)} KB</div>}
      <div className="form-actions">
        <button type="button" className="btn primary" disabled={!file || busy} onClick={() => void run()}>
          {busy ? t('import.running') : t('import.run')}
        </button>
      </div>
      <ErrorPanel error={error ?? undefined} title={t('import.failed')} />
      {result && (
        <div className="notice ok">
          <div>{t('import.done', { created: num(result.created), updated: num(result.updated) })}</div>
          <div className="small">
            {LEVELS.filter((l) => result.byLevel[l]).map((l) => `${t(LEVEL_LABEL[l])} ${num(result.byLevel[l] ?? 0)}`).join(' · ')}
          </div>
        </div>
      )}
    </div>
  );
}
