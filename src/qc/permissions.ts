import type { QcOperation } from './model';

/**
 * What an admin can grant an inspector (`/qc allow @user listen,whisper`). Stopping is always
 * allowed: nobody should be stuck on a call they cannot leave.
 */
export const PERMISSIONS = ['listen', 'insert', 'whisper', 'intercept', 'force', 'release'] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Default for inspectors without an explicit set (`QC_DEFAULT_PERMISSIONS`). */
export const DEFAULT_PERMISSIONS: readonly Permission[] = ['listen', 'insert', 'whisper', 'intercept'];

/** The permission an operation needs (`undefined`: always allowed). */
export function permissionFor(op: QcOperation | 'release-call'): Permission | undefined {
  switch (op) {
    case 'listen':
    case 'switch-listen':
      return 'listen';
    case 'insert':
    case 'switch-insert':
      return 'insert';
    case 'whisper':
    case 'switch-whisper':
      return 'whisper';
    case 'intercept':
      return 'intercept';
    case 'force-busy':
    case 'force-idle':
    case 'force-signout':
      return 'force';
    case 'release-call':
      return 'release';
    case 'stop':
    case 'stop-whisper':
      return undefined;
  }
}

export function isPermission(word: string): word is Permission {
  return (PERMISSIONS as readonly string[]).includes(word);
}

/** `listen,whisper intercept` / `all` → permissions, or the words that are not permissions. */
export function parsePermissions(
  text: string,
): { ok: true; permissions: Permission[] } | { ok: false; unknown: string[] } {
  const words = text
    .toLowerCase()
    .split(/[\s,]+/)
    .filter(Boolean);
  if (words.length === 1 && words[0] === 'all') return { ok: true, permissions: [...PERMISSIONS] };
  const unknown = words.filter((w) => !isPermission(w));
  if (unknown.length || words.length === 0) return { ok: false, unknown };
  return { ok: true, permissions: [...new Set(words as Permission[])] };
}

/** The set in force for an inspector: their own, else the default. */
export function effectivePermissions(
  own: readonly string[] | undefined,
  defaults: readonly Permission[],
): Permission[] {
  return (own ?? defaults).filter(isPermission);
}

export function applyChange(
  current: readonly Permission[],
  change: 'allow' | 'deny',
  permissions: readonly Permission[],
): Permission[] {
  const set = new Set(current);
  for (const p of permissions) change === 'allow' ? set.add(p) : set.delete(p);
  return PERMISSIONS.filter((p) => set.has(p));
}
