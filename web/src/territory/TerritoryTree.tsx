import { useEffect, useRef, useState } from 'react';
import { listNodes, type TerritoryNode } from '../api/territory.ts';
import { useApi } from '../hooks/useApi.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Loading } from '../components/Status.tsx';
import { LEVEL_LABEL } from './style.ts';

const PAGE = 200;

interface TreeProps {
  selected: string | null;
  expanded: ReadonlySet<string>;
  refreshKey: number;
  onToggle: (code: string) => void;
  onSelect: (code: string) => void;
  onRoots: (roots: TerritoryNode[]) => void;
}

/** city → districts → streets → communities → grids; children load on expand (?parent=CODE). */
export function TerritoryTree(props: TreeProps) {
  const { t } = useI18n();
  const { onRoots } = props;
  const roots = useApi(async (signal) => {
    const cities = await listNodes({ level: 'city', limit: 50 }, signal);
    return cities.total > 0 ? cities.items : (await listNodes({ level: 'district', limit: 500 }, signal)).items;
  }, [props.refreshKey]);
  useEffect(() => {
    if (roots.data) onRoots(roots.data);
  }, [roots.data, onRoots]);

  if (roots.error) return <ErrorPanel error={roots.error} />;
  if (!roots.data) return <Loading />;
  if (roots.data.length === 0) return <div className="empty">{t('territory.noNodes')}</div>;
  return (
    <ul className="tree" role="tree">
      {roots.data.map((node) => <TreeNode key={node.code} node={node} depth={0} tree={props} />)}
    </ul>
  );
}

function TreeNode({ node, depth, tree }: { node: TerritoryNode; depth: number; tree: TreeProps }) {
  const { t } = useI18n();
  const isOpen = tree.expanded.has(node.code);
  const isSelected = tree.selected === node.code;
  const hasChildren = (node.childCount ?? 1) > 0 && node.level !== 'grid';
  const rowRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (isSelected) rowRef.current?.scrollIntoView({ block: 'nearest' });
  }, [isSelected]);
  return (
    <li role="treeitem" aria-expanded={hasChildren ? isOpen : undefined} aria-selected={isSelected}>
      <div ref={rowRef} className={isSelected ? 'tree-row selected' : 'tree-row'} style={{ paddingLeft: 4 + depth * 14 }}>
        <button type="button" className="tree-toggle" disabled={!hasChildren} onClick={() => tree.onToggle(node.code)} aria-label={t('territory.expand')}>
          {hasChildren ? (isOpen ? '▾' : '▸') : '·'}
        </button>
        <button type="button" className="tree-label" onClick={() => tree.onSelect(node.code)} title={`${node.code} · ${t(LEVEL_LABEL[node.level])}`}>
          <span className="tree-name">{node.name}</span>
          {node.childCount !== undefined && node.childCount > 0 && <span className="tree-count">{node.childCount}</span>}
        </button>
      </div>
      {isOpen && hasChildren && <TreeChildren parent={node.code} depth={depth + 1} tree={tree} />}
    </li>
  );
}

function TreeChildren({ parent, depth, tree }: { parent: string; depth: number; tree: TreeProps }) {
  const { t, num } = useI18n();
  const [extra, setExtra] = useState<TerritoryNode[]>([]);
  const [loadingMore, setLoadingMore] = useState(false);
  const first = useApi((signal) => listNodes({ parent, limit: PAGE, offset: 0 }, signal), [parent, tree.refreshKey]);
  useEffect(() => setExtra([]), [first.data]);

  if (first.error) return <div className="tree-msg"><ErrorPanel error={first.error} /></div>;
  if (!first.data) return <div className="tree-msg" style={{ paddingLeft: 18 + depth * 14 }}><Loading inline /></div>;
  const items = [...first.data.items, ...extra];
  const more = first.data.total - items.length;
  const loadMore = () => {
    setLoadingMore(true);
    listNodes({ parent, limit: PAGE, offset: items.length })
      .then((page) => setExtra((prev) => [...prev, ...page.items]))
      .catch(() => undefined)
      .finally(() => setLoadingMore(false));
  };
  return (
    <ul role="group">
      {items.map((node) => <TreeNode key={node.code} node={node} depth={depth} tree={tree} />)}
      {more > 0 && (
        <li style={{ paddingLeft: 18 + depth * 14 }}>
          <button type="button" className="link-btn" disabled={loadingMore} onClick={loadMore}>{t('territory.loadMore', { n: num(more) })}</button>
        </li>
      )}
    </ul>
  );
}
