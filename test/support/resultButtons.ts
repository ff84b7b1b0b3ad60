import type { InteractionEvent, InteractionHandle } from '../fakes/fakeDiscord.js';
import { contentOf, finalMessage, type Harness } from './harness.js';

/** The buttons under a message, as Discord shows them. */
export function buttonsOf(message: { components?: unknown } | undefined): Array<{ label: string; custom_id: string }> {
  const rows = (message?.components ?? []) as Array<{ components: Array<{ label: string; custom_id: string }> }>;
  return rows.flatMap((row) => row.components);
}

/** The finished video's message: its id and the custom id of the button labelled `label`. */
export async function finishedVideo(handle: InteractionHandle): Promise<{ messageId: string; final: InteractionEvent; button(label: string): string }> {
  const final = await finalMessage(handle);
  const message = handle.originalMessage() as { id: string; components?: unknown };
  return {
    messageId: message.id,
    final,
    button(label) {
      const found = buttonsOf(message).find((button) => button.label === label);
      if (!found) throw new Error(`no button "${label}" (buttons: ${buttonsOf(message).map((b) => b.label).join(', ')})`);
      return found.custom_id;
    },
  };
}

/** The first answer the bot gave an interaction (the callback), with its content. */
export async function firstAnswer(handle: InteractionHandle): Promise<{ type: number; content: string; flags: number }> {
  const callback = await handle.waitForEvent((event) => event.kind === 'callback');
  return { type: callback.callbackType ?? 0, content: contentOf(callback), flags: Number(callback.body?.data?.flags ?? 0) };
}

/** Every text the member saw on an interaction's messages, in order (callbacks, edits, follow-ups). */
export function textsOf(handle: InteractionHandle): string[] {
  return handle.events().map(contentOf).filter(Boolean);
}

export async function setAllowedResolutions(harness: Harness, resolutions: Array<'480p' | '720p' | '1080p'>): Promise<void> {
  await harness.app.quota.updateSettings(harness.discord.guildId, '1', { allowedResolutions: resolutions });
}
