import BrokerCore
import BrokerStore
import ControlPlane
import Foundation
import Hummingbird
import Logging

/// The control API under `/v1/` (see docs/daemon.md, "Control socket"): every `tokenbroker`
/// command is one request here. Handlers read the gateway's live state and its store;
/// writes take effect on the next request.
struct ControlRoutes: Sendable {
    let gateway: Gateway
    let store: SQLiteStore
    let loader: CatalogueLoader
    let catalogueService: CatalogueService
    let modes: ProviderModes
    let socketPath: String
    /// The address the gateway's HTTP server is bound to (the real port when 0 was asked for).
    let listenAddress: @Sendable () -> String

    func router() -> Hummingbird.Router<BasicRequestContext> {
        let router = Hummingbird.Router()
        // Control queries can scan a million decisions: they run on their own thread.
        router.add(middleware: BlockingMiddleware(executor: BlockingExecutor(label: "tokenbroker.control")))
        let known = KnownRoutes()
        router.add(middleware: UnknownRouteMiddleware(routes: known) { status, message in
            ControlError(status: status, code: status == .notFound ? "not_found" : "method_not_allowed", message: "\(message) (see docs/cli.md)")
                .response
        })
        router.control(.get, "/v1/status") { _, _ in ControlJSON.response(try status()) }
        addProviderRoutes(router)
        addCatalogueRoutes(router)
        addDecisionRoutes(router)
        addTenantRoutes(router)
        router.control(.post, "/v1/reload") { _, _ in
            catalogueService.reload()
            if let error = gateway.state.lastReloadError {
                throw ControlError(status: .unprocessableContent, code: "reload_rejected", message: "reload rejected, keeping the running catalogue: \(error)")
            }
            let snapshot = gateway.state.snapshot
            return ControlJSON.response(
                ActionResult(
                    ok: true,
                    message: "reloaded: \(snapshot.catalogue.providers.count) providers, \(snapshot.callableOfferCount) offers, \(snapshot.catalogue.policies.count) policies"))
        }
        known.record(router)
        return router
    }

    func status() throws -> StatusReport {
        let now = Date()
        let snapshot = gateway.state.snapshot
        let today = BudgetPeriodStart.day.start(containing: now)
        let totals = try store.decisionTotals(since: today)
        let all = try store.decisionTotals(since: nil)
        let log = gateway.decisionLog.statistics
        let out = Set(snapshot.unavailable.keys).union(gateway.state.disabledProviders).sorted()
        return StatusReport(
            version: ControlVersion.current, pid: Int(getpid()), startedAt: gateway.startedAt.formatted(.iso8601),
            uptimeSeconds: Int(now.timeIntervalSince(gateway.startedAt)), listen: listenAddress(), controlSocket: socketPath,
            providers: snapshot.catalogue.providers.count, offers: snapshot.callableOfferCount,
            policies: snapshot.catalogue.policies.count, catalogueBuiltAt: snapshot.builtAt.formatted(.iso8601),
            providersOutOfRouting: out, requestsSinceStart: log.written + log.pending, decisions: all.decisions + log.pending,
            decisionsToday: totals.decisions, switchesToday: totals.switches, spendTodayUSD: totals.spend.decimalString(),
            decisionLogPending: log.pending, decisionLogFailing: log.failing, lastReloadError: gateway.state.lastReloadError,
            store: store.path, storeBytes: store.sizeOnDisk)
    }

    /// Rebuilds the routing snapshot from the store so a write is in force for the next request.
    func rebuildSnapshot() throws {
        do {
            gateway.state.replace(try loader.snapshot(configuration: gateway.currentConfiguration, at: Date()))
        } catch {
            throw ControlError.failed("written, but the routing table could not be rebuilt (the next refresh retries): \(error)")
        }
    }

    /// A query time: ISO 8601, `YYYY-MM-DD`, or an age such as `24h`.
    static func time(_ request: Request, _ name: String) throws -> Date? {
        guard let text = request.uri.queryParameters.get(name) else { return nil }
        guard let date = TimeArgument.date(text, now: Date()) else {
            throw ControlError.badRequest("\(name): not a time (ISO 8601, YYYY-MM-DD, or an age such as 24h, 7d): \(text)")
        }
        return date
    }

    static func integer(_ request: Request, _ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = request.uri.queryParameters.get(name) else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw ControlError.badRequest("\(name): expected an integer from \(range.lowerBound) to \(range.upperBound), got \(text)")
        }
        return number
    }

    static func string(_ request: Request, _ name: String) -> String? {
        request.uri.queryParameters.get(name).flatMap { $0.isEmpty ? nil : $0 }
    }

    static func parameter(_ context: BasicRequestContext, _ name: String) throws -> String {
        guard let value = context.parameters.get(name) else { throw ControlError.badRequest("missing \(name)") }
        return value
    }

    /// Runs a store call, turning its failure into a 500 that names the operation.
    func stored<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ControlError {
            throw error
        } catch {
            throw ControlError.failed("store: \(error)")
        }
    }
}
