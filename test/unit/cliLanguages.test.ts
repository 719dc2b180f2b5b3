import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { englishWords } from '../support/untranslated';
import { EXAMPLES, REPO, cliIn } from './helpers';

const QUESTION = path.join(EXAMPLES, 'question.training.json');
/** The lines of the learner's outline the question itself wrote in Chinese (shared/seed/000_83ade4885fdb6fdb.txt). */
const SEED_WORDING = ['执行第一纪元', '执行第二纪元', '这个过程一直持续到所需的时代。'];
/** What the learner's config names, and code: left as it is in every language. */
const CODE = new Set(['mse', 'SGD', 'xavier']);

/** The numbers of a line, in the order of their digits (a translation may reorder a sentence's parts). */
const numbersOf = (line: string) => (line.match(/\d+(?:\.\d+)?(?:e[-+]?\d+)?/g) ?? []).sort();

describe('the CLI in Simplified Chinese', () => {
  const english = cliIn({}, 'run', QUESTION);

  for (const [how, env, args] of [
    ['--lang zh-cn', {}, ['--lang', 'zh-cn']],
    ['LANG=zh_CN.UTF-8', { LANG: 'zh_CN.UTF-8' }, []],
    ['LC_ALL=zh_CN.UTF-8 over LANG=en_GB.UTF-8', { LANG: 'en_GB.UTF-8', LC_ALL: 'zh_CN.UTF-8' }, []],
  ] as const) {
    it(`prints the outline in Chinese with ${how}: the question's own wording, the corrections, no English left`, () => {
      const { code, stdout } = cliIn(env, 'run', QUESTION, ...args);
      assert.equal(code, 0);
      for (const wording of SEED_WORDING) assert.ok(stdout.includes(wording), `the outline lacks the question's "${wording}"`);
      assert.match(stdout, /✗ C1（纠正：[^）a-zA-Z]+）：/);
      assert.match(stdout, /✓ C8（确认：[^）a-zA-Z]+）：/);
      assert.deepEqual(englishWords(stdout, CODE), []);
    });
  }

  it('says the same numbers, line for line, as in English', () => {
    const chinese = cliIn({}, 'run', QUESTION, '--lang=zh-cn');
    assert.equal(english.code, 0);
    const [en, zh] = [english.stdout, chinese.stdout].map((text) => text.split('\n'));
    assert.equal(zh.length, en.length);
    assert.ok(english.stdout.match(/\d\.\d{3}/g)!.length > 100, 'the English outline shows the measured numbers');
    const differ = en.map((line, i) => [line, zh[i]]).filter(([e, z]) => numbersOf(e).join() !== numbersOf(z).join());
    assert.deepEqual(differ, []);
  });

  it('writes the same trace, byte for byte: the trace contract has no language', () => {
    const en = cliIn({}, 'run', QUESTION, '--format', 'jsonl');
    const zh = cliIn({ LANG: 'zh_CN.UTF-8' }, 'run', QUESTION, '--format', 'jsonl');
    assert.equal(zh.stdout, en.stdout);
  });

  it('speaks English in any other locale, and when LC_ALL says so over a Chinese LANG', () => {
    for (const env of <Record<string, string>[]>[{ LANG: 'fr_FR.UTF-8' }, { LANG: 'zh_TW.UTF-8' }, { LANG: 'zh_CN.UTF-8', LC_ALL: 'C.UTF-8' }, { LANG: 'zh_CN.UTF-8', LC_MESSAGES: 'en_US.UTF-8' }]) {
      assert.equal(cliIn(env, 'run', QUESTION).stdout, english.stdout, JSON.stringify(env));
    }
    assert.equal(cliIn({ LANG: 'zh_CN.UTF-8' }, 'run', QUESTION, '--lang', 'en').stdout, english.stdout);
  });

  it('documents --lang in its help, in both languages, and refuses a language it does not speak (exit 2)', () => {
    assert.match(cliIn({}, '--help').stdout, /--lang en\|zh-cn/);
    const help = cliIn({}, '--help', '--lang', 'zh-cn').stdout;
    assert.match(help, /^用法：.*--lang en\|zh-cn/);
    const bad = cliIn({ LANG: 'zh_CN.UTF-8' }, 'run', QUESTION, '--lang', 'fr');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^training-trace: --lang 必须是 "en" 或 "zh-cn"，而不是 "fr"/);
  });

  it('says a bad config’s problems in Chinese, at the same places, with the same exit code', () => {
    const config = path.join(REPO, 'test', 'golden', 'configs', 'mistakes.training.json');
    const en = cliIn({}, 'run', config);
    const zh = cliIn({}, 'run', config, '--lang', 'zh-cn');
    assert.equal(zh.code, en.code);
    const place = (line: string) => line.slice(0, line.indexOf(': $') + 3 + line.slice(line.indexOf(': $') + 3).indexOf(': '));
    const [enLines, zhLines] = [en.stderr, zh.stderr].map((text) => text.trim().split('\n'));
    assert.ok(enLines.length >= 5);
    assert.deepEqual(zhLines.map(place), enLines.map(place));
    for (const [i, line] of zhLines.entries()) {
      assert.match(line.slice(place(line).length), /[\u4e00-\u9fff]/, line);
      assert.deepEqual(numbersOf(line), numbersOf(enLines[i]), line);
    }
  });
});
