import { Collection, type Attachment, type Embed } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { firstUsableImage } from '../../commands/animateImage.js';

const HOSTS = ['cdn.discordapp.com', 'media.discordapp.net'];

function messageWith(attachments: Array<Partial<Attachment>>, embeds: Array<Partial<Embed>> = []) {
  return {
    attachments: new Collection(attachments.map((attachment, index) => [String(index), attachment as Attachment])),
    embeds: embeds as Embed[],
  };
}

describe('the picture "Animate image" takes from a message', () => {
  it('takes the first attachment Discord says is an image', () => {
    const image = firstUsableImage(
      messageWith([
        { url: 'https://cdn.discordapp.com/a/notes.txt', name: 'notes.txt', contentType: 'text/plain', size: 5 },
        { url: 'https://cdn.discordapp.com/a/cat.png', name: 'cat.png', contentType: 'image/png', size: 1234 },
        { url: 'https://cdn.discordapp.com/a/dog.png', name: 'dog.png', contentType: 'image/png', size: 99 },
      ]),
      HOSTS,
    );
    expect(image).toEqual({ url: 'https://cdn.discordapp.com/a/cat.png', filename: 'cat.png', contentType: 'image/png', declaredSize: 1234 });
  });

  it('takes an embed image, or thumbnail, through the address or the proxied copy on an allowed host', () => {
    const proxied = firstUsableImage(
      messageWith([], [{ image: { url: 'https://example.com/cat.png', proxyURL: 'https://media.discordapp.net/external/x/cat.png' } } as Partial<Embed>]),
      HOSTS,
    );
    expect(proxied?.url).toBe('https://media.discordapp.net/external/x/cat.png');
    const thumbnail = firstUsableImage(messageWith([], [{ image: null, thumbnail: { url: 'https://cdn.discordapp.com/t/dog.webp' } } as Partial<Embed>]), HOSTS);
    expect(thumbnail).toMatchObject({ url: 'https://cdn.discordapp.com/t/dog.webp', filename: 'dog.webp' });
  });

  it('finds nothing in text, other files, or pictures on other hosts', () => {
    expect(firstUsableImage(messageWith([{ url: 'https://cdn.discordapp.com/a/a.mp4', name: 'a.mp4', contentType: 'video/mp4', size: 1 }]), HOSTS)).toBeUndefined();
    expect(firstUsableImage(messageWith([], [{ image: { url: 'https://example.com/cat.png' } } as Partial<Embed>]), HOSTS)).toBeUndefined();
    expect(firstUsableImage(messageWith([]), HOSTS)).toBeUndefined();
  });
});
