/** A rendered email: the plain-text part is the source of truth, the HTML part mirrors it. */
export type RenderedEmail = { subject: string; text: string; html: string };

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Names and titles come from users, so every interpolated value is escaped in the HTML part. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

export type Block = { paragraph: string } | { link: string; label: string };

/** Builds both parts from one list of blocks so text and HTML never drift apart. */
export function compose(subject: string, blocks: Block[]): RenderedEmail {
  const text = blocks
    .map((b) => ('paragraph' in b ? b.paragraph : `${b.label}: ${b.link}`))
    .concat(['-- ', 'taskstack'])
    .join('\n\n');
  const body = blocks
    .map((b) =>
      'paragraph' in b
        ? `<p>${escapeHtml(b.paragraph)}</p>`
        : `<p><a href="${escapeHtml(b.link)}" style="display:inline-block;padding:8px 16px;background:#2563eb;color:#fff;text-decoration:none;border-radius:4px">${escapeHtml(b.label)}</a></p><p style="font-size:12px;color:#666">${escapeHtml(b.link)}</p>`,
    )
    .join('\n');
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body style="font-family:sans-serif;line-height:1.5;max-width:600px">\n${body}\n<p style="font-size:12px;color:#666">taskstack</p></body></html>`;
  return { subject, text, html };
}
