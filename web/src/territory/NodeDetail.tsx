import type { TerritoryNodeDetail } from '../api/territory.ts';
import { useI18n } from '../i18n/index.tsx';
import { AreaClassBadge } from './AreaClassBadge.tsx';
import { NodeEditForm } from './NodeEditForm.tsx';
import { LEVEL_LABEL } from './style.ts';
import { DEPARTMENT_KIND_LABEL } from '../labels.ts';

interface NodeDetailProps {
  node: TerritoryNodeDetail;
  canWrite: boolean;
  onSelect: (code: string) => void;
  onSaved: () => void;
}

export function NodeDetail({ node, canWrite, onSelect, onSaved }: NodeDetailProps) {
  const { t, num } = useI18n();
  const ancestors = node.ancestors.filter((a) => a.code !== node.code);
  return (
    <div className="node-detail">
      <nav className="breadcrumb" aria-label={t('territory.ancestors')}>
        {ancestors.map((a) => (
          <span key={a.code}>
            <button type="button" className="link-btn" onClick={() => onSelect(a.code)} title={a.code}>{a.name}</button>
            <span className="sep">›</span>
          </span>
        ))}
        <strong>{node.name}</strong>
      </nav>
      <h2 className="node-title">
        {node.name} <span className="level-tag">{t(LEVEL_LABEL[node.level])}</span>
      </h2>
      <dl className="props">
        <dt>{t('territory.code')}</dt>
        <dd className="mono">{node.code}</dd>
        <dt>{t('territory.level')}</dt>
        <dd>{t(LEVEL_LABEL[node.level])}{node.kind ? ` · ${node.kind}` : ''}</dd>
        <dt>{t('territory.areaClass')}</dt>
        <dd><AreaClassBadge value={node.areaClass} /></dd>
        <dt>{t('territory.area')}</dt>
        <dd>
          {num(node.areaM2, 0)} m² <span className="muted">({num(node.areaM2 / 1e6, 3)} km²)</span>
        </dd>
        {node.childCount !== undefined && (
          <>
            <dt>{t('territory.children')}</dt>
            <dd>{num(node.childCount)}</dd>
          </>
        )}
        <dt>{t('territory.centroid')}</dt>
        <dd className="mono">{node.centroid[0].toFixed(6)}, {node.centroid[1].toFixed(6)}</dd>
      </dl>

      <h3>{t('territory.responsibleUnits')}</h3>
      {node.responsibleUnits.length === 0 ? (
        <div className="muted small">{t('territory.noUnits')}</div>
      ) : (
        <table className="grid-table compact">
          <thead>
            <tr><th>{t('territory.unit')}</th><th>{t('territory.duty')}</th></tr>
          </thead>
          <tbody>
            {node.responsibleUnits.map((u) => (
              <tr key={`${u.departmentCode}|${u.duty}`}>
                <td title={u.departmentCode}>{u.departmentName}<div className="muted small">{DEPARTMENT_KIND_LABEL[u.kind] ? t(DEPARTMENT_KIND_LABEL[u.kind]!) : u.kind}</div></td>
                <td>{u.duty}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {canWrite && <NodeEditForm key={node.code} node={node} onSaved={onSaved} />}
    </div>
  );
}
