import { escapeHtml, missingVariables, renderMail } from './render';

const data = {
  tenant_name: '<img src=x onerror=alert(1)> & "Co"',
  link: 'https://app.example.com/reset-password?token=a.b&x=1',
  expires_at: '2030-01-01T00:00:00.000Z',
};

describe('mail rendering', () => {
  it('escapes every value in the HTML body, keeps the text body as is, and makes the subject one line', () => {
    const mail = renderMail('password-reset', { ...data, tenant_name: `${data.tenant_name}\r\nBcc: x@evil.example` });
    expect(mail.html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;Co&quot;');
    expect(mail.html).not.toContain('<img');
    expect(mail.html).toContain('href="https://app.example.com/reset-password?token=a.b&amp;x=1"');
    expect(mail.text).toContain(data.link);
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.subject).toBe('Reset your <img src=x onerror=alert(1)> & "Co" Bcc: x@evil.example password');
  });

  it('names the missing variables; rendering without one throws', () => {
    expect(missingVariables('invitation', { tenant_name: 'A', link: 'l' })).toEqual(['inviter', 'role', 'expires_at']);
    expect(() => renderMail('invitation', { tenant_name: 'A' })).toThrow(/no value for \{\{inviter\}\}/);
  });

  it('escapeHtml covers the five HTML specials', () => {
    expect(escapeHtml(`<>&"'`)).toBe('&lt;&gt;&amp;&quot;&#39;');
  });
});
