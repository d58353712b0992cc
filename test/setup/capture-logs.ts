import { beforeEach } from 'vitest';
import { capturedCalls, type CapturedCall } from '../helpers/logs';

// Every console call of the isolate lands in the current test's buffer (helpers/logs.ts). Expected
// failures log on purpose; a green run stays quiet, and a failing test replays its lines to help.
const methods: CapturedCall['method'][] = ['log', 'info', 'warn', 'error', 'debug'];
const original = Object.fromEntries(methods.map((method) => [method, console[method].bind(console)])) as Record<CapturedCall['method'], (...args: unknown[]) => void>;
for (const method of methods) console[method] = (...args: unknown[]) => void capturedCalls.push({ method, args });

beforeEach(({ onTestFailed }) => {
  capturedCalls.length = 0;
  onTestFailed(() => {
    for (const { method, args } of capturedCalls) original[method](...args);
  });
});
