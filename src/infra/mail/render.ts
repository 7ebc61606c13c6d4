import { MAIL_TEMPLATES, type MailTemplateName } from './templates';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const PLACEHOLDER = /\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}/g;

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** The placeholders of `template` that `data` leaves without a value (empty: renderable). */
export function missingVariables(template: MailTemplateName, data: Record<string, string>): string[] {
  return MAIL_TEMPLATES[template].variables.filter((name) => typeof data[name] !== 'string');
}

/**
 * Substitutes `{{name}}` placeholders. HTML body: every value escaped (a tenant named
 * `<script>` stays text). Subject: one line (a value with CR/LF cannot add a header; nodemailer
 * encodes headers too). Plain text: as is.
 */
export function renderMail(template: MailTemplateName, data: Record<string, string>): RenderedMail {
  const t = MAIL_TEMPLATES[template];
  const fill = (source: string, encode: (v: string) => string) =>
    source.replace(PLACEHOLDER, (_m, name: string) => {
      const value = data[name];
      if (typeof value !== 'string') throw new Error(`mail template ${template}: no value for {{${name}}}`);
      return encode(value);
    });
  return {
    subject: fill(t.subject, (v) => v.replace(/[\r\n]+/g, ' ')).trim(),
    text: fill(t.text, (v) => v),
    html: fill(t.html, escapeHtml),
  };
}
