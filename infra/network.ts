import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { StageConfig } from './stage.ts';

/**
 * Two AZs, three tiers: public (NAT gateways only), private with egress (Lambdas, which
 * reach Secrets Manager and third-party APIs through NAT, S3 through a gateway endpoint)
 * and isolated (RDS + proxy).
 */
export class Network extends Construct {
  readonly vpc: ec2.Vpc;
  /** Every API/worker Lambda; the RDS Proxy admits only this group. */
  readonly lambdaSecurityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: { config: StageConfig }) {
    super(scope, id);
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: props.config.natGateways,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'app', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
        { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
    });
    // Accepted and rejected traffic of every ENI, for incident response.
    this.vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(
        new logs.LogGroup(this, 'FlowLogs', {
          retention: props.config.logRetention,
          removalPolicy: props.config.removalPolicy,
        }),
      ),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });
    // Egress is HTTPS (AWS APIs through NAT or the S3 endpoint, Replicate and its output URLs)
    // plus PostgreSQL to the RDS Proxy, which Database adds. DNS (the VPC resolver) isn't
    // subject to security groups.
    this.lambdaSecurityGroup = new ec2.SecurityGroup(this, 'LambdaSecurityGroup', {
      vpc: this.vpc,
      description: 'LOKIZ Lambda functions',
      allowAllOutbound: false,
    });
    this.lambdaSecurityGroup.addEgressRule(
      ec2.Peer.anyIpv4(),
      ec2.Port.tcp(443),
      'HTTPS to AWS APIs and Replicate',
    );
    // Free, and keeps media traffic (200 MB uploads read by the process-upload worker) off
    // the NAT gateways, which bill per GB.
    this.vpc.addGatewayEndpoint('S3Endpoint', { service: ec2.GatewayVpcEndpointAwsService.S3 });
  }
}
