import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { JsonLogger } from '../../common/logging/json-logger.js';
import { loadConfig } from '../../config/app-config.js';
import { NotificationsService, RETRY_INTERVAL_MS, retryDelayMs } from './notifications.service.js';

/** Only render() and the timer are exercised here; they touch neither database nor audit. */
function service(env: Record<string, string> = {}): NotificationsService {
  const unused = null as never;
  return new NotificationsService(
    unused,
    unused,
    unused,
    unused,
    loadConfig(env),
    new JsonLogger('silent'),
  );
}

describe('NotificationsService.render', () => {
  const render = (name: string, locale: 'zh-CN' | 'en' = 'en') =>
    service({ PUBLIC_URL: 'https://szifa.example.cn' }).render({
      to: 'a@example.cn',
      template: 'test',
      locale,
      context: { name },
    });

  it('keeps user data as typed in the subject and the text part', () => {
    const { subject, text } = render(`<Chen> & "O'Neil"`);
    expect(subject).toBe(`Test e-mail <Chen> & "O'Neil"`);
    expect(text.startsWith(`Hello <Chen> & "O'Neil",\n`)).toBe(true);
  });

  it('escapes user data in the HTML part', () => {
    const { html } = render(`<img src=x onerror=alert(1)> & "O'Neil"`);
    expect(html).toContain(
      'Hello &lt;img src=x onerror=alert(1)&gt; &amp; &quot;O&#39;Neil&quot;,',
    );
    expect(html).not.toContain('<img');
  });

  it('keeps a subject on one line whatever the data holds', () => {
    expect(render('line one\r\nBcc: victim@example.cn').subject).toBe(
      'Test e-mail line one Bcc: victim@example.cn',
    );
  });

  it("links the platform's own URLs in the HTML part, and no one else's", () => {
    const { html, text } = render('https://evil.example/login');
    expect(html).toContain(
      '<a href="https://szifa.example.cn/notifications">https://szifa.example.cn/notifications</a>.',
    );
    expect(html).not.toContain('href="https://evil.example');
    expect(html).toContain('https://evil.example/login');
    expect(text).toContain('https://szifa.example.cn/notifications.');
  });

  it('renders the Chinese template for zh-CN', () => {
    const { subject, html } = render('陈小明', 'zh-CN');
    expect(subject).toBe('测试邮件 陈小明');
    expect(html).toContain('<html lang="zh-CN">');
  });

  it('refuses a template that does not exist', () => {
    expect(() =>
      service().render({
        to: 'a@example.cn',
        template: 'no-such-template',
        locale: 'en',
        context: {},
      }),
    ).toThrow(/No e-mail template/);
  });

  it('refuses to render when the template uses a value the caller did not give', () => {
    expect(() =>
      service().render({ to: 'a@example.cn', template: 'test', locale: 'en', context: {} }),
    ).toThrow(/name/);
  });
});

describe('retry of pending e-mail', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('backs off 30 s, 1 min, 2 min ... and never waits more than an hour', () => {
    expect([1, 2, 3, 4].map(retryDelayMs)).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(retryDelayMs(20)).toBe(3_600_000);
  });

  it('tries every 30 seconds from module start until module destroy, on a timer that holds no process open', async () => {
    jest.useFakeTimers();
    const setIntervalSpy = jest.spyOn(globalThis, 'setInterval');
    const mail = service({ SMTP_URL: 'smtp://127.0.0.1:2525' });
    const deliver = jest.spyOn(mail, 'deliverPending').mockResolvedValue(undefined);

    mail.onModuleInit();
    const timer = setIntervalSpy.mock.results[0].value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    jest.advanceTimersByTime(RETRY_INTERVAL_MS - 1);
    expect(deliver).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(deliver).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(2 * RETRY_INTERVAL_MS);
    expect(deliver).toHaveBeenCalledTimes(3);

    await mail.onModuleDestroy();
    jest.advanceTimersByTime(10 * RETRY_INTERVAL_MS);
    expect(deliver).toHaveBeenCalledTimes(3);
  });

  it('starts no timer when there is no SMTP server to send to', () => {
    jest.useFakeTimers();
    const setIntervalSpy = jest.spyOn(globalThis, 'setInterval');
    service().onModuleInit();
    expect(setIntervalSpy).not.toHaveBeenCalled();
  });
});
