// Latency you can dial on the local Neon and Upstash endpoints: at the edge each call is a network
// round trip of tens of milliseconds, which a stand-in on the same machine hides. Every request
// waits LOCAL_CLOUD_LATENCY_MS plus up to LOCAL_CLOUD_LATENCY_JITTER_MS (default a quarter of it)
// before it is served; `PUT /__latency?ms=20&jitter=5` changes both at run time (benchmarks
// compare 0 and 20 ms without restarting), `GET /__latency` reads them. Local only.
import type { RequestListener } from 'node:http';
import { sendJson } from './http-util.ts';

type Setting = { ms: number; jitter: number };

const nonNegative = (value: string | null | undefined, name: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a number of milliseconds >= 0, not ${value}`);
  return n;
};

function fromEnv(env: NodeJS.ProcessEnv): Setting {
  const ms = nonNegative(env.LOCAL_CLOUD_LATENCY_MS ?? '0', 'LOCAL_CLOUD_LATENCY_MS');
  const jitter = env.LOCAL_CLOUD_LATENCY_JITTER_MS === undefined ? ms / 4 : nonNegative(env.LOCAL_CLOUD_LATENCY_JITTER_MS, 'LOCAL_CLOUD_LATENCY_JITTER_MS');
  return { ms, jitter };
}

export function withLatency(listener: RequestListener, env: NodeJS.ProcessEnv = process.env): RequestListener {
  const setting = fromEnv(env);
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/__latency' && (req.method === 'GET' || req.method === 'PUT')) {
      if (req.method === 'PUT') {
        try {
          setting.ms = nonNegative(url.searchParams.get('ms') ?? '0', 'ms');
          setting.jitter = url.searchParams.has('jitter') ? nonNegative(url.searchParams.get('jitter'), 'jitter') : setting.ms / 4;
        } catch (err) {
          sendJson(res, 400, { error: (err as Error).message });
          return;
        }
      }
      sendJson(res, 200, setting);
      return;
    }
    const delay = setting.ms + Math.random() * setting.jitter;
    if (delay <= 0) listener(req, res);
    else setTimeout(() => listener(req, res), delay);
  };
}
