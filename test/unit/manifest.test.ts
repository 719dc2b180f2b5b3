import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO } from './helpers';

const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
const english = JSON.parse(fs.readFileSync(path.join(REPO, 'package.nls.json'), 'utf8')) as Record<string, string>;

/** Every string of the manifest with where it is, as a JSON path. */
function strings(value: unknown, at = '$'): { at: string; text: string }[] {
  if (typeof value === 'string') return [{ at, text: value }];
  if (Array.isArray(value)) return value.flatMap((item, i) => strings(item, `${at}[${i}]`));
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([key, item]) => strings(item, `${at}.${key}`));
  return [];
}

/** Manifest keys a person reads (in the Command Palette, menus, Settings, the walkthrough, the Marketplace). */
const READ_BY_PEOPLE = /\.(displayName|description|title|category|markdownDescription|altText|enumDescriptions\[\d+\]|markdownEnumDescriptions\[\d+\])$/;

/**
 * The manifest speaks through package.nls.json, so that a package.nls.<language>.json
 * translates every title, menu, setting and walkthrough text: none is written in
 * package.json itself, every %key% has its English, and no English is left unused.
 */
describe('the manifest’s words', () => {
  const all = strings(manifest);

  it('writes every text a person reads as a %key% of package.nls.json', () => {
    const literal = all.filter(({ at, text }) => READ_BY_PEOPLE.test(at) && !/^%[\w.-]+%$/.test(text) && !at.startsWith('$.contributes.jsonValidation'));
    assert.deepEqual(literal.map(({ at, text }) => `${at}: ${text}`), []);
  });

  it('has English for every %key%, and no English nobody uses', () => {
    const used = new Set(all.map(({ text }) => /^%([\w.-]+)%$/.exec(text)?.[1]).filter((key): key is string => key !== undefined));
    assert.deepEqual([...used].filter((key) => !(key in english)), [], 'keys without English');
    assert.deepEqual(Object.keys(english).filter((key) => !used.has(key)), [], 'English nobody uses');
  });

  it('says every walkthrough step’s completion with an event VS Code knows, and each step has a picture that ships', () => {
    for (const step of manifest.contributes.walkthroughs.flatMap((w: { steps: unknown[] }) => w.steps) as { id: string; completionEvents: string[]; media: { svg: string } }[]) {
      assert.ok(step.completionEvents.length > 0, step.id);
      for (const event of step.completionEvents) assert.match(event, /^(onCommand|onContext|onView|onSettingChanged|onLink|onEvent|onStepSelected|extensionInstalled):./, `${step.id}: ${event}`);
      assert.ok(fs.existsSync(path.join(REPO, step.media.svg)), step.media.svg);
      // VS Code inlines the SVG under a CSP without inline styles: colours must be attributes.
      assert.doesNotMatch(fs.readFileSync(path.join(REPO, step.media.svg), 'utf8'), /<style|style=/, `${step.media.svg} styles itself with attributes`);
    }
  });
});
