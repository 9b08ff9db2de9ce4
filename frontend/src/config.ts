// The page hands the script its settings and messages in a JSON block, so
// that every user-facing string comes from the server's catalogue.
export interface Config {
  lang: string;
  tileUrl: string;
  tileAttribution: string;
  tileAttributionUrl: string;
  messages: Record<string, string | { one: string; other: string }>;
}

let config: Config | undefined;

export function getConfig(): Config {
  if (!config) {
    const el = document.getElementById('app-config');
    config = JSON.parse(el?.textContent || '{}') as Config;
  }
  return config;
}

// t fills {name} placeholders of a catalogue message.
export function t(key: string, args: Record<string, string | number> = {}): string {
  const m = getConfig().messages[key];
  const text = typeof m === 'string' ? m : m?.other ?? key;
  return fill(text, args);
}

// n picks the plural form of a catalogue message for count.
export function n(key: string, count: number, args: Record<string, string | number> = {}): string {
  const m = getConfig().messages[key];
  if (typeof m !== 'object') return t(key, args);
  const form = new Intl.PluralRules(getConfig().lang).select(count) === 'one' ? m.one : m.other;
  return fill(form, { ...args, count: new Intl.NumberFormat(getConfig().lang).format(count) });
}

function fill(text: string, args: Record<string, string | number>): string {
  return text.replace(/\{([a-z_]+)\}/g, (all, name: string) => (name in args ? String(args[name]) : all));
}
