import { t } from './config';

export interface Suggestion {
  kind?: 'category' | 'word' | 'service'; // shown before the label when set
  value: string; // category slug or service word
  label: string;
}

// Combobox turns the search field into an ARIA 1.2 combobox with a list of
// suggestions: arrow keys move, Enter picks, Escape closes, and the field
// keeps focus throughout.
export class Combobox<T extends Suggestion = Suggestion> {
  private items: T[] = [];
  private active = -1;
  private seq = 0;
  private timer?: number;

  constructor(
    private input: HTMLInputElement,
    private list: HTMLUListElement,
    private fetchSuggestions: (q: string) => Promise<T[]>,
    private onPick: (s: T) => void,
  ) {
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-controls', list.id);
    input.setAttribute('aria-expanded', 'false');
    input.addEventListener('input', () => this.schedule());
    input.addEventListener('keydown', (e) => this.key(e));
    input.addEventListener('blur', () => window.setTimeout(() => this.close(), 150));
    list.addEventListener('mousedown', (e) => e.preventDefault()); // keep focus in the field
    list.addEventListener('click', (e) => {
      const li = (e.target as HTMLElement).closest('li');
      if (li) this.pick(Number(li.dataset.index));
    });
  }

  private schedule(): void {
    window.clearTimeout(this.timer);
    const q = this.input.value.trim();
    if (q.length < 2) {
      this.close();
      return;
    }
    this.timer = window.setTimeout(async () => {
      const seq = ++this.seq;
      try {
        const items = await this.fetchSuggestions(q);
        if (seq === this.seq) this.open(items);
      } catch {
        this.close();
      }
    }, 150);
  }

  private open(items: T[]): void {
    this.items = items;
    this.active = -1;
    this.input.removeAttribute('aria-activedescendant');
    this.list.replaceChildren(
      ...items.map((s, i) => {
        const li = document.createElement('li');
        li.id = `${this.list.id}-${i}`;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', 'false');
        li.dataset.index = String(i);
        if (s.kind) {
          const kind = document.createElement('span');
          kind.className = 'suggestion-kind';
          kind.textContent = t(s.kind === 'category' ? 'suggest_category' : s.kind === 'word' ? 'suggest_word' : 'suggest_service');
          li.append(kind, ' ');
        }
        li.append(s.label);
        return li;
      }),
    );
    const show = items.length > 0;
    this.list.hidden = !show;
    this.input.setAttribute('aria-expanded', String(show));
  }

  close(): void {
    // A suggestion still waiting to be fetched would open the list again
    // after Enter had closed it, over the results.
    window.clearTimeout(this.timer);
    this.seq++;
    this.items = [];
    this.active = -1;
    this.list.hidden = true;
    this.list.replaceChildren();
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
  }

  private move(delta: number): void {
    if (this.items.length === 0) return;
    const options = this.list.children;
    if (this.active >= 0) options[this.active].setAttribute('aria-selected', 'false');
    this.active = (this.active + delta + this.items.length) % this.items.length;
    const el = options[this.active] as HTMLElement;
    el.setAttribute('aria-selected', 'true');
    el.scrollIntoView({ block: 'nearest' });
    this.input.setAttribute('aria-activedescendant', el.id);
  }

  private key(e: KeyboardEvent): void {
    const open = !this.list.hidden;
    switch (e.key) {
      case 'ArrowDown':
        if (open) {
          e.preventDefault();
          this.move(1);
        }
        break;
      case 'ArrowUp':
        if (open) {
          e.preventDefault();
          this.move(-1);
        }
        break;
      case 'Enter':
        if (open && this.active >= 0) {
          e.preventDefault();
          this.pick(this.active);
        } else {
          this.close();
        }
        break;
      case 'Escape':
        if (open) {
          e.preventDefault();
          this.close();
        }
        break;
    }
  }

  private pick(i: number): void {
    const s = this.items[i];
    this.close();
    if (s) this.onPick(s);
  }
}
