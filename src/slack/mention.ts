/**
 * A mentioned user as Slack sends it with `should_escape`: `<@U123ABC>` or `<@U123ABC|name>`
 * (the local demo IDs such as `U_DEMO` carry an underscore). Returns the user ID.
 */
const MENTION = /^<@([UW][A-Z0-9_]{2,20})(?:\|[^>]*)?>$/;

export function mentionedUserId(word: string | undefined): string | undefined {
  return MENTION.exec(word ?? '')?.[1];
}
