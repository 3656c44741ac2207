import { describe, expect, it } from 'vitest';
import type { GatewayClient } from '../../src/gateway/client';
import type { Gateway } from '../../src/qc/ports';
import { gatewaySession, planCall } from '../../src/qc/run-qc';
import { AGENT, monitoringIn, OTHER, session, world } from './core-fixtures';
import { PLAN_ROWS } from './plan-table';

// The real client is one implementation of the port (a compile-time check).
const _clientIsAGateway: Gateway = null as unknown as GatewayClient;

describe('planCall: operation × monitoring state', () => {
  it.each(PLAN_ROWS)('%s while %s → %s', async (op, state, expected) => {
    const plan = planCall(op, AGENT, monitoringIn(state));
    if ('refusal' in plan) {
      expect(`refused:${plan.refusal.kind}`).toBe(expected);
      return;
    }
    const { gateway, deps } = world(state);
    await plan.call(deps, gatewaySession(session()));
    expect(gateway.made()).toEqual([expected]);
    expect(gateway.calls[0]?.inspectorId).toBe('1001');
  });

  it('a refusal names what the inspector is doing instead', () => {
    expect(planCall('listen', AGENT, monitoringIn('other'))).toEqual({
      refusal: {
        kind: 'monitoring-other',
        op: 'listen',
        agentId: AGENT,
        current: { agentId: OTHER, mode: 'listen', since: expect.any(Number) },
      },
    });
    expect(planCall('stop', OTHER, monitoringIn('intercept'))).toEqual({
      refusal: { kind: 'intercepting', op: 'stop', agentId: AGENT },
    });
  });

  it('a record with a mode but no agent counts as monitoring nobody', () => {
    const half = { ...monitoringIn('cleared'), mode: 'listen' } as ReturnType<typeof monitoringIn>;
    expect(planCall('intercept', AGENT, half)).toEqual({
      refusal: { kind: 'not-monitoring', op: 'intercept', agentId: AGENT },
    });
  });
});
