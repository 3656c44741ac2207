/**
 * Calls the simulator drives on its own (traffic and bursts): an idle agent's phone rings
 * (AgentEvent_Ringing), the agent answers (AgentEvent_Talking), the customer hangs up
 * (AgentEvent_Customer_Release, AgentEvent_Call_Release, AgentOther_PhoneRelease, AgentState_Work: wrap-up)
 * and the agent ends wrap-up (AgentState_CancelWork_Success, AgentState_Ready). Every step queues the
 * agent's own events; `emit` turns them into QC_AgentState_Notify for the inspectors who beginmonitor'ed
 * the agent. A step whose agent no longer is where the cycle left it (signed out, call dropped or
 * intercepted, state forced) ends the cycle instead.
 */
import * as ev from './events';
import type { Simulator } from './model';
import type { AgentRec, CallRec } from './types';

export type CyclePhase = 'ringing' | 'talking' | 'wrap-up';
/** Who drives a cycle: its steps are only taken by its owner. */
export type CycleOwner = 'traffic' | 'burst';

interface Cycle {
  owner: CycleOwner;
  phase: CyclePhase;
  callId: string;
}

export class CallCycles {
  private readonly cycles = new Map<string, Cycle>();

  constructor(private readonly sim: Simulator) {}

  /** The agent's cycle phase, if a cycle of this owner runs for it. */
  phase(agentId: string, owner: CycleOwner): CyclePhase | undefined {
    const c = this.cycles.get(agentId);
    return c?.owner === owner ? c.phase : undefined;
  }

  /** A non-inspector agent, signed in, idle (state 4, no call, not monitoring) and in no cycle. */
  canStart(a: AgentRec): boolean {
    return !a.inspector && this.sim.isIdle(a) && !this.cycles.has(a.id);
  }

  /** A customer call rings at the agent (AgentEvent_Ringing). */
  ring(a: AgentRec, owner: CycleOwner, caller: string, called: string): void {
    const call = this.sim.ringCall(a, { caller, called });
    this.cycles.set(a.id, { owner, phase: 'ringing', callId: call.id });
  }

  /**
   * The next step of the agent's cycle: ringing → talking → wrap-up → idle (the cycle ends). Returns the
   * phase reached ('idle' at the end), or undefined when the cycle ended because the agent was moved.
   */
  step(agentId: string, owner: CycleOwner): CyclePhase | 'idle' | undefined {
    const c = this.cycles.get(agentId);
    const a = this.sim.rec(agentId);
    if (!c || c.owner !== owner || !a) return undefined;
    if (c.phase === 'wrap-up') return this.endWork(a);
    const call = this.sim.call(c.callId);
    if (!call || call.agentId !== a.id) return this.drop(agentId);
    if (c.phase === 'ringing') {
      this.sim.answerCall(call);
      c.phase = 'talking';
      return 'talking';
    }
    return this.hangUp(a, c, call);
  }

  /** Forget every cycle (reset). */
  clear(): void {
    this.cycles.clear();
  }

  private hangUp(a: AgentRec, c: Cycle, call: CallRec): CyclePhase | undefined {
    if (call.owner !== a.id) {
      // Intercepted: the customer now talks to the inspector and hangs up on them; the agent is idle already.
      this.sim.releaseCall(call, 'customer');
      return this.drop(a.id);
    }
    this.sim.releaseCall(call, 'customer', { wrapUp: true });
    c.phase = 'wrap-up';
    return 'wrap-up';
  }

  private endWork(a: AgentRec): 'idle' | undefined {
    this.cycles.delete(a.id);
    if (!a.session || a.callId || a.monitoring || a.restState !== 5) return undefined;
    a.restState = 4;
    this.sim.emit(a, ev.cancelWorkSuccess());
    this.sim.emit(a, ev.ready());
    return 'idle';
  }

  private drop(agentId: string): undefined {
    this.cycles.delete(agentId);
    return undefined;
  }
}
