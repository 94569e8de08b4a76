import { describe, expect, it } from '@jest/globals';
import { attachmentDisposition, cleanFileName, withExtension } from './uploaded-file.js';

describe('uploaded file names', () => {
  it('keeps only the base name, without control characters, at most 255 characters', () => {
    expect(cleanFileName('C:\\Users\\li\\营业执照.pdf')).toBe('营业执照.pdf');
    expect(cleanFileName('../../etc/passwd')).toBe('passwd');
    expect(cleanFileName('a\u0000b\nc.pdf')).toBe('abc.pdf');
    expect(cleanFileName('   ', 'licence.pdf')).toBe('licence.pdf');
    expect(cleanFileName('x'.repeat(300))).toHaveLength(255);
  });

  it('gives a download the extension of its real content', () => {
    expect(withExtension('scan.pdf', 'png')).toBe('scan.png');
    expect(withExtension('photo.JPEG', 'jpg')).toBe('photo.JPEG');
    expect(withExtension('report.pdf', 'pdf')).toBe('report.pdf');
    expect(withExtension('noextension', 'pdf')).toBe('noextension.pdf');
  });

  it('writes Content-Disposition that no name can break, with the real name in RFC 5987 form', () => {
    expect(attachmentDisposition('营业执照.pdf')).toBe(
      `attachment; filename="____.pdf"; filename*=UTF-8''%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7.pdf`,
    );
    expect(attachmentDisposition('a"b\\c\r\n.pdf')).toBe(
      `attachment; filename="a_b_c__.pdf"; filename*=UTF-8''a%22b%5Cc%0D%0A.pdf`,
    );
  });
});
