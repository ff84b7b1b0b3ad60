import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponentWithCustomId } from 'discord.js';

/**
 * Components on the bot's messages. Their custom ids come from the handlers
 * in commands/ (which own the format, because they read it back); this side
 * only draws them.
 */
export function cancelButtonRow(customId: string, label = 'Cancel'): APIActionRowComponent<APIButtonComponentWithCustomId> {
  return {
    type: ComponentType.ActionRow,
    components: [{ type: ComponentType.Button, style: ButtonStyle.Danger, label, emoji: { name: '✖️' }, custom_id: customId }],
  };
}

/** The Extend button on a finished video: continue it from its last frame (commands/extendVideo.ts). */
export function extendButton(customId: string, label = 'Extend'): APIButtonComponentWithCustomId {
  return { type: ComponentType.Button, style: ButtonStyle.Secondary, label, emoji: { name: '⏩' }, custom_id: customId };
}

/** The buttons under a finished video, in one row. */
export function resultButtonRow(buttons: APIButtonComponentWithCustomId[]): APIActionRowComponent<APIButtonComponentWithCustomId> {
  return { type: ComponentType.ActionRow, components: buttons };
}
