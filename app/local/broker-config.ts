import { usesLog4j2 } from './kafka-version.js';

/** What the single-node KRaft broker is told; everything else is Kafka's default. */
export interface BrokerConfigOptions {
  /** Clients connect here: `PLAINTEXT://127.0.0.1:<port>`. */
  readonly port: number;
  /** The KRaft controller listens here; clients never see it. */
  readonly controllerPort: number;
  readonly dataDir: string;
}

/**
 * server.properties for one node acting as broker and controller, with a static one-voter quorum
 * (`controller.quorum.voters`), which both Kafka 3.9 and 4.x accept and which needs no
 * `--standalone` at format time.
 */
export function renderServerProperties(options: BrokerConfigOptions): string {
  const settings: readonly (readonly [string, string | number])[] = [
    ['process.roles', 'broker,controller'],
    ['node.id', 1],
    ['controller.quorum.voters', `1@127.0.0.1:${options.controllerPort}`],
    ['listeners', `PLAINTEXT://127.0.0.1:${options.port},CONTROLLER://127.0.0.1:${options.controllerPort}`],
    ['advertised.listeners', `PLAINTEXT://127.0.0.1:${options.port}`],
    ['inter.broker.listener.name', 'PLAINTEXT'],
    ['controller.listener.names', 'CONTROLLER'],
    ['listener.security.protocol.map', 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT'],
    ['log.dirs', options.dataDir],
    ['num.partitions', 1],
    // One node: the internal topics cannot have three replicas. Without these, __consumer_offsets is
    // never created and consumers loop on "group coordinator not available".
    ['offsets.topic.replication.factor', 1],
    ['transaction.state.log.replication.factor', 1],
    ['transaction.state.log.min.isr', 1],
    ['share.coordinator.state.topic.replication.factor', 1],
    ['share.coordinator.state.topic.min.isr', 1],
    // Tests create many groups; waiting 3 s before each first rebalance only slows them down.
    ['group.initial.rebalance.delay.ms', 0],
    // Two cores shared with the tests: few threads are plenty for a development broker.
    ['num.network.threads', 2],
    ['num.io.threads', 4],
    ['num.recovery.threads.per.data.dir', 1],
    ['log.retention.hours', 168],
  ];
  const lines = settings.map(([key, value]) => `${key}=${String(value)}`);
  return `# Written by \`lgsp local up\` on every start; edits are overwritten.\n${lines.join('\n')}\n`;
}

/** The broker's logging config (INFO and up, to the console, which goes to the log file) and how the JVM finds it. */
export interface LogConfig {
  readonly fileName: string;
  readonly text: string;
  readonly jvmFlag: (file: string) => string;
}

export function renderLogConfig(version: string): LogConfig {
  if (usesLog4j2(version)) {
    return {
      fileName: 'log4j2.properties',
      jvmFlag: (file) => `-Dlog4j2.configurationFile=${file}`,
      text: [
        'status = warn',
        'appender.console.type = Console',
        'appender.console.name = STDOUT',
        'appender.console.layout.type = PatternLayout',
        'appender.console.layout.pattern = [%d] %p %m (%c)%n',
        'rootLogger.level = info',
        'rootLogger.appenderRef.stdout.ref = STDOUT',
        'logger.request.name = kafka.request.logger',
        'logger.request.level = warn',
        '',
      ].join('\n'),
    };
  }
  return {
    fileName: 'log4j.properties',
    jvmFlag: (file) => `-Dlog4j.configuration=file:${file}`,
    text: [
      'log4j.rootLogger=INFO, stdout',
      'log4j.appender.stdout=org.apache.log4j.ConsoleAppender',
      'log4j.appender.stdout.layout=org.apache.log4j.PatternLayout',
      'log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n',
      'log4j.logger.kafka.request.logger=WARN',
      '',
    ].join('\n'),
  };
}
