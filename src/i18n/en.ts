/**
 * Every sentence members and moderators read, in English: the source of truth.
 * Other languages (de.ts) are typed `Messages`, so the compiler refuses one
 * with a key missing, an extra key, or a message that takes other
 * parameters. A message is a string, or a function of named parameters
 * (numbers for the counts plurals depend on, text already formatted:
 * money, sizes, Discord timestamps and mentions).
 *
 * Keys name where the text is used: `progress.*` and `result.*` the job's
 * reply, `error.*`, `media.*`, `fal.*`, `request.*` why a job could not run,
 * `quota.*` refusals, `usage.*` the /usage reply, `alert.*` the mod-log,
 * `command.*` what Discord shows in its command picker.
 */

/** What the file-type sniffer may recognise: " It looks like a GIF." */
export const FILE_KINDS = [
  'jpg', 'png', 'apng', 'bmp', 'webp', 'gif', 'svg', 'text', 'xml', 'heic', 'avif', 'tif', 'jxl', 'jp2', 'ico', 'psd', 'pdf', 'zip',
  'mp4', 'mov', 'webm', 'mkv', 'avi', 'mp3', 'wav', 'ogg', 'opus', 'oga', 'flac', 'm4a', 'aac',
] as const;
export type FileKind = (typeof FILE_KINDS)[number];

const FILE_KIND_NAMES: Readonly<Record<FileKind, string>> = {
  jpg: 'a JPEG picture',
  png: 'a PNG picture',
  apng: 'an animated PNG',
  bmp: 'a BMP picture',
  webp: 'a WEBP picture',
  gif: 'a GIF',
  svg: 'an SVG drawing',
  text: 'a text file',
  xml: 'an XML file',
  heic: 'a HEIC photo',
  avif: 'an AVIF picture',
  tif: 'a TIFF picture',
  jxl: 'a JPEG XL picture',
  jp2: 'a JPEG 2000 picture',
  ico: 'an icon file',
  psd: 'a Photoshop file',
  pdf: 'a PDF document',
  zip: 'a ZIP archive',
  mp4: 'a video',
  mov: 'a video',
  webm: 'a video',
  mkv: 'a video',
  avi: 'a video',
  mp3: 'an MP3 file',
  wav: 'a WAV file',
  ogg: 'an OGG audio file',
  opus: 'an Opus audio file',
  oga: 'an OGG audio file',
  flac: 'a FLAC file',
  m4a: 'an M4A (AAC) audio file',
  aac: 'an AAC audio file',
};

function fileKindName(ext: string): string {
  return (FILE_KIND_NAMES as Readonly<Record<string, string>>)[ext] ?? `a .${ext} file`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

export const en = {
  // --- The job's reply: progress (src/discord/format.ts) ------------------------------
  'progress.elapsed': ({ time }: { time: string }) => `${time} elapsed`,
  'progress.ready': ({ when }: { when: string }) => `ready ${when}`,
  'progress.longerThanUsual': 'taking longer than usual',
  'progress.checking': '🖼️ Checking your picture…',
  'progress.inLine': ({ position }: { position: number }) => `⏳ Waiting in line — position ${position}`,
  'progress.nextInLine': '⏳ Next in line',
  'progress.making': '🎬 Making your video',
  'progress.fetching': '📦 Almost there — fetching your video',
  'progress.waitingForFal': '⏳ fal is busy — the bot keeps trying to hand your job over',
  'cost.uses': ({ cost }: { cost: string }) => `uses ${cost}`,
  'cost.left': ({ amount }: { amount: string }) => `${amount} left`,
  'cost.leftIn': ({ amount, period }: { amount: string; period: string }) => `${amount} left ${period}`,
  'period.today': 'today',
  'period.thisWeek': 'this week',
  'period.thisMonth': 'this month',

  // --- The job's reply: the last word (format.ts, jobMessenger.ts) --------------------
  'result.doneIn': ({ time }: { time: string }) => `✅ Done in ${time}.`,
  'result.promptUsed': ({ prompt }: { prompt: string }) => `**Prompt used:** ${prompt}`,
  'result.settings': ({ seed, resolution, seconds }: { seed: string; resolution: string; seconds: number }) =>
    `Seed ${seed} · ${resolution} · ${seconds} s`,
  'result.randomSeed': 'random',
  'result.linkInstead': 'The video is too large to upload here, so here is the link.',
  'result.openVideo': '▶️ Open your video',
  'result.cancelled': '🚫 Cancelled. You were not charged.',
  'result.cancelledBy': ({ who }: { who: string }) => `🚫 Cancelled by ${who}. You were not charged.`,
  'result.dmBecause': ({ channel }: { channel: string }) => `I could not reply in ${channel}, so here it is.`,
  'button.cancel': 'Cancel',

  // --- Why a job stopped (src/errors.ts, src/jobs) -------------------------------------
  'job.notCharged': 'You were not charged.',
  'error.generic': 'Something went wrong on our side. You were not charged; please try again.',
  'error.genericWithReport': ({ reportId }: { reportId: string }) =>
    `Something went wrong on our side. You were not charged; please try again. (report \`${reportId}\`)`,
  'error.restarting': 'The bot is restarting. Please try again in a minute.',
  'error.restartedBeforeStart': 'The bot restarted before your video was started, so it was not made.',
  'error.badResult': 'fal returned a result I could not understand.',
  'error.undeliverable': 'Your video was made, but I could not reach you on Discord to deliver it.',
  'error.maxWait': ({ limit }: { limit: string }) => `fal did not finish your video within ${limit}, so I stopped waiting.`,
  'error.queueTimeout': ({ limit }: { limit: string }) =>
    `fal's queue was too long (over ${limit}), so I cancelled the job. Please try again later.`,
  'time.minutes': ({ count }: { count: number }) => plural(count, 'minute'),
  'time.seconds': ({ count }: { count: number }) => `${count} seconds`,

  // --- The request itself (src/jobs/animateRequest.ts) ---------------------------------
  'request.promptEmpty': 'The prompt is empty. Describe what should happen in the video.',
  'request.promptTooLong': ({ length, limit }: { length: number; limit: number }) =>
    `The prompt is ${length} characters; the limit is ${limit}.`,
  'request.negativePromptTooLong': ({ length, limit }: { length: number; limit: number }) =>
    `The negative prompt is ${length} characters; the limit is ${limit}.`,
  'request.imageNotPicture': 'The `image` attachment is not a picture. Please attach a JPEG, PNG, BMP or WEBP.',
  'request.noAudio': 'This model does not take audio.',

  // --- The member's files (src/media) ---------------------------------------------------
  'media.imageTooLarge': ({ size, limit }: { size: string; limit: string }) => `The image is ${size}; the limit is ${limit}.`,
  'media.audioTooLarge': ({ size, limit }: { size: string; limit: string }) => `The audio file is ${size}; the limit is ${limit}.`,
  'media.imageDamaged': 'The image is empty or damaged and could not be read.',
  'media.notAPicture': ({ hint }: { hint: string }) => `That file is not a picture the model can use (JPEG, PNG, BMP or WEBP).${hint}`,
  'media.animated': 'The picture is animated; the model needs a single still image (JPEG, PNG, BMP or WEBP).',
  'media.imageSides': ({ width, height, min, max }: { width: number; height: number; min: number; max: number }) =>
    `The image is ${width}×${height} px; each side must be between ${min} and ${max} px.`,
  'media.transparent':
    'The image has transparency; the model needs an image without an alpha channel (save it as JPEG, or as PNG without transparency).',
  'media.audioDamaged': 'The audio file is empty or damaged and could not be read.',
  'media.notAudio': ({ hint }: { hint: string }) => `That file is not audio the model can use: audio must be WAV or MP3.${hint}`,
  'media.audioLength': ({ length, min, max }: { length: string; min: number; max: number }) =>
    `The audio is ${length} long; it must be between ${min} and ${max} s.`,
  'media.underTenthSecond': 'under 0.1 s',
  'media.looksLike': ({ ext }: { ext: string }) => ` It looks like ${fileKindName(ext)}.`,
  'download.imageTooLarge': ({ limit }: { limit: string }) => `The image is larger than ${limit}.`,
  'download.audioTooLarge': ({ limit }: { limit: string }) => `The audio file is larger than ${limit}.`,
  'download.onlyDiscord': 'I can only read files uploaded to Discord.',
  'download.imageTimeout': 'Downloading your image took too long; please try again.',
  'download.audioTimeout': 'Downloading your audio file took too long; please try again.',
  'download.imageFailed': "I couldn't download your image from Discord; please upload it again.",
  'download.audioFailed': "I couldn't download your audio file from Discord; please upload it again.",

  // --- fal's answers (src/fal) -------------------------------------------------------------
  'fal.contentPolicy': "fal's safety checker flagged the picture or the prompt, so no video was made. Try a different picture or prompt.",
  'fal.fileDownload': 'fal could not download the picture. Please try again in a moment.',
  'fal.imageTooLarge': ({ limit }: { limit: string }) => `The picture is too large for the model${limit}. Please use a smaller one.`,
  'fal.imageTooSmall': ({ limit }: { limit: string }) => `The picture is too small for the model${limit}. Please use a larger one.`,
  'fal.atMost': ({ width, height }: { width: number; height: number }) => ` (at most ${width}×${height} px)`,
  'fal.atLeast': ({ width, height }: { width: number; height: number }) => ` (at least ${width}×${height} px)`,
  'fal.imageLoad': 'fal could not read the picture. Try saving it again as PNG or JPEG.',
  'fal.fileTooLarge': 'A file is too large for the model (pictures up to 10 MB, audio up to 15 MB).',
  'fal.unsupportedFormat': 'The model cannot use this picture format. Please use JPEG, PNG, BMP or WEBP.',
  'fal.audioTooLong': 'The audio is too long for the model; it must be 30 seconds or shorter.',
  'fal.audioTooShort': 'The audio is too short for the model; it must be at least 3 seconds.',
  'fal.oneOf': 'fal did not accept one of the settings. Please check the resolution and duration.',
  'fal.validation': 'fal did not accept this request. Please check the picture and the settings.',
  'fal.network': 'I could not reach fal to make the video. Please try again in a few minutes.',
  'fal.auth': "The bot's fal account is not working right now. The operator needs to check it.",
  'fal.rateLimited': 'fal is busy right now. Please try again in a few minutes.',
  'fal.busyGaveUp': ({ minutes }: { minutes: number }) => `fal is busy: the bot tried for ${minutes === 1 ? 'a minute' : `${minutes} minutes`} and could not hand your job over. Please try again later.`,
  'fal.timeout': 'fal took too long to make the video and gave up.',
  'fal.badGateway': 'I could not reach fal just now. Please try again in a few minutes.',
  'fal.noCapacity': 'fal has no capacity for this model right now. Please try again in a few minutes.',
  'fal.internal': 'fal had an internal error while making the video.',
  'fal.notFound': 'fal no longer has this job.',
  'fal.notAccepted': 'fal did not accept this request.',
  'fal.uploadFailed': 'I could not upload your file to fal. Please try again in a moment.',
  'fal.submitUnknown':
    'fal did not confirm that it accepted the job, so I stopped here rather than risk paying twice. You were not charged; please try again.',

  // --- Quota refusals (src/quota) -------------------------------------------------------------
  'quota.dm': '/animate works only in servers.',
  'quota.guildNotAllowed': '/animate is not enabled on this server. Its moderators can ask the bot’s operator.',
  'quota.globalDaily': ({ when }: { when: string }) =>
    `The bot has reached its spending limit for today across all servers. It resets ${when}.`,
  'quota.budgetDisabled': "This server's moderators have set its /animate budget to $0, so no videos can be made here.",
  'quota.budgetUsed': ({ budget, period, detail, when }: { budget: string; period: string; detail: string; when: string }) =>
    `This server has used its ${budget} budget for ${period}.${detail} It resets ${when}.`,
  'quota.budgetLeft': ({ left, cost }: { left: string; cost: string }) => ` Only ${left} is left and this video costs ${cost}.`,
  'quota.dailyClips': ({ count, when }: { count: number; when: string }) =>
    `You have made your ${plural(count, 'video')} for today on this server. You can make more ${when}.`,
  'quota.cooldown': ({ seconds, when }: { seconds: number; when: string }) =>
    `This server asks for ${seconds} seconds between videos. You can start the next one ${when}.`,
  'quota.memberConcurrent': ({ count }: { count: number }) =>
    `You already have ${plural(count, 'video')} being made, the most this server allows at once. Try again when one is done.`,
  'quota.resolution': ({ resolution, allowed }: { resolution: string; allowed: string }) =>
    `${resolution} is not allowed on this server. Choose ${allowed}.`,
  'quota.duration': ({ max }: { max: number }) =>
    `Videos longer than ${max} seconds are not allowed on this server. Choose ${max} seconds or less.`,
  'quota.audio': 'Audio attachments are not allowed on this server. Try again without `audio`.',
  'quota.guildConcurrent': ({ count }: { count: number }) =>
    `This server already has ${plural(count, 'video')} being made, the most it allows at once. Try again in a few minutes.`,
  'quota.channel': ({ where }: { where: string }) => `/animate does not work in this channel. Try it in ${where}.`,
  'quota.role': ({ roles }: { roles: string }) => `On this server only members with one of these roles may use /animate: ${roles}.`,
  'list.or': ({ head, last }: { head: string; last: string }) => `${head} or ${last}`,
  'list.andMore': ({ items, count }: { items: string; count: number }) => `${items} and ${count} more`,

  // --- What moderators may set (src/quota/rules.ts, commands/quota.ts) ----------------------
  'quotaInput.budgetNegative': 'The budget must be 0 or more dollars.',
  'quotaInput.budgetCap': ({ max }: { max: string }) => `The budget can be at most ${max} per period (the bot's operator sets this cap).`,
  'quotaInput.period': 'Choose day, week or month.',
  'quotaInput.cooldown': ({ max }: { max: number }) => `The cooldown must be from 0 (none) to ${max} seconds.`,
  'quotaInput.resolutionsChoose': 'Choose which resolutions to allow.',
  'quotaInput.resolutionsEmpty': 'Allow at least one resolution.',
  'quotaInput.maxDuration': 'The longest video can be 5 or 10 seconds.',
  'quotaInput.amountNegative': 'The amount must be 0 or more US dollars.',
  'quotaInput.amountMax': ({ max }: { max: number }) => `The amount can be at most $${max}.`,
  'quotaInput.amountCent': 'The amount must be at least $0.01, or 0 to stop spending.',
  'quotaInput.count': ({ max }: { max: number }) => `Limits must be whole numbers from 0 (no limit) to ${max}.`,
  'quotaInput.whichOne': 'Say which one to add or remove.',
  'quotaInput.listAction': 'Choose add, remove or clear.',
  'quotaInput.subcommandGone': 'This subcommand is not available any more.',
  'quotaInput.chooseSetting': 'Choose a setting from the list.',
  'quotaInput.giveOne': ({ names, note }: { names: string; note: string }) => `Give at least one of ${names}${note}.`,
  'quotaInput.noLimitNote': ' (0 = no limit)',

  // --- /quota for moderators: rules as they are named and shown (src/quota/rules.ts, src/discord/quotaFormat.ts) ----
  'rule.budget': 'budget',
  'rule.budgetPeriod': 'budget period',
  'rule.clipsPerDay': 'clips per member per day',
  'rule.cooldown': 'cooldown between a member’s videos',
  'rule.memberConcurrent': 'videos at once per member',
  'rule.resolutions': 'resolutions',
  'rule.maxDuration': 'longest video',
  'rule.audio': 'audio attachments',
  'rule.guildConcurrent': 'videos at once on the server',
  'rule.channels': 'channels',
  'rule.roles': 'roles that may use /animate',
  'rule.exemptRoles': 'roles exempt from member limits',
  'rule.modLog': 'mod-log channel',
  'ruleLine.clipsPerDay': 'Clips per day',
  'ruleLine.cooldown': 'Cooldown',
  'ruleLine.memberConcurrent': 'At once',
  'ruleLine.resolutions': 'Resolutions',
  'ruleLine.maxDuration': 'Longest video',
  'ruleLine.audio': 'Audio',
  'ruleLine.guildConcurrent': 'Server at once',
  'ruleLine.channels': 'Channels',
  'ruleLine.roles': 'Roles',
  'ruleLine.exemptRoles': 'Exempt roles',
  'ruleLine.modLog': 'Mod-log',
  'ruleField.memberLimits': 'Member limits',
  'ruleField.allowed': 'Allowed',
  'ruleField.whereAndWho': 'Where and who',
  'ruleValue.default': 'default',
  'ruleValue.noLimit': 'no limit',
  'ruleValue.none': 'none',
  'ruleValue.allowed': 'allowed',
  'ruleValue.notAllowed': 'not allowed',
  'ruleValue.everyChannel': 'every channel',
  'ruleValue.everyone': 'everyone',
  'ruleValue.nobody': 'nobody',
  'ruleValue.off': 'off',
  'ruleValue.day': 'day',
  'ruleValue.week': 'week',
  'ruleValue.month': 'month',
  'quotaShow.title': '/animate quotas on this server',
  'quotaShow.defaultMark': ' *(default)*',
  'quotaShow.budgetZero': ({ mark }: { mark: string }) => `**Budget:** $0${mark} — /animate spends nothing on this server.`,
  'quotaShow.budget': ({ spent, budget, period, left, clips, clip }: { spent: string; budget: string; period: string; left: string; clips: string; clip: string }) =>
    `**Budget:** ${spent} of ${budget} used ${period} — **${left} left** (≈ ${clips} at the default settings, ${clip} each)`,
  'quotaShow.period': ({ period, mark, when, date }: { period: string; mark: string; when: string; date: string }) =>
    `Period: per ${period}${mark} (UTC) · resets ${when} (${date})`,
  'quotaShow.openNow': ({ count }: { count: number }) => ` (${count} now)`,
  'quotaShow.footer': '(default) = the bot operator’s default. Moderators change these with /quota.',
  'quotaChange.nothing': 'Nothing changed: those were already the settings.',
  'quotaChange.budgetZero': 'Budget is $0: /animate spends nothing on this server.',
  'quotaChange.now': ({ spent, budget, period, left, clips }: { spent: string; budget: string; period: string; left: string; clips: string }) =>
    `Now: ${spent} of ${budget} used ${period}, ${left} left (≈ ${clips}).`,
  'quotaChange.titleUnchanged': 'Quota unchanged',
  'quotaChange.titleUpdated': 'Quota updated',
  'quotaHistory.title': 'Quota history',
  'quotaHistory.reset': ({ when, actor, member }: { when: string; actor: string; member: string }) => `${when} ${actor} reset ${member}’s use`,
  'quotaHistory.empty': 'No quota changes yet: this server uses the operator’s defaults.',
  'quotaTop.title': ({ period }: { period: string }) => `Biggest spenders ${period}`,
  'quotaTop.empty': ({ period }: { period: string }) => `Nobody has spent anything ${period} yet.`,
  'quotaTop.footer': ({ date }: { date: string }) => `Period resets ${date}`,
  'quotaReset.title': 'Member reset',
  'quotaReset.description': ({ member }: { member: string }) =>
    `${member} has today’s clips and cooldown back. The server’s spending is unchanged (it was paid for).`,

  // --- The router, permissions and the Cancel button (commands/) ----------------------------
  'router.buttonGone': 'This button does not work any more.',
  'router.formGone': 'This form does not work any more.',
  'router.gone': 'This does not work any more.',
  'router.commandGone': 'This command is not available any more.',
  'permissions.moderatorsOnly': ({ doing }: { doing: string }) =>
    `Only members with the Manage Server permission (or a quota admin role) can ${doing}.`,
  'permissions.seeOthersUse': "see another member's use",
  'permissions.seeThat': 'see that',
  'permissions.changeQuotas': 'change quotas',
  'permissions.serversOnly': 'This command works only in servers.',
  'cancel.notFound': 'I cannot find this job any more.',
  'cancel.notAllowed': 'Only the member who started this video, or a moderator, can cancel it.',
  'cancel.beingSubmitted': 'Your video is being handed to fal right now. Try again in a few seconds.',
  'cancel.alreadyStarted': 'The video is already being made, so it can no longer be cancelled.',
  'cancel.alreadyFinished': 'This job has already finished.',

  // --- /usage (src/discord/quotaFormat.ts) ------------------------------------------------------
  'usage.titleSelf': 'Your /animate use',
  'usage.titleOther': '/animate use',
  'usage.spentSelf': ({ amount, period, since }: { amount: string; period: string; since: string }) =>
    `You spent **${amount}** ${period}${since}.`,
  'usage.spentOther': ({ who, amount, period, since }: { who: string; amount: string; period: string; since: string }) =>
    `${who} spent **${amount}** ${period}${since}.`,
  'usage.sinceReset': ' (since a moderator reset)',
  'usage.fieldToday': 'Clips today (UTC)',
  'usage.fieldNext': 'Next video',
  'usage.fieldOpen': 'Being made',
  'usage.fieldBudget': 'Server budget',
  'usage.todayExempt': ({ count }: { count: number }) => `${count} · no member limits (exempt role)`,
  'usage.todayUnlimited': ({ count }: { count: number }) => `${count} · no daily limit`,
  'usage.todayLimited': ({ count, limit, left, when }: { count: number; limit: number; left: number; when: string }) =>
    `${count} of ${limit} · **${left} left** (more ${when})`,
  'usage.nextNow': 'now',
  'usage.nextCooldown': ({ when }: { when: string }) => `${when} (cooldown)`,
  'usage.ofLimit': ({ count, limit }: { count: number; limit: number }) => `${count} of ${limit}`,
  'usage.budgetZero': 'Budget is $0: nothing can be made here.',
  'usage.budget': ({ left, budget, period, clips, when }: { left: string; budget: string; period: string; clips: string; when: string }) =>
    `${left} left of ${budget} ${period} (≈ ${clips}) · resets ${when}`,
  'clips.count': ({ count }: { count: number }) => `${count} ${count === 1 ? 'clip' : 'clips'}`,

  // --- Budget alerts in the mod-log, in the server's language (src/discord/modLogAlerts.ts) ----
  'alert.spent': ({ spent, budget }: { spent: string; budget: string }) => `${spent} of ${budget}`,
  'alert.nearlyUsed': ({ percent, period, spent, when }: { percent: number; period: string; spent: string; when: string }) =>
    `⚠️ /animate has used ${percent} % of this server’s budget for ${period}: ${spent}. It resets ${when}.`,
  'alert.usedUp': ({ period, spent, when, date }: { period: string; spent: string; when: string; date: string }) =>
    `🛑 /animate has used up this server’s budget for ${period}: ${spent} spent. ` +
    `New videos are refused until it resets ${when} (${date}); moderators can raise it with /quota budget.`,

  // --- Discord's command picker (commands/*.ts: names lowercase, ≤ 32; descriptions ≤ 100) ----
  'command.animate.name': 'animate',
  'command.animate.description': 'Turn a picture into a short video',
  'command.animate.image.name': 'image',
  'command.animate.image.description': 'The first frame: a picture (JPEG, PNG, WEBP, GIF…); I fit its size and format if needed',
  'command.animate.prompt.name': 'prompt',
  'command.animate.prompt.description': 'What should happen in the video',
  'command.animate.negativePrompt.name': 'negative_prompt',
  'command.animate.negativePrompt.description': 'What to avoid',
  'command.animate.resolution.name': 'resolution',
  'command.animate.resolution.description': 'Video resolution (higher costs more)',
  'command.animate.duration.name': 'duration',
  'command.animate.duration.description': 'Length of the video',
  'command.animate.duration.choice': ({ seconds }: { seconds: number }) => `${seconds} seconds`,
  'command.animate.seed.name': 'seed',
  'command.animate.seed.description': 'Same seed, same picture, same prompt → same video',
  'command.animate.audio.name': 'audio',
  'command.animate.audio.description': ({ min, max }: { min: number; max: number }) => `Background music: WAV or MP3, ${min}–${max} s`,
  'command.animate.promptExpansion.name': 'prompt_expansion',
  'command.animate.promptExpansion.description': 'Let an AI enrich your prompt (default: on)',
  'command.usage.name': 'usage',
  'command.usage.description': 'Your /animate use on this server and what is left',
  'command.usage.member.name': 'member',
  'command.usage.member.description': 'Moderators: see this member’s use instead',
  'command.quota.description': "See and set this server's /animate budget and rules",
  'command.quota.budget.description': 'Set how much /animate may spend per period',
  'command.quota.budget.amount.description': 'US dollars per period; 0 = spend nothing',
  'command.quota.budget.period.description': 'When the budget starts again (UTC); default: unchanged',
  'command.quota.period.day.choice': 'day',
  'command.quota.period.week.choice': 'week (from Monday)',
  'command.quota.period.month.choice': 'month',
  'command.quota.members.description': 'Limits for each member (0 = no limit)',
  'command.quota.members.clipsPerDay.description': 'Videos per member per UTC day',
  'command.quota.members.cooldown.description': "Seconds between a member's videos",
  'command.quota.members.concurrent.description': 'Videos being made at once per member',
  'command.quota.limits.description': 'What members may ask for, and how many videos the server makes at once',
  'command.quota.limits.resolutions.description': 'Allowed resolutions',
  'command.quota.resolutions.all.choice': 'all: 480p, 720p, 1080p',
  'command.quota.resolutions.upTo720p.choice': '480p and 720p',
  'command.quota.resolutions.from720p.choice': '720p and 1080p',
  'command.quota.resolutions.only.choice': ({ resolution }: { resolution: string }) => `${resolution} only`,
  'command.quota.limits.maxDuration.description': 'Longest video in seconds',
  'command.quota.limits.audio.description': 'Allow audio attachments',
  'command.quota.limits.serverConcurrent.description': 'Videos being made at once on the server (0 = no limit)',
  'command.quota.channels.description': 'Channels where /animate works (none listed = every channel)',
  'command.quota.channels.channel.description': 'The channel (threads in it are included)',
  'command.quota.roles.description': 'Roles that may use /animate (none listed = everyone)',
  'command.quota.exempt.description': 'Roles exempt from member limits (the server budget still applies)',
  'command.quota.role.description': 'The role',
  'command.quota.modlog.description': 'Where budget alerts (80 % and 100 %) go; leave out the channel to stop them',
  'command.quota.modlog.channel.description': 'The mod-log channel',
  'command.quota.action.description': 'What to do',
  'command.quota.action.add.choice': 'add',
  'command.quota.action.remove.choice': 'remove',
  'command.quota.action.clear.choice': 'clear (no restriction)',
  'command.quota.show.description': "This server's rules and this period's spending",
  'command.quota.reset.description': "Give a member back today's clips and cooldown (the server's spending stays)",
  'command.quota.reset.member.description': 'The member',
  'command.quota.history.description': 'Who changed which quota setting, and when',
  'command.quota.top.description': "This period's biggest spenders",
  'command.quota.unset.description': "Return a setting to the bot operator's default",
  'command.quota.unset.setting.description': 'Which setting',
  // --- Buttons on a finished video, the forms and /settings (commands/*) -------------
  'button.reroll': 'Re-roll',
  'button.remix': 'Remix',
  'button.renderFinal': 'Render final',
  'button.details': 'Details',
  'rerun.pictureGone': 'The picture of this video is no longer available; run /animate again with it.',
  'rerun.alreadyBest': 'This video is already at the best resolution this server allows.',
  'rerun.finalNote': ({ resolution }: { resolution: string }) =>
    `Rendering at ${resolution} with the same picture, prompt and seed. The model does not promise the same motion at another resolution.`,
  'details.body': ({
    prompt,
    seed,
    model,
    resolution,
    seconds,
    cost,
    queue,
    running,
  }: {
    prompt: string;
    seed: string;
    model: string;
    resolution: string;
    seconds: number;
    cost: string;
    queue: string;
    running: string;
  }) =>
    [
      `**Prompt fal used:** ${prompt}`,
      `**Seed:** ${seed}`,
      `**Model:** ${model}`,
      `**Resolution:** ${resolution} · **Duration:** ${seconds} s`,
      `**Cost:** ${cost}`,
      `**In fal's queue:** ${queue} · **Running:** ${running}`,
    ].join('\n'),
  'details.unknown': 'not known',
  'form.animateTitle': 'Animate image',
  'form.remixTitle': 'Remix',
  'form.prompt': 'Prompt',
  'form.negativePrompt': 'Negative prompt (optional)',
  'form.resolution': 'Resolution',
  'form.duration': 'Duration',
  'form.durationChoice': ({ seconds }: { seconds: number }) => `${seconds} seconds`,
  'form.noImage':
    'That message has no picture I can use: it needs an attached image, or an embedded image hosted on Discord.',
  'form.expired': 'This form is no longer available; right-click the message and choose Animate image again.',
  'result.repeat': ({ link }: { link: string }) =>
    `✅ You asked for exactly this (same picture, options and seed) within the last 24 hours, so here is that video again: ${link}\nYou were not charged.`,
  'settings.show': ({ resolution, duration, expansion, privacy }: { resolution: string; duration: string; expansion: string; privacy: string }) =>
    `**Your defaults**\nResolution: ${resolution}\nDuration: ${duration}\nPrompt expansion: ${expansion}\nPrivate results: ${privacy}`,
  'settings.saved': 'Saved. Options you give a command still win over these defaults.',
  'settings.serverDefault': "the server's default",
  'settings.seconds': ({ seconds }: { seconds: number }) => `${seconds} seconds`,
  'settings.on': 'on',
  'settings.off': 'off',
  'settings.resolutionNotAllowed': ({ resolution, allowed }: { resolution: string; allowed: string }) =>
    `⚠️ This server does not allow ${resolution} at the moment (allowed: ${allowed}): a video at your default resolution will be refused until you change it or the server allows it.`,
  'settings.durationNotAllowed': ({ seconds, max }: { seconds: number; max: number }) =>
    `⚠️ This server allows videos up to ${max} s: a video at your default duration (${seconds} s) will be refused until you change it or the server allows it.`,
  'command.settings.name': 'settings',
  'command.settings.description': 'Your defaults for new videos (options you give a command still win)',
  'command.settings.resolution.description': 'Default resolution',
  'command.settings.duration.description': 'Default length',
  'command.settings.promptExpansion.description': 'Let the model expand your prompt by default',
  'command.settings.privateResults.name': 'private_results',
  'command.settings.privateResults.description': 'Show your videos only to you',
  // A context-menu name: Discord allows capitals and spaces here (1–32 characters).
  'command.animateImage.menuName': 'Animate image',

  // Pictures fixed before the model sees them, videos fitted to the upload limit, Extend.
  'media.pictureAdjusted': ({ note }: { note: string }) => `🖼️ I adjusted your picture: ${note}`,
  'media.notAPictureReadable': ({ formats, hint }: { formats: string; hint: string }) => `That file is not a picture I can use (${formats}).${hint}`,
  'media.imageMegapixels': ({ width, height, megapixels, limit }: { width: number; height: number; megapixels: string; limit: string }) =>
    `The image is ${width}×${height} px (${megapixels} megapixels); the limit is ${limit} megapixels.`,
  'media.bmpRunLength': "This BMP would need resizing or re-encoding, and I can't read its run-length-compressed pixels. Please send it as PNG or JPEG.",
  'media.compressedTooLarge': ({ size, limit }: { size: string; limit: string }) => `Even compressed, the image is ${size}; the limit is ${limit}.`,
  'result.madeSmaller': ({ width, height, size, url }: { width: number; height: number; size: string; url: string }) =>
    `Made smaller (${width}×${height}) to fit the upload limit here. Full quality (${size}): ${url}`,
  'button.extend': 'Extend',
  'extend.noFfmpeg': 'Extending videos is switched off on this bot right now.',
  'extend.sourceUnreadable': 'I could not read the end of the earlier video, so I could not extend it.',
  'extend.parentGone': 'I cannot find this video any more, so I cannot extend it.',
  'extend.notFinished': 'Only a finished video can be extended.',
  'extend.tooLong': ({ total, seconds, max }: { total: number; seconds: number; max: number }) =>
    `This video is already ${total} s long; another ${seconds} s would make it longer than ${max} s, the most a video can be extended to.`,
  'extend.extendedBy': ({ seconds, total }: { seconds: number; total: number }) => `⏩ Extended by ${seconds} s: the video is now ${total} s long.`,
  'extend.notJoined': ({ seconds }: { seconds: number }) => `⏩ I could not join this to the earlier video, so here is the new ${seconds} s on its own.`,
  'extend.formTitle': ({ seconds, cost }: { seconds: number; cost: string }) => `Extend by ${seconds} s · ${cost}`,
  'extend.promptLabel': 'Prompt for the next part',
  'extend.promptHint': ({ total }: { total: number }) => `It starts from the video's last frame; the video becomes ${total} s long.`,
  'pictureChange.firstFrame': 'kept only the first frame',
  'pictureChange.turnedUpright': "applied the camera's rotation",
  'pictureChange.transparencyWhitened': 'made transparent parts white',
  'pictureChange.unusedTransparencyRemoved': 'removed an unused transparency channel',
  'pictureChange.scaled': ({ from, to }: { from: string; to: string }) => `scaled ${from} → ${to}`,
  'pictureChange.converted': ({ from, to }: { from: string; to: string }) => `converted ${from} to ${to}`,
  'pictureChange.compressed': ({ from, to }: { from: string; to: string }) => `compressed ${from} → ${to}`,
};

/** The shape every language has: the same keys, each taking the same parameters. */
export type Messages = typeof en;
