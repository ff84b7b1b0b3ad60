import { REST } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { deployCommands } from '../../commands/deploy.js';
import { snowflake } from '../fakes/fakeDiscordPayloads.js';
import { falValidationError, step } from '../fakes/fakeFal.js';
import { FAKE_DISCORD_TOKEN, animate, contentOf, finalMessage, startHarness, waitForJobIn, type Harness } from '../support/harness.js';
import { makeImage } from '../support/images.js';
import { MODERATOR_PERMISSIONS, isEphemeral, quotaCommand, usageCommand, type Invoker } from '../support/quotaCommands.js';

/** Discord's rule for command and option names, in every language: lowercase letters, digits, - and _. */
const COMMAND_NAME = /^[-_\p{L}\p{N}]{1,32}$/u;

describe('a member whose Discord speaks German', () => {
  let harness: Harness;
  afterEach(async () => {
    await harness.close();
  });

  it('reads the progress and the result of /animate in German', async () => {
    harness = await startHarness();
    harness.fal.setDefaultScript([step.queued(2), step.waitsInQueue(), step.running('Generating frames'), step.hangs(), step.completes()]);
    const handle = await animate(harness, { image: await makeImage(512, 512), locale: 'de' });

    const inLine = await handle.waitForEvent((event) => event.kind === 'edit' && /Platz 2/.test(contentOf(event)));
    const { requestId, locale } = await waitForJobIn(harness, ['queued']);
    expect(locale).toBe('de');
    harness.fal.release(requestId!);
    const running = await handle.waitForEvent((event) => event.kind === 'edit' && /Dein Video entsteht/.test(contentOf(event)));
    harness.fal.release(requestId!);
    const final = contentOf(await finalMessage(handle));

    expect(contentOf(inLine)).toMatch(/^\*\*\/animieren\*\* · 1080p · 5 s\n/);
    expect(contentOf(inLine)).toMatch(/⏳ In der Warteschlange — Platz 2 · \d:\d\d vergangen\n[▰▱]{10} \d+ % · fertig <t:\d+:R>/);
    expect(inLine.body.components[0].components[0].label).toBe('Abbrechen');
    expect(contentOf(running)).toMatch(/🎬 Dein Video entsteht · \d:\d\d vergangen/);
    expect(final).toMatch(/✅ Fertig in \d:\d\d\./);
    expect(final).toContain('Seed ');
    for (const english of ['elapsed', 'Waiting in line', 'Making your video', 'Done in', 'ready <t:']) {
      expect(handle.events().map(contentOf).join('\n')).not.toContain(english);
    }
  });

  it('still reads German when the job is resumed after a restart', async () => {
    harness = await startHarness({ falScript: [step.queued(0), step.running('Generating'), step.hangs(), step.completes()] });
    const handle = await animate(harness, { image: await makeImage(512, 512), locale: 'de' });
    const { requestId } = await waitForJobIn(harness, ['running']);
    await harness.restart();
    harness.fal.release(requestId!);
    expect(contentOf(await finalMessage(handle))).toMatch(/✅ Fertig in \d:\d\d\./);
  });

  it('is told in German why fal refused the picture, and that nothing was charged', async () => {
    harness = await startHarness({ falScript: [step.queued(0), step.fails(falValidationError('content_policy_violation'))] });
    const handle = await animate(harness, { image: await makeImage(512, 512), locale: 'de' });
    const final = contentOf(await finalMessage(handle));
    expect(final).toContain(
      '❌ Der Sicherheitsfilter von fal hat das Bild oder den Prompt beanstandet, deshalb wurde kein Video erstellt. ' +
        'Versuche es mit einem anderen Bild oder Prompt. Dir wurde nichts berechnet.',
    );
    // The store keeps the operator's English.
    const [job] = await harness.app.jobRepository.inStates(['failed']);
    expect(job?.errorMessage).toMatch(/^fal's safety checker flagged the picture or the prompt.* You were not charged\.$/);
  });

  it('is refused by a quota rule in German, privately, while an English member reads English', async () => {
    harness = await startHarness({ env: { DEFAULT_ALLOWED_RESOLUTIONS: '480p,720p' } });
    const image = await makeImage(512, 512);
    const german = await animate(harness, { image, locale: 'de' });
    const refusal = await german.waitForEvent((event) => event.kind === 'callback');
    expect(isEphemeral(refusal)).toBe(true);
    expect(contentOf(refusal)).toBe('❌ 1080p ist auf diesem Server nicht erlaubt. Wähle 480p oder 720p.');

    const english = await animate(harness, { image, locale: 'en-GB' });
    expect(contentOf(await english.waitForEvent((event) => event.kind === 'callback'))).toBe(
      '❌ 1080p is not allowed on this server. Choose 480p or 720p.',
    );
    expect(harness.fal.submits).toHaveLength(0);
  });

  it('is refused in German when the input is wrong before anything is paid', async () => {
    harness = await startHarness();
    const handle = await animate(harness, { image: await makeImage(512, 512), locale: 'de', prompt: '\u200B' });
    const refusal = await handle.waitForEvent((event) => event.kind === 'callback');
    expect(contentOf(refusal)).toBe('❌ Der Prompt ist leer. Beschreibe, was im Video passieren soll.');
  });

  it('reads /usage in German', async () => {
    harness = await startHarness({ operatorQuotaDefaults: true });
    const reply = await usageCommand(harness, undefined, { locale: 'de' });
    expect(reply.text).toContain('**Deine /animieren-Nutzung**');
    expect(reply.text).toMatch(/Du hast diesen Monat \*\*\$0\.00\*\* ausgegeben\./);
    expect(reply.text).toContain('__Clips heute (UTC)__\n0 von 5 · **noch 5**');
    expect(reply.text).toContain('__Nächstes Video__\njetzt');
  });
});

describe("moderators' mod-log in the server's language", () => {
  let harness: Harness;
  afterEach(async () => {
    await harness.close();
  });

  it("posts the budget alert in German for a German server, whatever the member's language", async () => {
    harness = await startHarness({ operatorQuotaDefaults: true });
    const modLog = snowflake();
    const moderator: Invoker = { userId: snowflake(), memberPermissions: MODERATOR_PERMISSIONS, guildLocale: 'de' };
    await quotaCommand(harness, 'budget', [{ name: 'amount', type: 10, value: 0.75 }], moderator);
    await quotaCommand(harness, 'modlog', [{ name: 'channel', type: 7, value: modLog }], { ...moderator, channelId: modLog });

    const handle = await animate(harness, { image: await makeImage(512, 512), locale: 'en-US', guildLocale: 'de' });
    expect(contentOf(await finalMessage(handle))).toContain('✅ Done in');
    await harness.app.jobs.idle();
    await harness.app.ledger.idle();
    const alerts = harness.discord.channelMessages.filter((message) => message.channelId === modLog);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.body.content).toMatch(
      /^🛑 \/animieren hat das Budget dieses Servers für diesen Monat aufgebraucht: \$0\.75 von \$0\.75 ausgegeben\. Neue Videos werden abgelehnt, bis es <t:\d+:R> \(<t:\d+:f>\) zurückgesetzt wird/,
    );
  });
});

describe('moderators reading /quota in German', () => {
  let harness: Harness;
  afterEach(async () => {
    await harness.close();
  });

  it('shows the rules, their names and values, and a change in German', async () => {
    harness = await startHarness({ operatorQuotaDefaults: true });
    const moderator: Invoker = { userId: snowflake(), memberPermissions: MODERATOR_PERMISSIONS, locale: 'de' };
    const show = await quotaCommand(harness, 'show', [], moderator);
    expect(show.text).toContain('**/animieren-Kontingente auf diesem Server**');
    expect(show.text).toMatch(/\*\*Budget:\*\* \$0\.00 von \$10\.00 diesen Monat verbraucht — \*\*noch \$10\.00\*\* \(≈ 13 Clips/);
    expect(show.text).toContain('Zeitraum: pro Monat *(Standard)* (UTC)');
    expect(show.text).toContain('__Mitgliederlimits__\nClips pro Tag: 5 *(Standard)*');
    expect(show.text).toContain('Kanäle: jeder Kanal');

    const changed = await quotaCommand(harness, 'limits', [{ name: 'audio', type: 5, value: false }], moderator);
    expect(changed.text).toContain('**Kontingent aktualisiert**');
    expect(changed.text).toContain('**Audio-Anhänge**: Standard → nicht erlaubt');

    const refused = await quotaCommand(harness, 'limits', [{ name: 'audio', type: 5, value: true }], { ...moderator, memberPermissions: undefined });
    expect(refused.text).toBe('❌ Nur Mitglieder mit der Berechtigung „Server verwalten“ (oder einer Kontingent-Admin-Rolle) können Kontingente ändern.');
  });
});

describe('registered commands', () => {
  it('carry German names, descriptions and choices in Discord’s localization fields, valid by its rules', async () => {
    const { startFakeDiscord } = await import('../fakes/fakeDiscord.js');
    const discord = await startFakeDiscord();
    try {
      const rest = new REST({ api: discord.apiBaseUrl }).setToken(FAKE_DISCORD_TOKEN);
      // The fake answers 50035 to a localization Discord would refuse.
      await deployCommands({ rest, applicationId: discord.applicationId, guildId: discord.guildId });
      type Localized = { name: string; name_localizations?: Record<string, string>; description?: string; description_localizations?: Record<string, string> };
      type Option = Localized & { choices?: Localized[] };
      const registered = discord.registeredCommands.guild[discord.guildId] as Array<Localized & { options?: Option[] }>;
      const animate = registered.find((command) => command.name === 'animate');
      expect(animate?.name_localizations).toEqual({ de: 'animieren' });
      expect(animate?.description_localizations).toEqual({ de: 'Mach aus einem Bild ein kurzes Video' });
      expect(animate?.options?.map((option) => option.name_localizations?.de)).toEqual([
        'bild',
        'prompt',
        'negativ_prompt',
        'auflösung',
        'dauer',
        'seed',
        'audio',
        'prompt_erweiterung',
      ]);
      expect(animate?.options?.every((option) => option.description_localizations?.de)).toBe(true);
      const duration = animate?.options?.find((option) => option.name === 'duration');
      expect(duration?.choices?.map((choice) => choice.name_localizations?.de)).toEqual(['5 Sekunden', '10 Sekunden']);

      const usage = registered.find((command) => command.name === 'usage');
      expect(usage?.name_localizations).toEqual({ de: 'nutzung' });
      expect(usage?.options?.[0]?.name_localizations).toEqual({ de: 'mitglied' });
      // Every command, subcommand and option describes itself in German too (/quota's come from the rule declarations).
      type Node = Localized & { options?: Node[]; choices?: Localized[] };
      const everything = (nodes: readonly Node[]): Node[] => nodes.flatMap((node) => [node, ...everything(node.options ?? [])]);
      const all = everything(registered as Node[]);
      for (const item of all) expect(item.description_localizations?.de, item.name).toBeTruthy();
      const quota = all.find((item) => item.name === 'members');
      expect(quota?.description_localizations?.de).toBe('Limits für jedes Mitglied (0 = kein Limit)');
      const action = all.find((item) => item.name === 'action');
      expect(action?.choices?.map((choice) => choice.name_localizations?.de)).toEqual(['hinzufügen', 'entfernen', 'leeren (keine Einschränkung)']);

      for (const name of all.flatMap((item) => Object.values(item.name_localizations ?? {}))) {
        expect(name).toMatch(COMMAND_NAME);
        expect(name).toBe(name.toLowerCase());
      }
    } finally {
      await discord.close();
    }
  });
});
