// The baseline: a Bolt app in HTTP mode that only acks /svp. Plain JavaScript, so it runs
// under node exactly like the compiled bot. Started as a child process by the benches.
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';

const receiver = new HTTPReceiver({ signingSecret: process.env.SLACK_SIGNING_SECRET, endpoints: '/slack/events', logLevel: LogLevel.ERROR });
const app = new App({ token: process.env.SLACK_BOT_TOKEN, receiver, logLevel: LogLevel.ERROR, clientOptions: { slackApiUrl: process.env.SLACK_API_URL } });
app.command('/svp', async ({ ack }) => {
  await ack();
});
// The bot's keep-alive (src/slack/http-server.ts), so both keep their connections alike.
await app.start({ port: Number(process.env.PORT), host: '127.0.0.1' }, { keepAliveTimeout: 65_000 });
