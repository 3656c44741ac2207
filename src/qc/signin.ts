import { randomBytes, randomUUID } from 'node:crypto';
import { GatewayTransportError, type RetcodeExplanation } from '../gateway';
import type { Logger } from '../logger';
import type { Store } from '../store/types';
import { phonesOf } from './phones';
import type { Gateway } from './ports';

export interface SignInRequest {
  teamId: string;
  userId: string;
  /** Used once for the gateway call; never stored, never logged. */
  password: string;
  /** The soft-phone picked in the modal: must be one the link allows (absent = the admin-set one). */
  phone?: string;
  force: boolean;
}

export type SignInOutcome =
  | { kind: 'signed-in'; inspectorId: string; mode: 'poll' | 'push'; passwordDaysLeft?: number }
  | { kind: 'not-linked' }
  /** No admin set a phone for this inspector: no sign-in (the gateway would need one). */
  | { kind: 'no-phone'; inspectorId: string }
  /** The phone asked for is none of the link's: refused before the gateway. */
  | { kind: 'phone-not-allowed'; inspectorId: string; phone: string; phones: string[] }
  | {
      kind: 'refused';
      inspectorId: string;
      retcode: string;
      explanation: RetcodeExplanation;
      canForce: boolean;
      /** The phone this attempt used and the ones allowed (the forced retry offers them again). */
      phone: string;
      phones: string[];
    }
  | { kind: 'transport'; inspectorId: string; error: GatewayTransportError };

export interface SignInDeps {
  store: Store;
  gateway: Pick<Gateway, 'signIn' | 'forceSignIn'>;
  logger: Logger;
  now: () => number;
  /** Push mode: the public URL of POST /gateway/events. Without it sessions poll. */
  pushCallbackUrl?: string;
}

/** A token the gateway accepts in `service_token`: ≤ 50 chars, letters and digits only. */
export function newServiceToken(): string {
  return randomBytes(24)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 32)
    .padEnd(32, '0');
}

/** Sign an inspector in at the gateway and store the session for the keeper. */
export async function signInInspector(deps: SignInDeps, req: SignInRequest): Promise<SignInOutcome> {
  const link = await deps.store.getLink(req.teamId, req.userId);
  if (!link) return { kind: 'not-linked' };
  const inspectorId = link.inspectorId;
  const phones = phonesOf(link);
  const phone = req.phone?.trim() || phones[0];
  if (phones.length === 0 || !phone) return { kind: 'no-phone', inspectorId };
  if (!phones.includes(phone)) {
    deps.logger.warn({ inspector: inspectorId }, 'sign-in refused: a phone the link does not allow');
    return { kind: 'phone-not-allowed', inspectorId, phone, phones };
  }
  const push = Boolean(deps.pushCallbackUrl);
  const serviceToken = push ? newServiceToken() : undefined;
  const opts = {
    password: req.password,
    phone,
    ...(push && serviceToken ? { callBackUri: deps.pushCallbackUrl, serviceToken } : {}),
  };
  try {
    const out = req.force
      ? await deps.gateway.forceSignIn(inspectorId, opts)
      : await deps.gateway.signIn(inspectorId, opts);
    if (!out.ok) {
      return {
        kind: 'refused',
        inspectorId,
        retcode: out.retcode,
        explanation: out.explanation,
        canForce: out.retcode === '100-002',
        phone,
        phones,
      };
    }
    const now = deps.now();
    await deps.store.startSession({
      inspectorId,
      sessionId: randomUUID(),
      teamId: req.teamId,
      userId: req.userId,
      guid: out.data.guid.reveal(),
      phone,
      mode: push ? 'push' : 'poll',
      ...(serviceToken ? { serviceToken } : {}),
      ...(out.cookie ? { cookie: out.cookie } : {}),
      signedInAt: now,
      guidUpdatedAt: now,
    });
    deps.logger.info(
      { inspector: inspectorId, mode: push ? 'push' : 'poll', forced: req.force },
      'inspector signed in',
    );
    return {
      kind: 'signed-in',
      inspectorId,
      mode: push ? 'push' : 'poll',
      ...(out.data.passwordDaysLeft !== undefined ? { passwordDaysLeft: out.data.passwordDaysLeft } : {}),
    };
  } catch (err) {
    if (err instanceof GatewayTransportError) return { kind: 'transport', inspectorId, error: err };
    throw err;
  }
}
