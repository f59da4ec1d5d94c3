// The failure banner at the top of a panel: the title, the message and a button per next step —
// the same words and buttons as the views' error node. Written with textContent only.
import { NEXT_STEP_LABELS, type NextStep } from '../../src/failures/nextSteps';
import type { BannerFailure } from './bannerProtocol';

/** Shows `failure` in `banner` (or hides it when there is none); a button click calls `onStep`. */
export function renderBanner(banner: HTMLElement, failure: BannerFailure | undefined, onStep: (step: NextStep) => void): void {
  banner.replaceChildren();
  banner.hidden = failure === undefined;
  if (!failure) return;
  banner.setAttribute('role', 'alert');
  const title = document.createElement('strong');
  title.textContent = failure.title;
  const message = document.createElement('span');
  message.textContent = ` ${failure.message}`;
  const text = document.createElement('p');
  text.append(title, message);
  const actions = document.createElement('div');
  actions.className = 'actions';
  for (const [index, step] of failure.steps.entries()) {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = NEXT_STEP_LABELS[step];
    button.dataset.step = step;
    if (index > 0) button.className = 'secondary';
    button.addEventListener('click', () => onStep(step));
    actions.append(button);
  }
  banner.append(text, actions);
}
