import { addressDomain } from '../platform/mail';
import type { SendMailMessage } from '../platform/queue';
import type { Services } from '../platform/services';

export const sendMailJob = (services: Services, { kind: _kind, ...mail }: SendMailMessage) => services.mailer.send(mail);

/** A mail that failed every retry is lost; the operator learns which domain refused it, nothing more. */
export async function finalizeSendMailJob(_services: Services, message: SendMailMessage) {
  console.log(JSON.stringify({ level: 'error', message: 'mail dead-lettered', to_domain: addressDomain(message.to) }));
}
