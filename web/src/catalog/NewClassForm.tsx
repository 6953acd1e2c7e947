import { useState, type FormEvent } from 'react';
import { createClass, listClasses, type ClassKind } from '../api/catalog.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { FieldIssue } from './field-issues.tsx';
import { useSubmit } from '../hooks/useSubmit.ts';

/** A local extension class (本地扩展类) in the active catalog: a 5-digit code starting with its 2-digit major code. */
export function NewClassForm({ onDone }: { onDone: (code: string) => void }) {
  const { t } = useI18n();
  const [kind, setKind] = useState<ClassKind>('matter');
  const [majorCode, setMajorCode] = useState('99');
  const [majorName, setMajorName] = useState('');
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [sourceNote, setSourceNote] = useState('');
  const { busy, error, setError, run } = useSubmit();

  // A known major code brings its name (the classes of one major share it).
  const fillMajorName = async () => {
    if (majorName.trim() || !/^\d{2}$/.test(majorCode.trim())) return;
    try {
      const found = await listClasses({ major: majorCode.trim(), limit: 1, offset: 0 });
      const first = found.items[0];
      if (first) setMajorName((current) => current || first.majorName);
    } catch { /* the name stays for the user to type */ }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await run(async () => {
      await createClass({
        kind, majorCode: majorCode.trim(), majorName: majorName.trim(), code: code.trim(), name: name.trim(),
        ...(sourceNote.trim() ? { sourceNote: sourceNote.trim() } : {}),
      });
      onDone(code.trim());
    });
  };

  return (
    <form className="action-form" onSubmit={submit} aria-label={t('catalogClass.new')}>
      <strong>{t('catalogClass.new')}</strong>
      <div className="muted small">{t('catalogClass.newHelp')}</div>
      <div className="toolbar">
        <label className="inline-field">
          <span>{t('catalog.kind')}</span>
          <select value={kind} onChange={(e) => setKind(e.target.value as ClassKind)}>
            <option value="matter">{t('kind.matter')}</option>
            <option value="component">{t('kind.component')}</option>
          </select>
        </label>
        <label className="inline-field">
          <span>{t('catalogClass.majorCode')}</span>
          <input className="short" value={majorCode} maxLength={2} onChange={(e) => setMajorCode(e.target.value)} onBlur={() => void fillMajorName()} />
        </label>
        <FieldIssue error={error} fields={['majorCode']} />
        <label className="inline-field grow">
          <span>{t('catalogClass.majorName')}</span>
          <input value={majorName} maxLength={40} onChange={(e) => setMajorName(e.target.value)} />
        </label>
        <FieldIssue error={error} fields={['majorName']} />
      </div>
      <div className="toolbar">
        <label className="inline-field">
          <span>{t('catalogClass.code')}</span>
          <input className="short" value={code} maxLength={5} placeholder={`${majorCode}001`} onChange={(e) => setCode(e.target.value)} />
        </label>
        <FieldIssue error={error} fields={['code']} />
        <label className="inline-field">
          <span>{t('catalog.name')}</span>
          <input value={name} maxLength={60} onChange={(e) => setName(e.target.value)} />
        </label>
        <FieldIssue error={error} fields={['name']} />
        <label className="inline-field grow">
          <span>{t('catalog.sourceNote')}</span>
          <input value={sourceNote} maxLength={200} placeholder={t('catalogClass.sourceNotePlaceholder')} onChange={(e) => setSourceNote(e.target.value)} />
        </label>
        <button type="submit" className="btn primary" disabled={busy}>{busy ? t('common.saving') : t('catalogClass.create')}</button>
      </div>
      <ErrorPanel error={error} />
    </form>
  );
}
