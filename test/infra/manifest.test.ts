/**
 * slack-manifest.yml: Slack's manifest rules (lengths, command names), the scopes the code's Web API calls
 * need and only those, one request URL for everything, HTTP (Socket Mode switched on only for local runs).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const REQUEST_URL = 'https://YOUR-API-ID.execute-api.REGION.amazonaws.com/slack/events';

interface SlashCommand {
  command: string;
  url: string;
  description: string;
  usage_hint?: string;
  should_escape?: boolean;
}
interface Manifest {
  display_information: {
    name: string;
    description?: string;
    long_description?: string;
    background_color?: string;
  };
  features: {
    app_home?: { home_tab_enabled?: boolean; messages_tab_enabled?: boolean };
    bot_user?: { display_name: string };
    slash_commands: SlashCommand[];
    shortcuts?: Array<{ name: string; type: string; callback_id: string; description: string }>;
  };
  oauth_config: { scopes: { bot: string[]; user?: string[] }; redirect_urls?: string[] };
  settings: {
    interactivity?: { is_enabled: boolean; request_url?: string };
    event_subscriptions?: unknown;
    socket_mode_enabled: boolean;
    token_rotation_enabled: boolean;
    org_deploy_enabled?: boolean;
  };
}

let manifest: Manifest;

beforeAll(async () => {
  manifest = parse(await readFile(path.join(ROOT, 'slack-manifest.yml'), 'utf8')) as Manifest;
});

describe('slack-manifest.yml', () => {
  it('names the app and its bot user qc-slack', () => {
    expect(manifest.display_information.name).toBe('qc-slack');
    expect(manifest.display_information.description?.length ?? 0).toBeLessThanOrEqual(140);
    expect(manifest.features.bot_user?.display_name).toBe('qc-slack');
  });

  it('declares /intercept and /qc with their usage hints and the Slack request URL', () => {
    const commands = manifest.features.slash_commands;
    expect(commands.map((c) => c.command)).toEqual(['/intercept', '/qc']);
    const intercept = commands.find((c) => c.command === '/intercept');
    expect(intercept?.usage_hint).toBe('<agent-id>');
    expect(intercept?.description).toBe("Take over the customer's call from an agent you are monitoring");
    const qc = commands.find((c) => c.command === '/qc');
    for (const word of ['help', 'signin', 'listen', 'switch', 'who', 'audit', 'force-busy', 'allow'])
      expect(qc?.usage_hint, word).toContain(word);
    // Slack cuts usage hints that are too long to show.
    expect(qc?.usage_hint?.length ?? 0).toBeLessThanOrEqual(200);
    // `link @user` needs the user ID: Slack escapes mentions to <@U…> only with should_escape.
    expect(qc?.should_escape).toBe(true);
    for (const c of commands) {
      expect(c.url).toBe(REQUEST_URL);
      expect(c.description.length).toBeGreaterThan(0);
    }
  });

  it('asks for exactly the least-privilege bot scopes and no user scopes', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(
      ['chat:write', 'commands', 'files:write', 'im:write'].sort(),
    );
    expect(manifest.oauth_config.scopes.bot).not.toContain('chat:write.public');
    expect(manifest.oauth_config.scopes.user).toBeUndefined();
  });

  it('asks for the scopes the code’s Web API calls need, and only those', async () => {
    const used = await webApiMethodsUsed();
    const unknown = [...used].filter((m) => !(m in METHOD_SCOPES));
    // A new Web API call: add it (and the scope Slack's method page names) to METHOD_SCOPES.
    expect(unknown, 'Web API methods without a known scope').toEqual([]);
    const needed = new Set([...used].flatMap((m) => METHOD_SCOPES[m] ?? []));
    // Slash commands and shortcuts need `commands`.
    if (manifest.features.slash_commands.length || manifest.features.shortcuts?.length)
      needed.add('commands');
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
    expect(used).toContain('chat.postMessage');
  });

  it('keeps to Slack’s manifest rules: lengths, command names, colours', () => {
    const d = manifest.display_information;
    expect(d.name.length).toBeLessThanOrEqual(35);
    expect(d.description?.length ?? 0).toBeLessThanOrEqual(140);
    // Slack asks a long description to be 175–4,000 characters.
    expect(d.long_description?.length ?? 175).toBeGreaterThanOrEqual(175);
    expect(d.long_description?.length ?? 0).toBeLessThanOrEqual(4000);
    expect(d.background_color ?? '#000').toMatch(/^#([0-9a-f]{3}|[0-9a-f]{6})$/i);
    expect(manifest.features.bot_user?.display_name).toMatch(/^[a-z0-9._-]{1,80}$/);
    const commands = manifest.features.slash_commands;
    expect(commands.length).toBeLessThanOrEqual(50);
    for (const c of commands) {
      // At most 32 characters with the "/", lowercase, no spaces.
      expect(c.command).toMatch(/^\/[a-z0-9_-]{1,31}$/);
      expect(c.description.length).toBeLessThanOrEqual(2000);
      expect(c.usage_hint?.length ?? 0).toBeLessThanOrEqual(1000);
    }
    const shortcuts = manifest.features.shortcuts ?? [];
    expect(shortcuts.length).toBeLessThanOrEqual(10);
    for (const s of shortcuts) {
      expect(s.callback_id.length).toBeLessThanOrEqual(255);
      expect(s.description.length).toBeLessThanOrEqual(150);
      expect(['global', 'message']).toContain(s.type);
    }
  });

  it('sends interactivity to the same request URL', () => {
    expect(manifest.settings.interactivity).toEqual({ is_enabled: true, request_url: REQUEST_URL });
  });

  it('enables the App Home tab (drawn on app_home_opened) and the messages tab for DMs', () => {
    expect(manifest.features.app_home?.messages_tab_enabled).toBe(true);
    expect(manifest.features.app_home?.home_tab_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions).toEqual({
      request_url: REQUEST_URL,
      bot_events: ['app_home_opened'],
    });
  });

  it('declares the global sign-in shortcut the app listens to', async () => {
    const { SIGNIN_SHORTCUT } = await import('../../src/slack/listeners/shortcuts');
    const shortcuts = (manifest.features as { shortcuts?: Array<{ callback_id: string; type: string }> })
      .shortcuts;
    expect(shortcuts?.map((s) => [s.type, s.callback_id])).toEqual([['global', SIGNIN_SHORTCUT]]);
  });

  it('uses HTTP request URLs, not Socket Mode, and no token rotation; the README says what to switch for Socket Mode', async () => {
    expect(manifest.settings.socket_mode_enabled).toBe(false);
    expect(manifest.settings.token_rotation_enabled).toBe(false);
    const readme = await readFile(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('socket_mode_enabled: true');
    expect(readme).not.toMatch(/slack-manifest\.yml` with Socket Mode on/);
  });

  it('every URL in the manifest is the /slack/events request URL (one route on the HTTP API)', () => {
    const urls: string[] = [];
    const walk = (v: unknown): void => {
      if (typeof v === 'string' && /^https?:\/\//.test(v)) urls.push(v);
      else if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    walk(manifest);
    expect(urls.length).toBe(4);
    expect(new Set(urls)).toEqual(new Set([REQUEST_URL]));
  });
});

/**
 * The bot scopes each Web API method the code calls needs (Slack's method reference pages). views.* and
 * auth.test need none; files.uploadV2 calls files.getUploadURLExternal and files.completeUploadExternal.
 */
const METHOD_SCOPES: Record<string, string[]> = {
  'chat.postMessage': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.delete': ['chat:write'],
  // Slack's method page: no scope needed.
  'chat.getPermalink': [],
  'conversations.open': ['im:write'],
  'files.uploadV2': ['files:write'],
  'views.open': [],
  'views.push': [],
  'views.update': [],
  'views.publish': [],
  'auth.test': [],
};

/** `client.<family>.<method>(` calls in shipped code (src/; the local stack and console live in local/). */
async function webApiMethodsUsed(): Promise<Set<string>> {
  const src = path.join(ROOT, 'src');
  const entries = await readdir(src, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.join(e.parentPath, e.name));
  const used = new Set<string>();
  for (const file of files) {
    const code = await readFile(file, 'utf8');
    for (const m of code.matchAll(/\bclient\.([a-z]+)\.([A-Za-z0-9]+)\(/g)) used.add(`${m[1]}.${m[2]}`);
    for (const m of code.matchAll(/\bapiCall\(\s*['"]([a-z]+\.[A-Za-z0-9.]+)['"]/g)) used.add(String(m[1]));
  }
  return used;
}
