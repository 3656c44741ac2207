import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { mergeCookies, parseSetGuid } from '../../src/gateway/client';
import { Secret } from '../../src/gateway/secret';

const GUID = '279fe21d-2caa-4437-84c3-ab9e9dae20f5.AgentGateway0';

describe('Secret', () => {
  it('never prints its value', () => {
    const s = new Secret(GUID);
    for (const shown of [String(s), `${s}`, JSON.stringify({ s }), inspect(s), inspect({ nested: { s } })]) {
      expect(shown).not.toContain('279fe21d');
    }
    expect(s.reveal()).toBe(GUID);
  });
});

describe('parseSetGuid', () => {
  it('strips the JSESSIONID= prefix and cookie attributes', () => {
    expect(parseSetGuid(`JSESSIONID=${GUID}`)?.reveal()).toBe(GUID);
    expect(parseSetGuid(`JSESSIONID=${GUID}; Path=/; Secure`)?.reveal()).toBe(GUID);
    expect(parseSetGuid(GUID)?.reveal()).toBe(GUID);
    expect(parseSetGuid('')).toBeUndefined();
    expect(parseSetGuid('JSESSIONID=')).toBeUndefined();
    expect(parseSetGuid('JSESSIONID=a b')).toBeUndefined();
  });
});

describe('mergeCookies', () => {
  it('keeps name=value pairs and replaces by name', () => {
    expect(mergeCookies(undefined, ['loadbalance=node1; Path=/'])).toBe('loadbalance=node1');
    expect(mergeCookies('loadbalance=node1; x=1', ['loadbalance=node2'])).toBe('loadbalance=node2; x=1');
    expect(mergeCookies('a=1', [])).toBeUndefined();
  });
});
