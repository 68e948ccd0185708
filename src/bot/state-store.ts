import type { Prisma } from '../db/database.js';
import { STATE_SCHEMA_VERSION } from '../conversation/machine.js';
import type { DialogState } from '../conversation/types.js';

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

export async function loadState(prisma: Prisma, userId: string): Promise<LoadedState> {
  const row = await prisma.conversation.findUnique({ where: { userId } });
  if (!row) return { state: null, version: null, outdated: false };
  if (row.state === 'idle') return { state: null, version: row.version, outdated: false };
  if (row.schemaVersion !== STATE_SCHEMA_VERSION || typeof row.slots !== 'object' || row.slots === null || Array.isArray(row.slots)) {
    return { state: null, version: row.version, outdated: true };
  }
  return {
    state: { name: row.state, dialogId: row.dialogId, slots: row.slots as Record<string, unknown>, expiresAt: row.expiresAt },
    version: row.version,
    outdated: false,
  };
}

type Transaction = Parameters<Parameters<Prisma['$transaction']>[0]>[0];

/**
 * Saves the next state if nobody else saved since `loaded` was read (two instances handling the
 * same user at once); otherwise throws StaleStateError and the event is retried on fresh state.
 */
export async function saveState(tx: Transaction, userId: string, loaded: LoadedState, next: DialogState | null): Promise<void> {
  const data = {
    state: next?.name ?? 'idle',
    dialogId: next?.dialogId ?? '',
    slots: (next?.slots ?? {}) as object,
    schemaVersion: STATE_SCHEMA_VERSION,
    expiresAt: next?.expiresAt ?? new Date(0),
  };
  if (loaded.version === null) {
    const created = await tx.conversation.createMany({ data: [{ userId, ...data, version: 1 }], skipDuplicates: true });
    if (created.count === 0) throw new StaleStateError(`conversation of ${userId} was created concurrently`);
    return;
  }
  const updated = await tx.conversation.updateMany({
    where: { userId, version: loaded.version },
    data: { ...data, version: loaded.version + 1 },
  });
  if (updated.count === 0) throw new StaleStateError(`conversation of ${userId} changed concurrently`);
}
