import type { Analysis } from '../report/report-types.js';
import { html, prose, type Html } from './escape.js';
import type { Verdict } from './verdict.js';

const ICONS = { bad: '✕', warn: '!', good: '✓' } as const;

/** The verdict first, in the colour of its worst finding; the most urgent finding is the headline. */
export function verdictBanner(verdict: Verdict, analysis?: Analysis): Html {
  const [first, ...others] = verdict.items;
  return html`<section id="verdict" class="verdict verdict-${verdict.tone}" data-verdict="${verdict.tone}">
<div class="verdict-icon" aria-hidden="true">${ICONS[verdict.tone]}</div>
<div class="verdict-body">
<h2 class="verdict-title">${first?.title ?? ''}</h2>
${first?.details.map((line) => html`<p class="verdict-detail">${prose(line)}</p>`)}
${others.length > 0 && html`<ul class="verdict-others">${others.map((item) => html`<li class="tone-${item.tone}"><strong>${item.title}.</strong> ${prose(item.details.join(' '))}</li>`)}</ul>`}
</div></section>
${analysis && assessment(analysis)}`;
}

function assessment(analysis: Analysis): Html {
  return html`<section id="assessment" class="section assessment"><p class="assessment-text">${prose(analysis.assessment)}</p>
${analysis.warnings.length > 0 && html`<ul class="warnings">${analysis.warnings.map((w) => html`<li>${prose(w)}</li>`)}</ul>`}
${analysis.recommendations.length > 0 && html`<ul class="recommendations">${analysis.recommendations.map((r) => html`<li>${prose(r)}</li>`)}</ul>`}
</section>`;
}
