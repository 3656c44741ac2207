/** slack-manifest.yml: commands, least-privilege scopes, one request URL for everything, no Socket Mode. */
import { readFile } from 'node:fs/promises';
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
  display_information: { name: string; description?: string };
  features: {
    app_home?: { home_tab_enabled?: boolean; messages_tab_enabled?: boolean };
    bot_user?: { display_name: string };
    slash_commands: SlashCommand[];
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
      ['chat:write', 'commands', 'files:write', 'im:write', 'users:read'].sort(),
    );
    expect(manifest.oauth_config.scopes.bot).not.toContain('chat:write.public');
    expect(manifest.oauth_config.scopes.user).toBeUndefined();
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
    const { SIGNIN_SHORTCUT } = await import('../../src/slack/listeners/actions');
    const shortcuts = (manifest.features as { shortcuts?: Array<{ callback_id: string; type: string }> })
      .shortcuts;
    expect(shortcuts?.map((s) => [s.type, s.callback_id])).toEqual([['global', SIGNIN_SHORTCUT]]);
  });

  it('uses HTTP request URLs, not Socket Mode, and no token rotation', () => {
    expect(manifest.settings.socket_mode_enabled).toBe(false);
    expect(manifest.settings.token_rotation_enabled).toBe(false);
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
