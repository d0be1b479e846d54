import { Duration, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { APP_DB_ROLE } from '../shared/db/roles.ts';
import type { StageConfig } from './stage.ts';

export const DATABASE_NAME = 'lokiz';
const DATABASE_PORT = 5432;
/** Both database secrets rotate this often (single-user rotation in the VPC). */
export const DATABASE_ROTATION_PERIOD = Duration.days(30);

interface DatabaseProps {
  config: StageConfig;
  vpc: ec2.IVpc;
  /** The only clients allowed to reach the proxy. */
  clientSecurityGroup: ec2.ISecurityGroup;
}

/**
 * PostgreSQL in isolated subnets behind an RDS Proxy: Lambdas connect to the proxy (TLS
 * required), which pools connections so a burst of Lambda instances can't exhaust the DB.
 */
export class Database extends Construct {
  readonly instance: rds.DatabaseInstance;
  readonly proxy: rds.DatabaseProxy;
  /** The owner's generated credentials ({username, password, host, …}): migrations only. */
  readonly secret: secretsmanager.ISecret;
  /** The application role's credentials (APP_DB_ROLE: data rights only): every other function. */
  readonly appSecret: secretsmanager.ISecret;

  constructor(scope: Construct, id: string, props: DatabaseProps) {
    super(scope, id);
    const { config, vpc } = props;
    const isolated: ec2.SubnetSelection = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };

    const instanceSecurityGroup = new ec2.SecurityGroup(this, 'InstanceSecurityGroup', {
      vpc,
      description: 'LOKIZ PostgreSQL instance (reachable from the RDS Proxy only)',
      allowAllOutbound: false,
    });
    this.instance = new rds.DatabaseInstance(this, 'Instance', {
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
      instanceType: config.database.instanceType,
      vpc,
      vpcSubnets: isolated,
      securityGroups: [instanceSecurityGroup],
      port: DATABASE_PORT,
      credentials: rds.Credentials.fromGeneratedSecret('lokiz_admin'),
      databaseName: DATABASE_NAME,
      storageEncrypted: true,
      storageType: rds.StorageType.GP3,
      allocatedStorage: 20,
      maxAllocatedStorage: 100,
      publiclyAccessible: false,
      multiAz: config.database.multiAz,
      backupRetention: config.database.backupRetention,
      deletionProtection: config.database.deletionProtection,
      removalPolicy: config.database.removalPolicy,
      autoMinorVersionUpgrade: true,
      cloudwatchLogsExports: ['postgresql'],
      cloudwatchLogsRetention: config.logRetention,
    });
    this.secret = this.instance.secret!;
    // The generated secret defaults to DESTROY even when the instance is SNAPSHOT/RETAIN;
    // keep it in prod so a retained snapshot's admin password isn't lost with the stack.
    const generatedSecret = this.instance.node.findChild('Secret');
    if (generatedSecret instanceof secretsmanager.Secret) {
      generatedSecret.applyRemovalPolicy(config.removalPolicy);
    }

    const proxySecurityGroup = new ec2.SecurityGroup(this, 'ProxySecurityGroup', {
      vpc,
      description: 'LOKIZ RDS Proxy (reachable from the Lambda security group only)',
    });
    proxySecurityGroup.addIngressRule(
      props.clientSecurityGroup,
      ec2.Port.tcp(DATABASE_PORT),
      'PostgreSQL from LOKIZ Lambdas',
    );
    // The Lambda security group allows no egress but HTTPS by itself.
    props.clientSecurityGroup.addEgressRule(
      proxySecurityGroup,
      ec2.Port.tcp(DATABASE_PORT),
      'PostgreSQL to the RDS Proxy',
    );
    // The role itself (NOLOGIN, grants, timeouts) comes from migration 20261130T1200_app_role;
    // the migrate worker gives it this secret's password on the first deploy.
    const appSecret = new rds.DatabaseSecret(this, 'AppSecret', { username: APP_DB_ROLE });
    appSecret.applyRemovalPolicy(config.removalPolicy);
    // Attached: the secret gains host, port and engine, which the rotation function needs.
    this.appSecret = appSecret.attach(this.instance);

    // addProxy also opens the instance's port to the proxy's security group.
    this.proxy = this.instance.addProxy('Proxy', {
      vpc,
      vpcSubnets: isolated,
      securityGroups: [proxySecurityGroup],
      // The proxy logs in to the database with whichever of these the client names.
      secrets: [this.secret, this.appSecret],
      requireTLS: true,
    });

    // Single-user rotation for both: a function in the VPC (reaching Secrets Manager through NAT and
    // the instance directly) sets a new password in the database, then makes it AWSCURRENT. Clients
    // refused in between re-read the secret, AWSPENDING included (shared/db/credentials.ts). Not at
    // creation: the application role can log in only once the migrate trigger has run.
    const rotationSubnets: ec2.SubnetSelection = { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
    const rotationSecurityGroup = new ec2.SecurityGroup(this, 'RotationSecurityGroup', {
      vpc,
      description: 'LOKIZ database secret rotation (the instance, and Secrets Manager over HTTPS)',
      allowAllOutbound: false,
    });
    rotationSecurityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to Secrets Manager');
    this.instance.addRotationSingleUser({
      automaticallyAfter: DATABASE_ROTATION_PERIOD,
      vpcSubnets: rotationSubnets,
      securityGroup: rotationSecurityGroup,
      rotateImmediatelyOnUpdate: false,
    });
    new secretsmanager.SecretRotation(this, 'AppSecretRotation', {
      application: secretsmanager.SecretRotationApplication.POSTGRES_ROTATION_SINGLE_USER,
      secret: this.appSecret,
      target: this.instance,
      vpc,
      vpcSubnets: rotationSubnets,
      securityGroup: rotationSecurityGroup,
      automaticallyAfter: DATABASE_ROTATION_PERIOD,
      rotateImmediatelyOnUpdate: false,
    });

    this.acknowledgeFindings(config);
  }

  /** cdk-nag findings this design accepts, each with its reason. */
  private acknowledgeFindings(config: StageConfig): void {
    Validations.of(this.instance).acknowledge({
      id: 'AwsSolutions-RDS11',
      reason:
        'Default PostgreSQL port on purpose: the instance sits in isolated subnets and admits only the ' +
        "RDS Proxy's security group, so a non-standard port would hide nothing; clients assume 5432.",
    });
    if (!config.database.multiAz) {
      Validations.of(this.instance).acknowledge({
        id: 'AwsSolutions-RDS3',
        reason: `Single-AZ in ${config.stage} to keep it cheap; prod is multi-AZ (stage.ts).`,
      });
    }
    if (!config.database.deletionProtection) {
      Validations.of(this.instance).acknowledge({
        id: 'AwsSolutions-RDS10',
        reason: `${config.stage} is destroyable by design (npx cdk destroy); prod has deletion protection (stage.ts).`,
      });
    }
  }
}
