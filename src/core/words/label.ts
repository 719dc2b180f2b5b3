import type { ENGLISH } from './english';

/**
 * What the core says, without saying it in any language: a message of the catalogue, by id,
 * and the values that fill its placeholders. `Words.text` turns it into text (english.ts is
 * the catalogue; other languages translate its sentences). Labels are plain data, so they
 * cross a postMessage to the panel as they are.
 */
export interface Label {
  id: MessageId;
  args?: Readonly<Record<string, Arg>>;
}

export type MessageId = keyof typeof ENGLISH;

/**
 * A placeholder's value: a number or a string as it is (counts, names, identifiers from the
 * config), another label, a measured value shown to 4 significant digits, or a list.
 */
export type Arg = number | string | Label | Rounded | List;

/** A measured value (a loss, a norm): shown rounded, the same in every language. */
export interface Rounded {
  rounded: number;
}

/** Items joined by the language's list separator (", "), by its "and", or by arrows (a sequence). */
export interface List {
  list: readonly Arg[];
  joiner?: 'comma' | 'and' | 'arrow';
}

/** The placeholders of a template: "{epoch} of {epochs}" has "epoch" and "epochs". */
type Placeholders<T extends string> = T extends `${string}{${infer Name}}${infer Rest}` ? Name | Placeholders<Rest> : never;

/** Messages without placeholders: said by id alone. */
export type PlainMessageId = { [K in MessageId]: Placeholders<(typeof ENGLISH)[K]> extends never ? K : never }[MessageId];

/** The values a message needs: one per placeholder, no more, no fewer. */
export type ArgsOf<K extends MessageId> = { readonly [P in Placeholders<(typeof ENGLISH)[K]>]: Arg };

/** A label; TypeScript checks that `args` fills exactly the message's placeholders. */
export function label<K extends MessageId>(id: K, ...args: Placeholders<(typeof ENGLISH)[K]> extends never ? [] : [ArgsOf<K>]): Label {
  return args.length ? { id, args: args[0] } : { id };
}

export function rounded(value: number): Rounded {
  return { rounded: value };
}

export function list(items: readonly Arg[], joiner: List['joiner'] = 'comma'): List {
  return { list: items, joiner };
}

/** Words that come in a singular and a plural message: "1 batch", "2 batches". */
type Countable = MessageId extends infer K ? (K extends `count.${infer Noun}.one` ? Noun : never) : never;

/** "1 batch" or "10 batches": the message for the count, the count as its `{n}`. */
export function counted(n: number, noun: Countable): Label {
  return { id: `count.${noun}.${n === 1 ? 'one' : 'other'}` as MessageId, args: { n } };
}

/** Text that comes from outside and is shown as it is (a message in a trace someone else wrote). */
export function verbatim(text: string): Label {
  return label('verbatim', { text });
}
