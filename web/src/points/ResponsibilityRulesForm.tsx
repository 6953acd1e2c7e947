import type { AlertLevelCode } from '../api/points.ts';
import { useI18n, type MessageKey } from '../i18n/index.tsx';
import { FieldError } from '../evaluation/fields.tsx';
import { Field, PointsInput, TextInput, listAt, objectAt, swap, withKey, type RuleObject } from './rule-fields.tsx';

// The kinds the rule set names (domain/src/points/responsibility-rules.ts: AREA_KINDS, DERIVED_EVENTS, UNIT_KINDS,
// ALERT_LEVELS). The web reads the server's API only, so the lists are repeated here, and their labels are the
// i18n keys that carry the domain tables' words (pts.kind.*, pts.event.*, pts.level.*). A kind the server does not
// know, typed in the JSON view, is refused by the server naming its path.
const AREA_KINDS = ['frontage', 'road_segment', 'duty_area'] as const;
const EVENTS = ['finding', 'case_overdue', 'case_repeated'] as const;
const SUBJECT_KINDS = [...AREA_KINDS, 'department', 'territory'] as const;
const LEVELS: AlertLevelCode[] = ['warning', 'yellow_card', 'red_card'];

const P = 'rules';

/**
 * 责任区累计加减分 rules by form: the overlay precedence as an ordered list, the deductions as a table of events ×
 * overlay kinds, the repeat window and bonus cap, and the alert thresholds as a table of subject kinds × levels.
 * An empty cell leaves the key out (not charged; no such level), as the rule set means it.
 */
export function ResponsibilityRulesForm({ rules, onChange, error, disabled }: { rules: RuleObject; onChange: (next: RuleObject) => void; error: unknown; disabled: boolean }) {
  const { t } = useI18n();
  const kindName = (k: string) => (Object.hasOwn(KIND_LABEL, k) ? t(KIND_LABEL[k]!) : k);
  const set = (key: string, value: unknown) => onChange(withKey(rules, key, value));
  const optionalText = (v: string) => (v.trim() ? v : undefined);
  const points = (v: number | string | null) => v ?? undefined;

  const precedence = listAt(rules.overlayPrecedence).map(String);
  const missing = AREA_KINDS.filter((k) => !precedence.includes(k));
  const events = objectAt(rules.events);
  const thresholds = objectAt(rules.thresholds);
  const setEvent = (event: string, kind: string, value: unknown) => set('events', withKey(events, event, withKey(objectAt(events[event]), kind, value)));
  // A subject kind left with no level is left out of the thresholds, as the shipped JSON writes it.
  const setThreshold = (kind: string, level: string, value: unknown) => {
    const levels = withKey(objectAt(thresholds[kind]), level, value);
    set('thresholds', withKey(thresholds, kind, Object.keys(levels).length ? levels : undefined));
  };

  return (
    <div className="pts-rules-form">
      <div className="field-row">
        <Field grow label={t('pts.rules.name')}><TextInput label={t('pts.rules.name')} value={rules.name} onChange={(v) => set('name', v)} field={`${P}.name`} error={error} disabled={disabled} /></Field>
        <Field grow label={t('pts.rules.note')}><TextInput label={t('pts.rules.note')} value={rules.note} onChange={(v) => set('note', optionalText(v))} field={`${P}.note`} error={error} disabled={disabled} /></Field>
      </div>

      <section aria-label={t('pts.rules.precedence')}>
        <h3>{t('pts.rules.precedence')}</h3>
        <p className="muted small">{t('pts.rules.precedence.hint')}</p>
        <ol>
          {precedence.map((kind, i) => (
            <li key={`${kind}-${i}`} data-kind={kind} style={{ marginBottom: 4 }}>
              <span className="strong" style={{ display: 'inline-block', minWidth: 120 }}>{kindName(kind)}</span>
              <button type="button" className="btn" disabled={disabled || i === 0} aria-label={`${t('pts.rules.moveUp')} ${kindName(kind)}`}
                onClick={() => set('overlayPrecedence', swap(precedence, i, i - 1))}>↑</button>{' '}
              <button type="button" className="btn" disabled={disabled || i === precedence.length - 1} aria-label={`${t('pts.rules.moveDown')} ${kindName(kind)}`}
                onClick={() => set('overlayPrecedence', swap(precedence, i, i + 1))}>↓</button>{' '}
              <button type="button" className="btn" disabled={disabled} aria-label={`${t('common.remove')} ${kindName(kind)}`}
                onClick={() => set('overlayPrecedence', precedence.filter((_, k) => k !== i))}>{t('common.remove')}</button>
              <FieldError error={error} field={`${P}.overlayPrecedence[${i}]`} />
            </li>
          ))}
        </ol>
        {missing.length > 0 && (
          <div className="toolbar">
            {missing.map((k) => (
              <button key={k} type="button" className="btn" disabled={disabled} onClick={() => set('overlayPrecedence', [...precedence, k])}>{t('pts.rules.precedence.add', { kind: kindName(k) })}</button>
            ))}
          </div>
        )}
        <FieldError error={error} field={`${P}.overlayPrecedence`} />
      </section>

      <section aria-label={t('pts.rules.events')}>
        <h3>{t('pts.rules.events')}</h3>
        <p className="muted small">{t('pts.rules.events.hint')}</p>
        <table className="grid-table compact" aria-label={t('pts.rules.events')} style={{ width: 'auto' }}>
          <thead><tr><th>{t('pts.ledger.event')}</th>{AREA_KINDS.map((k) => <th key={k} className="num">{kindName(k)}</th>)}</tr></thead>
          <tbody>
            {EVENTS.map((event) => {
              const perKind = objectAt(events[event]);
              return (
                <tr key={event} data-event={event}>
                  <td>{t(`pts.event.${event}`)}<FieldError error={error} field={`${P}.events.${event}`} /></td>
                  {AREA_KINDS.map((kind) => (
                    <td key={kind} className="num">
                      <PointsInput label={`${t(`pts.event.${event}`)} ${kindName(kind)}`} value={perKind[kind]} onChange={(v) => setEvent(event, kind, points(v))}
                        field={`${P}.events.${event}.${kind}`} error={error} disabled={disabled} placeholder={t('pts.rules.notCharged')} />
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
        <FieldError error={error} field={`${P}.events`} />
      </section>

      <div className="field-row" style={{ marginTop: 12 }}>
        <Field label={t('pts.rules.repeatWindowDays')}>
          <PointsInput label={t('pts.rules.repeatWindowDays')} value={rules.repeatWindowDays} onChange={(v) => set('repeatWindowDays', v)} field={`${P}.repeatWindowDays`} error={error} disabled={disabled} />
        </Field>
        <Field label={t('pts.rules.bonusMax')}>
          <PointsInput label={t('pts.rules.bonusMax')} value={rules.bonusMax} onChange={(v) => set('bonusMax', v)} field={`${P}.bonusMax`} error={error} disabled={disabled} />
        </Field>
      </div>

      <section aria-label={t('pts.rules.thresholds')}>
        <h3>{t('pts.rules.thresholds')}</h3>
        <p className="muted small">{t('pts.rules.thresholds.hint')}</p>
        <table className="grid-table compact" aria-label={t('pts.rules.thresholds')} style={{ width: 'auto' }}>
          <thead><tr><th>{t('pts.rules.subjectKind')}</th>{LEVELS.map((l) => <th key={l} className="num">{t(`pts.level.${l}`)}</th>)}</tr></thead>
          <tbody>
            {SUBJECT_KINDS.map((kind) => {
              const levels = objectAt(thresholds[kind]);
              return (
                <tr key={kind} data-kind={kind}>
                  <td>{kindName(kind)}<FieldError error={error} field={`${P}.thresholds.${kind}`} /></td>
                  {LEVELS.map((level) => (
                    <td key={level} className="num">
                      <PointsInput label={`${kindName(kind)} ${t(`pts.level.${level}`)}`} value={levels[level]} onChange={(v) => setThreshold(kind, level, points(v))}
                        field={`${P}.thresholds.${kind}.${level}`} error={error} disabled={disabled} placeholder={t('pts.rules.noLevel')} />
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
        <FieldError error={error} field={`${P}.thresholds`} />
      </section>
    </div>
  );
}

const KIND_LABEL: Record<string, MessageKey> = {
  frontage: 'pts.kind.frontage', road_segment: 'pts.kind.road_segment', duty_area: 'pts.kind.duty_area', department: 'pts.kind.department', territory: 'pts.kind.territory',
};
