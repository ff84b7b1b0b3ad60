// The body rules Discord enforces before it accepts a message, a modal or a
// command list, checked where they are cheap. A broken body gets Discord's own
// answer: 400 with code 50035 "Invalid Form Body" and an `errors` tree that
// names the field (https://discord.com/developers/docs/reference#error-messages),
// so a bot that would be refused in production is refused here too.
// Limits: https://discord.com/developers/docs/components/reference,
// .../interactions/receiving-and-responding#interaction-response-object-modal,
// .../interactions/application-commands#application-command-object.
import { ApplicationCommandOptionType, ApplicationCommandType, ButtonStyle, ComponentType, Locale, MessageFlags, TextInputStyle } from 'discord.js';
import { eachComponent, type ComponentJson } from './fakeDiscordComponents.js';

export type Path = Array<string | number>;

interface FieldError {
  code: string;
  message: string;
}

/** Collects field errors into Discord's nested `{ field: { 0: { _errors: [...] } } }` tree. */
export class FormErrors {
  private readonly tree: Record<string, unknown> = {};
  private count = 0;

  add(path: Path, code: string, message: string): void {
    let node = this.tree;
    for (const key of path) node = (node[String(key)] ??= {}) as Record<string, unknown>;
    ((node._errors ??= []) as FieldError[]).push({ code, message });
    this.count += 1;
  }

  get empty(): boolean {
    return this.count === 0;
  }

  /** The 400 Discord answers; undefined when nothing was wrong. */
  response(): { status: number; body: unknown } | undefined {
    if (this.empty) return undefined;
    return { status: 400, body: { message: 'Invalid Form Body', code: 50035, errors: this.tree } };
  }
}

// ---- small field checks -----------------------------------------------------------------

function length(value: string): number {
  // Discord counts characters, not UTF-16 code units.
  return [...value].length;
}

function checkString(errors: FormErrors, path: Path, value: unknown, rule: { min?: number; max: number; required?: boolean }): void {
  if (value === undefined || value === null) {
    if (rule.required) errors.add(path, 'BASE_TYPE_REQUIRED', 'This field is required');
    return;
  }
  if (typeof value !== 'string') {
    errors.add(path, 'BASE_TYPE_STRING', 'Must be a string.');
    return;
  }
  const min = rule.min ?? 0;
  const n = length(value);
  if (n < min || n > rule.max) {
    if (min > 0) errors.add(path, 'BASE_TYPE_BAD_LENGTH', `Must be between ${min} and ${rule.max} in length.`);
    else errors.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${rule.max} or fewer in length.`);
  }
}

function checkInteger(errors: FormErrors, path: Path, value: unknown, min: number, max: number): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'number' || !Number.isInteger(value)) errors.add(path, 'NUMBER_TYPE_COERCE', `Value "${String(value)}" is not int.`);
  else if (value < min) errors.add(path, 'NUMBER_TYPE_MIN', `int value should be greater than or equal to ${min}.`);
  else if (value > max) errors.add(path, 'NUMBER_TYPE_MAX', `int value should be less than or equal to ${max}.`);
}

function checkArray(errors: FormErrors, path: Path, value: unknown, rule: { min?: number; max: number }): value is unknown[] {
  if (value === undefined || value === null) return false;
  if (!Array.isArray(value)) {
    errors.add(path, 'BASE_TYPE_ARRAY', 'Must be an array.');
    return false;
  }
  const min = rule.min ?? 0;
  if (value.length < min || value.length > rule.max) {
    if (min > 0) errors.add(path, 'BASE_TYPE_BAD_LENGTH', `Must be between ${min} and ${rule.max} in length.`);
    else errors.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${rule.max} or fewer in length.`);
  }
  return true;
}

function choices(errors: FormErrors, path: Path, value: unknown, allowed: readonly number[]): boolean {
  if (typeof value === 'number' && allowed.includes(value)) return true;
  errors.add(path, 'BASE_TYPE_CHOICES', `Value must be one of {${allowed.join(', ')}}.`);
  return false;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---- messages ---------------------------------------------------------------------------

/**
 * The fields of a message create or edit body (callback data, follow-up,
 * webhook edit, channel message), under `at` in the error tree. Components V2
 * is on when the body or the stored message carries the IS_COMPONENTS_V2 flag.
 */
export function checkMessage(errors: FormErrors, at: Path, body: unknown, componentsV2 = false): void {
  const message = isObject(body) ? body : {};
  const v2 = componentsV2 || (Number(message.flags ?? 0) & MessageFlags.IsComponentsV2) !== 0;
  checkString(errors, [...at, 'content'], message.content, { max: 2000 });
  if (checkArray(errors, [...at, 'embeds'], message.embeds, { max: 10 })) {
    message.embeds.forEach((embed, i) => checkEmbed(errors, [...at, 'embeds', i], embed));
  }
  if (Array.isArray(message.components)) checkMessageComponents(errors, [...at, 'components'], message.components as ComponentJson[], v2);
}

/** A new message needs something to show; Discord answers 50006 outside the form-error scheme. */
export function isEmptyMessage(body: unknown, hasFiles: boolean): boolean {
  const message = isObject(body) ? body : {};
  const filled = (value: unknown) => (Array.isArray(value) ? value.length > 0 : typeof value === 'string' ? value.length > 0 : value != null);
  return !hasFiles && !['content', 'embeds', 'components', 'sticker_ids', 'poll', 'attachments'].some((f) => filled(message[f]));
}

function checkEmbed(errors: FormErrors, at: Path, embed: unknown): void {
  if (!isObject(embed)) return;
  checkString(errors, [...at, 'title'], embed.title, { max: 256 });
  checkString(errors, [...at, 'description'], embed.description, { max: 4096 });
  if (checkArray(errors, [...at, 'fields'], embed.fields, { max: 25 })) {
    embed.fields.forEach((field, i) => {
      const f = isObject(field) ? field : {};
      checkString(errors, [...at, 'fields', i, 'name'], f.name, { min: 1, max: 256, required: true });
      checkString(errors, [...at, 'fields', i, 'value'], f.value, { min: 1, max: 1024, required: true });
    });
  }
  if (isObject(embed.footer)) checkString(errors, [...at, 'footer', 'text'], embed.footer.text, { max: 2048 });
  if (isObject(embed.author)) checkString(errors, [...at, 'author', 'name'], embed.author.name, { max: 256 });
}

/**
 * Legacy messages hold at most 5 action rows; with IS_COMPONENTS_V2 the
 * top level may hold other layouts, 40 components in all. Either way an
 * action row holds up to 5 buttons or one select, and custom_ids are unique.
 */
function checkMessageComponents(errors: FormErrors, at: Path, components: ComponentJson[], componentsV2: boolean): void {
  if (componentsV2) {
    if (eachComponent(components).length > 40) errors.add(at, 'BASE_TYPE_MAX_LENGTH', 'Must be 40 or fewer in length.');
  } else if (components.length > 5) {
    errors.add(at, 'BASE_TYPE_MAX_LENGTH', 'Must be 5 or fewer in length.');
  }
  components.forEach((component, i) => {
    if (!componentsV2 && component.type !== ComponentType.ActionRow) {
      errors.add([...at, i, 'type'], 'UNION_TYPE_CHOICES', 'Value of field "type" must be one of (1,).');
      return;
    }
    checkMessageComponent(errors, [...at, i], component);
  });
  checkUniqueCustomIds(errors, at, components);
}

function checkMessageComponent(errors: FormErrors, at: Path, component: ComponentJson): void {
  switch (component.type) {
    case ComponentType.ActionRow:
      checkActionRow(errors, at, component);
      break;
    case ComponentType.Button:
      checkButton(errors, at, component);
      break;
    case ComponentType.StringSelect:
      checkStringSelect(errors, at, component, 'message');
      break;
    case ComponentType.Section:
    case ComponentType.Container:
      (component.components ?? []).forEach((child, i) => checkMessageComponent(errors, [...at, 'components', i], child));
      if (component.accessory) checkMessageComponent(errors, [...at, 'accessory'], component.accessory);
      break;
    default:
      break;
  }
}

function checkActionRow(errors: FormErrors, at: Path, row: ComponentJson): void {
  const children = row.components ?? [];
  if (!checkArray(errors, [...at, 'components'], children, { min: 1, max: 5 })) return;
  const buttons = children.filter((c) => c.type === ComponentType.Button).length;
  // One select fills a row; buttons share it five to a row.
  if (buttons !== children.length && children.length > 1) {
    errors.add([...at, 'components'], 'COMPONENT_LAYOUT_WIDTH_EXCEEDED', 'The specified component exceeds the maximum width');
  }
  children.forEach((child, i) => {
    if (child.type === ComponentType.ActionRow || child.type === ComponentType.TextInput) {
      errors.add([...at, 'components', i, 'type'], 'UNION_TYPE_CHOICES', 'Value of field "type" must be one of (2, 3, 5, 6, 7, 8).');
    } else {
      checkMessageComponent(errors, [...at, 'components', i], child);
    }
  });
}

function checkButton(errors: FormErrors, at: Path, button: ComponentJson): void {
  if (!choices(errors, [...at, 'style'], button.style, [1, 2, 3, 4, 5, 6])) return;
  checkString(errors, [...at, 'label'], button.label, { max: 80 });
  if (button.style === ButtonStyle.Link) {
    checkString(errors, [...at, 'url'], button.url, { min: 1, max: 512, required: true });
    if (button.custom_id !== undefined) errors.add([...at, 'custom_id'], 'BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED', 'A link button cannot have a custom_id.');
  } else if (button.style === ButtonStyle.Premium) {
    checkString(errors, [...at, 'sku_id'], button.sku_id, { min: 1, max: 20, required: true });
  } else {
    checkString(errors, [...at, 'custom_id'], button.custom_id, { min: 1, max: 100, required: true });
    if (button.url !== undefined) errors.add([...at, 'url'], 'BUTTON_COMPONENT_URL_NOT_ALLOWED', 'Only link buttons can have a url.');
  }
}

function checkStringSelect(errors: FormErrors, at: Path, select: ComponentJson, where: 'message' | 'modal'): void {
  checkString(errors, [...at, 'custom_id'], select.custom_id, { min: 1, max: 100, required: true });
  checkString(errors, [...at, 'placeholder'], select.placeholder, { max: 150 });
  checkInteger(errors, [...at, 'min_values'], select.min_values, 0, 25);
  checkInteger(errors, [...at, 'max_values'], select.max_values, 1, 25);
  if (select.options === undefined) errors.add([...at, 'options'], 'BASE_TYPE_REQUIRED', 'This field is required');
  if (checkArray(errors, [...at, 'options'], select.options, { min: 1, max: 25 })) {
    select.options.forEach((option, i) => {
      const o = isObject(option) ? option : {};
      checkString(errors, [...at, 'options', i, 'label'], o.label, { min: 1, max: 100, required: true });
      checkString(errors, [...at, 'options', i, 'value'], o.value, { min: 1, max: 100, required: true });
      checkString(errors, [...at, 'options', i, 'description'], o.description, { max: 100 });
    });
  }
  const maxValues = typeof select.max_values === 'number' ? select.max_values : 1;
  if (Array.isArray(select.options) && maxValues > select.options.length) {
    errors.add([...at, 'max_values'], 'SELECT_COMPONENT_MAX_VALUES_EXCEEDS_OPTIONS', `int value should be less than or equal to ${select.options.length}.`);
  }
  if (where === 'modal') {
    // Modals cannot hold disabled components, and a required select must ask for at least one value.
    if (select.disabled !== undefined) errors.add([...at, 'disabled'], 'COMPONENT_DISABLED_NOT_ALLOWED', 'Modal components cannot be disabled.');
    if (select.required !== false && select.min_values === 0) {
      errors.add([...at, 'min_values'], 'SELECT_COMPONENT_MIN_VALUES_REQUIRED', 'min_values must be at least 1 when the select is required.');
    }
  }
}

function checkUniqueCustomIds(errors: FormErrors, at: Path, components: ComponentJson[]): void {
  const seen = new Set<string>();
  for (const component of eachComponent(components)) {
    if (component.custom_id === undefined) continue;
    if (seen.has(component.custom_id)) {
      errors.add(at, 'COMPONENT_CUSTOM_ID_DUPLICATED', `Component custom id cannot be duplicated: ${component.custom_id}`);
    }
    seen.add(component.custom_id);
  }
}

// ---- modals -----------------------------------------------------------------------------

/** The allowed children of a Label (https://discord.com/developers/docs/components/reference#label). */
const LABEL_CHILDREN = [
  ComponentType.TextInput,
  ComponentType.StringSelect,
  ComponentType.UserSelect,
  ComponentType.RoleSelect,
  ComponentType.MentionableSelect,
  ComponentType.ChannelSelect,
  ComponentType.FileUpload,
  ComponentType.RadioGroup,
  ComponentType.CheckboxGroup,
  ComponentType.Checkbox,
];

/** Callback type 9's `data`: custom_id 1–100, title ≤ 45, 1–5 top-level components. */
export function checkModal(data: unknown, errors: FormErrors): void {
  const modal = isObject(data) ? data : {};
  checkString(errors, ['data', 'custom_id'], modal.custom_id, { min: 1, max: 100, required: true });
  checkString(errors, ['data', 'title'], modal.title, { min: 1, max: 45, required: true });
  if (modal.components === undefined) errors.add(['data', 'components'], 'BASE_TYPE_REQUIRED', 'This field is required');
  if (!checkArray(errors, ['data', 'components'], modal.components, { min: 1, max: 5 })) return;
  const components = modal.components as ComponentJson[];
  components.forEach((component, i) => {
    const at: Path = ['data', 'components', i];
    switch (component.type) {
      case ComponentType.Label:
        checkString(errors, [...at, 'label'], component.label, { min: 1, max: 45, required: true });
        checkString(errors, [...at, 'description'], component.description, { max: 100 });
        if (!component.component) errors.add([...at, 'component'], 'BASE_TYPE_REQUIRED', 'This field is required');
        else if (choices(errors, [...at, 'component', 'type'], component.component.type, LABEL_CHILDREN)) {
          checkModalInput(errors, [...at, 'component'], component.component, 'label');
        }
        break;
      case ComponentType.ActionRow: {
        // The older form: one text input, carrying its own label.
        const children = component.components ?? [];
        if (!checkArray(errors, [...at, 'components'], children, { min: 1, max: 1 })) break;
        children.forEach((child, j) => {
          if (choices(errors, [...at, 'components', j, 'type'], child.type, [ComponentType.TextInput])) {
            checkModalInput(errors, [...at, 'components', j], child, 'row');
          }
        });
        break;
      }
      case ComponentType.TextDisplay:
        checkString(errors, [...at, 'content'], component.content, { min: 1, max: 4000, required: true });
        break;
      default:
        choices(errors, [...at, 'type'], component.type, [ComponentType.ActionRow, ComponentType.TextDisplay, ComponentType.Label]);
    }
  });
  checkUniqueCustomIds(errors, ['data', 'components'], components);
}

function checkModalInput(errors: FormErrors, at: Path, input: ComponentJson, inside: 'label' | 'row'): void {
  if (input.type === ComponentType.StringSelect) {
    checkStringSelect(errors, at, input, 'modal');
    return;
  }
  if (input.type !== ComponentType.TextInput) {
    checkString(errors, [...at, 'custom_id'], input.custom_id, { min: 1, max: 100, required: true });
    return;
  }
  checkString(errors, [...at, 'custom_id'], input.custom_id, { min: 1, max: 100, required: true });
  choices(errors, [...at, 'style'], input.style, [TextInputStyle.Short, TextInputStyle.Paragraph]);
  if (inside === 'row') checkString(errors, [...at, 'label'], input.label, { min: 1, max: 45, required: true });
  else if (input.label !== undefined) {
    // A Label carries the text; the input's own label is the deprecated form.
    errors.add([...at, 'label'], 'TEXT_INPUT_LABEL_NOT_ALLOWED', 'A text input inside a label cannot have a label.');
  }
  checkInteger(errors, [...at, 'min_length'], input.min_length, 0, 4000);
  checkInteger(errors, [...at, 'max_length'], input.max_length, 1, 4000);
  checkString(errors, [...at, 'value'], input.value, { max: 4000 });
  checkString(errors, [...at, 'placeholder'], input.placeholder, { max: 100 });
  if (typeof input.min_length === 'number' && typeof input.max_length === 'number' && input.min_length > input.max_length) {
    errors.add([...at, 'min_length'], 'TEXT_INPUT_MIN_LENGTH_EXCEEDS_MAX', 'min_length cannot be greater than max_length.');
  }
}

// ---- application commands ---------------------------------------------------------------

/** Slash command and option names: lowercase where a letter has a lowercase form. */
const CHAT_INPUT_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const LOCALES: readonly string[] = Object.values(Locale);
/** Per application (or per guild): 100 slash commands, 15 user and 15 message commands. */
const COMMANDS_PER_TYPE: Record<number, number> = {
  [ApplicationCommandType.ChatInput]: 100,
  [ApplicationCommandType.User]: 15,
  [ApplicationCommandType.Message]: 15,
};

export function isChatInputName(name: string): boolean {
  return CHAT_INPUT_NAME.test(name) && name.toLowerCase() === name;
}

/** The body of `PUT /applications/{id}[/guilds/{id}]/commands`. */
export function checkCommandList(body: unknown): { status: number; body: unknown } | undefined {
  const errors = new FormErrors();
  if (!Array.isArray(body)) {
    errors.add([], 'BASE_TYPE_ARRAY', 'Must be an array.');
    return errors.response();
  }
  body.forEach((command, i) => checkCommand(errors, [i], isObject(command) ? command : {}));
  const seen = new Set<string>();
  const perType = new Map<number, number>();
  body.forEach((command: { name?: unknown; type?: unknown }, i) => {
    const type = typeof command.type === 'number' ? command.type : ApplicationCommandType.ChatInput;
    const key = `${type}:${String(command.name)}`;
    if (seen.has(key)) errors.add([i, 'name'], 'APPLICATION_COMMANDS_DUPLICATE_NAME', `Application command names must be unique`);
    seen.add(key);
    perType.set(type, (perType.get(type) ?? 0) + 1);
  });
  for (const [type, count] of perType) {
    const limit = COMMANDS_PER_TYPE[type];
    if (limit !== undefined && count > limit) errors.add([], 'APPLICATION_COMMANDS_TOO_MANY', `Maximum number of commands of type ${type} reached (${limit}).`);
  }
  return errors.response();
}

function checkCommand(errors: FormErrors, at: Path, command: Record<string, unknown>): void {
  const type = command.type ?? ApplicationCommandType.ChatInput;
  if (!choices(errors, [...at, 'type'], type, [ApplicationCommandType.ChatInput, ApplicationCommandType.User, ApplicationCommandType.Message])) return;
  const slash = type === ApplicationCommandType.ChatInput;
  checkCommandName(errors, [...at, 'name'], command.name, slash);
  checkLocalizations(errors, [...at, 'name_localizations'], command.name_localizations, (path, value) => checkCommandName(errors, path, value, slash));
  if (slash) {
    checkString(errors, [...at, 'description'], command.description, { min: 1, max: 100, required: true });
    checkLocalizations(errors, [...at, 'description_localizations'], command.description_localizations, (path, value) =>
      checkString(errors, path, value, { min: 1, max: 100, required: true }),
    );
    if (checkArray(errors, [...at, 'options'], command.options, { max: 25 })) checkOptions(errors, [...at, 'options'], command.options);
    return;
  }
  // USER and MESSAGE commands have no description (Discord stores "") and no options.
  if (typeof command.description === 'string' && command.description !== '') {
    errors.add([...at, 'description'], 'APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION', 'Context menu commands cannot have a description.');
  }
  if (isObject(command.description_localizations) && Object.keys(command.description_localizations).length > 0) {
    errors.add([...at, 'description_localizations'], 'APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION', 'Context menu commands cannot have a description.');
  }
  if (Array.isArray(command.options) && command.options.length > 0) {
    errors.add([...at, 'options'], 'APPLICATION_COMMAND_OPTIONS_NOT_ALLOWED', 'Only chat input commands can have options.');
  }
}

function checkCommandName(errors: FormErrors, path: Path, name: unknown, slash: boolean): void {
  if (typeof name !== 'string') {
    errors.add(path, 'BASE_TYPE_REQUIRED', 'This field is required');
  } else if (slash ? !isChatInputName(name) : length(name) < 1 || length(name) > 32) {
    errors.add(path, 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
  }
}

function checkLocalizations(errors: FormErrors, path: Path, dictionary: unknown, checkValue: (path: Path, value: unknown) => void): void {
  if (dictionary === undefined || dictionary === null) return;
  if (!isObject(dictionary)) {
    errors.add(path, 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
    return;
  }
  for (const [locale, value] of Object.entries(dictionary)) {
    if (!LOCALES.includes(locale)) errors.add([...path, locale], 'BASE_TYPE_CHOICES', `Value must be one of {${LOCALES.join(', ')}}.`);
    else checkValue([...path, locale], value);
  }
}

function checkOptions(errors: FormErrors, at: Path, options: unknown[]): void {
  const names = new Set<string>();
  let sawOptional = false;
  options.forEach((raw, i) => {
    const option = isObject(raw) ? raw : {};
    const path: Path = [...at, i];
    checkCommandName(errors, [...path, 'name'], option.name, true);
    checkLocalizations(errors, [...path, 'name_localizations'], option.name_localizations, (p, value) => checkCommandName(errors, p, value, true));
    checkString(errors, [...path, 'description'], option.description, { min: 1, max: 100, required: true });
    checkLocalizations(errors, [...path, 'description_localizations'], option.description_localizations, (p, value) =>
      checkString(errors, p, value, { min: 1, max: 100, required: true }),
    );
    if (typeof option.name === 'string') {
      if (names.has(option.name)) errors.add([...path, 'name'], 'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS', 'Option names must be unique');
      names.add(option.name);
    }
    const isGroup = option.type === ApplicationCommandOptionType.Subcommand || option.type === ApplicationCommandOptionType.SubcommandGroup;
    if (isGroup) {
      if (checkArray(errors, [...path, 'options'], option.options, { max: 25 })) checkOptions(errors, [...path, 'options'], option.options);
      return;
    }
    // Required options come first.
    if (option.required === true && sawOptional) {
      errors.add([...path, 'required'], 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', 'Required options must be placed before non-required options');
    }
    if (option.required !== true) sawOptional = true;
    if (checkArray(errors, [...path, 'choices'], option.choices, { max: 25 })) {
      option.choices.forEach((choice, j) => {
        const c = isObject(choice) ? choice : {};
        checkString(errors, [...path, 'choices', j, 'name'], c.name, { min: 1, max: 100, required: true });
        checkLocalizations(errors, [...path, 'choices', j, 'name_localizations'], c.name_localizations, (p, value) =>
          checkString(errors, p, value, { min: 1, max: 100, required: true }),
        );
        if (typeof c.value === 'string') checkString(errors, [...path, 'choices', j, 'value'], c.value, { max: 100 });
      });
    }
    checkInteger(errors, [...path, 'min_length'], option.min_length, 0, 6000);
    checkInteger(errors, [...path, 'max_length'], option.max_length, 1, 6000);
  });
}
