import type { InspectorLink } from '../store/types';

/**
 * The soft-phone numbers an inspector may sign in with: the one an admin set, then the others an
 * admin allowed. Nobody else's number: the gateway sends the monitored call's audio there.
 * (Its own file: the Slack function's ack path builds the sign-in modal and must not load the gateway.)
 */
export function phonesOf(link: Pick<InspectorLink, 'phone' | 'allowedPhones'>): string[] {
  const all = [link.phone, ...(link.allowedPhones ?? [])];
  return [...new Set(all.filter((p): p is string => typeof p === 'string' && p !== ''))];
}
