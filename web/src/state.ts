/**
 * State shared between views: the scenario YAML in the editor (kept in sessionStorage so a
 * reload keeps it) and the cached examples list.
 */
import { useEffect, useState } from 'preact/hooks';
import { api } from './api.js';
import type { Example } from './types.js';

const EDITOR_KEY = 'aifactory.editor';

export interface EditorState {
  yaml: string;
  /** Where the text came from: `example:<id>`, `scenario:<hash>`, or `edited`. */
  origin: string;
  /** Bumped when the text comes from outside the editor (not by typing): the editor reloads it. */
  revision: number;
}

type Listener = (s: EditorState) => void;
const listeners = new Set<Listener>();

function load(): EditorState {
  try {
    const raw = sessionStorage.getItem(EDITOR_KEY);
    if (raw) return { revision: 0, ...(JSON.parse(raw) as Omit<EditorState, 'revision'>) };
  } catch {
    // fall through
  }
  return { yaml: '', origin: '', revision: 0 };
}

let editor: EditorState =
  typeof sessionStorage === 'undefined' ? { yaml: '', origin: '', revision: 0 } : load();

export function getEditor(): EditorState {
  return editor;
}

/**
 * Replace the editor's text. `typed`: the change comes from typing in the editor (the editor
 * already shows it); otherwise the editor loads the new text.
 */
export function setEditor(next: { yaml: string; origin: string }, typed = false): void {
  editor = { ...next, revision: typed ? editor.revision : editor.revision + 1 };
  try {
    sessionStorage.setItem(EDITOR_KEY, JSON.stringify(editor));
  } catch {
    // storage full or unavailable: keep in memory
  }
  for (const l of listeners) l(editor);
}

export function useEditor(): EditorState {
  const [s, set] = useState(editor);
  useEffect(() => {
    listeners.add(set);
    return () => void listeners.delete(set);
  }, []);
  return s;
}

let examplesPromise: Promise<Example[]> | undefined;

/** The built-in examples, fetched once per page. */
export function examples(): Promise<Example[]> {
  examplesPromise ??= api.examples().catch((e: unknown) => {
    examplesPromise = undefined;
    throw e;
  });
  return examplesPromise;
}
