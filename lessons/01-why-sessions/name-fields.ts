// The first-name/last-name form of seed §16.1, shared by `name-form` (with a session) and `forgetful`
// (without one): reading it, checking it and drawing it. A name is only trimmed, never "cleaned":
// `<script>` or `'); DROP TABLE` in a name is kept exactly as typed and made harmless where it is used,
// by escaping when it is shown (engine/html.ts) and by placeholders when it is stored (OWASP XSS and
// SQL Injection Prevention cheat sheets: encode on output, do not filter input).
import { excerpt, html, type SafeHtml } from '../../sandbox/engine/html.ts';

/** Matches the inputs' `maxlength`, which browsers count in UTF-16 code units, like `String.length`. */
export const NAME_MAX_LENGTH = 100;

export interface Name {
  firstName: string;
  lastName: string;
}

export type NameErrors = Partial<Record<keyof Name, string>>;

const FIELDS = [
  { key: 'firstName', label: 'First name', autocomplete: 'given-name' },
  { key: 'lastName', label: 'Last name', autocomplete: 'family-name' },
] as const;

/** The posted name, trimmed, and what is wrong with it (an empty object when nothing is). */
export async function readNameForm(request: Request): Promise<{ name: Name; errors: NameErrors }> {
  // A body that is not a form (wrong content type, garbage) reads as empty fields: "required" says why.
  const form = await request.formData().catch(() => new FormData());
  const field = (key: string) => {
    const value = form.get(key);
    return typeof value === 'string' ? value.trim() : '';
  };
  const name: Name = { firstName: field('firstName'), lastName: field('lastName') };
  const errors: NameErrors = {};
  for (const { key, label } of FIELDS) {
    const problem = checkName(label, name[key]);
    if (problem) errors[key] = problem;
  }
  return { name, errors };
}

function checkName(label: string, value: string): string | undefined {
  if (value === '') return `${label} is required.`;
  if (value.length > NAME_MAX_LENGTH)
    return `${label} is ${value.length} characters long; at most ${NAME_MAX_LENGTH} fit.`;
  // A line break or NUL cannot come from a one-line text box; it would also be invisible on the page.
  if (/\p{Cc}/u.test(value)) return `${label} contains a control character such as a line break.`;
  return undefined;
}

export function hasErrors(errors: NameErrors): boolean {
  return Object.keys(errors).length > 0;
}

/**
 * The form, filled with `name` (typed or remembered values) and any errors next to their fields. A value
 * comes back cut to `MAX_ECHO` characters: the page never echoes a huge post.
 */
export function nameForm(action: string, name: Name, errors: NameErrors = {}): SafeHtml {
  const problems = FIELDS.filter(({ key }) => errors[key]);
  const summary =
    problems.length === 0
      ? ''
      : html`<div class="error" role="alert">
<p>Nothing was saved. Please fix:</p>
<ul>${problems.map(({ key }) => html`<li><a href="#${key}">${errors[key]}</a></li>`)}</ul>
</div>`;
  const inputs = FIELDS.map(({ key, label, autocomplete }) => {
    const error = errors[key];
    return html`<label for="${key}">${label}</label>
<input id="${key}" name="${key}" type="text" value="${excerpt(name[key])}" autocomplete="${autocomplete}" required maxlength="${NAME_MAX_LENGTH}"${error ? html` aria-invalid="true" aria-describedby="${key}-error"` : ''}>
${error ? html`<p id="${key}-error" class="error">${error}</p>` : ''}`;
  });
  return html`${summary}<form method="post" action="${action}">
${inputs}
<p><button type="submit">Save my name</button></p>
</form>`;
}

/** Page 1 again after a refused post: the title and the form as typed, with what to fix. */
export const RETRY_TITLE = 'Page 1 – please check your name';
export function retryBody(base: string, name: Name, errors: NameErrors): SafeHtml {
  return html`<h1>Page 1: what is your name?</h1>
${nameForm(`${base}save`, name, errors)}`;
}

export function fullName(name: Name): string {
  return `${name.firstName} ${name.lastName}`;
}
