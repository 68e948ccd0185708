import { STATE_SCHEMA_VERSION } from '../conversation/machine.js';
import type { DialogState } from '../conversation/types.js';

/** A user's stored dialog row, as the database holds it (bot/step-store.ts reads and writes it). */
export interface ConversationRow {
  state: string;
  slots: unknown;
  dialogId: string;
  version: number;
  schemaVersion: number;
  expiresAt: Date;
}

export interface LoadedState {
  state: DialogState | null;
  /** Row version read, for the optimistic check on save; null when there is no row. */
  version: number | null;
  /** The stored state was written by an older code version and was dropped. */
  outdated: boolean;
}

export class StaleStateError extends Error {
  override name = 'StaleStateError';
}

/** The dialog state a stored row holds (none for a missing or idle row, a reset for an outdated one). */
export function loadedStateFromRow(row: ConversationRow | null): LoadedState {
  if (!row) return { state: null, version: null, outdated: false };
  if (row.state === 'idle') return { state: null, version: row.version, outdated: false };
  if (row.schemaVersion !== STATE_SCHEMA_VERSION || typeof row.slots !== 'object' || row.slots === null || Array.isArray(row.slots)) {
    return { state: null, version: row.version, outdated: true };
  }
  return {
    state: { name: row.state, dialogId: row.dialogId, slots: row.slots as Record<string, unknown>, expiresAt: new Date(row.expiresAt) },
    version: row.version,
    outdated: false,
  };
}

/** The row that stores `next` (no dialog: an idle row). */
export function rowOfState(next: DialogState | null): Omit<ConversationRow, 'version'> {
  return {
    state: next?.name ?? 'idle',
    dialogId: next?.dialogId ?? '',
    slots: next?.slots ?? {},
    schemaVersion: STATE_SCHEMA_VERSION,
    expiresAt: next?.expiresAt ?? new Date(0),
  };
}
