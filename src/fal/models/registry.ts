import type { VideoModel } from './videoModel.js';

/** The models this bot can run; the first is the default for new requests. */
export interface ModelRegistry {
  readonly default: VideoModel;
  readonly all: readonly VideoModel[];
  /** The model a stored job names; throws for an id no longer registered (a bug or a bad downgrade). */
  get(id: string): VideoModel;
}

export function createModelRegistry(models: readonly [VideoModel, ...VideoModel[]]): ModelRegistry {
  const byId = new Map(models.map((model) => [model.id, model]));
  if (byId.size !== models.length) throw new Error('two models share an id');
  return {
    default: models[0],
    all: models,
    get(id) {
      const model = byId.get(id);
      if (!model) throw new Error(`no model registered as "${id}"`);
      return model;
    },
  };
}

/** The operator's price table replaces the model's published one. */
export function withPrices(model: VideoModel, priceCentsPerSecond: Readonly<Record<string, number>>): VideoModel {
  return { ...model, priceCentsPerSecond: { ...model.priceCentsPerSecond, ...priceCentsPerSecond } };
}
