/**
 * The message box: slash commands only, with Slack-like autocomplete — the manifest's commands while
 * typing "/…", then the /qc subcommands with their usage. ↑/↓ choose, Tab or Enter complete, Esc closes
 * the list, Enter sends.
 */
import { h } from './dom';
import type { Command, Subcommand } from './types';

interface Suggestion {
  label: string;
  hint: string;
  detail: string;
  completion: string;
}

export interface ComposerOptions {
  commands: () => Command[];
  subcommands: () => Subcommand[];
  send(text: string): Promise<boolean>;
}

export class Composer {
  readonly el: HTMLElement;
  readonly input: HTMLInputElement;
  private readonly list: HTMLUListElement;
  private readonly error: HTMLElement;
  private items: Suggestion[] = [];
  private active = 0;
  private dismissed = false;

  constructor(private readonly opts: ComposerOptions) {
    this.list = h('ul', {
      class: 'autocomplete',
      id: 'autocomplete',
      role: 'listbox',
      'data-testid': 'autocomplete',
      hidden: true,
    });
    this.input = h('input', {
      type: 'text',
      class: 'composer-input',
      'data-testid': 'composer',
      role: 'combobox',
      'aria-autocomplete': 'list',
      'aria-controls': 'autocomplete',
      'aria-expanded': 'false',
      'aria-describedby': 'composer-help composer-error',
      'aria-label': 'Message: type a slash command',
      autocomplete: 'off',
      spellcheck: 'false',
      disabled: true,
      placeholder: 'Type / for commands, e.g. /qc help',
    });
    const send = h(
      'button',
      { type: 'submit', class: 'btn primary send', 'data-testid': 'composer-send' },
      'Send',
    );
    this.error = h('div', {
      class: 'composer-error',
      id: 'composer-error',
      role: 'alert',
      'data-testid': 'composer-error',
    });
    const form = h('form', { class: 'composer-row' }, this.input, send);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.submit();
    });
    this.el = h(
      'div',
      { class: 'composer' },
      this.list,
      form,
      this.error,
      h(
        'div',
        { class: 'composer-help', id: 'composer-help' },
        'Enter sends · Tab completes · ↑↓ choose · Esc closes the list',
      ),
    );
    this.input.addEventListener('input', () => {
      this.dismissed = false;
      this.error.textContent = '';
      this.update();
    });
    this.input.addEventListener('keydown', (e) => this.key(e));
    this.input.addEventListener('blur', () => setTimeout(() => this.hide(), 150));
    this.input.addEventListener('focus', () => this.update());
  }

  enable(placeholder: string): void {
    this.input.disabled = false;
    this.input.placeholder = placeholder;
  }

  private suggestions(v: string): Suggestion[] {
    if (!v.startsWith('/')) return [];
    if (!/\s/.test(v)) {
      return this.opts
        .commands()
        .filter((c) => c.command.startsWith(v.toLowerCase()))
        .map((c) => ({
          label: c.command,
          hint: c.usage_hint,
          detail: c.description,
          completion: `${c.command} `,
        }));
    }
    const m = /^\/qc\s+(\S*)$/i.exec(v);
    if (!m) return [];
    const partial = (m[1] ?? '').toLowerCase();
    return this.opts
      .subcommands()
      .filter((s) => s.name.startsWith(partial))
      .map((s) => ({
        label: s.name,
        hint: s.usage,
        detail: `e.g. ${s.example}`,
        completion: `/qc ${s.name} `,
      }));
  }

  private update(): void {
    const v = this.input.value;
    const items = this.dismissed ? [] : this.suggestions(v);
    // Nothing to offer once the text is exactly the one suggestion.
    const exact = items.length === 1 && items[0]?.completion.trim() === v.trim();
    this.items = exact ? [] : items;
    this.active = 0;
    this.draw();
  }

  private draw(): void {
    const open = this.items.length > 0;
    this.list.hidden = !open;
    this.input.setAttribute('aria-expanded', String(open));
    this.list.replaceChildren(
      ...this.items.map((s, i) => {
        const li = h(
          'li',
          {
            id: `ac-${i}`,
            role: 'option',
            class: 'autocomplete-item',
            'data-testid': 'autocomplete-item',
            'aria-selected': String(i === this.active),
          },
          h('span', { class: 'ac-label' }, s.label),
          h('span', { class: 'ac-hint' }, s.hint),
          h('span', { class: 'ac-detail' }, s.detail),
        );
        li.addEventListener('mousedown', (e) => {
          e.preventDefault();
          this.accept(i);
        });
        return li;
      }),
    );
    if (open) this.input.setAttribute('aria-activedescendant', `ac-${this.active}`);
    else this.input.removeAttribute('aria-activedescendant');
    this.list.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }

  private hide(): void {
    this.items = [];
    this.draw();
  }

  private accept(i: number): void {
    const s = this.items[i];
    if (!s) return;
    this.input.value = s.completion;
    this.input.focus();
    this.update();
  }

  private key(e: KeyboardEvent): void {
    const open = this.items.length > 0;
    if (open && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      e.preventDefault();
      const n = this.items.length;
      this.active = (this.active + (e.key === 'ArrowDown' ? 1 : n - 1)) % n;
      this.draw();
      return;
    }
    if (open && e.key === 'Tab') {
      e.preventDefault();
      this.accept(this.active);
      return;
    }
    if (open && e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      this.dismissed = true;
      this.hide();
      return;
    }
    if (e.key === 'Enter' && open) {
      const s = this.items[this.active];
      if (s && s.completion.trim() !== this.input.value.trim()) {
        e.preventDefault();
        this.accept(this.active);
      }
    }
  }

  private async submit(): Promise<void> {
    const text = this.input.value.trim();
    if (!text) return;
    this.hide();
    this.error.textContent = '';
    const sent = await this.opts.send(text).catch((err: unknown) => {
      // The bridge names the field ("text: …"); the person only needs the words.
      this.error.textContent = (err instanceof Error ? err.message : String(err)).replace(/^text: /, '');
      return false;
    });
    if (sent && this.input.value.trim() === text) this.input.value = '';
  }
}
