public import BrokerCore
import CoreMetrics
import Metrics

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
public struct GatewayMetrics: Sendable {
    public init() {}

    func request(status: Int, duration: Duration, streamed: Bool) {
        Counter(label: "tokenbroker_requests_total", dimensions: [("status", String(status))]).increment()
        Metrics.Timer(label: "tokenbroker_request_duration_seconds", dimensions: [("stream", streamed ? "true" : "false")])
            .recordNanoseconds(duration.nanoseconds)
    }

    func error(type: String) {
        Counter(label: "tokenbroker_request_errors_total", dimensions: [("type", type)]).increment()
    }

    func upstream(provider: String, outcome: String, duration: Duration) {
        Counter(label: "tokenbroker_upstream_attempts_total", dimensions: [("provider", provider), ("outcome", outcome)])
            .increment()
        Metrics.Timer(label: "tokenbroker_upstream_duration_seconds", dimensions: [("provider", provider)])
            .recordNanoseconds(duration.nanoseconds)
    }

    func decision(provider: String, switchedFrom previous: String?, spend: Money) {
        Counter(label: "tokenbroker_decisions_total", dimensions: [("provider", provider)]).increment()
        if let previous, previous != provider {
            Counter(label: "tokenbroker_switches_total", dimensions: [("from", previous), ("to", provider)]).increment()
        }
        let nano = spend.roundedNanoUSD
        if nano > 0 {
            Counter(label: "tokenbroker_spend_nanousd_total", dimensions: [("provider", provider)]).increment(by: nano)
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
