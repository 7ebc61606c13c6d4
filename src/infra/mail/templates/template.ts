/**
 * A mail template: a subject, a plain-text body and an HTML body with `{{name}}` placeholders.
 * Rendering (render.ts) substitutes each with the value from the mail's data, HTML-escaped in the
 * HTML body, with CR/LF removed in the subject; a placeholder without a value is an error at
 * enqueue time, never a mail with a hole.
 */
export interface MailTemplate {
  /** The placeholders every mail of this template must be given (checked at enqueue). */
  variables: readonly string[];
  subject: string;
  text: string;
  html: string;
}
