/// Herfindahl–Hirschman index of spend shares: Σ (share in %)², from 0 (spread over
/// infinitely many providers) to 10,000 (one provider has everything).
///
/// Computed exactly from integer spends and rounded half up once at the end, so the same
/// spends always give the same index.
///
/// ```swift
/// Concentration.hhi([50, 50])   // 5,000
/// Concentration.hhi([100])      // 10,000
/// ```
public enum Concentration {
    public static func hhi(_ spends: [Int64]) -> Int {
        let positive = spends.filter { $0 > 0 }.map { Int128($0) }
        let total = positive.reduce(0, +)
        guard total > 0 else { return 0 }
        let squares = positive.reduce(Int128(0)) { $0 + $1 * $1 }
        return Int((squares * 10_000 * 2 + total * total) / (2 * total * total))
    }

    /// The reading the US merger guidelines give the index: below 1,500 unconcentrated,
    /// up to 2,500 moderately concentrated, above that highly concentrated.
    public static func reading(_ hhi: Int) -> String {
        hhi < 1_500 ? "unconcentrated" : hhi <= 2_500 ? "moderate" : "high"
    }
}
