/** Hash routing: `#/<view>/<arg>?<query>`; `useRoute` re-renders on hash changes. */
import { useEffect, useState } from 'preact/hooks';

export interface Route {
  /** Path segments after `#/`, decoded. */
  parts: string[];
  query: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const h = hash.replace(/^#\/?/, '');
  const [path = '', q = ''] = h.split('?', 2);
  return {
    parts: path
      .split('/')
      .filter(Boolean)
      .map((p) => decodeURIComponent(p)),
    query: new URLSearchParams(q),
  };
}

export function href(parts: readonly string[], query?: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') q.set(k, v);
  const qs = q.toString();
  return `#/${parts.map((p) => encodeURIComponent(p)).join('/')}${qs ? `?${qs}` : ''}`;
}

export function navigate(
  parts: readonly string[],
  query?: Record<string, string | undefined>,
): void {
  location.hash = href(parts, query);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseHash(location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}
