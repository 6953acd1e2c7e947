// The bands of a count score as rows (a count up to and including `upTo` scores `score`; the last band, upTo blank,
// takes the rest), and grid bands as such rows per area class (区域类别). Each input shows the server's issue for
// its path (scheme.components[0].scoring.bands[2].upTo, ….bandsByAreaClass.1[0].score).
import { useI18n } from '../i18n/index.tsx';
import { FieldError } from '../evaluation/fields.tsx';
import { listAt, objectAt, PointsInput, type RuleObject } from '../points/rule-fields.tsx';

const AREA_CLASSES = ['1', '2', '3'];

/** A band to add before the open last one: one above the bound before it, scoring what the last scores. */
function bandBefore(bands: RuleObject[]): RuleObject {
  const bounds = bands.map((b) => b.upTo).filter((v): v is number => typeof v === 'number');
  const last = bands.at(-1);
  return { upTo: bounds.length ? Math.max(...bounds) + 1 : 0, score: typeof last?.score === 'number' ? last.score : 0 };
}

export function BandsEditor({ bands, onChange, field, error, disabled, label }: {
  bands: unknown; onChange: (bands: RuleObject[]) => void; field: string; error: unknown; disabled: boolean; label: string;
}) {
  const { t } = useI18n();
  const rows = listAt(bands).map(objectAt);
  const set = (i: number, key: string, value: unknown) => onChange(rows.map((b, j) => (j === i ? { ...b, [key]: value } : b)));
  const add = () => onChange(rows.length === 0 ? [{ upTo: null, score: 100 }] : [...rows.slice(0, -1), bandBefore(rows), rows.at(-1)!]);
  return (
    <div className="perf-bands" data-field={field}>
      <table className="grid-table compact" aria-label={label}>
        <thead><tr><th>{t('perf.scheme.band.upTo')}</th><th>{t('perf.scheme.band.score')}</th><th /></tr></thead>
        <tbody>
          {rows.map((b, i) => (
            <tr key={i}>
              <td><PointsInput label={`${label} ${i + 1} ${t('perf.scheme.band.upTo')}`} value={b.upTo} field={`${field}[${i}].upTo`} error={error} disabled={disabled} width={70}
                placeholder={i === rows.length - 1 ? t('perf.scheme.band.rest') : ''} onChange={(v) => set(i, 'upTo', v)} /></td>
              <td><PointsInput label={`${label} ${i + 1} ${t('perf.scheme.band.score')}`} value={b.score} field={`${field}[${i}].score`} error={error} disabled={disabled} width={60}
                onChange={(v) => set(i, 'score', v)} /></td>
              <td>{!disabled && rows.length > 1 && <button type="button" className="link-btn" onClick={() => onChange(rows.filter((_, j) => j !== i))}>{t('perf.scheme.remove')}</button>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <FieldError error={error} field={field} />
      {!disabled && <button type="button" className="link-btn small" onClick={add}>{t('perf.scheme.band.add')}</button>}
    </div>
  );
}

export function GridBandsEditor({ byClass, onChange, field, error, disabled, label }: {
  byClass: unknown; onChange: (byClass: RuleObject) => void; field: string; error: unknown; disabled: boolean; label: string;
}) {
  const { t } = useI18n();
  const classes = objectAt(byClass);
  const missing = AREA_CLASSES.filter((k) => !(k in classes));
  return (
    <div data-field={field}>
      <div style={{ display: 'flex', gap: 12, flexWrap: 'wrap', alignItems: 'flex-start' }}>
      {Object.entries(classes).map(([k, bands]) => (
        <div key={k} style={{ marginBottom: 6 }}>
          <div className="small strong">
            {t('perf.scheme.areaClass', { n: k })}
            {!disabled && Object.keys(classes).length > 1 && (
              <button type="button" className="link-btn" style={{ marginLeft: 8 }} onClick={() => onChange(Object.fromEntries(Object.entries(classes).filter(([x]) => x !== k)))}>{t('perf.scheme.remove')}</button>
            )}
          </div>
          <BandsEditor bands={bands} field={`${field}.${k}`} error={error} disabled={disabled} label={`${label} ${t('perf.scheme.areaClass', { n: k })}`}
            onChange={(next) => onChange({ ...classes, [k]: next })} />
        </div>
      ))}
      </div>
      <FieldError error={error} field={field} />
      {!disabled && missing.length > 0 && (
        <span className="small">
          {missing.map((k) => (
            <button key={k} type="button" className="link-btn" style={{ marginRight: 8 }} onClick={() => onChange({ ...classes, [k]: [{ upTo: null, score: 100 }] })}>
              {t('perf.scheme.addAreaClass', { n: k })}
            </button>
          ))}
        </span>
      )}
    </div>
  );
}
