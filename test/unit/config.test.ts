import { describe, expect, it } from 'vitest';
import { loadConfig, ConfigError, secretsOf, PRODUCTION_API_URL } from '../../src/config.js';

const errorOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (err) {
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
};

describe('config', () => {
  it('defaults to the console against the production URLs, with SPEC defaults', () => {
    const c = loadConfig({});
    expect(c.mode).toBe('console');
    expect(c.useSimulator).toBe(true);
    expect(c.svpApiUrl).toBe(PRODUCTION_API_URL);
    expect(c.PORT).toBe(3000);
    expect(c.SVP_TIMEOUT_MS).toBe(5000);
    expect(c.DATABASE_URL).toBe('./data/svp-ops.db');
    expect(c.SVP_DIGEST_CRON).toBe('0 9 * * *');
    expect(c.SVP_MAINTENANCE_CRON).toBe('0 2 * * 0');
    expect(c.SVP_TZ).toBe('UTC');
    expect(c.SVP_ALERT_INTERVAL_S).toBe(60);
    expect(c.SVP_TWO_PERSON).toBe(false);
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.SVP_ADMINS)).toBe(true);
  });

  it('chooses the mode from the credentials', () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'secret-123' }).mode).toBe('http');
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }).mode).toBe('socket');
    expect(loadConfig({ SVP_API_URL: 'http://127.0.0.1:9' }).useSimulator).toBe(false);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT', 'a TCP port'],
    [{ PORT: '70000' }, 'PORT', 'from 1 to 65535'],
    [{ SVP_TIMEOUT_MS: '-5' }, 'SVP_TIMEOUT_MS', 'milliseconds'],
    [{ SVP_API_URL: 'not a url' }, 'SVP_API_URL', 'http(s) URL'],
    [{ SVP_DIGEST_CRON: '61 * * * *' }, 'SVP_DIGEST_CRON', 'cron expression'],
    [{ SVP_MAINTENANCE_CRON: 'every sunday' }, 'SVP_MAINTENANCE_CRON', 'cron expression'],
    [{ SVP_TZ: 'Mars/Olympus' }, 'SVP_TZ', 'time zone'],
    [{ SVP_ADMINS: 'alice' }, 'SVP_ADMINS', 'Slack user or user-group IDs'],
    [{ SVP_TWO_PERSON: 'maybe' }, 'SVP_TWO_PERSON', 'true or false'],
    [{ SVP_DIGEST_CHANNEL: '#ops' }, 'SVP_DIGEST_CHANNEL', 'channel ID'],
    [{ SLACK_BOT_TOKEN: 'xoxp-user-token', SLACK_SIGNING_SECRET: 'secret-123' }, 'SLACK_BOT_TOKEN', 'xoxb-'],
    [{ SLACK_APP_TOKEN: 'xapp-1' }, 'SLACK_BOT_TOKEN', 'Socket Mode'],
  ])('%o names %s and what is expected', (env, variable, expected) => {
    const err = errorOf(env as Record<string, string>);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.variable).toBe(variable);
    expect(err.message).toContain(expected);
    expect(err.message.split('\n')).toHaveLength(1);
  });

  it('never echoes a secret value in its error', () => {
    const err = errorOf({ SLACK_BOT_TOKEN: 'xoxp-very-secret-value', SLACK_SIGNING_SECRET: 'x' });
    expect(err.message).not.toContain('very-secret');
  });

  it('lists secrets for redaction, including a database password', () => {
    const c = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-abc', SLACK_SIGNING_SECRET: 'signing-secret', GROQ_API_KEY: 'gsk_key', DATABASE_URL: 'postgres://svp:hunter22@db:5432/svp' });
    expect(secretsOf(c)).toEqual(expect.arrayContaining(['xoxb-abc', 'signing-secret', 'gsk_key', 'hunter22']));
  });

  it('accepts six-field cron expressions and user groups', () => {
    const c = loadConfig({ SVP_DIGEST_CRON: '30 0 9 * * 1-5', SVP_ADMINS: 'U123ABC, S0GROUP1' });
    expect(c.SVP_DIGEST_CRON).toBe('30 0 9 * * 1-5');
    expect(c.SVP_ADMINS).toEqual(['U123ABC', 'S0GROUP1']);
  });
});
