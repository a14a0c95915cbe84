/** The bot's own Prometheus metrics, served at GET /metrics in HTTP mode. */
import { Registry, Counter, Histogram, collectDefaultMetrics } from 'prom-client';

export function createTelemetry() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'svp_ops_' });
  const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
  const commands = new Counter({ name: 'svp_ops_commands_total', help: 'Commands and interactions handled, by name and outcome', labelNames: ['command', 'outcome'], registers: [registry] });
  const commandSeconds = new Histogram({ name: 'svp_ops_command_duration_seconds', help: 'Time to complete a command, by name', labelNames: ['command'], buckets, registers: [registry] });
  const svpCalls = new Counter({ name: 'svp_ops_svp_calls_total', help: 'Calls to SVP, by endpoint and outcome', labelNames: ['endpoint', 'outcome'], registers: [registry] });
  const svpSeconds = new Histogram({ name: 'svp_ops_svp_call_duration_seconds', help: 'Latency of calls to SVP, by endpoint', labelNames: ['endpoint'], buckets, registers: [registry] });
  // Slack gives up on a delivery not answered within 3 s: this is the figure to watch.
  const ackSeconds = new Histogram({ name: 'svp_ops_slack_ack_seconds', help: 'Time from a Slack delivery reaching the bot to its HTTP answer (HTTP mode)', buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3], registers: [registry] });
  return {
    registry,
    command(name: string, outcome: string, seconds: number) {
      commands.inc({ command: name, outcome });
      commandSeconds.observe({ command: name }, seconds);
    },
    svpCall(endpoint: string, outcome: string, ms: number) {
      svpCalls.inc({ endpoint, outcome });
      svpSeconds.observe({ endpoint }, ms / 1000);
    },
    ack(ms: number) {
      ackSeconds.observe(ms / 1000);
    },
  };
}

export type Telemetry = ReturnType<typeof createTelemetry>;
