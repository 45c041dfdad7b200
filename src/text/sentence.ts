/**
 * `text` ended by exactly one stop: as it is when it already ends with one (". ? !"), else with a full stop. Sentences
 * are built from parts (an error code's check may end in a question), so the stop is added once, here.
 */
export function sentence(text: string): string {
  const trimmed = text.trimEnd();
  return /[.?!]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
