// A tiny hash router: `#/section?key=value`. No library; the server's SPA fallback is not needed.
import { createElement, useMemo, useSyncExternalStore, type MouseEvent, type ReactNode } from 'react';

export interface Route {
  path: string;
  params: URLSearchParams;
}

type Params = Record<string, string | number | null | undefined>;

function currentHash(): string {
  return window.location.hash.replace(/^#/, '') || '/';
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function parseRoute(hash: string): Route {
  const [path = '/', query = ''] = hash.split('?', 2);
  return { path: path || '/', params: new URLSearchParams(query) };
}

export function href(path: string, params?: Params): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params ?? {})) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const qs = search.toString();
  return `#${path}${qs ? `?${qs}` : ''}`;
}

/** Go to a route; `replace` keeps the browser history clean for redirects. */
export function navigate(path: string, params?: Params, replace = false): void {
  const target = href(path, params);
  if (target === window.location.hash) return;
  if (replace) {
    window.history.replaceState(null, '', target);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    window.location.hash = target;
  }
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, currentHash);
  return useMemo(() => parseRoute(hash), [hash]);
}

export function Link(props: { to: string; params?: Params; className?: string; title?: string; children: ReactNode }) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    navigate(props.to, props.params);
  };
  return createElement('a', { href: href(props.to, props.params), className: props.className, title: props.title, onClick }, props.children);
}
