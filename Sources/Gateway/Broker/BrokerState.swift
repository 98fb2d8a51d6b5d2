public import BrokerCore
public import Foundation
import Synchronization

/// The gateway's moving parts between requests: the current catalogue snapshot, a circuit
/// breaker per offer, each stream's last provider (for hysteresis and switch counting),
/// providers taken out at run time, and each tenant's spend in its budget period.
///
/// One lock, held for a few dictionary operations at a time; routing itself runs outside it.
public final class BrokerState: Sendable {
    struct Runtime {
        var snapshot: BrokerSnapshot
        var breakers: [OfferID: CircuitBreaker] = [:]
        var openCircuits: Set<OfferID> = []
        var lastProvider: [String: String] = [:]
        /// Disabled or draining by an operator (the control plane).
        var disabledProviders: Set<String> = []
        var spend: [String: TenantSpend] = [:]
        /// Upstream calls under way per provider (a stream counts until it ends): what a drain waits for.
        var inFlight: [String: Int] = [:]
        var lastReloadError: String?
    }

    struct TenantSpend {
        var periodStart: Date
        var spent: Money
    }

    private let runtime: Mutex<Runtime>
    public let breakerPolicy: CircuitBreaker.Policy

    public init(snapshot: BrokerSnapshot, lastProviders: [String: String] = [:], breakerPolicy: CircuitBreaker.Policy = .init()) {
        runtime = Mutex(Runtime(snapshot: snapshot, lastProvider: lastProviders))
        self.breakerPolicy = breakerPolicy
    }

    public var snapshot: BrokerSnapshot { runtime.withLock { $0.snapshot } }

    public func replace(_ snapshot: BrokerSnapshot) {
        runtime.withLock { $0.snapshot = snapshot }
    }

    /// The outcome of the last reload (SIGHUP or `tokenbroker reload`): nil when it worked.
    /// Periodic refreshes and `prices set` are not reloads and leave it alone.
    public func noteReload(error message: String?) {
        runtime.withLock { $0.lastReloadError = message }
    }

    public var lastReloadError: String? { runtime.withLock { $0.lastReloadError } }

    /// Everything the router needs besides the catalogue, for one stream at `now`.
    public func routingContext(stream: String, now: Date) -> RoutingContext {
        runtime.withLock { state in
            // Open and half-open circuits stay out of routing; one whose cool-down is over
            // competes again, and the breaker lets exactly one request through as the probe.
            let open = state.openCircuits.isEmpty
                ? state.openCircuits : state.openCircuits.filter { state.breakers[$0]?.isOpen(at: now) == true }
            var disabled = state.disabledProviders
            if !state.snapshot.unavailable.isEmpty { disabled.formUnion(state.snapshot.unavailable.keys) }
            return RoutingContext(
                now: now, previousProvider: state.lastProvider[stream], credits: state.snapshot.credits,
                openCircuits: open, disabledProviders: disabled)
        }
    }

    /// Asks the offer's breaker to let a request through.
    public func admit(_ offer: OfferID, at now: Date) -> CircuitBreaker.Admission {
        runtime.withLock { state in
            guard var breaker = state.breakers[offer] else { return .admitted }
            let admission = breaker.admit(at: now)
            state.breakers[offer] = breaker
            return admission
        }
    }

    /// Records an attempt's outcome; returns the breaker's transition for logging.
    @discardableResult
    public func record(_ outcome: CircuitBreaker.Outcome, for offer: OfferID, at now: Date) -> CircuitBreaker.Transition {
        runtime.withLock { state in
            switch outcome {
            case .success, .inconclusive: if state.breakers[offer] == nil { return .none }
            case .failure: break
            }
            var breaker = state.breakers[offer] ?? CircuitBreaker(policy: breakerPolicy)
            let transition = breaker.record(outcome, at: now)
            state.breakers[offer] = breaker
            if case .closed(let failures) = breaker.state, failures == 0 {
                state.openCircuits.remove(offer)
            } else {
                state.openCircuits.insert(offer)
            }
            return transition
        }
    }

    /// Offers whose circuit is open now.
    public func openCircuits(at now: Date) -> [OfferID] {
        runtime.withLock { state in state.breakers.filter { $0.value.isOpen(at: now) }.map(\.key).sorted() }
    }

    /// Seconds until the first open circuit lets a probe through, at least 1.
    public func secondsUntilProbe(at now: Date) -> Int? {
        runtime.withLock { state in
            let waits = state.breakers.values.compactMap { breaker -> TimeInterval? in
                if case .open(let until, _) = breaker.state, until > now { return until.timeIntervalSince(now) }
                return nil
            }
            return waits.min().map { max(1, Int($0.rounded(.up))) }
        }
    }

    /// Notes which provider served the stream; returns the one that served it before.
    public func served(stream: String, by provider: String) -> String? {
        runtime.withLock { state in
            let previous = state.lastProvider[stream]
            state.lastProvider[stream] = provider
            return previous
        }
    }

    /// An upstream call to `provider` starts; pair with ``callEnded(_:)``.
    public func callStarted(_ provider: String) {
        runtime.withLock { $0.inFlight[provider, default: 0] += 1 }
    }

    public func callEnded(_ provider: String) {
        runtime.withLock { state in
            let count = (state.inFlight[provider] ?? 1) - 1
            state.inFlight[provider] = count > 0 ? count : nil
        }
    }

    /// Upstream calls under way to `provider`.
    public func inFlight(_ provider: String) -> Int { runtime.withLock { $0.inFlight[provider] ?? 0 } }

    public func setDisabled(_ provider: String, _ disabled: Bool) {
        runtime.withLock { state in
            if disabled { state.disabledProviders.insert(provider) } else { state.disabledProviders.remove(provider) }
        }
    }

    public var disabledProviders: Set<String> { runtime.withLock { $0.disabledProviders } }

    /// The tenant's spend in the period that contains `now`; `load` reads it from the store
    /// the first time and when a new period starts (the gateway waits for it on another thread).
    public func spend(
        tenant: String, period: BudgetPeriodStart, now: Date, load: (Date) async throws -> Money
    ) async rethrows -> Money {
        let start = period.start(containing: now)
        if let known = runtime.withLock({ state in state.spend[tenant].flatMap { $0.periodStart == start ? $0.spent : nil } }) {
            return known
        }
        let loaded = try await load(start)
        return runtime.withLock { state in
            if let current = state.spend[tenant], current.periodStart == start { return current.spent }
            state.spend[tenant] = TenantSpend(periodStart: start, spent: loaded)
            return loaded
        }
    }

    /// Adds a request's cost to the tenant's running spend.
    public func addSpend(_ amount: Money, tenant: String, now: Date) {
        runtime.withLock { state in
            guard var entry = state.spend[tenant], entry.periodStart <= now else { return }
            entry.spent += amount
            state.spend[tenant] = entry
        }
    }
}

/// Where a budget period starts, in UTC.
public enum BudgetPeriodStart: Sendable, Hashable {
    case day
    case month

    public func start(containing date: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = calendar.dateComponents(self == .day ? [.year, .month, .day] : [.year, .month], from: date)
        return calendar.date(from: components) ?? date
    }
}
