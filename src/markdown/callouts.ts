import type { Element, ElementContent } from 'hast';
import { h, isElement, isWhitespace } from './hast.ts';

/** Callout kinds, the same five GitHub alerts know. */
export const CALLOUT_TYPES = ['note', 'tip', 'important', 'warning', 'caution'] as const;
export type CalloutType = (typeof CALLOUT_TYPES)[number];

/** `[!NOTE]` on a line of its own (GitHub ignores the marker when text follows on the same line). */
const ALERT_MARKER = /^\[!(note|tip|important|warning|caution)\][ \t]*(?:\r?\n|$)/i;

/** Whether a string names a callout kind. */
export function isCalloutType(value: string): value is CalloutType {
  return (CALLOUT_TYPES as readonly string[]).includes(value);
}

/**
 * The callout markup shared by GitHub alerts and the MDX `<Callout>`: an `aside` with a visible
 * title that also names the landmark for screen readers.
 */
export function callout(type: CalloutType, title: string, children: ElementContent[]): Element {
  return h('aside', { className: ['callout', `callout-${type}`], role: 'note', ariaLabel: title }, [
    h('p', { className: ['callout-title'] }, [{ type: 'text', value: title }]),
    ...children,
  ]);
}

/**
 * Turns a `> [!NOTE]` blockquote into a callout, or returns undefined for an ordinary quote.
 * The parser leaves the marker as the first text of the first paragraph; it is removed with the
 * line break after it, and so is the paragraph when nothing else was in it.
 */
export function alertFromBlockquote(
  blockquote: Element,
  titleOf: (type: CalloutType) => string,
): Element | undefined {
  const children = blockquote.children;
  const index = children.findIndex((child) => !isWhitespace(child));
  const paragraph = children[index];
  if (!isElement(paragraph, 'p')) return undefined;
  const first = paragraph.children[0];
  if (first?.type !== 'text') return undefined;
  const match = ALERT_MARKER.exec(first.value);
  if (!match) return undefined;

  const type = match[1]!.toLowerCase() as CalloutType;
  const rest = first.value.slice(match[0].length);
  const after = paragraph.children.slice(1);
  const paragraphChildren = rest === '' ? after : [{ ...first, value: rest }, ...after];
  const keepParagraph = paragraphChildren.some((child) => !isWhitespace(child));
  // Without the paragraph, the line break that followed it goes too, so no blank line is left.
  const next = keepParagraph || !isWhitespace(children[index + 1]) ? index + 1 : index + 2;
  const body = [
    ...children.slice(0, index),
    ...(keepParagraph ? [{ ...paragraph, children: paragraphChildren }] : []),
    ...children.slice(next),
  ];
  return callout(type, titleOf(type), body);
}
