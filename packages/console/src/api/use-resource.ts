import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from './client.ts';

export interface Resource<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
  /** Replace the data after a write answered with the new state (no second round trip). */
  set: (data: T) => void;
}

/**
 * Loads `load()` whenever `key` changes (null: load nothing). Answers of an older key are
 * dropped, so fast navigation never shows one folder's connections under another's name.
 */
export function useResource<T>(key: string | null, load: () => Promise<T>): Resource<T> {
  const [state, setState] = useState<{ key: string | null; data?: T; error?: ApiError; loading: boolean }>({ key, loading: key !== null });
  const [generation, setGeneration] = useState(0);
  const loader = useRef(load);
  loader.current = load;

  useEffect(() => {
    if (key === null) return;
    let current = true;
    setState((s) => ({ key, loading: true, ...(s.key === key ? { data: s.data } : {}) }));
    loader.current().then(
      (data) => current && setState({ key, data, loading: false }),
      (error: unknown) => current && setState({ key, loading: false, error: error instanceof ApiError ? error : new ApiError(0, 'CLIENT_ERROR', String(error)) }),
    );
    return () => {
      current = false;
    };
  }, [key, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const set = useCallback((data: T) => setState((s) => ({ ...s, data, error: undefined })), []);
  const fresh = state.key === key;
  return { data: fresh ? state.data : undefined, error: fresh ? state.error : undefined, loading: !fresh || state.loading, reload, set };
}
