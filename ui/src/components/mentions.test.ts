import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { defineComponent, nextTick, ref } from 'vue';
import type { Member } from '../services/types.js';
import { insertMention, matchMembers, mentionMarkup, mentionParts, mentionQueryAt } from './mentions.js';
import MentionTextarea from './MentionTextarea.vue';

const ADA = '6f1c2b9e-1d2a-4c3b-9e8f-0a1b2c3d4e5f';
const members: Member[] = [
  { userId: ADA, name: 'Ada Lovelace', email: 'ada@example.com', role: 'owner' },
  {
    userId: '7a2d3c0f-2e3b-4d4c-8f9a-1b2c3d4e5f60',
    name: 'Bob Hopper',
    email: 'bob@example.com',
    role: 'member',
  },
  {
    userId: '8b3e4d1a-3f4c-4e5d-9a0b-2c3d4e5f6071',
    name: 'Chloé Bobet',
    email: 'cb@example.com',
    role: 'member',
  },
] as Member[];

describe('mention markup', () => {
  it('splits into text and names, the way excerpts show it, also when an excerpt cut a mention short', () => {
    expect(mentionParts(`Hi @[Ada Lovelace](user:${ADA}), see @bob`)).toEqual([
      { text: 'Hi ' },
      { name: 'Ada Lovelace' },
      { text: ', see @bob' },
    ]);
    expect(mentionParts(`@[Ada](user:${ADA.toUpperCase()})`)).toEqual([{ name: 'Ada' }]);
    expect(mentionParts('cc @[Ada Lovel…')).toEqual([{ text: 'cc ' }, { name: 'Ada Lovel' }, { text: '…' }]);
    expect(mentionParts('cc @[Ada](user:6f1c…”')).toEqual([{ text: 'cc ' }, { name: 'Ada' }, { text: '…”' }]);
    expect(mentionParts('a [link](https://x.test) and @[broken')).toEqual([
      { text: 'a [link](https://x.test) and @[broken' },
    ]);
    expect(mentionParts('')).toEqual([]);
  });

  it('is the format the API parses, with brackets and line breaks taken out of the name', () => {
    expect(mentionMarkup(members[0]!)).toBe(`@[Ada Lovelace](user:${ADA})`);
    expect(mentionMarkup({ userId: ADA, name: 'Ada [admin]\nL' })).toBe(`@[Ada admin L](user:${ADA})`);
  });
});

describe('mentionQueryAt', () => {
  it('finds the @ being typed before the caret, with up to one space', () => {
    expect(mentionQueryAt('hi @bo', 6)).toEqual({ start: 3, query: 'bo' });
    expect(mentionQueryAt('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionQueryAt('ask (@Ada Lo', 12)).toEqual({ start: 5, query: 'Ada Lo' });
    expect(mentionQueryAt('line\n@Chlo', 10)).toEqual({ start: 5, query: 'Chlo' });
  });

  it('ignores email addresses, a second space, a finished mention and text after the caret', () => {
    expect(mentionQueryAt('mail ada@example.com', 20)).toBeNull();
    expect(mentionQueryAt('@Ada Love lace', 14)).toBeNull();
    expect(mentionQueryAt(`@[Ada](user:${ADA}) `, 50)).toBeNull();
    expect(mentionQueryAt('@bob and more', 3)).toEqual({ start: 0, query: 'bo' });
    expect(mentionQueryAt('no mention', 10)).toBeNull();
  });
});

describe('matchMembers', () => {
  it('matches the start of the name, of any word, or of the email, ignoring case and accents', () => {
    expect(matchMembers(members, 'bo').map((m) => m.name)).toEqual(['Bob Hopper', 'Chloé Bobet']);
    expect(matchMembers(members, 'chloe').map((m) => m.name)).toEqual(['Chloé Bobet']);
    expect(matchMembers(members, 'cb').map((m) => m.name)).toEqual(['Chloé Bobet']);
    expect(matchMembers(members, 'ada lo').map((m) => m.name)).toEqual(['Ada Lovelace']);
    expect(matchMembers(members, 'zz')).toEqual([]);
    expect(matchMembers(members, '', 2).map((m) => m.name)).toEqual(['Ada Lovelace', 'Bob Hopper']);
  });
});

describe('insertMention', () => {
  it('replaces the typed @query with the markup and puts the caret after a space', () => {
    const text = 'thanks @ad!';
    const at = mentionQueryAt(text, 10)!;
    expect(insertMention(text, at, 10, members[0]!)).toEqual({
      text: `thanks @[Ada Lovelace](user:${ADA}) !`,
      caret: 7 + `@[Ada Lovelace](user:${ADA}) `.length,
    });
    const end = insertMention('@ad more', { start: 0, query: 'ad' }, 3, members[0]!);
    expect(end.text).toBe(`@[Ada Lovelace](user:${ADA}) more`);
    expect(end.caret).toBe(end.text.indexOf('more'));
  });
});

describe('MentionTextarea', () => {
  const Host = defineComponent({
    components: { MentionTextarea },
    setup: () => ({ text: ref(''), closed: ref(false), members }),
    template:
      '<div @keydown.esc="closed = true"><MentionTextarea id="t" v-model="text" :members="members" /></div>',
  });

  async function typeInto(wrapper: ReturnType<typeof mount>, value: string) {
    const textarea = wrapper.get('textarea');
    await textarea.setValue(value);
    (textarea.element as HTMLTextAreaElement).setSelectionRange(value.length, value.length);
    await textarea.trigger('input');
    await nextTick();
    return textarea;
  }

  it('lists matching members as a listbox named by aria-controls and aria-activedescendant', async () => {
    const wrapper = mount(Host, { attachTo: document.body });
    const textarea = await typeInto(wrapper, 'hey @bo');
    const options = wrapper.findAll('[role="option"]');
    expect(options.map((o) => o.find('.name').text())).toEqual(['Bob Hopper', 'Chloé Bobet']);
    const listbox = wrapper.get('[role="listbox"]');
    expect(textarea.attributes('aria-controls')).toBe(listbox.attributes('id'));
    expect(textarea.attributes('aria-activedescendant')).toBe(options[0]!.attributes('id'));
    expect(options[0]!.attributes('aria-selected')).toBe('true');

    await textarea.trigger('keydown', { key: 'ArrowDown' });
    expect(textarea.attributes('aria-activedescendant')).toBe(options[1]!.attributes('id'));
    await textarea.trigger('keydown', { key: 'ArrowDown' });
    expect(textarea.attributes('aria-activedescendant')).toBe(options[0]!.attributes('id'));
    await textarea.trigger('keydown', { key: 'ArrowUp' });
    await textarea.trigger('keydown', { key: 'Enter' });
    await nextTick();
    expect((wrapper.vm as unknown as { text: string }).text).toBe(
      `hey @[Chloé Bobet](user:${members[2]!.userId}) `,
    );
    expect(wrapper.find('[role="listbox"]').exists()).toBe(false);
    wrapper.unmount();
  });

  it('picks with Tab too, and Escape closes the list without reaching the dialog around it', async () => {
    const wrapper = mount(Host, { attachTo: document.body });
    let textarea = await typeInto(wrapper, '@ada');
    await textarea.trigger('keydown', { key: 'Tab' });
    await nextTick();
    expect((wrapper.vm as unknown as { text: string }).text).toBe(`@[Ada Lovelace](user:${ADA}) `);

    textarea = await typeInto(wrapper, 'cc @b');
    expect(wrapper.find('[role="listbox"]').exists()).toBe(true);
    await textarea.trigger('keydown', { key: 'Escape' });
    expect(wrapper.find('[role="listbox"]').exists()).toBe(false);
    expect((wrapper.vm as unknown as { closed: boolean }).closed).toBe(false);
    // Typing on after Escape keeps it closed for that @; Escape again reaches the dialog.
    textarea = await typeInto(wrapper, 'cc @bo');
    expect(wrapper.find('[role="listbox"]').exists()).toBe(false);
    await textarea.trigger('keydown', { key: 'Escape' });
    expect((wrapper.vm as unknown as { closed: boolean }).closed).toBe(true);
    wrapper.unmount();
  });
});
