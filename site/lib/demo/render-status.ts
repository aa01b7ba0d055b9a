// (g) which demo process answered and the processes behind the demo, with their recent events
// (starts, clean restarts, crashes).
import type { DemoStatus } from './api.ts';
import { code, fill, h } from './dom.ts';

const STATE_TEXT = { starting: 'starting', ready: 'ready', down: 'down' } as const;

export function renderProcesses(
  target: Element,
  worker: string | null,
  status: DemoStatus | null,
  problem?: string,
): void {
  const answered = worker
    ? h('p', null, 'The inspector was answered by the demo process with pid ', code(worker), '.')
    : h('p', { class: 'empty' }, 'No demo process answered the inspector.');
  if (!status) {
    fill(
      target,
      answered,
      problem ? h('p', { class: 'note' }, `Process status unavailable: ${problem}`) : null,
    );
    return;
  }
  const workers = h(
    'ul',
    { class: 'workers' },
    ...status.workers.map((w, i) =>
      h(
        'li',
        { class: `state-${w.state}` },
        `Worker #${i + 1}: `,
        w.pid ? code(`pid ${w.pid}`) : 'no process',
        ` ${STATE_TEXT[w.state]}`,
      ),
    ),
  );
  const events = status.events.length
    ? h(
        'ol',
        { class: 'events', attrs: { 'aria-label': 'Recent process events, oldest first' } },
        ...status.events.map((e) =>
          h(
            'li',
            null,
            h(
              'time',
              { attrs: { datetime: new Date(e.at).toISOString() } },
              new Date(e.at).toLocaleTimeString(),
            ),
            ' ',
            e.text,
          ),
        ),
      )
    : null;
  fill(
    target,
    answered,
    status.workers.length
      ? workers
      : h('p', { class: 'empty' }, 'No process runs for this demo yet: it starts on the first request.'),
    events,
  );
}
