import { collectDefaultMetrics, Gauge, type Registry } from 'prom-client';

/**
 * prom-client's own gauges whose names end in `_total`, which in Prometheus says "counter"
 * (`promtool check metrics` flags them). Each is the sum over the types of its labelled
 * sibling (`nodejs_active_handles{type}`), and is published as `…_all` instead.
 */
export const RENAMED_PROCESS_GAUGES = [
  { from: 'nodejs_active_handles_total', to: 'nodejs_active_handles_all', help: 'Active libuv handles, all types together.' },
  { from: 'nodejs_active_requests_total', to: 'nodejs_active_requests_all', help: 'Active libuv requests, all types together.' },
  { from: 'nodejs_active_resources_total', to: 'nodejs_active_resources_all', help: 'Resources keeping the event loop alive, all types together.' },
] as const;

/**
 * The Node.js process's metrics (CPU, memory, file descriptors, event-loop lag from
 * `monitorEventLoopDelay`, GC, active handles), under `prefix`, into `registry`.
 */
export function registerProcessMetrics(registry: Registry, prefix: string): void {
  collectDefaultMetrics({ register: registry, prefix });
  for (const { from, to, help } of RENAMED_PROCESS_GAUGES) {
    const original = registry.getSingleMetric(`${prefix}${from}`);
    // Node versions without the underlying call have no such gauge.
    if (!original) continue;
    registry.removeSingleMetric(`${prefix}${from}`);
    new Gauge({
      name: `${prefix}${to}`,
      help,
      registers: [registry],
      // The original still does the counting; it is only no longer published under its name.
      async collect() {
        this.set((await original.get()).values[0]?.value ?? 0);
      },
    });
  }
}
