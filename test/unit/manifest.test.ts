/** manifest.yml is a valid Slack app manifest and declares what the app registers. */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Ajv } from 'ajv';
import { SLASH_COMMAND } from '../../src/slack/listeners/commands.js';

const manifest = parse(readFileSync(resolve('manifest.yml'), 'utf8'));
// Slack's published schema lives in shared/, beside the repository, never inside it.
const schemaPath = resolve('..', 'shared', 'slack', 'manifest.schema.json');

describe('manifest.yml', () => {
  it.skipIf(!existsSync(schemaPath))('validates against Slack\'s app-manifest JSON schema', () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
    const ok = validate(manifest);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(ok).toBe(true);
  });

  it('declares exactly the slash command the app registers', () => {
    const commands = manifest.features.slash_commands.map((c: { command: string }) => c.command);
    expect(commands).toEqual([SLASH_COMMAND]);
  });

  it('enables what the features use: interactivity, App Home, Socket Mode, the events listened to', () => {
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions.bot_events).toContain('app_home_opened');
    expect(manifest.oauth_config.scopes.bot).toEqual(expect.arrayContaining(['commands', 'chat:write', 'usergroups:read', 'channels:manage']));
  });
});
