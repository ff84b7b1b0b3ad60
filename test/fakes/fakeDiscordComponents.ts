// Component trees the way Discord keeps and echoes them: every component gets
// a numeric `id`, clicks name a component by `custom_id`, and a modal submit
// mirrors the modal's layout with the member's answers in it.
// https://discord.com/developers/docs/components/reference#anatomy-of-a-component
import { ComponentType } from 'discord.js';

/** Any component as JSON: only the fields the fake walks or reads are typed. */
export interface ComponentJson {
  type: number;
  id?: number;
  custom_id?: string;
  components?: ComponentJson[];
  component?: ComponentJson;
  accessory?: ComponentJson;
  [field: string]: unknown;
}

/** What a member types or picks, by `custom_id`: text for a text input, the chosen values for a string select. */
export type ModalValues = Record<string, string | string[]>;

/**
 * A deep copy with `id`s filled in, as Discord stores a message or modal:
 * "generated sequentially if left empty", skipping ids already taken; an id of
 * 0 counts as empty. Order is depth first, parent before children.
 */
export function withComponentIds(components: readonly unknown[]): ComponentJson[] {
  const copy = structuredClone(components) as ComponentJson[];
  const taken = new Set(eachComponent(copy).map((c) => c.id).filter((id): id is number => typeof id === 'number' && id !== 0));
  let next = 1;
  for (const component of eachComponent(copy)) {
    if (typeof component.id === 'number' && component.id !== 0) continue;
    while (taken.has(next)) next += 1;
    component.id = next;
    taken.add(next);
  }
  return copy;
}

/** Every component of a tree, depth first, parent before its children. */
export function eachComponent(components: readonly ComponentJson[]): ComponentJson[] {
  return components.flatMap((component) => [
    component,
    ...eachComponent(component.components ?? []),
    ...eachComponent(component.component ? [component.component] : []),
    ...eachComponent(component.accessory ? [component.accessory] : []),
  ]);
}

export function findByCustomId(components: readonly ComponentJson[], customId: string): ComponentJson | undefined {
  return eachComponent(components).find((component) => component.custom_id === customId);
}

/**
 * `data.components` of the MODAL_SUBMIT for a modal (ids already filled in)
 * and the member's answers. Labels come back as `{ type: 18, id, component }`,
 * the old action rows as `{ type: 1, id, components: [...] }`, text displays as
 * `{ type: 10, id }`; a text input carries `value`, a string select `values`
 * (https://discord.com/developers/docs/components/reference#label-label-interaction-response-structure).
 * Throws when the member could not have sent these answers: an unknown field,
 * a missing required one, an option the select does not offer.
 */
export function modalSubmitComponents(modal: readonly ComponentJson[], values: ModalValues): ComponentJson[] {
  const answered = new Set<string>();
  const echo = (component: ComponentJson): ComponentJson => {
    switch (component.type) {
      case ComponentType.ActionRow:
        return { type: component.type, id: component.id, components: (component.components ?? []).map(echo) };
      case ComponentType.Label:
        return { type: component.type, id: component.id, component: echo(component.component!) };
      case ComponentType.TextInput:
        answered.add(component.custom_id!);
        return { type: component.type, id: component.id, custom_id: component.custom_id, value: textAnswer(component, values) };
      case ComponentType.StringSelect:
        answered.add(component.custom_id!);
        return { type: component.type, id: component.id, custom_id: component.custom_id, values: selectAnswer(component, values) };
      case ComponentType.TextDisplay:
        return { type: component.type, id: component.id };
      default:
        throw new Error(`fake Discord: submitModal cannot fill a component of type ${component.type} yet`);
    }
  };
  const components = modal.map(echo);
  const unknown = Object.keys(values).filter((customId) => !answered.has(customId));
  if (unknown.length > 0) {
    throw new Error(`fake Discord: the modal has no field ${unknown.join(', ')} (fields: ${[...answered].join(', ')})`);
  }
  return components;
}

function textAnswer(input: ComponentJson, values: ModalValues): string {
  const customId = input.custom_id!;
  const given = values[customId];
  if (Array.isArray(given)) throw new Error(`fake Discord: ${customId} is a text input; give it a string, not a list`);
  // An untouched field submits what the modal pre-filled.
  const value = given ?? (typeof input.value === 'string' ? input.value : '');
  const required = input.required !== false;
  const length = [...value].length;
  const minLength = typeof input.min_length === 'number' ? input.min_length : 0;
  const maxLength = typeof input.max_length === 'number' ? input.max_length : 4000;
  if (required && length === 0) throw new Error(`fake Discord: ${customId} is required; Discord will not submit the modal without it`);
  if (length > 0 && (length < minLength || length > maxLength)) {
    throw new Error(`fake Discord: ${customId} takes ${minLength}–${maxLength} characters, got ${length}`);
  }
  return value;
}

function selectAnswer(select: ComponentJson, values: ModalValues): string[] {
  const customId = select.custom_id!;
  const given = values[customId];
  if (typeof given === 'string') throw new Error(`fake Discord: ${customId} is a select; give it a list of values`);
  const options = (select.options ?? []) as Array<{ value: string; default?: boolean }>;
  // An untouched select submits its default options.
  const chosen = given ?? options.filter((o) => o.default === true).map((o) => o.value);
  checkSelection(select, chosen, select.required !== false);
  return chosen;
}

/** Throws unless a member could pick `chosen` in this select: offered values, within min/max. */
export function checkSelection(select: ComponentJson, chosen: readonly string[], required: boolean): void {
  const customId = select.custom_id!;
  const offered = ((select.options ?? []) as Array<{ value: string }>).map((o) => o.value);
  const foreign = chosen.filter((value) => !offered.includes(value));
  if (foreign.length > 0) throw new Error(`fake Discord: ${customId} offers ${offered.join(', ')}; not ${foreign.join(', ')}`);
  const minValues = typeof select.min_values === 'number' ? select.min_values : 1;
  const maxValues = typeof select.max_values === 'number' ? select.max_values : 1;
  if (chosen.length === 0 && !required) return;
  if (chosen.length < minValues || chosen.length > maxValues) {
    throw new Error(`fake Discord: ${customId} takes ${minValues}–${maxValues} values, got ${chosen.length}`);
  }
}
