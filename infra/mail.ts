import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import type { FunctionName } from './function-sizing.ts';
import type { StageConfig } from './stage.ts';

/** The functions that send mail (shared/mail/send.ts): sign-up, password mails, export links. */
/** moderation: the owner of taken-down content, or a suspended account, is told why. */
export const MAIL_SENDERS: readonly FunctionName[] = ['auth', 'account', 'account-export', 'moderation'];

/** The local part of the sender address; the domain is the SES identity's. */
export const SENDER_LOCAL_PART = 'no-reply';

/**
 * Amazon SES v2: the sender domain's identity (Easy DKIM: publish the three CNAMEs from the
 * stack outputs), a configuration set (TLS required, reputation metrics, the account-level
 * suppression of bounces and complaints), and a grant of ses:SendEmail only, only for that
 * identity and configuration set, only from the one sender address, to the functions that mail.
 */
export class Mail extends Construct {
  readonly identity: ses.EmailIdentity;
  readonly configurationSet: ses.ConfigurationSet;
  readonly fromAddress: string;

  constructor(scope: Construct, id: string, props: { config: StageConfig }) {
    super(scope, id);
    const { domain } = props.config.mail;
    this.fromAddress = `${SENDER_LOCAL_PART}@${domain}`;
    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE,
      reputationMetrics: true,
      sendingEnabled: true,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    this.identity = new ses.EmailIdentity(this, 'Identity', {
      identity: ses.Identity.domain(domain),
      configurationSet: this.configurationSet,
    });
  }

  /** MAIL_* env (shared/mail/config.ts) and the send grant, for each function that mails. */
  grantSend(
    functions: ReadonlyMap<FunctionName, lambda.Function>,
    config: StageConfig,
    apiUrl: string,
  ): void {
    const configurationSetArn = Stack.of(this).formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: this.configurationSet.configurationSetName,
    });
    for (const name of MAIL_SENDERS) {
      const fn = functions.get(name);
      if (!fn) continue;
      fn.addEnvironment('MAIL_TRANSPORT', 'ses');
      fn.addEnvironment('MAIL_FROM', `LOKIZ <${this.fromAddress}>`);
      fn.addEnvironment('SES_CONFIGURATION_SET', this.configurationSet.configurationSetName);
      fn.addEnvironment('APP_BASE_URL', config.mail.appUrl);
      // Export download links point at this API (the only mail link that isn't the app's).
      if (name === 'account-export') fn.addEnvironment('API_LINK_BASE_URL', apiUrl);
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['ses:SendEmail'],
          // SES v2 authorises a send against the identity and the configuration set it uses.
          resources: [this.identity.emailIdentityArn, configurationSetArn],
          conditions: { StringEquals: { 'ses:FromAddress': this.fromAddress } },
        }),
      );
    }
  }
}
