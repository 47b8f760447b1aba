/**
 * Text made safe inside HTML or XML content and double-quoted attributes: the one escaper for
 * every page, sitemap and feed Signpost writes by hand.
 */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
