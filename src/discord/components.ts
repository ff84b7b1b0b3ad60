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
