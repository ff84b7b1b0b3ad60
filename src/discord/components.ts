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

/** A button under a finished video (Re-roll, Remix…), as commands/resultButtons.ts lists them. */
export interface ResultButton {
  customId: string;
  label: string;
}

/** One row (Discord allows five buttons in it); none when there are no buttons. */
export function resultButtonRows(buttons: readonly ResultButton[]): Array<APIActionRowComponent<APIButtonComponentWithCustomId>> {
  if (buttons.length === 0) return [];
  return [
    {
      type: ComponentType.ActionRow,
      components: buttons.slice(0, 5).map((button) => ({
        type: ComponentType.Button,
        style: ButtonStyle.Secondary,
        label: button.label,
        custom_id: button.customId,
      })),
    },
  ];
}
