import request from 'supertest';
import { UsersService } from '../../src/modules/users/users.service.js';
import type { TestApp } from './test-app.js';

/** A supertest agent: keeps cookies between requests, like a browser. */
export type WebAgent = ReturnType<typeof request.agent>;

export function webAgent(t: TestApp): WebAgent {
  return request.agent(t.app.getHttpServer());
}

/** The value of the hidden `_csrf` input of a page. */
export function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no _csrf field on the page');
  return match[1];
}

/** Loads `path` and returns the CSRF token of its form. */
export async function csrfOf(agent: WebAgent, path: string): Promise<string> {
  const page = await agent.get(path).set('Accept', 'text/html');
  return csrfFrom(page.text);
}

/** Signs in through the sign-in form; returns the agent holding the session cookie. */
export async function signInWeb(
  t: TestApp,
  user: { email: string; password: string },
): Promise<WebAgent> {
  const agent = webAgent(t);
  const _csrf = await csrfOf(agent, '/sign-in');
  const res = await agent
    .post('/sign-in')
    .type('form')
    .send({ _csrf, email: user.email, password: user.password });
  if (res.status !== 303) throw new Error(`web sign-in failed: ${res.status}`);
  return agent;
}

/** One cookie's value from a response's Set-Cookie lines, and the line itself. */
export function setCookie(
  res: { headers: Record<string, unknown> },
  name: string,
): { value: string; line: string } | null {
  const lines = res.headers['set-cookie'];
  for (const line of Array.isArray(lines) ? (lines as string[]) : []) {
    if (line.startsWith(`${name}=`))
      return { value: line.slice(name.length + 1).split(';')[0], line };
  }
  return null;
}

export async function nameOf(t: TestApp, userId: string): Promise<string> {
  const user = await t.app.get(UsersService).findById(userId);
  if (!user) throw new Error('no such user');
  return user.name;
}
