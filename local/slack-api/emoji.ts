/**
 * Common Slack emoji shortcodes → the character. One table for the terminal rendering of the local
 * Slack (`npm run slack`) and the browser console; unknown shortcodes stay `:name:`.
 */
export const EMOJI: Record<string, string> = {
  white_check_mark: '✅',
  heavy_check_mark: '✔️',
  x: '❌',
  warning: '⚠️',
  no_entry: '⛔',
  no_entry_sign: '🚫',
  hourglass: '⌛',
  hourglass_flowing_sand: '⏳',
  telephone_receiver: '📞',
  telephone: '☎️',
  phone: '☎️',
  headphones: '🎧',
  ear: '👂',
  speech_balloon: '💬',
  speaking_head_in_silhouette: '🗣️',
  mute: '🔇',
  red_circle: '🔴',
  large_green_circle: '🟢',
  large_orange_circle: '🟠',
  large_blue_circle: '🔵',
  large_yellow_circle: '🟡',
  white_circle: '⚪',
  rotating_light: '🚨',
  bell: '🔔',
  lock: '🔒',
  key: '🔑',
  information_source: 'ℹ️',
  question: '❓',
  grey_question: '❔',
  exclamation: '❗',
  eyes: '👀',
  mag: '🔍',
  ledger: '📒',
  page_facing_up: '📄',
  bust_in_silhouette: '👤',
  electric_plug: '🔌',
  agent: '🧑‍💼',
  wave: '👋',
  stopwatch: '⏱️',
  arrows_counterclockwise: '🔄',
  record_button: '⏺️',
  scissors: '✂️',
  tada: '🎉',
};

/** `:white_check_mark:` → ✅ for the shortcodes in the table above. */
export function emojify(text: string): string {
  return text.replace(/:([a-z0-9_+-]+):/g, (all, name: string) => EMOJI[name] ?? all);
}
