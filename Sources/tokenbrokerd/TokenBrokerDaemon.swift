import ArgumentParser
import BrokerCore
import Foundation
import Gateway
import Logging
import Metrics
import PriceFeeds
import Prometheus

/// `tokenbrokerd`: the OpenAI-compatible gateway. Configuration comes from `--config FILE`
/// (YAML), then `TOKENBROKER_*` variables, then these flags; see docs/daemon.md.
@main
struct TokenBrokerDaemon: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenbrokerd",
        abstract: "The TokenBroker daemon: routes OpenAI-style requests to the cheapest adequate offer.",
        discussion: """
            Prints 'tokenbrokerd listening on HOST:PORT' once it accepts connections. SIGTERM or \
            SIGINT drain requests in flight and flush the decision log; SIGHUP reloads the \
            configuration file and the provider files (a bad file keeps the running catalogue).
            """)

    @Option(help: "YAML configuration file (also TOKENBROKER_CONFIG).")
    var config: String?

    @Option(help: "HOST:PORT for the OpenAI-compatible API (port 0 picks a free port).")
    var listen: String?

    @Option(help: "The control API's Unix socket path.")
    var controlSocket: String?

    @Option(help: "The SQLite database.")
    var db: String?

    @Option(help: "The provider catalogue directory.")
    var providers: String?

    @Option(help: "Serve providers that have no credentials from this server (e.g. tokenbroker-mock).")
    var demoUpstream: String?

    @Option(help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String?

    @Flag(help: "Only validate the configuration and the provider files; write nothing.")
    var check = false

    @Flag(help: .hidden)
    var exitWithParent = false

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let configFile = config ?? environment["TOKENBROKER_CONFIG"]
        let overrides = GatewayConfiguration.Overrides(
            listen: listen, controlSocket: controlSocket, database: db, providersDirectory: providers,
            demoUpstream: demoUpstream, logLevel: logLevel)
        let configuration: GatewayConfiguration
        do {
            configuration = try GatewayConfiguration.load(file: configFile, environment: environment, overrides: overrides)
        } catch {
            throw failure("configuration: \(error)")
        }
        if check {
            try validateOnly(configuration)
            return
        }
        let level = Logger.Level(rawValue: configuration.logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // A gateway's own latency is sub-millisecond; upstream calls take seconds.
        factory.defaultDurationHistogramBuckets = [
            .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
            .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
            .milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(10), .seconds(30), .seconds(60),
        ]
        MetricsSystem.bootstrap(factory)
        var logger = Logger(label: "tokenbrokerd")
        logger.logLevel = level
        if exitWithParent { ParentWatch.start() }
        let daemon: Daemon
        do {
            daemon = try Daemon.make(
                configuration: configuration, environment: environment, registry: registry, logger: logger,
                reloadConfiguration: {
                    try GatewayConfiguration.load(
                        file: configFile, environment: ProcessInfo.processInfo.environment, overrides: overrides)
                },
                onListening: { address in
                    FileHandle.standardOutput.write(Data("tokenbrokerd listening on \(address)\n".utf8))
                })
        } catch {
            throw failure("\(error)")
        }
        do {
            try await daemon.run()
        } catch {
            throw failure("\(error)")
        }
    }

    private func validateOnly(_ configuration: GatewayConfiguration) throws {
        do {
            let catalogue = try ProviderCatalogueLoader.load(directory: URL(fileURLWithPath: configuration.providersDirectory))
            try configuration.checkAgainst(policies: catalogue.policies.keys)
            print(
                "catalogue: \(catalogue.providers.count) providers, \(catalogue.models.count) models, "
                    + "\(catalogue.offers.count { $0.offer.enabled && catalogue.providers[$0.id.provider]?.enabled == true }) offers, \(catalogue.policies.count) policies (\(configuration.providersDirectory))")
            print("configuration: ok (listen \(configuration.listen), db \(configuration.database))")
        } catch {
            throw failure("\(error)")
        }
    }

    func failure(_ message: String) -> some Error {
        FileHandle.standardError.write(Data("tokenbrokerd: \(message)\n".utf8))
        return ExitCode.failure
    }
}

/// Exits the process once its parent is gone, so a test run that dies never leaves a daemon behind.
enum ParentWatch {
    static func start() {
        let parent = getppid()
        Thread.detachNewThread {
            while getppid() == parent { Thread.sleep(forTimeInterval: 0.25) }
            exit(0)
        }
    }
}
