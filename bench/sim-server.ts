/**
 * The simulator in a process of its own, so the load it takes (hundreds of hanging
 * probes) does not slow the process that times the acks. Prints its URL, then serves
 * until killed; faults are set through its control API (POST /__sim/fault).
 */
import { startSimulator } from '../src/simulator/index.js';

const sim = await startSimulator({ port: Number(process.env.PORT ?? 0) });
process.stdout.write(`${sim.url}\n`);
process.on('SIGTERM', () => void sim.close().then(() => process.exit(0)));
