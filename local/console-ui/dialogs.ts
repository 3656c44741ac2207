/** Block Kit confirm dialogs and Slack modals, as native <dialog>s (focus trap, Esc, inert page for free). */
import { type BlockCtx, type ButtonDef, renderBlocks, textNodes, textOf } from './blocks';
import { h } from './dom';
import { plain, type Resolve } from './mrkdwn';
import type { View } from './types';

/**
 * Takes a dialog away and gives the keyboard back to `back` (else to `fallback()`, when `back` is gone).
 *
 * The dialog is removed while still open, never `close()`d first: Chromium's `close()` moves the focus
 * back itself, and removing the dialog right after leaves that element focused (focus ring and all)
 * but deaf to typing until it is clicked. Removing an open dialog takes it out of the top layer too.
 */
export function dismiss(
  dialog: HTMLDialogElement,
  back: HTMLElement | null,
  fallback?: () => HTMLElement | null,
): void {
  dialog.remove();
  const target = back?.isConnected ? back : (fallback?.() ?? null);
  target?.focus();
}

/** A button's `confirm`: resolves true on the confirm button, false on deny, Esc or close. */
export function confirmDialog(
  c: NonNullable<ButtonDef['confirm']>,
  resolve: Resolve,
  fallback?: () => HTMLElement | null,
): Promise<boolean> {
  return new Promise((done) => {
    const back = document.activeElement as HTMLElement | null;
    const yes = h(
      'button',
      {
        type: 'button',
        class: `btn ${c.style === 'danger' ? 'danger' : 'primary'}`,
        'data-testid': 'confirm-yes',
      },
      plain(textOf(c.confirm) || 'Yes'),
    );
    const no = h(
      'button',
      { type: 'button', class: 'btn', 'data-testid': 'confirm-no' },
      plain(textOf(c.deny) || 'Cancel'),
    );
    const dialog = h(
      'dialog',
      { class: 'dialog confirm', 'data-testid': 'confirm-dialog', 'aria-labelledby': 'confirm-title' },
      h('h2', { id: 'confirm-title' }, plain(textOf(c.title) || 'Are you sure?')),
      h('div', { class: 'confirm-text' }, ...textNodes(c.text, resolve)),
      h('div', { class: 'dialog-foot' }, no, yes),
    );
    const finish = (answer: boolean) => {
      dismiss(dialog, back, fallback);
      done(answer);
    };
    yes.addEventListener('click', () => finish(true));
    no.addEventListener('click', () => finish(false));
    dialog.addEventListener('cancel', (e) => {
      e.preventDefault();
      finish(false);
    });
    document.body.append(dialog);
    dialog.showModal();
    no.focus();
  });
}

export interface ModalHandlers {
  ctx: Omit<BlockCtx, 'modal'>;
  submit(view: View, values: Record<string, Record<string, string>>): Promise<void>;
  close(view: View): void;
  /** Where the keyboard goes when the modal closes and the element that opened it is gone. */
  fallbackFocus(): HTMLElement | null;
}

/** The one modal shown at a time (the user's top view), rebuilt when its id or hash changes. */
export class ModalHost {
  private dialog: HTMLDialogElement | undefined;
  private shown = '';
  private errorsShown = '';
  private back: HTMLElement | null = null;
  /** The view the dialog shows (what Esc closes). */
  private current: View | undefined;

  constructor(private readonly handlers: ModalHandlers) {}

  render(view: View | undefined, errors: Record<string, string>, notice: string | undefined): void {
    if (!view) {
      this.remove();
      return;
    }
    const key = `${view.id}|${view.hash}`;
    if (key !== this.shown || !this.dialog) this.build(view, errors);
    this.shown = key;
    this.setErrors(errors);
    // New errors: focus the first input in error, as Slack does (the submit button was just disabled).
    const errorsKey = `${key}|${JSON.stringify(errors)}`;
    if (errorsKey !== this.errorsShown && Object.keys(errors).length > 0)
      this.dialog?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
    this.errorsShown = errorsKey;
    const box = this.dialog?.querySelector<HTMLElement>('.modal-notice');
    if (box) {
      box.hidden = !notice;
      box.textContent = notice ?? '';
    }
  }

  private build(view: View, errors: Record<string, string>): void {
    const v = view.view;
    const submitText = textOf(v.submit);
    const closeText = textOf(v.close) || (submitText ? 'Cancel' : 'Close');
    const body = renderBlocks(v.blocks ?? [], { ...this.handlers.ctx, modal: { errors } });
    const submit = submitText
      ? h(
          'button',
          { type: 'submit', class: 'btn primary', 'data-testid': 'modal-submit' },
          plain(submitText),
        )
      : null;
    const form = h(
      'form',
      { class: 'modal-form', novalidate: true },
      h(
        'header',
        { class: 'modal-head' },
        h('h2', { id: 'modal-title' }, plain(textOf(v.title))),
        h(
          'button',
          { type: 'button', class: 'icon', 'data-testid': 'modal-dismiss', 'aria-label': 'Close' },
          '×',
        ),
      ),
      h('div', { class: 'modal-body' }, body),
      h('div', { class: 'modal-notice', role: 'alert', hidden: true }),
      h(
        'footer',
        { class: 'dialog-foot' },
        h('button', { type: 'button', class: 'btn', 'data-testid': 'modal-close' }, plain(closeText)),
        submit,
      ),
    );
    for (const b of form.querySelectorAll<HTMLButtonElement>(
      '[data-testid="modal-close"], [data-testid="modal-dismiss"]',
    ))
      b.addEventListener('click', () => this.handlers.close(view));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      if (!submit || submit.disabled) return;
      const values: Record<string, Record<string, string>> = {};
      for (const el of form.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(
        '[data-block-id][data-action-id]',
      )) {
        const block = el.dataset.blockId ?? '';
        values[block] = { ...values[block], [el.dataset.actionId ?? '']: el.value };
      }
      submit.disabled = true;
      submit.setAttribute('aria-busy', 'true');
      void this.handlers.submit(view, values).finally(() => {
        submit.disabled = false;
        submit.removeAttribute('aria-busy');
      });
    });
    if (this.dialog) {
      this.dialog.replaceChildren(form);
    } else {
      this.back = document.activeElement as HTMLElement | null;
      this.dialog = h(
        'dialog',
        { class: 'dialog modal', 'data-testid': 'modal', 'aria-labelledby': 'modal-title' },
        form,
      );
      this.dialog.addEventListener('cancel', (e) => {
        e.preventDefault();
        const current = this.current;
        if (current) this.handlers.close(current);
      });
      document.body.append(this.dialog);
      this.dialog.showModal();
    }
    this.current = view;
    const first =
      form.querySelector<HTMLElement>('input, select, textarea') ??
      form.querySelector<HTMLElement>('[data-testid="modal-close"]');
    first?.focus();
  }

  /** Errors under their inputs, in place (typed values stay, as in Slack). */
  private setErrors(errors: Record<string, string>): void {
    if (!this.dialog) return;
    for (const wrap of this.dialog.querySelectorAll<HTMLElement>('.block-input')) {
      const control = wrap.querySelector<HTMLElement>('[data-block-id]');
      const block = control?.dataset.blockId ?? '';
      const message = errors[block];
      let box = wrap.querySelector<HTMLElement>('[data-testid="modal-error"]');
      if (message) {
        if (!box) {
          box = h('div', {
            class: 'modal-error',
            'data-testid': 'modal-error',
            role: 'alert',
            id: `${control?.id}-err`,
          });
          wrap.append(box);
        }
        box.textContent = message;
        wrap.classList.add('has-error');
        control?.setAttribute('aria-invalid', 'true');
        control?.setAttribute('aria-describedby', box.id);
      } else {
        box?.remove();
        wrap.classList.remove('has-error');
        control?.removeAttribute('aria-invalid');
        control?.removeAttribute('aria-describedby');
      }
    }
  }

  private remove(): void {
    if (!this.dialog) return;
    const dialog = this.dialog;
    const back = this.back;
    this.dialog = undefined;
    this.current = undefined;
    this.shown = '';
    this.back = null;
    dismiss(dialog, back, () => this.handlers.fallbackFocus());
  }
}
