/// A small seeded generator (SplitMix64): the same seed gives the same draws on every
/// platform, which `SystemRandomNumberGenerator` cannot.
///
/// ```swift
/// var generator = SplitMix64(seed: 42)
/// let draw = generator.nextUnitInterval()  // in [0, 1)
/// ```
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        self.state = seed
    }

    /// A generator of its own for each name (a model), so that the draws one model sees do
    /// not depend on how its requests interleave with other models'.
    public init(seed: UInt64, name: String) {
        // FNV-1a: stable across runs, unlike `Hasher`, which is seeded per process.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        self.state = seed ^ hash
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// A draw in [0, 1) with 53 bits of precision.
    public mutating func nextUnitInterval() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }
}
