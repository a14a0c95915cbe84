/** An incident's own channel (SVP_INCIDENT_CHANNELS=true): conversations.create, then invite. */
import type { WebClient } from '@slack/web-api';
import type { IncidentRooms } from '../core/incidents/service.js';

/** Tries `name`, then `name-2`, `name-3`… while Slack answers name_taken. */
const MAX_NAME_TRIES = 5;

export class SlackIncidentRooms implements IncidentRooms {
  constructor(private readonly client: WebClient) {}

  async open(name: string, members: string[]): Promise<{ channelId: string; name: string }> {
    for (let attempt = 1; ; attempt++) {
      const candidate = attempt === 1 ? name : `${name.slice(0, 77)}-${attempt}`;
      try {
        const created = await this.client.conversations.create({ name: candidate });
        const channelId = created.channel?.id;
        if (!channelId) throw new Error('conversations.create answered without a channel id');
        await this.client.conversations.invite({ channel: channelId, users: members.join(',') });
        return { channelId, name: candidate };
      } catch (err) {
        const code = (err as { data?: { error?: string } }).data?.error;
        if (code !== 'name_taken' || attempt >= MAX_NAME_TRIES) throw err;
      }
    }
  }
}
