/**
 * Gateway client overhead: sequential intercept round trips through GatewayClient vs a bare undici
 * request to the same simulator over the same kind of HTTPS keep-alive pool; and TLS handshakes
 * per 1,000 calls (the simulator counts accepted TLS connections).
 */
import { Pool } from 'undici';
import { FakeClock, startSimulator } from '../simulator/index';
import { GatewayClient } from '../src/gateway/client';
import { emit, summary } from './stats';

export async function benchGateway(calls = Number(process.env.BENCH_CALLS ?? 2000)): Promise<void> {
  const sim = await startSimulator({ clock: new FakeClock(Date.now()), authMode: 1, quiet: true });
  const connectionsAtStart = sim.sim.connectionCount;
  const client = new GatewayClient({ baseUrl: sim.url, caPem: sim.caPem });
  const signIn = await client.signIn('1001', { password: 'simulator', phone: '70001' });
  if (!signIn.ok) throw new Error(`sign-in failed: ${signIn.retcode}`);
  const session = { agentId: '1001', guid: signIn.data.guid };
  const listen = await client.listen(session, '2005');
  if (!listen.ok) throw new Error(`listen failed: ${listen.retcode}`);
  const bare = new Pool(sim.url, { connections: 1, connect: { ca: sim.caPem } });
  const path = '/agentgateway/resource/qualitycontrol/1001/intercept/2005';
  const headers = { 'content-type': 'application/json; charset=UTF-8', guid: session.guid.reveal() };
  const bareCall = async () => {
    const res = await bare.request({ method: 'PUT', path, headers });
    const body = (await res.body.json()) as { retcode: string };
    if (typeof body.retcode !== 'string') throw new Error('bad body');
  };
  const clientCall = async () => {
    await client.intercept(session, '2005');
  };
  // Warm both pools (one TLS handshake each), then alternate blocks of 100 to share the noise.
  for (let i = 0; i < 50; i++) {
    await bareCall();
    await clientCall();
  }
  const connectionsBefore = sim.sim.connectionCount;
  const ours: number[] = [];
  const baseline: number[] = [];
  for (let block = 0; block < calls / 100; block++) {
    for (const [fn, into] of [
      [bareCall, baseline],
      [clientCall, ours],
    ] as const) {
      for (let i = 0; i < 100; i++) {
        const t = performance.now();
        await fn();
        into.push(performance.now() - t);
      }
    }
  }
  const handshakes = sim.sim.connectionCount - connectionsBefore;
  const totalCalls = 2 + 100 + calls * 2;
  const totalHandshakes = sim.sim.connectionCount - connectionsAtStart;
  const o = summary(ours);
  const b = summary(baseline);
  emit({ bench: 'gateway.intercept.bare-undici', unit: 'ms', ...b });
  emit({ bench: 'gateway.intercept.client', unit: 'ms', ...o });
  emit({
    bench: 'gateway.client-overhead',
    ratio_p50: Math.round((o.p50 / b.p50) * 1000) / 1000,
    ratio_mean: Math.round((o.mean / b.mean) * 1000) / 1000,
    goal: '<= 1.10',
  });
  emit({
    bench: 'gateway.tls-handshakes',
    calls: totalCalls,
    handshakes: totalHandshakes,
    handshakes_while_measuring: handshakes,
    per_1000_calls: Math.round((totalHandshakes / totalCalls) * 1000 * 1000) / 1000,
    note: 'one pool for our client and one for the bare baseline, both opened during warm-up',
    goal: '1 per 1000 (keep-alive)',
  });
  await bare.close();
  await client.close();
  await sim.close();
}
