import type { MailTemplate } from './template';

/** For POST /auth/forgot-password: `link` carries the one-time reset token. */
export const passwordResetTemplate: MailTemplate = {
  variables: ['tenant_name', 'link', 'expires_at'],
  subject: 'Reset your {{tenant_name}} password',
  text: `Hello,

Someone asked to reset the password of your {{tenant_name}} account.
Choose a new password here:
{{link}}

This link works once and expires at {{expires_at}}.
If it was not you, ignore this mail: your password stays as it is.
`,
  html: `<!doctype html>
<html><body>
<p>Hello,</p>
<p>Someone asked to reset the password of your <strong>{{tenant_name}}</strong> account.</p>
<p><a href="{{link}}">Choose a new password</a></p>
<p>This link works once and expires at {{expires_at}}.<br>If it was not you, ignore this mail: your password stays as it is.</p>
</body></html>
`,
};
