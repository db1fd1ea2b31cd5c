import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface AsyncState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/** Run `fn` when `deps` change (skipped while `enabled` is false); the last call wins. */
export function useAsync<T>(fn: () => Promise<T>, deps: unknown[], enabled = true): AsyncState<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({
    data: undefined,
    error: undefined,
    loading: enabled,
  });
  const [tick, setTick] = useState(0);
  const seq = useRef(0);
  useEffect(() => {
    if (!enabled) return;
    const my = ++seq.current;
    setState((s) => ({ data: s.data, error: undefined, loading: true }));
    fn().then(
      (data) => my === seq.current && setState({ data, error: undefined, loading: false }),
      (error: unknown) =>
        my === seq.current && setState({ data: undefined, error, loading: false }),
    );
  }, [...deps, tick, enabled]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}

/** An action started by the user (button): state of the last call, and `run` to start one. */
export function useAction<A extends unknown[], T>(fn: (...args: A) => Promise<T>) {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({
    data: undefined,
    error: undefined,
    loading: false,
  });
  const seq = useRef(0);
  // The latest `fn` (it closes over the latest props and state), called by a stable `run`.
  const latest = useRef(fn);
  latest.current = fn;
  const run = useCallback((...args: A) => {
    const my = ++seq.current;
    setState((s) => ({ data: s.data, error: undefined, loading: true }));
    return Promise.resolve()
      .then(() => latest.current(...args))
      .then(
        (data) => {
          if (my === seq.current) setState({ data, error: undefined, loading: false });
          return data;
        },
        (error: unknown) => {
          if (my === seq.current) setState({ data: undefined, error, loading: false });
          return undefined;
        },
      );
  }, []);
  const reset = useCallback(
    () => setState({ data: undefined, error: undefined, loading: false }),
    [],
  );
  return { ...state, run, reset };
}
