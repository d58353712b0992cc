// A local mail catcher that speaks Resend's HTTP API (`POST /emails`), for `npm run dev` and the
// tests: the Worker's production mail code sends to it, and a person reads what arrived at
// http://127.0.0.1:<port>/ (links clickable) or as JSON at /emails. Three recipients stand for a
// provider in trouble: `…@outage.test` is answered 503, `…@flaky.test` 503 the first time only,
// and `…@hang.test` never.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CaughtMail {
  id: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  created_at: string;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

function page(mails: CaughtMail[]) {
  const items = [...mails]
    .reverse()
    .map((mail) => {
      const text = escapeHtml(mail.text).replace(/https?:\/\/[^\s<]+/g, (url) => `<a href="${url}">${url}</a>`);
      return `<article><h2>${escapeHtml(mail.subject)}</h2><p><small>${escapeHtml(mail.created_at)} · to ${escapeHtml(mail.to.join(', '))} · from ${escapeHtml(mail.from)}</small></p><pre>${text}</pre></article>`;
    })
    .join('');
  return `<!doctype html><meta charset="utf-8"><title>Omood mail catcher</title><style>body{font:15px system-ui;max-width:50rem;margin:2rem auto}pre{white-space:pre-wrap}article{border-bottom:1px solid #ddd}</style><h1>Mail sent by the local Omood API</h1>${items || '<p>No mail yet.</p>'}`;
}

export async function startMailCatcher(options: { apiKey: string; port?: number }) {
  const mails: CaughtMail[] = [];
  const hanging = new Set<ServerResponse>();
  const refusedOnce = new Set<string>();
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const reply = (status: number, payload: unknown) => {
        response.writeHead(status, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify(payload));
      };
      const url = new URL(request.url ?? '/', 'http://catcher');
      if (request.method === 'GET' && url.pathname === '/') {
        response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        return response.end(page(mails));
      }
      if (request.method === 'GET' && url.pathname === '/emails') {
        const to = url.searchParams.get('to')?.toLowerCase();
        return reply(200, to ? mails.filter((mail) => mail.to.some((address) => address.toLowerCase() === to)) : mails);
      }
      if (request.method === 'DELETE' && url.pathname === '/emails') {
        mails.length = 0;
        return reply(200, { deleted: true });
      }
      if (request.method !== 'POST' || url.pathname !== '/emails') return reply(404, { name: 'not_found', message: 'Not found' });
      if (request.headers.authorization !== `Bearer ${options.apiKey}`) return reply(401, { name: 'missing_api_key', message: 'API key is invalid' });
      let mail: Partial<Omit<CaughtMail, 'to'>> & { to?: unknown };
      try {
        mail = JSON.parse(body) as typeof mail;
      } catch {
        return reply(422, { name: 'validation_error', message: 'Invalid JSON' });
      }
      const to = Array.isArray(mail.to) ? mail.to.map(String) : typeof mail.to === 'string' ? [mail.to] : [];
      if (!mail.from || to.length === 0 || !mail.subject || (!mail.text && !mail.html)) {
        return reply(422, { name: 'validation_error', message: 'from, to, subject and text or html are required' });
      }
      if (to.some((address) => address.endsWith('@outage.test'))) return reply(503, { name: 'internal_server_error', message: 'Unavailable' });
      if (to.some((address) => address.endsWith('@hang.test'))) return void hanging.add(response);
      const flaky = to.find((address) => address.endsWith('@flaky.test') && !refusedOnce.has(address));
      if (flaky) {
        refusedOnce.add(flaky);
        return reply(503, { name: 'internal_server_error', message: 'Unavailable' });
      }
      const caught: CaughtMail = { id: crypto.randomUUID(), from: mail.from, to, subject: mail.subject, text: mail.text ?? '', html: mail.html ?? '', created_at: new Date().toISOString() };
      mails.push(caught);
      reply(200, { id: caught.id });
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    mails,
    close: () =>
      new Promise<void>((resolve) => {
        for (const response of hanging) response.destroy();
        server.close(() => resolve());
      }),
  };
}
