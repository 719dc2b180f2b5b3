import { CORRECTIONS, questionsAt, type Question } from '../../src/core/outline/corrections';
import { stepAt, stepCount, stepIndex, type StepRef } from '../../src/core/outline/steps';
import type { NodeRef } from '../../src/core/outline/tree';
import type { RunSummary } from '../../src/core/run/summary';
import { label, type Label, type PlainMessageId } from '../../src/core/words/label';
import type { PanelWords } from '../panelWords';
import { custom, h } from '../dom';
import { findingChip } from '../findings';

/** Steps a second, to choose from; the default is the second. */
const SPEEDS = [0.5, 1, 2, 4, 8];
/** When to ask before a step: the first time each question comes (the default), every time, or never. */
export type AskPolicy = 'first' | 'always' | 'never';
const POLICIES: Record<AskPolicy, PlainMessageId> = { first: 'player.ask.first', always: 'player.ask.always', never: 'player.ask.never' };

/** The keys, the same wherever the focus is in the panel (but in a text field); the tree keeps its letters for type-ahead. */
export const PLAYER_KEYS = { next: '.', back: ',', play: '/', faster: '>', slower: '<' } as const;

export interface PlayerHost {
  summary(): RunSummary | undefined;
  /** Show this step: select it in the tree (opening its parents) and draw it. */
  goTo(ref: StepRef): void;
}

/**
 * Steps through the run one step at a time (each point's forward, backward and "added to the
 * sum", then the batch's update), by hand or playing at a chosen speed, with the tree and the
 * network following. Before a step where the learner's outline answers a question, it stops
 * and asks (the corrections' table says where), offers both answers, and reveals.
 */
export class Player {
  readonly element: HTMLElement;
  /** Where a question appears: between the player and the pictures. */
  readonly questionBox = h('section', { className: 'question', attrs: { 'aria-live': 'polite' } });
  private readonly playButton: HTMLElement;
  private readonly position = h('span', { className: 'position' });
  private readonly speed: HTMLSelectElement;
  private readonly policy: HTMLSelectElement;
  private at = -1;
  private timer = 0;
  private playing = false;
  /** Questions already asked, by correction (for "first time") and by step (never twice at a step). */
  private readonly askedIds = new Set<string>();
  private readonly askedSteps = new Set<number>();
  /** Questions waiting to be answered before `pendingStep` is shown. */
  private pending: { step: number; questions: Question[] } | undefined;

  constructor(
    private readonly host: PlayerHost,
    private readonly words: PanelWords,
  ) {
    const say = (id: PlainMessageId) => label(id);
    const button = (text: PlainMessageId, title: PlainMessageId, key: string, action: () => void) => {
      const element = words.labelled(custom('vscode-button', { attrs: { appearance: 'secondary', 'aria-keyshortcuts': key } }), { text: say(text), title: label('player.withKey', { action: label(title), key }) });
      element.addEventListener('click', action);
      return element;
    };
    const back = button('player.back', 'player.back.title', PLAYER_KEYS.back, () => this.back());
    this.playButton = button('player.play', 'player.play.title', PLAYER_KEYS.play, () => this.toggle());
    const next = button('player.next', 'player.next.title', PLAYER_KEYS.next, () => this.next());
    this.speed = words.labelled(h('select', { className: 'select' }), { 'aria-label': say('player.speed'), title: say('player.speed') });
    for (const s of SPEEDS) this.speed.append(words.labelled(h('option', { attrs: { value: String(s) } }), { text: label('player.perSecond', { n: s }) }));
    this.speed.value = '1';
    this.speed.addEventListener('change', () => this.playing && this.schedule());
    this.policy = words.labelled(h('select', { className: 'select' }), { 'aria-label': say('player.ask'), title: say('player.ask') });
    for (const [value, id] of Object.entries(POLICIES)) this.policy.append(words.labelled(h('option', { attrs: { value } }), { text: say(id) }));
    this.policy.value = 'first';
    const keys = words.labelled(h('span', { className: 'keys' }), { text: label('player.keys', PLAYER_KEYS) });
    this.element = words.labelled(h('div', { className: 'player', attrs: { role: 'toolbar' } }, [back, this.playButton, next, this.speed, this.policy, this.position, keys]), { 'aria-label': say('player.name') });
    this.questionBox.hidden = true;
    this.update();
  }

  /** A new run: back to before its first step. */
  reset(): void {
    this.pause();
    this.at = -1;
    this.pending = undefined;
    this.askedIds.clear();
    this.askedSteps.clear();
    this.questionBox.hidden = true;
    this.update();
  }

  /** The tree's selection moved (by the learner or by the player): continue from there. */
  follow(ref: NodeRef | undefined): void {
    const summary = this.host.summary();
    const step = summary && ref ? stepIndex(summary, ref) : undefined;
    if (step === undefined) return;
    this.at = step;
    if (this.pending && this.pending.step !== step + 1) this.dismissQuestion();
    this.update();
  }

  /** The panel's keys: true when the key was the player's. */
  onKey(event: KeyboardEvent): boolean {
    const actions: Record<string, () => void> = {
      [PLAYER_KEYS.next]: () => this.next(),
      [PLAYER_KEYS.back]: () => this.back(),
      [PLAYER_KEYS.play]: () => this.toggle(),
      [PLAYER_KEYS.faster]: () => this.changeSpeed(1),
      [PLAYER_KEYS.slower]: () => this.changeSpeed(-1),
    };
    const action = actions[event.key];
    if (!action) return false;
    action();
    return true;
  }

  next(): void {
    const summary = this.host.summary();
    if (!summary || this.pending) return;
    this.questionBox.hidden = true;
    const target = this.at + 1;
    if (target >= stepCount(summary)) {
      this.pause();
      return;
    }
    const questions = this.questionsFor(summary, target);
    if (questions.length) {
      this.pause();
      this.pending = { step: target, questions };
      this.ask();
      return;
    }
    this.go(summary, target);
  }

  back(): void {
    const summary = this.host.summary();
    if (!summary) return;
    this.pause();
    this.dismissQuestion();
    this.go(summary, Math.max(0, this.at - 1));
  }

  toggle(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  play(): void {
    if (this.pending) return;
    this.playing = true;
    this.update();
    this.next();
    if (this.playing) this.schedule();
  }

  pause(): void {
    this.playing = false;
    window.clearTimeout(this.timer);
    this.update();
  }

  private schedule(): void {
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => {
      if (!this.playing) return;
      this.next();
      if (this.playing) this.schedule();
    }, 1000 / Number(this.speed.value));
  }

  private changeSpeed(by: number): void {
    const index = SPEEDS.indexOf(Number(this.speed.value));
    this.speed.value = String(SPEEDS[Math.max(0, Math.min(SPEEDS.length - 1, index + by))]);
    if (this.playing) this.schedule();
  }

  private go(summary: RunSummary, step: number): void {
    this.at = step;
    this.host.goTo(stepAt(summary, step));
    this.update();
  }

  /** The table's questions at this step that the policy still asks. */
  private questionsFor(summary: RunSummary, step: number): Question[] {
    const policy = this.policy.value as AskPolicy;
    if (policy === 'never' || this.askedSteps.has(step)) return [];
    return questionsAt(summary, stepAt(summary, step)).filter((q) => policy === 'always' || !this.askedIds.has(q.id));
  }

  /** Shows the first unanswered question of the pending step, with its two answers. */
  private ask(): void {
    const pending = this.pending!;
    const question = pending.questions[0];
    const say = (l: Label) => this.words.text(l);
    // Which answer comes first changes from step to step, so the order gives nothing away.
    const answers = [
      { text: question.outlineAnswer, outline: true },
      { text: question.otherAnswer, outline: false },
    ];
    if (pending.step % 2 === 1) answers.reverse();
    const buttons = answers.map((answer, k) => {
      const button = h('button', { className: 'answer', text: say(answer.text), attrs: { 'data-outline': String(answer.outline), 'aria-keyshortcuts': String(k + 1) } });
      button.addEventListener('click', () => this.answer(answer.outline));
      return button;
    });
    const box = h('div', { className: 'answers' }, buttons);
    box.addEventListener('keydown', (event) => {
      const k = Number(event.key) - 1;
      if (buttons[k]) buttons[k].click();
    });
    this.questionBox.dataset.correction = question.id;
    this.questionBox.dataset.verdict = question.verdict;
    this.questionBox.dataset.step = String(pending.step);
    this.questionBox.replaceChildren(h('div', { className: 'question-head', text: say(label('player.predict')) }), h('p', { className: 'question-text', text: say(question.question) }), box);
    this.questionBox.hidden = false;
    buttons[0].focus();
  }

  /** The learner chose: say whether it is right in this run, then the next question or the step itself. */
  private answer(choseOutline: boolean): void {
    const pending = this.pending;
    const summary = this.host.summary();
    if (!pending || !summary) return;
    const question = pending.questions.shift()!;
    this.askedIds.add(question.id);
    this.askedSteps.add(pending.step);
    const outlineRight = question.verdict === 'confirmed';
    const right = choseOutline === outlineRight;
    const real = outlineRight ? question.outlineAnswer : question.otherAnswer;
    const say = (l: Label) => this.words.text(l);
    const info = CORRECTIONS[question.id];
    const finding = { id: question.id, verdict: question.verdict, text: outlineRight ? label('player.outlineRight') : info.whatHappens };
    const reveal = h('div', { className: `reveal ${right ? 'right' : 'wrong'}` }, [
      h('p', { className: 'reveal-answer', text: say(label(right ? 'player.right' : 'player.wrong', { answer: real })) }),
      h('div', { className: 'finding-head' }, [findingChip(finding, this.words), h('span', { text: say(finding.text) })]),
    ]);
    this.questionBox.replaceChildren(reveal);
    if (pending.questions.length) {
      const more = h('button', { className: 'answer', text: say(label('player.nextQuestion')) });
      more.addEventListener('click', () => this.ask());
      this.questionBox.append(more);
      more.focus();
      return;
    }
    this.pending = undefined;
    this.go(summary, pending.step);
  }

  private dismissQuestion(): void {
    this.pending = undefined;
    this.questionBox.hidden = true;
  }

  private update(): void {
    const summary = this.host.summary();
    const total = summary ? stepCount(summary) : 0;
    this.playButton.textContent = this.words.text({ id: this.playing ? 'player.pause' : 'player.play' });
    this.playButton.title = this.words.text(label('player.withKey', { action: label(this.playing ? 'player.pause.title' : 'player.play.title'), key: PLAYER_KEYS.play }));
    this.position.textContent = total ? this.words.text(this.at >= 0 ? label('player.position', { n: this.at + 1, total }) : label('player.start', { total })) : '';
    this.position.dataset.step = String(this.at);
  }

  /** The run grew: the step count changed. */
  refresh(): void {
    this.update();
  }
}
