import type { Mail } from '../../platform/mail';

export type MailLanguage = 'ko' | 'en';

/** A language stored on a user or a registration, when it is one the mails are written in. */
export const knownLanguage = (value: string | null | undefined): MailLanguage | undefined => (value === 'ko' || value === 'en' ? value : undefined);

/** The mail's language: the one asked for, else the request's Accept-Language (Korean or not), else English. */
export function mailLanguage(asked: MailLanguage | null | undefined, acceptLanguage: string | undefined): MailLanguage {
  if (asked) return asked;
  return /^\s*ko\b/i.test(acceptLanguage ?? '') ? 'ko' : 'en';
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** Plain and short: the text as it is, and the same paragraphs as HTML with the link clickable. */
function compose(to: string, subject: string, paragraphs: string[], link?: string): Mail {
  const html = paragraphs
    .map((paragraph) => (paragraph === link ? `<p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>` : `<p>${escapeHtml(paragraph)}</p>`))
    .join('');
  return { to, subject, text: paragraphs.join('\n\n'), html };
}

const greeting = (language: MailLanguage, name: string | null) =>
  language === 'ko' ? (name ? `${name}님, 안녕하세요.` : '안녕하세요.') : name ? `Hello ${name},` : 'Hello,';

export function verificationMail(to: string, language: MailLanguage, name: string | null, link: string): Mail {
  return language === 'ko'
    ? compose(to, 'Omood 이메일 주소를 확인해 주세요', [greeting(language, name), 'Omood 가입을 마치려면 24시간 안에 아래 링크를 열어 주세요.', link, '가입한 적이 없다면 이 메일은 무시하셔도 됩니다.'], link)
    : compose(to, 'Confirm your email address for Omood', [greeting(language, name), 'To finish signing up for Omood, open this link within 24 hours:', link, 'If you did not sign up, you can ignore this mail.'], link);
}

export function alreadyRegisteredMail(to: string, language: MailLanguage, appUrl: string): Mail {
  const forgot = `${appUrl}/auth/forgot`;
  return language === 'ko'
    ? compose(to, '이미 Omood 계정이 있습니다', [greeting(language, null), '이 주소로 Omood에 가입하려는 요청이 있었지만, 이 주소의 계정이 이미 있습니다. 로그인해 주세요. 비밀번호가 생각나지 않으면 여기서 다시 설정할 수 있습니다.', forgot, '요청한 적이 없다면 이 메일은 무시하셔도 됩니다.'], forgot)
    : compose(to, 'You already have an Omood account', [greeting(language, null), 'Someone tried to sign up for Omood with this address, but it already has an account. Sign in instead; if you forgot your password, you can reset it here:', forgot, 'If this was not you, you can ignore this mail.'], forgot);
}

export function passwordResetMail(to: string, language: MailLanguage, name: string | null, link: string): Mail {
  return language === 'ko'
    ? compose(to, 'Omood 비밀번호 재설정', [greeting(language, name), '아래 링크에서 1시간 안에 새 비밀번호를 정해 주세요. 다시 설정하면 모든 기기에서 로그아웃됩니다.', link, '요청한 적이 없다면 이 메일은 무시하셔도 됩니다. 비밀번호는 그대로입니다.'], link)
    : compose(to, 'Reset your Omood password', [greeting(language, name), 'Choose a new password within one hour with this link. Resetting signs you out on every device.', link, 'If you did not ask for this, ignore this mail; your password stays as it is.'], link);
}
