import { EmbedBuilder, type AttachmentPayload } from 'discord.js';
import type { ChartImage } from '../quota/usageCharts.js';

/**
 * A reply's embed with charts: the first chart as the embed's own image, each
 * further one in an embed of its own (an embed shows one image), every PNG
 * attached and referred to as `attachment://<file name>`.
 */
export function withCharts(embed: EmbedBuilder, charts: readonly ChartImage[]): { embeds: EmbedBuilder[]; files: AttachmentPayload[] } {
  const [first, ...rest] = charts;
  if (first) embed.setImage(`attachment://${first.fileName}`);
  const color = embed.data.color ?? null;
  return {
    embeds: [embed, ...rest.map((chart) => new EmbedBuilder().setColor(color).setImage(`attachment://${chart.fileName}`))],
    files: charts.map((chart) => ({ attachment: chart.png, name: chart.fileName })),
  };
}
