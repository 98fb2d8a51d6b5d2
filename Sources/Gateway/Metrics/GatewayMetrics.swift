public import BrokerCore
import CoreMetrics
import Metrics
import Synchronization

/// What `/metrics` reports, through swift-metrics (the daemon bootstraps swift-prometheus).
/// Names follow Prometheus conventions; money is counted in integer nano-USD so the counter
/// stays exact. Labels carry provider ids and outcomes only — never a key or a tenant's secret.
///
/// | metric | labels |
/// | --- | --- |
/// | `tokenbroker_requests_total` | `status` |
/// | `tokenbroker_request_errors_total` | `type` |
/// | `tokenbroker_request_duration_seconds` (histogram) | `stream` |
/// | `tokenbroker_upstream_duration_seconds` (histogram) | `provider` |
/// | `tokenbroker_upstream_attempts_total` | `provider`, `outcome` |
/// | `tokenbroker_decisions_total` | `provider` |
/// | `tokenbroker_switches_total` | `from`, `to` |
/// | `tokenbroker_spend_nanousd_total` | `provider` |
/// | `tokenbroker_decision_log_pending` (gauge) | |
public final class GatewayMetrics: Sendable {
    /// Metric objects by label and label values: the factory's own lookup (a registry lock,
    /// label sorting) would otherwise run several times per request. The key is built from
    /// short strings only, so a hit allocates nothing.
    private struct Key: Hashable {
        var label: String
        var first: String
        var second: String
    }

    private let counters = Mutex<[Key: Counter]>([:])
    private let timers = Mutex<[Key: Metrics.Timer]>([:])

    public init() {}

    private func counter(_ label: String, _ name: String, _ value: String, _ name2: String? = nil, _ value2: String = "") -> Counter {
        let key = Key(label: label, first: value, second: value2)
        return counters.withLock { cache in
            if let counter = cache[key] { return counter }
            var dimensions = [(name, value)]
            if let name2 { dimensions.append((name2, value2)) }
            let counter = Counter(label: label, dimensions: dimensions)
            cache[key] = counter
            return counter
        }
    }

    private func timer(_ label: String, _ name: String, _ value: String) -> Metrics.Timer {
        let key = Key(label: label, first: value, second: "")
        return timers.withLock { cache in
            if let timer = cache[key] { return timer }
            let timer = Metrics.Timer(label: label, dimensions: [(name, value)])
            cache[key] = timer
            return timer
        }
    }

    func request(status: Int, duration: Duration, streamed: Bool) {
        counter("tokenbroker_requests_total", "status", String(status)).increment()
        timer("tokenbroker_request_duration_seconds", "stream", streamed ? "true" : "false")
            .recordNanoseconds(duration.nanoseconds)
    }

    func error(type: String) {
        counter("tokenbroker_request_errors_total", "type", type).increment()
    }

    func upstream(provider: String, outcome: String, duration: Duration) {
        counter("tokenbroker_upstream_attempts_total", "provider", provider, "outcome", outcome)
            .increment()
        timer("tokenbroker_upstream_duration_seconds", "provider", provider)
            .recordNanoseconds(duration.nanoseconds)
    }

    func decision(provider: String, switchedFrom previous: String?, spend: Money) {
        counter("tokenbroker_decisions_total", "provider", provider).increment()
        if let previous, previous != provider {
            counter("tokenbroker_switches_total", "from", previous, "to", provider).increment()
        }
        let nano = spend.roundedNanoUSD
        if nano > 0 {
            counter("tokenbroker_spend_nanousd_total", "provider", provider).increment(by: nano)
        }
    }

    func decisionLogPending(_ count: Int) {
        Gauge(label: "tokenbroker_decision_log_pending").record(count)
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
