extension Money {
    /// The largest amount the store keeps: it holds nano-dollars in an `Int64` (about 9.2
    /// billion USD). A budget or credit above it would be clamped without a word.
    public static let storableMaximum = Money(nanoUSD: Int64.max)

    /// An amount an operator gives — a budget, a credit — as a decimal (`500`, `1,000.50`,
    /// `1e6`; separators only where they group by three, so `0,05` is refused), from zero
    /// (when `allowingZero`) or at least one nano-dollar (what the store keeps), up to
    /// ``storableMaximum``; nil otherwise.
    public init?(operatorUSD text: String, allowingZero: Bool) {
        guard let value = Money(usd: text), value <= Self.storableMaximum,
            allowingZero ? value >= .zero : value.roundedNanoUSD > 0
        else { return nil }
        self = value
    }

    /// What ``init(operatorUSD:allowingZero:)`` takes, for messages.
    public static func operatorUSDRule(allowingZero: Bool) -> String {
        "\(allowingZero ? "a non-negative" : "a positive") decimal amount of USD up to \(storableMaximum.decimalString(places: 2))"
    }
}

/// Tenant names go into tables, logs and stream keys (`tenant/policy`).
public enum TenantName {
    /// Why `name` cannot name a tenant, or nil when it can.
    public static func problem(_ name: String) -> String? {
        if name.isEmpty || name.count > 200 { return "must be 1 to 200 characters" }
        if name.contains("/") { return "must not contain '/'" }
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) { return "must not contain control characters" }
        return nil
    }
}
