import BrokerCore
import BrokerStore
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// Keeps the routing snapshot current: rebuilds it from the store every refresh interval
/// (future-dated prices, `prices set`), and on SIGHUP re-reads the configuration file and the
/// provider files. A reload is all or nothing: a bad file is logged with its reason and the
/// running catalogue stays.
struct CatalogueService: Service {
    let gateway: Gateway
    let loader: CatalogueLoader
    /// Reads the configuration again (the file, the environment, the flags), for SIGHUP.
    let reloadConfiguration: @Sendable () throws -> GatewayConfiguration

    /// Refreshes and reloads read SQLite and files: on their own thread, off the request executor.
    let io = BlockingExecutor(label: "tokenbroker.catalogue")

    func run() async throws {
        await io.run {
            await withDiscardingTaskGroup { group in
                group.addTask { await refreshPeriodically() }
                group.addTask { await reloadOnHangup() }
            }
        }
    }

    private func refreshPeriodically() async {
        let interval = Duration.milliseconds(Int64(gateway.configuration.catalogueRefreshSeconds * 1000))
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
            refresh()
        }
    }

    private func reloadOnHangup() async {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            reload()
        }
    }

    func refresh() {
        do {
            gateway.state.replace(try loader.snapshot(configuration: gateway.currentConfiguration, at: Date()))
            gateway.keys.reload()
        } catch {
            gateway.logger.error("catalogue refresh failed, keeping the current catalogue: \(error)")
        }
    }

    func reload() {
        do {
            let configuration = try reloadConfiguration()
            let (snapshot, report) = try loader.load(configuration: configuration, at: Date())
            let created = try gateway.keys.bootstrap(configuration.bootstrapKeys, at: Date())
            gateway.setConfiguration(configuration)
            gateway.state.replace(snapshot)
            gateway.state.noteReload(error: nil)
            gateway.keys.reload()
            gateway.logger.notice(
                "reloaded: \(snapshot.callableOfferCount) offers, \(report.priceVersionsAppended) price versions appended, \(created) keys created")
        } catch {
            gateway.state.noteReload(error: "\(error)")
            gateway.logger.error("reload rejected, keeping the running catalogue: \(error)")
        }
    }
}
