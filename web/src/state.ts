/**
 * State shared between views: the scenario YAML in the editor and the sweep spec in the Sweeps
 * view's editor (each kept in sessionStorage so a reload keeps it), and the cached examples list.
 */
import { useEffect, useState } from 'preact/hooks';
import { api } from './api.js';
import type { Example } from './types.js';

const EDITOR_KEY = 'aifactory.editor';
const SWEEP_EDITOR_KEY = 'aifactory.sweepEditor';

export interface EditorState {
  yaml: string;
  /** Where the text came from: `example:<id>`, `scenario:<hash>`, or `edited`. */
  origin: string;
  /** Bumped when the text comes from outside the editor (not by typing): the editor reloads it. */
  revision: number;
}

type Listener = (s: EditorState) => void;

/** One editor's text, kept in sessionStorage under `key`, with its subscribers. */
function editorStore(key: string) {
  const listeners = new Set<Listener>();
  const load = (): EditorState => {
    try {
      const raw = sessionStorage.getItem(key);
      if (raw) return { revision: 0, ...(JSON.parse(raw) as Omit<EditorState, 'revision'>) };
    } catch {
      // fall through
    }
    return { yaml: '', origin: '', revision: 0 };
  };
  let state: EditorState =
    typeof sessionStorage === 'undefined' ? { yaml: '', origin: '', revision: 0 } : load();
  return {
    get: (): EditorState => state,
    /**
     * Replace the text. `typed`: the change comes from typing in the editor (the editor already
     * shows it); otherwise the editor loads the new text.
     */
    set(next: { yaml: string; origin: string }, typed = false): void {
      state = { ...next, revision: typed ? state.revision : state.revision + 1 };
      try {
        sessionStorage.setItem(key, JSON.stringify(state));
      } catch {
        // storage full or unavailable: keep in memory
      }
      for (const l of listeners) l(state);
    },
    /** The user typed `yaml`: the origin is kept, marked `(edited)` once. */
    typed(yaml: string): void {
      const origin = !state.origin
        ? 'edited'
        : state.origin.endsWith('(edited)')
          ? state.origin
          : `${state.origin} (edited)`;
      this.set({ yaml, origin }, true);
    },
    use(): EditorState {
      const [s, set] = useState(state);
      useEffect(() => {
        listeners.add(set);
        return () => void listeners.delete(set);
      }, []);
      return s;
    },
  };
}

const scenarioEditor = editorStore(EDITOR_KEY);
const sweepEditor = editorStore(SWEEP_EDITOR_KEY);

/** The scenario editor's text. */
export const getEditor = (): EditorState => scenarioEditor.get();
/** Replace the scenario editor's text (`typed`: from typing in it). */
export const setEditor = (next: { yaml: string; origin: string }, typed = false): void =>
  scenarioEditor.set(next, typed);
export const useEditor = (): EditorState => scenarioEditor.use();
/** The user typed in the scenario editor. */
export const typedInEditor = (yaml: string): void => scenarioEditor.typed(yaml);

/** The sweep spec in the Sweeps view's editor. */
export const getSweepEditor = (): EditorState => sweepEditor.get();
/** Replace the sweep editor's text (`typed`: from typing in it). */
export const setSweepEditor = (next: { yaml: string; origin: string }, typed = false): void =>
  sweepEditor.set(next, typed);
export const useSweepEditor = (): EditorState => sweepEditor.use();
/** The user typed in the sweep editor. */
export const typedInSweepEditor = (yaml: string): void => sweepEditor.typed(yaml);

let examplesPromise: Promise<Example[]> | undefined;

/** The built-in examples, fetched once per page. */
export function examples(): Promise<Example[]> {
  examplesPromise ??= api.examples().catch((e: unknown) => {
    examplesPromise = undefined;
    throw e;
  });
  return examplesPromise;
}
