import { Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { StageConfig } from './stage.ts';

export const DATABASE_NAME = 'lokiz';
const DATABASE_PORT = 5432;

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
  /** Generated admin credentials ({username, password, host, port, dbname}). */
  readonly secret: secretsmanager.ISecret;

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
    // addProxy also opens the instance's port to the proxy's security group.
    this.proxy = this.instance.addProxy('Proxy', {
      vpc,
      vpcSubnets: isolated,
      securityGroups: [proxySecurityGroup],
      secrets: [this.secret],
      requireTLS: true,
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
    // `this.secret` is the secret's attachment to the instance; the finding is on the secret.
    Validations.of(this.instance.node.findChild('Secret')).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Not rotated yet: the Lambdas read the password once per process (shared/db/client.ts), so a ' +
        'rotation would fail their new connections until they are recycled. Rotation (hosted single-user ' +
        'rotation in the VPC) follows once the client re-reads the secret when authentication fails. ' +
        'The password is generated, never leaves Secrets Manager, and the database admits only the proxy.',
    });
  }
}
