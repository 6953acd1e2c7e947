import { useState, type FormEvent } from 'react';
import { createDepartment, DEPARTMENT_KINDS, type DepartmentKind } from '../api/departments.ts';
import { listNodes } from '../api/territory.ts';
import { useApi } from '../hooks/useApi.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { FieldIssue } from '../catalog/field-issues.tsx';
import { DEPARTMENT_KIND_LABEL } from '../labels.ts';
import { useSubmit } from '../hooks/useSubmit.ts';

/** A new department under a territory (the city, a district, or a street for its 办事处). */
export function NewDepartmentForm({ onDone }: { onDone: (code: string) => void }) {
  const { t } = useI18n();
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [kind, setKind] = useState<DepartmentKind>('professional');
  const [territoryCode, setTerritoryCode] = useState('');
  const [phone, setPhone] = useState('');
  const { busy, error, setError, run } = useSubmit();
  // The city and its districts to pick from; any territory code may be typed.
  const places = useApi(async (signal) => {
    const [city, districts] = await Promise.all([listNodes({ level: 'city', limit: 10 }, signal), listNodes({ level: 'district', limit: 200 }, signal)]);
    return [...city.items, ...districts.items];
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await run(async () => {
      await createDepartment({ code: code.trim(), name: name.trim(), kind, territoryCode: territoryCode.trim(), ...(phone.trim() ? { phone: phone.trim() } : {}) });
      onDone(code.trim());
    });
  };

  return (
    <form className="action-form" onSubmit={submit} aria-label={t('departments.new')}>
      <strong>{t('departments.new')}</strong>
      <div className="toolbar">
        <label className="inline-field"><span>{t('departments.code')}</span><input value={code} maxLength={40} placeholder={t('departments.codePlaceholder')} onChange={(e) => setCode(e.target.value)} /></label>
        <FieldIssue error={error} fields={['code']} />
        <label className="inline-field grow"><span>{t('departments.name')}</span><input value={name} maxLength={60} onChange={(e) => setName(e.target.value)} /></label>
        <FieldIssue error={error} fields={['name']} />
      </div>
      <div className="toolbar">
        <label className="inline-field">
          <span>{t('departments.kind')}</span>
          <select value={kind} onChange={(e) => setKind(e.target.value as DepartmentKind)}>
            {DEPARTMENT_KINDS.map((k) => <option key={k} value={k}>{t(DEPARTMENT_KIND_LABEL[k]!)}</option>)}
          </select>
        </label>
        <label className="inline-field">
          <span>{t('departments.territory')}</span>
          <input value={territoryCode} list="department-territories" placeholder={t('departments.territoryPlaceholder')} onChange={(e) => setTerritoryCode(e.target.value)} />
          <datalist id="department-territories">
            {(places.data ?? []).map((n) => <option key={n.code} value={n.code}>{n.name}</option>)}
          </datalist>
        </label>
        <FieldIssue error={error} fields={['territoryCode']} />
        <label className="inline-field"><span>{t('departments.phone')}</span><input value={phone} maxLength={30} onChange={(e) => setPhone(e.target.value)} /></label>
        <FieldIssue error={error} fields={['phone']} />
        <button type="submit" className="btn primary" disabled={busy}>{busy ? t('common.saving') : t('departments.create')}</button>
      </div>
      <ErrorPanel error={error} />
    </form>
  );
}
