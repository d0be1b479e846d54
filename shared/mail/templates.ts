import type { Locale } from '../db/schema.ts';

/** Every mail LOKIZ sends, with what each needs. */
export type MailTemplate =
  | { kind: 'verify_email'; link: string }
  | { kind: 'signup_attempt'; resetLink: string }
  | { kind: 'reset_password'; link: string }
  | { kind: 'password_changed' }
  | { kind: 'export_ready'; link: string; expiresAt: Date }
  | {
      kind: 'moderation_notice';
      action: 'video_removed' | 'comment_removed' | 'account_suspended';
      reason: string;
    };

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
  /** The one link a person is meant to follow (the local outbox logs it). */
  link?: string;
}

interface Copy {
  subject: string;
  lines: string[];
  action?: { label: string; href: string };
  footer: string;
}

const FOOTER = {
  en: 'If you did not ask for this, you can ignore this message.',
  ko: '요청하지 않으셨다면 이 메일은 무시하셔도 됩니다.',
};

function copyOf(t: MailTemplate, locale: Locale): Copy {
  const ko = locale === 'ko';
  switch (t.kind) {
    case 'verify_email':
      return ko
        ? {
            subject: 'LOKIZ 이메일 주소를 인증해 주세요',
            lines: [
              'LOKIZ에 오신 것을 환영합니다!',
              '아래 링크로 이메일 주소를 인증하면 100 크레딧을 드립니다. 링크는 24시간 동안 한 번만 쓸 수 있습니다.',
            ],
            action: { label: '이메일 인증하기', href: t.link },
            footer: FOOTER.ko,
          }
        : {
            subject: 'Verify your LOKIZ email address',
            lines: [
              'Welcome to LOKIZ!',
              'Verify your email address to get your 100 free credits. The link works once, for 24 hours.',
            ],
            action: { label: 'Verify my email', href: t.link },
            footer: FOOTER.en,
          };
    case 'signup_attempt':
      return ko
        ? {
            subject: '누군가 이 이메일로 LOKIZ 가입을 시도했습니다',
            lines: [
              '이 이메일 주소에는 이미 LOKIZ 계정이 있어 새 계정을 만들지 않았습니다.',
              '본인이었다면 로그인하시거나, 비밀번호가 기억나지 않으면 아래에서 재설정하세요.',
            ],
            action: { label: '비밀번호 재설정', href: t.resetLink },
            footer: '본인이 아니라면 아무것도 하지 않으셔도 됩니다. 계정은 안전합니다.',
          }
        : {
            subject: 'Someone tried to sign up to LOKIZ with your email',
            lines: [
              'This address already has a LOKIZ account, so no new account was created.',
              'If it was you, sign in instead, or reset your password if you have forgotten it.',
            ],
            action: { label: 'Reset my password', href: t.resetLink },
            footer: 'If it was not you, there is nothing to do: your account is safe.',
          };
    case 'reset_password':
      return ko
        ? {
            subject: 'LOKIZ 비밀번호 재설정',
            lines: [
              '아래 링크에서 새 비밀번호를 정하세요. 링크는 30분 동안 한 번만 쓸 수 있으며, 재설정하면 모든 기기에서 로그아웃됩니다.',
            ],
            action: { label: '비밀번호 재설정', href: t.link },
            footer: FOOTER.ko,
          }
        : {
            subject: 'Reset your LOKIZ password',
            lines: [
              'Choose a new password with the link below. It works once, for 30 minutes, and resetting signs you out everywhere.',
            ],
            action: { label: 'Reset my password', href: t.link },
            footer: FOOTER.en,
          };
    case 'password_changed':
      return ko
        ? {
            subject: 'LOKIZ 비밀번호가 변경되었습니다',
            lines: ['계정의 비밀번호가 변경되어 다른 기기에서는 모두 로그아웃되었습니다.'],
            footer: '본인이 변경하지 않았다면 즉시 비밀번호를 재설정하세요.',
          }
        : {
            subject: 'Your LOKIZ password was changed',
            lines: ['The password of your account was changed, and your other sessions were signed out.'],
            footer: 'If this was not you, reset your password now.',
          };
    case 'moderation_notice': {
      const what = {
        video_removed: ko ? '회원님의 동영상이 삭제 조치되었습니다' : 'A video of yours was taken down',
        comment_removed: ko ? '회원님의 댓글이 삭제 조치되었습니다' : 'A comment of yours was taken down',
        account_suspended: ko ? '회원님의 계정이 정지되었습니다' : 'Your account was suspended',
      }[t.action];
      return {
        subject: ko ? `LOKIZ: ${what}` : `LOKIZ: ${what}`,
        lines: [what, ko ? `사유: ${t.reason}` : `Reason: ${t.reason}`],
        footer: ko
          ? '이 조치가 잘못되었다고 생각되면 이 메일에 회신해 주세요.'
          : 'If you think this is a mistake, reply to this message.',
      };
    }
    case 'export_ready': {
      const until = t.expiresAt.toISOString().slice(0, 10);
      return ko
        ? {
            subject: 'LOKIZ 데이터 내보내기가 준비되었습니다',
            lines: [`요청하신 데이터(zip)를 내려받을 수 있습니다. 링크는 ${until}까지 유효합니다.`],
            action: { label: '내려받기', href: t.link },
            footer: FOOTER.ko,
          }
        : {
            subject: 'Your LOKIZ data export is ready',
            lines: [`Your data (a zip file) is ready to download. The link works until ${until}.`],
            action: { label: 'Download', href: t.link },
            footer: FOOTER.en,
          };
    }
  }
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Plain text plus simple HTML (no images, no tracking) in the recipient's language. */
export function renderMail(t: MailTemplate, locale: Locale): RenderedMail {
  const c = copyOf(t, locale);
  const text = [
    ...c.lines,
    ...(c.action ? ['', `${c.action.label}: ${c.action.href}`] : []),
    '',
    c.footer,
    '',
    '— LOKIZ',
  ].join('\n');
  const html = [
    `<!doctype html><html lang="${locale}"><body style="font-family:sans-serif;line-height:1.5">`,
    ...c.lines.map((l) => `<p>${escapeHtml(l)}</p>`),
    ...(c.action ? [`<p><a href="${escapeHtml(c.action.href)}">${escapeHtml(c.action.label)}</a></p>`] : []),
    `<p style="color:#666">${escapeHtml(c.footer)}</p><p>— LOKIZ</p></body></html>`,
  ].join('\n');
  return { subject: c.subject, text, html, link: c.action?.href };
}
