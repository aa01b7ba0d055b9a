import type { SessionConfig } from '../engine/config.ts';
import type { Transport } from '../engine/transport.ts';
import { cookieTransport } from './cookie.ts';
import { hiddenFieldTransport } from './hidden-field.ts';
import { urlTransport } from './url.ts';

export function createTransport(config: SessionConfig): Transport {
  switch (config.transport) {
    case 'cookie':
      return cookieTransport(config);
    case 'url':
      return urlTransport(config);
    case 'hidden-field':
      return hiddenFieldTransport(config);
  }
}
