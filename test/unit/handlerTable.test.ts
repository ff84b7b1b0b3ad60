import { ApplicationCommandType, ContextMenuCommandBuilder } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { applicationCommandBodies } from '../../commands/deploy.js';
import { customIdFor } from '../../commands/customId.js';
import { HandlerTable } from '../../commands/handlerTable.js';
import type { ButtonHandler, MessageContextMenuCommand } from '../../commands/interaction.js';
import { interactionHandlers } from '../../commands/registry.js';
import { echoButton, pickFruit, quoteMessage, renameForm, sampleHandlers, waveAt } from '../support/sampleInteractions.js';

const noop = async () => undefined;

describe('the handler table', () => {
  it("indexes the bot's own handlers without complaint", () => {
    expect(() => new HandlerTable(interactionHandlers)).not.toThrow();
  });

  it('finds each handler by kind and name or custom-id action', () => {
    const table = new HandlerTable(sampleHandlers);
    expect(table.command('slash', 'fruit')).toBe(pickFruit);
    expect(table.command('messageContextMenu', 'Quote message')).toBe(quoteMessage);
    expect(table.command('userContextMenu', 'Wave')).toBe(waveAt);
    expect(table.component('button', 'echo')).toBe(echoButton);
    expect(table.component('modal', 'rename')).toBe(renameForm);
    // Discord keeps one namespace per command type, and so do buttons and modals.
    expect(table.command('userContextMenu', 'Quote message')).toBeUndefined();
    expect(table.component('modal', 'echo')).toBeUndefined();
  });

  it('refuses two handlers for one route', () => {
    expect(() => new HandlerTable([echoButton, { ...echoButton }])).toThrow(/two interaction handlers for button:echo/);
  });

  it('refuses a context-menu command whose definition has the other type', () => {
    const wrongType = {
      kind: 'messageContextMenu',
      data: new ContextMenuCommandBuilder().setName('Oops').setType(ApplicationCommandType.User),
      execute: noop,
    } satisfies MessageContextMenuCommand;
    expect(() => new HandlerTable([wrongType])).toThrow(/messageContextMenu command "Oops"/);
  });

  it('refuses a button whose custom-id builder routes to another action', () => {
    const miswired = { kind: 'button', action: 'reroll', customId: (id) => customIdFor('remix', id), execute: noop } satisfies ButtonHandler;
    expect(() => new HandlerTable([miswired])).toThrow(/route to "remix"/);
  });
});

describe('what the deploy script registers', () => {
  it('is every slash and context-menu command, builder or JSON, and no button or modal', () => {
    const bodies = applicationCommandBodies(sampleHandlers);
    expect(bodies.map((body) => [body.name, body.type ?? ApplicationCommandType.ChatInput])).toEqual([
      ['Quote message', ApplicationCommandType.Message],
      ['Wave', ApplicationCommandType.User],
      ['fruit', ApplicationCommandType.ChatInput],
    ]);
  });
});
