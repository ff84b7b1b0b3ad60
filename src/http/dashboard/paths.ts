import { DASHBOARD_CALLBACK_PATH } from '../../config/dashboardConfig.js';
import { DASHBOARD_CSS_VERSION } from './styles.js';

/** Every address the dashboard serves, in one place: the routes and the pages' links use these. */
export const DASHBOARD_PREFIX = '/dashboard';

export type ChartName = 'spend-per-day' | 'spend-per-member' | 'spend-per-resolution';
export const CHART_NAMES: readonly ChartName[] = ['spend-per-day', 'spend-per-member', 'spend-per-resolution'];

export const paths = {
  home: () => `${DASHBOARD_PREFIX}/`,
  login: () => `${DASHBOARD_PREFIX}/login`,
  callback: () => DASHBOARD_CALLBACK_PATH,
  logout: () => `${DASHBOARD_PREFIX}/logout`,
  css: () => `${DASHBOARD_PREFIX}/assets/dashboard.css?v=${DASHBOARD_CSS_VERSION}`,
  server: (guildId: string) => `${DASHBOARD_PREFIX}/servers/${guildId}`,
  settings: (guildId: string) => `${DASHBOARD_PREFIX}/servers/${guildId}/settings`,
  jobs: (guildId: string, query: Readonly<Record<string, string | undefined>> = {}) =>
    `${DASHBOARD_PREFIX}/servers/${guildId}/jobs${queryString(query)}`,
  audit: (guildId: string, page = 1) => `${DASHBOARD_PREFIX}/servers/${guildId}/audit${queryString({ page: page > 1 ? String(page) : undefined })}`,
  usage: (guildId: string, memberId?: string) => `${DASHBOARD_PREFIX}/servers/${guildId}/usage${queryString({ member: memberId })}`,
  chart: (guildId: string, chart: ChartName) => `${DASHBOARD_PREFIX}/servers/${guildId}/charts/${chart}.png`,
};

/** Links into Discord (not assets: the browser only follows them when clicked). */
export function discordMessageUrl(guildId: string, channelId: string, messageId: string | null): string {
  return `https://discord.com/channels/${guildId}/${channelId}${messageId === null ? '' : `/${messageId}`}`;
}

function queryString(query: Readonly<Record<string, string | undefined>>): string {
  const present = Object.entries(query).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '');
  return present.length === 0 ? '' : `?${new URLSearchParams(present).toString()}`;
}
