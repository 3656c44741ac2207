/**
 * The call-centre panel: the simulator's agents (state, call, who monitors whom), its calls and faults,
 * live from the snapshots; buttons start/end a customer call, raise a monitoring alert, inject a fault.
 * Rows are updated in place so keyboard focus survives the live updates.
 */
import { h } from './dom';
import { model } from './model';
import type { Agent, Call, FaultPreset, Snapshot, Traffic } from './types';

const VERB: Record<string, string> = {
  listen: 'listening to',
  insert: 'in the call with',
  whisper: 'whispering to',
};
const BY: Record<string, string> = { listen: 'listens', insert: 'inserted', whisper: 'whispers' };

export interface SimActions {
  call(agentId: string, action: 'start' | 'end', el: HTMLButtonElement): void;
  alert(agent: Agent, call: Call | undefined, el: HTMLButtonElement): void;
  inject(kind: string, el: HTMLButtonElement): void;
  clear(el: HTMLButtonElement): void;
  /** `el`: the button to mark busy (none for the rate field, so typing keeps its focus). */
  traffic(change: { on?: boolean; callsPerMinute?: number }, el: HTMLButtonElement | null): void;
}

/** The fault chosen in the select, kept over a reload (sessionStorage, like the user and the tab). */
const FAULT_KEY = 'qc-console-fault';

interface Row {
  li: HTMLLIElement;
  state: HTMLElement;
  monitors: HTMLElement;
  start: HTMLButtonElement;
  end: HTMLButtonElement;
}

export class SimPanel {
  readonly el: HTMLElement;
  private readonly rows = new Map<string, Row>();
  private readonly inspectors: HTMLUListElement;
  private readonly agents: HTMLUListElement;
  private readonly calls: HTMLUListElement;
  private readonly faults: HTMLElement;
  private readonly kind: HTMLSelectElement;
  private readonly note: HTMLElement;
  private readonly body: HTMLElement;
  private readonly empty: HTMLElement;
  private presets: FaultPreset[] = [];
  private readonly trafficSwitch: HTMLButtonElement;
  private readonly trafficRate: HTMLInputElement;
  private readonly trafficStatus: HTMLElement;

  constructor(private readonly actions: SimActions) {
    this.kind = h('select', { id: 'fault-kind', 'data-testid': 'fault-kind' });
    this.kind.addEventListener('change', () => {
      sessionStorage.setItem(FAULT_KEY, this.kind.value);
      this.showNote();
    });
    const inject = h(
      'button',
      { type: 'button', class: 'btn small danger', 'data-testid': 'fault-inject' },
      'Inject',
    );
    inject.addEventListener('click', () => this.actions.inject(this.kind.value, inject));
    const clear = h(
      'button',
      { type: 'button', class: 'btn small', 'data-testid': 'fault-clear' },
      'Clear faults',
    );
    clear.addEventListener('click', () => this.actions.clear(clear));
    this.note = h('p', { class: 'fault-note', id: 'fault-note' });
    this.kind.setAttribute('aria-describedby', 'fault-note');
    this.faults = h('p', { class: 'sim-faults', 'data-testid': 'sim-faults', role: 'status' }, 'No faults');
    this.trafficSwitch = h(
      'button',
      { type: 'button', class: 'btn small', 'data-testid': 'traffic-switch', 'aria-pressed': 'false' },
      'Traffic',
    );
    this.trafficSwitch.addEventListener('click', () =>
      this.actions.traffic(
        { on: this.trafficSwitch.getAttribute('aria-pressed') !== 'true' },
        this.trafficSwitch,
      ),
    );
    this.trafficRate = h('input', {
      id: 'traffic-rate',
      type: 'number',
      min: '1',
      max: '600',
      step: '1',
      class: 'traffic-rate',
      'data-testid': 'traffic-rate',
    });
    this.trafficRate.addEventListener('change', () => {
      const n = Number(this.trafficRate.value);
      if (Number.isFinite(n) && n >= 1) this.actions.traffic({ callsPerMinute: n }, null);
    });
    this.trafficStatus = h('p', { class: 'traffic-status', 'data-testid': 'traffic-status', role: 'status' });
    this.calls = h('ul', { class: 'sim-calls', 'data-testid': 'sim-calls', 'aria-label': 'Customer calls' });
    // Rows are a list laid out as a grid: ID, state and buttons on one line, who monitors whom under
    // them across the state and the buttons (a table squeezed that into a narrow column, 4 lines high).
    this.inspectors = h('ul', { class: 'agents', 'aria-label': 'Inspectors' });
    this.agents = h('ul', { class: 'agents', 'aria-label': 'Agents' });
    this.empty = h(
      'p',
      { class: 'muted', hidden: true },
      'No simulator: this stack talks to a real gateway (CCGW_BASE_URL).',
    );
    this.body = h(
      'div',
      { class: 'sim-body' },
      h(
        'div',
        { class: 'faults' },
        h('label', { for: 'fault-kind' }, 'Fault'),
        this.kind,
        h('div', { class: 'fault-row' }, inject, clear),
        this.note,
        this.faults,
      ),
      h(
        'div',
        { class: 'traffic' },
        this.trafficSwitch,
        h('label', { for: 'traffic-rate' }, 'calls a minute'),
        this.trafficRate,
        this.trafficStatus,
      ),
      h('h3', {}, 'Calls'),
      this.calls,
      h('h3', {}, 'Inspectors'),
      this.inspectors,
      h('h3', {}, 'Agents'),
      this.agents,
    );
    this.el = h(
      'aside',
      { class: 'sim-panel', 'data-testid': 'sim-panel', 'aria-labelledby': 'sim-title' },
      h('h2', { id: 'sim-title' }, 'Call centre ', h('span', { class: 'muted' }, '(simulator)')),
      this.empty,
      this.body,
    );
    setInterval(() => this.tick(), 1000);
  }

  setPresets(presets: FaultPreset[]): void {
    if (this.presets.length) return;
    this.presets = presets;
    this.kind.replaceChildren(...presets.map((p) => h('option', { value: p.kind }, p.label)));
    const saved = sessionStorage.getItem(FAULT_KEY);
    if (saved && presets.some((p) => p.kind === saved)) this.kind.value = saved;
    this.showNote();
  }

  private showNote(): void {
    this.note.textContent = this.presets.find((p) => p.kind === this.kind.value)?.note ?? '';
  }

  render(sim: Snapshot | null): void {
    this.empty.hidden = sim !== null;
    this.body.hidden = sim === null;
    if (!sim) return;
    this.renderFaults(sim);
    if (sim.traffic) this.renderTraffic(sim.traffic);
    this.renderCalls(sim);
    const seen = new Set<string>();
    for (const a of sim.agents) {
      seen.add(a.id);
      const row = this.rows.get(a.id) ?? this.makeRow(a);
      this.updateRow(row, a, sim);
    }
    for (const [id, row] of this.rows)
      if (!seen.has(id)) {
        row.li.remove();
        this.rows.delete(id);
      }
  }

  private makeRow(a: Agent): Row {
    const state = h('span', { class: 'agent-state', 'data-testid': 'agent-state' });
    const monitors = h('span', { class: 'agent-monitors', 'data-testid': 'agent-monitors' });
    const start = h(
      'button',
      {
        type: 'button',
        class: 'btn small',
        'data-testid': 'start-call',
        'aria-label': `Start a customer call to ${a.id}`,
      },
      'Call',
    );
    const end = h(
      'button',
      {
        type: 'button',
        class: 'btn small',
        'data-testid': 'end-call',
        'aria-label': `End the customer call of ${a.id}`,
      },
      'Hang up',
    );
    const alert = h(
      'button',
      {
        type: 'button',
        class: 'btn small',
        'data-testid': 'raise-alert',
        'aria-label': `Raise a monitoring alert for ${a.id}`,
      },
      'Alert',
    );
    start.addEventListener('click', () => this.actions.call(a.id, 'start', start));
    end.addEventListener('click', () => this.actions.call(a.id, 'end', end));
    alert.addEventListener('click', () => {
      const call = model.sim?.calls.find((c) => c.agentId === a.id || c.owner === a.id);
      const current = model.sim?.agents.find((x) => x.id === a.id) ?? a;
      this.actions.alert(current, call, alert);
    });
    const li = h(
      'li',
      { class: 'agent-row', 'data-testid': 'agent-row', 'data-agent': a.id },
      h('span', { class: 'agent-id' }, a.id),
      state,
      h('span', { class: 'row-actions' }, start, end, alert),
      monitors,
    );
    (a.inspector ? this.inspectors : this.agents).append(li);
    const row = { li, state, monitors, start, end };
    this.rows.set(a.id, row);
    return row;
  }

  private updateRow(row: Row, a: Agent, sim: Snapshot): void {
    const text = a.signedIn ? a.stateName : 'signed out';
    if (row.state.textContent !== text) row.state.textContent = text;
    row.state.className = `agent-state state-${a.stateName}`;
    const parts: string[] = [];
    if (a.monitoring) parts.push(`${VERB[a.monitoring.mode] ?? a.monitoring.mode} ${a.monitoring.target}`);
    for (const m of a.monitoredBy) parts.push(`${m.inspector} ${BY[m.mode] ?? m.mode}`);
    const taken = sim.calls.find((c) => c.agentId === a.id && c.owner !== a.id);
    if (taken) parts.push(`call intercepted by ${taken.owner}`);
    const own = sim.calls.find((c) => c.owner === a.id && c.agentId !== a.id);
    if (own) parts.push(`talking to the customer of ${own.agentId}`);
    const monitors = parts.join(' · ');
    if (row.monitors.textContent !== monitors) row.monitors.textContent = monitors;
    row.li.classList.toggle('busy', a.callId !== null || a.monitoring !== null);
    row.start.disabled = !a.signedIn || a.callId !== null || a.monitoring !== null;
    // Only whoever is on the call can hang up: after an intercept that is the inspector, not the idle agent.
    row.end.disabled = a.callId === null;
  }

  private renderFaults(sim: Snapshot): void {
    const groups = new Map<string, number>();
    for (const f of sim.faults) {
      const what =
        f.kind === 'retcode' ? `retcode ${f.retcode}` : f.kind === 'latency' ? `+${f.ms} ms` : f.kind;
      groups.set(what, (groups.get(what) ?? 0) + 1);
    }
    const text = groups.size
      ? `Active: ${[...groups].map(([w, n]) => `${w} on ${n} interface${n === 1 ? '' : 's'}`).join(', ')}`
      : 'No faults';
    if (this.faults.textContent !== text) this.faults.textContent = text;
    this.faults.classList.toggle('active', groups.size > 0);
  }

  /** The switch says what runs; the rate is left alone while someone types in it. */
  private renderTraffic(t: Traffic): void {
    this.trafficSwitch.setAttribute('aria-pressed', String(t.on));
    this.trafficSwitch.textContent = t.on ? 'Traffic on' : 'Traffic off';
    this.trafficSwitch.setAttribute(
      'aria-label',
      t.on ? 'Traffic on: calls start and end on their own. Turn it off' : 'Traffic off. Turn it on',
    );
    this.trafficSwitch.classList.toggle('primary', t.on);
    if (document.activeElement !== this.trafficRate) this.trafficRate.value = String(t.callsPerMinute);
    const text = t.on
      ? `${t.callsPerMinute} calls a minute, ${t.meanTalkSeconds} s on average · ${t.started} started${t.missed ? `, ${t.missed} found nobody idle` : ''}`
      : 'Calls start only when you press Call';
    if (this.trafficStatus.textContent !== text) this.trafficStatus.textContent = text;
  }

  private renderCalls(sim: Snapshot): void {
    const key = JSON.stringify(sim.calls);
    if (this.calls.dataset.key === key) return;
    this.calls.dataset.key = key;
    this.calls.replaceChildren(
      ...(sim.calls.length
        ? sim.calls.map((c) =>
            h(
              'li',
              { class: 'sim-call', 'data-testid': 'sim-call', 'data-call-id': c.callId },
              h('span', { class: 'call-who' }, `📞 ${c.caller} ⇄ ${c.owner}`),
              c.intercepted ? h('span', { class: 'pill' }, `intercepted from ${c.agentId}`) : null,
              h(
                'span',
                { class: 'call-duration', 'data-started': String(c.startedAt) },
                duration(c.startedAt),
              ),
              h('span', { class: 'call-id' }, c.callId),
            ),
          )
        : [h('li', { class: 'muted' }, 'No customer calls')]),
    );
  }

  private tick(): void {
    for (const el of this.calls.querySelectorAll<HTMLElement>('.call-duration'))
      el.textContent = duration(Number(el.dataset.started));
  }
}

function duration(startedAt: number): string {
  const s = Math.max(0, Math.floor((Date.now() - model.simSkew - startedAt) / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
